"""Online story grouping: an arriving article joins the recent story it is closest to.

Single pass, no look-ahead. Each story keeps a centroid (the sum of its members' unit
vectors, trimmed to its heaviest terms); an article is compared with the centroids of the
stories found under its own heaviest terms (the `story_keys` store), never with single
members, so a chain of pairwise-similar articles cannot glue two events together.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from agents.dedup.config import DedupConfig
from agents.dedup.features import cosine, idf, normalise, raw_terms, weighted_vector
from agents.dedup.state import DedupState
from schemas.models import Article

_TOTAL = ""  # the doc_freqs key that counts articles
_SECONDS_PER_DAY = 86_400.0


@dataclass(slots=True)
class StoryMatch:
    """The story an article was put in and how close it was to its centroid."""

    story_id: str
    score: float
    joined: bool


class StoryIndex:
    """Assigns story ids using the `stories`, `story_keys` and `doc_freqs` stores."""

    def __init__(self, state: DedupState, config: DedupConfig) -> None:
        self._state = state
        self._config = config
        self._window = config.window_days * _SECONDS_PER_DAY

    def vector(self, article: Article, term_idf: Callable[[str], float] | None = None,
               ) -> tuple[dict[str, float], dict[str, float]]:
        """The article's raw terms and its trimmed unit TF-IDF vector."""
        terms = raw_terms(article)
        term_idf = term_idf or _IdfCache(self._state.doc_freqs)
        vector = weighted_vector(terms, term_idf, self._config.article_terms)
        return terms, vector

    def assign(self, article: Article, at: float) -> StoryMatch:
        """Put the article in the best recent story above the threshold, or start its own."""
        term_idf = _IdfCache(self._state.doc_freqs)
        terms, vector = self.vector(article, term_idf)
        keys = list(vector)[: self._config.candidate_keys]
        best = self._best_story(vector, keys, at, term_idf)
        # Stored without IDF: it is applied at comparison time, with the counts of that time.
        stored = normalise({term: terms[term] for term in vector})
        if best is not None and best.score >= self._config.story_threshold:
            self._join(best.story_id, stored, at)
            match = StoryMatch(best.story_id, best.score, True)
        else:
            self._start(article.id, stored, at)
            match = StoryMatch(article.id, best.score if best else 0.0, False)
        self._attach(match.story_id, keys, at)
        self._count(terms)
        return match

    def _best_story(self, vector: dict[str, float], keys: list[str], at: float,
                    term_idf: _IdfCache) -> StoryMatch | None:
        stories = self._state.stories
        seen: set[str] = set()
        best: StoryMatch | None = None
        for key in keys:
            for story_id in self._state.story_keys.get(key) or ():
                if story_id in seen:
                    continue
                seen.add(story_id)
                story = stories.get(story_id)
                if story is None or abs(at - story["at"]) > self._window:
                    continue
                score = cosine(vector, _reweighted(story["v"], term_idf))
                score -= self._config.small_story_margin / story["n"]
                if best is None or score > best.score:
                    best = StoryMatch(story_id, score, True)
        return best

    def _start(self, story_id: str, vector: dict[str, float], at: float) -> None:
        top = sorted(vector.items(), key=lambda item: (-item[1], item[0]))
        self._state.stories[story_id] = {
            "v": _rounded(dict(top[: self._config.centroid_terms])), "n": 1, "at": at,
        }

    def _join(self, story_id: str, vector: dict[str, float], at: float) -> None:
        story = self._state.stories[story_id]
        centroid = dict(story["v"])
        for term, weight in vector.items():
            centroid[term] = centroid.get(term, 0.0) + weight
        top = sorted(centroid.items(), key=lambda item: (-item[1], item[0]))
        self._state.stories[story_id] = {
            "v": _rounded(dict(top[: self._config.centroid_terms])),
            "n": story["n"] + 1,
            "at": max(story["at"], at),
        }

    def _attach(self, story_id: str, keys: list[str], at: float) -> None:
        """List the story under the article's keys, newest last, dropping expired stories."""
        stories = self._state.stories
        cap = self._config.stories_per_key
        for key in keys:
            listed = [
                other for other in self._state.story_keys.get(key) or ()
                if other != story_id and other in stories
                and abs(at - stories[other]["at"]) <= self._window
            ]
            listed.append(story_id)
            self._state.story_keys[key] = listed[-cap:]

    def story_of(self, story_id: str) -> dict | None:
        """A story's stored record (centroid, size, last event time)."""
        return self._state.stories.get(story_id)

    def _count(self, terms: dict[str, float]) -> None:
        """Learn document frequencies from the stream: one count per distinct term."""
        doc_freqs = self._state.doc_freqs
        for term in terms:
            doc_freqs[term] = int(doc_freqs.get(term, 0)) + 1
        doc_freqs[_TOTAL] = int(doc_freqs.get(_TOTAL, 0)) + 1


class _IdfCache:
    """IDF from the stream's document frequencies as they stand now, each term looked up once."""

    __slots__ = ("_cache", "_doc_freqs", "_total")

    def __init__(self, doc_freqs: Mapping[str, int]) -> None:
        self._doc_freqs = doc_freqs
        self._total = int(doc_freqs.get(_TOTAL, 0))
        self._cache: dict[str, float] = {}

    def __call__(self, term: str) -> float:
        value = self._cache.get(term)
        if value is None:
            value = self._cache[term] = idf(term, self._doc_freqs, self._total)
        return value


def _reweighted(centroid: dict[str, float], term_idf: _IdfCache) -> dict[str, float]:
    """A stored centroid with today's IDF: terms the stream found common count less."""
    return normalise({term: weight * term_idf(term) for term, weight in centroid.items()})


def _rounded(vector: dict[str, float]) -> dict[str, float]:
    """Three decimals are plenty for a centroid and keep the stored JSON short."""
    return {term: round(weight, 3) for term, weight in vector.items()}
