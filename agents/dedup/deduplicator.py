"""The dedup stage's core: exact duplicates, near duplicates and story ids, one article at a time.

`judge` composes `fingerprint` (stateless), `index.lookup*` (reads by key), `decide` (pure)
and `index.insert*` (writes by key). The same code runs over plain dicts (`newsflow enrich`,
tests) and over Faust Tables (the judge agent).
"""

from __future__ import annotations

from collections.abc import Callable

from agents.dedup import summary
from agents.dedup.clock import event_time
from agents.dedup.config import DedupConfig
from agents.dedup.decide import decide
from agents.dedup.expiry import expire
from agents.dedup.fingerprint import Fingerprint, TermIdf, fingerprint
from agents.dedup.index import StreamIdf, insert, load_article, lookup, lookup_named_forms
from agents.dedup.keywords import named, reranked
from agents.dedup.records import Reading, StorySummary
from agents.dedup.state import DedupState, memory_state
from schemas.models import Article, DedupVerdict, Story

Fingerprinter = Callable[[Article, DedupConfig, TermIdf], Fingerprint]


class Deduplicator:
    """Judges each arriving article against the ones indexed before it."""

    def __init__(self, state: DedupState | None = None, config: DedupConfig | None = None,
                 fingerprinter: Fingerprinter = fingerprint) -> None:
        """`fingerprinter` is `fingerprint` or one that reuses earlier results."""
        self.state = state if state is not None else memory_state()
        self.config = config or DedupConfig()
        self.fingerprinter = fingerprinter
        #: The story the last `judge` created or changed (None after a replay).
        self._changed: str | None = None
        #: Whether the last `judge` met a redelivered copy (`ArticleRecord.redelivery`).
        self._redelivered = False

    def judge(self, article: Article, reading: Reading | None = None) -> DedupVerdict:
        """Record the article in the index and say how it relates to earlier ones.

        Judging an id again (a replay) returns the verdict stored the first time, as long
        as the article is within the window (its record has not been swept). `reading`
        is where the stream read the article (None offline): see `redelivered`.
        """
        self._changed = None
        self._redelivered = False
        at = event_time(article)
        idf = StreamIdf(self.state.doc_freqs, at, self.config)
        self._finish_keywords(article, at, idf)
        stored = load_article(self.state.articles, article.id)
        if stored is not None:
            self._redelivered = stored.redelivery(reading)
            return stored.verdict()
        fp = self.fingerprinter(article, self.config, idf)
        decision = decide(fp, lookup(self.state, fp, self.config), self.config)
        insert(self.state, fp, decision, self.config, reading)
        self._changed = decision.verdict.story_id
        return decision.verdict

    def _finish_keywords(self, article: Article, at: float, idf: StreamIdf) -> None:
        """Add to the tag stage's keywords what the stream taught (`dedup.keywords`): named
        things in the capitals other articles gave them, then the order by the stream's IDF.
        """
        forms = lookup_named_forms(self.state.named_forms, article.keywords, at, self.config)
        article.keywords = reranked(named(article.keywords, forms), idf)

    def story_update(self) -> Story | None:
        """The record of the story the last judged article created or joined, to publish
        on the story feed; None when that article was a replay (no story changed)."""
        return None if self._changed is None else self.story(self._changed)

    def redelivered(self) -> bool:
        """Whether the last judged article was a redelivery (`ArticleRecord.redelivery`):
        its verdict needs no second publication."""
        return self._redelivered

    def story(self, story_id: str) -> Story | None:
        """A story's record as the stores hold it now (None once swept, or never seen)."""
        stored = self.state.summaries.get(story_id)
        if stored is None:
            return None
        return summary.public(story_id, StorySummary.from_json(story_id, stored), self.config)

    def fingerprint(self, article: Article) -> Fingerprint:
        """The article's fingerprint, its terms weighted with the IDF learned so far."""
        idf = StreamIdf(self.state.doc_freqs, event_time(article), self.config)
        return self.fingerprinter(article, self.config, idf)

    def expire(self, now: float) -> dict[str, int]:
        """Sweep entries older than the window (by event time) from every store."""
        return expire(self.state, now, self.config)
