"""The stores the dedup stage keeps between articles.

Each store is a `MutableMapping[str, Any]` with JSON-serialisable values, so the Faust agent
can back each with a changelog-backed Table and `newsflow enrich` with plain dicts. Judging
uses only get / __setitem__ / __contains__ on them; only `expiry` iterates (one store at a
time, so a timer can sweep the local partitions of a Table).
"""

from __future__ import annotations

from collections.abc import MutableMapping
from dataclasses import dataclass, field
from typing import Any

Store = MutableMapping[str, Any]


@dataclass(slots=True)
class DedupState:
    """Every store of the stage; the field name is the store's (Table's) name.

    Keys ending in `:<period>` (hex) belong to one window-long period of event time.

    - articles: article id -> `records.ArticleRecord` (verdict, time, b-bit signature).
    - hashes: "<64-bit content hash>:<period>" -> id of the first article with that text.
    - bands: "<band><bucket>:<period>" -> ids of articles whose signature falls there.
    - stories: story id -> `records.StoryRecord` (packed mean vector, size, latest time).
    - story_keys: "<term id>:<period>" -> story ids listed under the term, newest last.
    - doc_freqs: "<term id>:<period>" -> unique articles with the term; "*:<period>" -> all.
    - summaries: story id -> `records.StorySummary` (headline, times, counts, sources,
      latest article ids, leading entities and keywords): what the story feed publishes.
    - named_forms: "<term id of a lower-cased named thing>:<period>" -> the capitalised form
      an article gave it ("Victory Plan"), for later articles that write it in lower case.
    """

    articles: Store = field(default_factory=dict)
    hashes: Store = field(default_factory=dict)
    bands: Store = field(default_factory=dict)
    stories: Store = field(default_factory=dict)
    story_keys: Store = field(default_factory=dict)
    doc_freqs: Store = field(default_factory=dict)
    summaries: Store = field(default_factory=dict)
    named_forms: Store = field(default_factory=dict)

    @staticmethod
    def cached_store_names() -> tuple[str, ...]:
        """The stores whose reads a worker remembers (`service.tables.BufferedTable`): the
        document frequencies, read about 300 times per article (150 terms, two periods),
        with small integer values. The others are read a few times per article, and their
        values (records, summaries) would cost far more memory per key."""
        return ("doc_freqs",)

    @staticmethod
    def store_names() -> tuple[str, ...]:
        """The names of the stores, for creating one Table each."""
        return ("articles", "hashes", "bands", "stories", "story_keys", "doc_freqs",
                "summaries", "named_forms")


def memory_state() -> DedupState:
    """Plain dicts: for tests, evaluation and `newsflow enrich`."""
    return DedupState()
