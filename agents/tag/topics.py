"""IPTC Media Topics (top level), scored, from the trained model and a lexicon, in one place.

The trained model (topic_model.py) scores the topics its training data holds. Four topics have
no training data (conflict, war and peace; disaster, accident and emergency incident; weather;
labour): hand-written seed lexicons (topic_lexicon.py) score those, and their evidence becomes
a score in [0, 1] by a hand-set curve (no labelled data exists here to calibrate it). Topics
are then ranked by score: every topic from THRESHOLD up (at most MAX_TOPICS), or else the best
one that reaches MIN_BEST_SCORE with evidence from the text (its score at least PRIOR_LIFT
times what the model gives a text without a single known word); no topic only when none is
that likely.
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

from agents.tag.topic_lexicon import IPTC_TOPICS, SEED_LEXICONS
from agents.tag.topic_model import TopicModel

WORD = re.compile(r"[A-Za-z][A-Za-z'’-]*[A-Za-z]|[A-Za-z]")
# Capitalised mid-text, these name institutions rather than the common noun.
PROPER_SENSES = {"Labour": "labour_party", "Conservatives": "conservatives", "Tory": "tory"}
HEADLINE_WEIGHT = 3
THRESHOLD = 0.5
MIN_BEST_SCORE = 0.05
PRIOR_LIFT = 2.0
MAX_TOPICS = 3
# Lexicon evidence e over n body words scores 1 - exp(-e / (LEXICON_SCALE * (1 + n / 200))):
# two strong terms in a headline score about 0.8; a term said once in a long report about 0.1.
LEXICON_SCALE = 8.0
LEXICON_LENGTH_WORDS = 200
SCORE_DIGITS = 3
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


class LexiconScorer:
    """Evidence for the topics the model was not trained on, from weighted seed lexicons."""

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
        terms = self._terms
        starts = self._bigram_starts
        previous = ""
        for word in words:
            current = self._stem(word)
            if current in terms:
                counts[current] += weight
            if previous in starts and f"{previous}_{current}" in terms:
                counts[f"{previous}_{current}"] += weight
            previous = current
        return len(words)

    def scores(self, title: str | None, text: str) -> dict[str, float]:
        """Score in [0, 1] per lexicon topic; topics without evidence are left out."""
        counts: Counter[str] = Counter()
        self._counts(title or "", HEADLINE_WEIGHT, counts)
        words = self._counts(text, 1, counts)
        evidence: dict[str, float] = defaultdict(float)
        for term, count in counts.items():
            for topic, weight in self._terms[term].items():
                evidence[topic] += weight * (1.0 + math.log(count))
        scale = LEXICON_SCALE * (1.0 + words / LEXICON_LENGTH_WORDS)
        return {topic: 1.0 - math.exp(-value / scale) for topic, value in evidence.items()}


@dataclass(slots=True)
class TopicResult:
    """Chosen topics, best first, and the scores of every topic worth reporting."""

    topics: list[str]
    scores: dict[str, float] = field(default_factory=dict)


def choose(scores: dict[str, float], priors: dict[str, float] | None = None) -> TopicResult:
    """The one decision rule: rank by score, keep the likely ones (see the module docstring).

    `priors` are the scores of a text without evidence (topics not named there have none)."""
    priors = priors or {}
    ranked = sorted(scores.items(), key=lambda item: (-item[1], IPTC_TOPICS.index(item[0])))
    chosen = [topic for topic, score in ranked[:MAX_TOPICS] if score >= THRESHOLD]
    if not chosen:
        chosen = [
            topic for topic, score in ranked
            if score >= MIN_BEST_SCORE and score >= PRIOR_LIFT * priors.get(topic, 0.0)
        ][:1]
    reported = {
        topic: round(score, SCORE_DIGITS)
        for topic, score in ranked
        if topic in chosen or (score >= THRESHOLD / 2 and score >= PRIOR_LIFT * priors.get(
            topic, 0.0))
    }
    return TopicResult(chosen, reported)


class TopicClassifier:
    """Scores the seventeen top-level topics of a batch of texts and picks the likely ones."""

    def __init__(self, model: TopicModel | None = None) -> None:
        self.model = model or TopicModel.load()
        overlap = set(self.model.topics) & set(SEED_LEXICONS)
        if overlap:
            raise ValueError(f"topics scored twice, by the model and a lexicon: {overlap}")
        self.lexicon = LexiconScorer()
        self.priors = dict(zip(self.model.topics, self.model.scores([""])[0].tolist(),
                               strict=True))

    def classify_many(self, items: Sequence[tuple[str | None, str]]) -> list[TopicResult]:
        """(headline, body) pairs -> results; one model call for the whole batch."""
        texts = [f"{title}\n{text}" if title else text for title, text in items]
        model_scores = self.model.scores(texts)
        results: list[TopicResult] = []
        for (title, text), row in zip(items, model_scores, strict=True):
            scores = dict(zip(self.model.topics, row.tolist(), strict=True))
            scores.update(self.lexicon.scores(title, text))
            results.append(choose(scores, self.priors))
        return results

    def classify(self, title: str | None, text: str) -> list[str]:
        """Topics of one text, best first."""
        return self.classify_many([(title, text)])[0].topics
