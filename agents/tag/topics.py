"""IPTC Media Topics (top level) from hand-written weighted seed lexicons.

No training: each category's lexicon (topic_lexicon.py) scores the article's words and
two-word phrases, headline counting extra. The best category is always given when there is
any evidence; others follow when they score close to it and densely enough for the length.
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from collections.abc import Sequence

from agents.tag.topic_lexicon import IPTC_TOPICS, SEED_LEXICONS

WORD = re.compile(r"[A-Za-z][A-Za-z'’-]*[A-Za-z]|[A-Za-z]")
# Capitalised mid-text, these name institutions rather than the common noun.
PROPER_SENSES = {"Labour": "labour_party", "Conservatives": "conservatives", "Tory": "tory"}
HEADLINE_WEIGHT = 3
SECONDARY_SHARE = 0.6
SECONDARY_DENSITY = 4.0  # lexicon score per 100 words a secondary topic needs
MAX_TOPICS = 3


def stem(word: str) -> str:
    """Lower-case and strip plural/possessive endings so lexicons list one form per word."""
    word = word.lower().replace("’", "'")
    if word.endswith("'s"):
        word = word[:-2]
    word = word.rstrip("'")
    if word.endswith("sses"):
        return word[:-2]
    if len(word) > 4 and word.endswith("ies") and word not in {"series", "species", "movies"}:
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def _lexicon_terms() -> dict[str, dict[str, int]]:
    """Stemmed term (word or word_word) -> {topic: weight}."""
    terms: dict[str, dict[str, int]] = defaultdict(dict)
    for topic, by_weight in SEED_LEXICONS.items():
        for weight, entries in by_weight.items():
            for entry in entries.split():
                key = "_".join(stem(part) for part in entry.split("_"))
                terms[key][topic] = max(terms[key].get(topic, 0), weight)
    return dict(terms)


class TopicClassifier:
    """Scores the seventeen top-level categories and picks one or more."""

    def __init__(self) -> None:
        self._terms = _lexicon_terms()

    def _counts(self, text: str, weight: int, counts: Counter[str]) -> int:
        words = WORD.findall(text)
        stems = [PROPER_SENSES.get(w) or stem(w) for w in words]
        for i, current in enumerate(stems):
            counts[current] += weight
            if i + 1 < len(stems):
                counts[f"{current}_{stems[i + 1]}"] += weight
        return len(words)

    def scores(self, title: str | None, text: str) -> dict[str, float]:
        counts: Counter[str] = Counter()
        self._counts(title or "", HEADLINE_WEIGHT, counts)
        self._counts(text, 1, counts)
        scores: dict[str, float] = dict.fromkeys(IPTC_TOPICS, 0.0)
        for term, count in counts.items():
            topics = self._terms.get(term)
            if topics:
                for topic, weight in topics.items():
                    scores[topic] += weight * (1.0 + math.log(count))
        return scores

    def classify(self, title: str | None, text: str) -> list[str]:
        """Best topic first; empty when nothing in the text matches any lexicon."""
        scores = self.scores(title, text)
        ranked: Sequence[tuple[str, float]] = sorted(
            scores.items(), key=lambda item: (-item[1], IPTC_TOPICS.index(item[0]))
        )
        best_topic, best = ranked[0]
        if best <= 0:
            return []
        words = max(len(WORD.findall(text)), 1)
        chosen = [best_topic]
        for topic, score in ranked[1:MAX_TOPICS]:
            dense = 100.0 * score / words >= SECONDARY_DENSITY
            if score >= SECONDARY_SHARE * best and dense:
                chosen.append(topic)
        return chosen
