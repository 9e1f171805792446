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
MAX_MEMO_WORDS = 200_000


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
        # Only stems that begin a two-word lexicon entry need their bigram counted.
        self._bigram_starts = frozenset(term.split("_")[0] for term in self._terms if "_" in term)
        self._stems: dict[str, str] = {}  # word -> stem, memoised: news vocabulary repeats

    def _stem(self, word: str) -> str:
        stemmed = self._stems.get(word)
        if stemmed is None:
            stemmed = PROPER_SENSES.get(word) or stem(word)
            if len(self._stems) < MAX_MEMO_WORDS:
                self._stems[word] = stemmed
        return stemmed

    def _counts(self, text: str, weight: int, counts: Counter[str]) -> int:
        words = WORD.findall(text)
        stems = [self._stem(w) for w in words]
        if weight == 1:
            counts.update(stems)
        else:
            for current in stems:
                counts[current] += weight
        starts = self._bigram_starts
        for i in range(len(stems) - 1):
            if stems[i] in starts:
                counts[f"{stems[i]}_{stems[i + 1]}"] += weight
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
