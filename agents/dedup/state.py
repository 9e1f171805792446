"""The stores the dedup stage keeps between articles.

Each store is a `MutableMapping[str, Any]` with JSON-serialisable values, so the Faust agent
can back each with a changelog-backed Table and `newsflow enrich` with plain dicts. The
stage only ever uses get / __setitem__ / __contains__ / __delitem__ on them: no scans.
"""

from __future__ import annotations

from collections.abc import MutableMapping
from dataclasses import dataclass, field
from typing import Any

Store = MutableMapping[str, Any]


@dataclass(slots=True)
class DedupState:
    """Every store of the stage; the field name is the store's (Table's) name.

    - hashes: content_hash -> id of the first article with that normalised text.
    - bands: "<band>:<bucket hash>" -> ids of indexed articles whose signature falls there.
    - signatures: article id -> base64 of its b-bit MinHash signature.
    - verdicts: article id -> {"status", "duplicate_of", "similarity", "story_id", "at"}.
    - stories: story id -> {"v": {term: weight}, "n": members, "at": last event time}.
    - story_keys: term -> [[story id, event time], ...], newest last.
    - doc_freqs: term -> number of articles containing it; "" -> number of articles.
    """

    hashes: Store = field(default_factory=dict)
    bands: Store = field(default_factory=dict)
    signatures: Store = field(default_factory=dict)
    verdicts: Store = field(default_factory=dict)
    stories: Store = field(default_factory=dict)
    story_keys: Store = field(default_factory=dict)
    doc_freqs: Store = field(default_factory=dict)

    @staticmethod
    def store_names() -> tuple[str, ...]:
        """The names of the stores, for creating one Table each."""
        return ("hashes", "bands", "signatures", "verdicts", "stories", "story_keys", "doc_freqs")


def memory_state() -> DedupState:
    """Plain dicts: for tests, evaluation and `newsflow enrich`."""
    return DedupState()
