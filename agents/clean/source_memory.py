"""Boilerplate learned per source: lines that recur across many articles of one outlet.

A line-shape classifier cannot tell "Follow our coverage of the war on our live page" from prose:
it *is* prose. What gives it away is that the same outlet prints it under many different
articles. This module remembers, per source, fingerprints of the lines its articles contained
and calls a line boilerplate once it recurs in enough distinct articles.

State per source is one JSON-serialisable dict (so a changelog-backed table partitioned by source
can hold it), bounded in size:

* ``n``: how many (counted) articles of the source were seen: the memory's clock;
* ``lines``: fingerprint → ``[articles, decayed score, first seen, last seen]``, at most
  ``max_lines`` entries; when full, the entries with the lowest decayed score (rare and stale)
  are evicted;
* ``recent``: a ring of the last ``max_recent_keys`` article-key hashes, so a replayed article
  (at-least-once delivery, restarts) never counts twice.

A line is boilerplate when it was seen in at least ``min_articles`` articles and its decayed
share of the articles since it first appeared is at least ``min_share``. The decay makes
templates that a site dropped expire, and keeps rare coincidences (a stock phrase used in a few
stories) below the share.

Updates of one story: an outlet republishing a story under new URLs would make its body lines
recur. An article whose prose is mostly known already (``near_copy_share`` of its words, counting
only long lines that are not boilerplate yet) is a near-copy of an article seen before and is
not counted at all, neither its lines nor the clock. Boilerplate is short relative to a body,
so fresh articles of a source stay far below that share, while updates sit far above it.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, MutableMapping, Sequence
from dataclasses import dataclass
from typing import Any

_TOKEN = re.compile(r"\w+", re.UNICODE)
_DIGIT = re.compile(r"\d")


@dataclass(slots=True, frozen=True)
class SourceMemoryConfig:
    """Thresholds and bounds of the per-source boilerplate memory (see the module docstring)."""

    min_articles: int = 3
    min_share: float = 0.25
    decay: float = 0.98
    max_lines: int = 1024
    max_recent_keys: int = 256
    near_copy_share: float = 0.6
    prose_words: int = 8


def fingerprint(line: str) -> str | None:
    """64-bit hash (hex) of the line's lowercased word tokens with digits folded, or None.

    Folding digits makes "© 2024 ..." and "Updated 3 hours ago" one line across articles.
    """
    tokens = _TOKEN.findall(_DIGIT.sub("0", line.casefold()))
    if not tokens:
        return None
    return hashlib.blake2b(" ".join(tokens).encode(), digest_size=8).hexdigest()


class SourceMemory:
    """Learns recurring lines per source and answers whether a line is one of them."""

    def __init__(
        self,
        store: MutableMapping[str, Any] | None = None,
        config: SourceMemoryConfig | None = None,
    ) -> None:
        self.store: MutableMapping[str, Any] = {} if store is None else store
        self.config = config or SourceMemoryConfig()

    def is_boilerplate(self, source: str, line: str) -> bool:
        """Whether the source's articles have shown this line often enough to call it furniture."""
        return self.checker(source)(line)

    def checker(self, source: str) -> Callable[[str], bool]:
        """`is_boilerplate` for one source, reading the store once (for checking many lines)."""
        state = self.store.get(source)
        if not state or not state.get("lines"):
            return _never
        lines, now = state["lines"], state["n"]

        def check(line: str) -> bool:
            key = fingerprint(line)
            return key is not None and key in lines and self._recurs(lines[key], now)

        return check

    def learn(self, source: str, article_key: str, lines: Sequence[str]) -> None:
        """Record one article's candidate lines; a key already seen (a replay) changes nothing."""
        state = self.store.get(source) or {"n": 0, "lines": {}, "recent": []}
        key_hash = hashlib.blake2b(article_key.encode(), digest_size=8).hexdigest()
        if key_hash in state["recent"]:
            return
        state["recent"] = [*state["recent"], key_hash][-self.config.max_recent_keys :]
        fingerprints = {fp: line for line in lines if (fp := fingerprint(line))}
        if not self._near_copy(state, fingerprints):
            self._count(state, fingerprints)
        self.store[source] = state  # written back: a table only records what is assigned

    def size(self, source: str) -> int:
        """How many line fingerprints are remembered for the source."""
        state = self.store.get(source)
        return len(state["lines"]) if state else 0

    def _recurs(self, entry: list[float], now: int) -> bool:
        articles, score, first, last = entry
        if articles < self.config.min_articles:
            return False
        decay = self.config.decay
        current = score * decay ** (now - last)
        # The score a line present in every article since it first appeared would have now.
        ceiling = (1 - decay ** (now - first + 1)) / (1 - decay)
        return current >= self.config.min_share * ceiling

    def _near_copy(self, state: dict[str, Any], fingerprints: dict[str, str]) -> bool:
        """Whether most of the article's prose (not yet boilerplate) is known from before."""
        lines, now = state["lines"], state["n"]
        known = total = 0
        for fp, line in fingerprints.items():
            words = len(_TOKEN.findall(line))
            if words < self.config.prose_words:
                continue
            entry = lines.get(fp)
            if entry is not None and self._recurs(entry, now):
                continue
            total += words
            known += words if entry is not None else 0
        return total > 0 and known >= self.config.near_copy_share * total

    def _count(self, state: dict[str, Any], fingerprints: dict[str, str]) -> None:
        state["n"] += 1
        now, decay, lines = state["n"], self.config.decay, state["lines"]
        for fp in fingerprints:
            entry = lines.get(fp)
            if entry is None:
                lines[fp] = [1, 1.0, now, now]
            else:
                articles, score, first, last = entry
                lines[fp] = [articles + 1, round(score * decay ** (now - last) + 1, 4), first, now]
        if len(lines) > self.config.max_lines:
            self._evict(state)

    def _evict(self, state: dict[str, Any]) -> None:
        """Drop the lowest decayed scores down to 7/8 of the bound (amortises the sorting)."""
        lines, now, decay = state["lines"], state["n"], self.config.decay
        keep = self.config.max_lines * 7 // 8
        ranked = sorted(lines, key=lambda fp: lines[fp][1] * decay ** (now - lines[fp][3]),
                        reverse=True)
        state["lines"] = {fp: lines[fp] for fp in ranked[:keep]}


def _never(_line: str) -> bool:
    return False
