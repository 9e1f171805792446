"""The dedup stage's core: exact duplicates, near duplicates and story ids, one article at a time.

Every decision reads and writes the stores of a `DedupState` by key only, so the same code
runs over plain dicts (`newsflow enrich`, tests) and over Faust Tables (the agent).
"""

from __future__ import annotations

from typing import Any

from agents.dedup import signatures as sig
from agents.dedup.clock import event_time
from agents.dedup.config import DedupConfig
from agents.dedup.state import DedupState, memory_state
from agents.dedup.stories import StoryIndex
from schemas.models import Article, DedupVerdict

_SECONDS_PER_DAY = 86_400.0
#: How far `duplicate_of` links are followed to reach an original (they are at most 2 deep).
_MAX_HOPS = 8


class Deduplicator:
    """Judges each arriving article against the ones indexed before it."""

    def __init__(self, state: DedupState | None = None, config: DedupConfig | None = None) -> None:
        self.state = state if state is not None else memory_state()
        self.config = config or DedupConfig()
        self.stories = StoryIndex(self.state, self.config)
        self._window = self.config.window_days * _SECONDS_PER_DAY

    def judge(self, article: Article) -> DedupVerdict:
        """Record the article in the index and say how it relates to earlier ones.

        Judging an id again (a replay) returns the verdict stored the first time.
        """
        stored = self.state.verdicts.get(article.id)
        if stored is not None:
            return _public(stored)
        at = event_time(article)
        record = self._exact(article) or self._near_or_unique(article, at)
        record["at"] = at
        self.state.verdicts[article.id] = record
        return _public(record)

    def _exact(self, article: Article) -> dict[str, Any] | None:
        """Same normalised text as an earlier article: a duplicate of that one."""
        earlier = self.state.hashes.get(article.content_hash)
        if earlier is None or earlier == article.id:
            self.state.hashes[article.content_hash] = article.id
            return None
        original = self.state.verdicts.get(earlier)
        story_id = original["story_id"] if original else earlier
        return _record("duplicate", earlier, 1.0, story_id)

    def _near_or_unique(self, article: Article, at: float) -> dict[str, Any]:
        full = sig.signature(article.text, self.config)
        if full is None:
            match = self.stories.assign(article, at)
            return _record("unique", None, None, match.story_id)
        keys = sig.band_keys(full, self.config)
        best_id, similarity = self._best_candidate(full, keys, at)
        self._index(article.id, full, keys)
        if best_id is not None and similarity >= self.config.near_duplicate_threshold:
            original_id = self._original(best_id)
            original = self.state.verdicts.get(original_id)
            story_id = original["story_id"] if original else original_id
            return _record("near_duplicate", original_id, round(similarity, 4), story_id)
        match = self.stories.assign(article, at)
        return _record("unique", None, None, match.story_id)

    def _best_candidate(self, full: Any, keys: list[str], at: float) -> tuple[str | None, float]:
        """The indexed article sharing a band whose signature agrees most with this one."""
        mine = sig.low_bits(full, self.config)
        bands, signatures, verdicts = self.state.bands, self.state.signatures, self.state.verdicts
        checked: set[str] = set()
        best_id: str | None = None
        best = -1.0
        for key in keys:
            members = bands.get(key)
            if not members:
                continue
            alive = []
            for other in members:
                verdict = verdicts.get(other)
                stored = signatures.get(other)
                if verdict is None or stored is None or abs(at - verdict["at"]) > self._window:
                    continue
                alive.append(other)
                if other in checked:
                    continue
                checked.add(other)
                similarity = sig.estimate_jaccard(
                    mine, sig.decode(stored, self.config), self.config.signature_bits
                )
                if similarity > best or (similarity == best and best_id and other < best_id):
                    best_id, best = other, similarity
            if len(alive) != len(members):
                bands[key] = alive
        return best_id, best

    def _index(self, article_id: str, full: Any, keys: list[str]) -> None:
        """Make the article findable by later near duplicates."""
        self.state.signatures[article_id] = sig.encode(full, self.config)
        for key in keys:
            members = self.state.bands.get(key) or []
            if article_id not in members:
                self.state.bands[key] = [*members, article_id]

    def _original(self, article_id: str) -> str:
        """Follow duplicate_of links to the unique article they lead to."""
        current = article_id
        for _ in range(_MAX_HOPS):
            verdict = self.state.verdicts.get(current)
            if verdict is None or verdict["duplicate_of"] is None:
                return current
            current = verdict["duplicate_of"]
        return current


def _record(status: str, duplicate_of: str | None, similarity: float | None,
            story_id: str) -> dict[str, Any]:
    return {
        "status": status,
        "duplicate_of": duplicate_of,
        "similarity": similarity,
        "story_id": story_id,
    }


def _public(record: dict[str, Any]) -> DedupVerdict:
    return DedupVerdict(
        status=record["status"],
        duplicate_of=record["duplicate_of"],
        similarity=record["similarity"],
        story_id=record["story_id"],
    )
