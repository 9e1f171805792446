"""The three stage cores behind one small API.

`newsflow enrich` and the Faust agents call these very methods, so an article gets the same
result offline and on the stream. Cores are built lazily: a worker that runs only the clean
stage never loads the NER model.
"""

from __future__ import annotations

from collections.abc import MutableMapping, Sequence
from functools import cached_property
from typing import Any

from agents.clean import CleanedDocument, Cleaner, SourceMemory
from agents.dedup import DedupConfig, Deduplicator, DedupState
from agents.dedup.fingerprint import shipped_features
from agents.dedup.records import Reading
from agents.errors import Rejected
from agents.identity import article_id, content_hash
from agents.intake import decode_raw
from agents.tag import TagConfig, Tagger
from schemas.models import Article, DedupVerdict, RawArticle, Story


class Pipeline:
    """Clean, tag and dedup cores; each method is one stage."""

    def __init__(
        self,
        *,
        max_payload_bytes: int = 2 * 1024 * 1024,
        source_memory: MutableMapping[str, Any] | None = None,
        dedup_config: DedupConfig | None = None,
        dedup_state: DedupState | None = None,
    ) -> None:
        """`source_memory` holds the boilerplate learned per source (a Faust table in the
        agents; a dict by default, so `newsflow enrich` learns over its input the same way)
        and `dedup_state` the dedup index (tables in the agents; in memory by default)."""
        self.max_payload_bytes = max_payload_bytes
        self._source_memory = {} if source_memory is None else source_memory
        self._dedup_config = dedup_config
        self._dedup_state = dedup_state

    @cached_property
    def cleaner(self) -> Cleaner:
        return Cleaner(memory=SourceMemory(self._source_memory))

    @cached_property
    def tagger(self) -> Tagger:
        return Tagger(TagConfig())

    @cached_property
    def dedup_config(self) -> DedupConfig:
        return self._dedup_config or DedupConfig()

    @cached_property
    def deduplicator(self) -> Deduplicator:
        return Deduplicator(state=self._dedup_state, config=self.dedup_config)

    def warm_up(self, stages: Sequence[str]) -> None:
        """Build the cores of `stages` now (models load here), not on the first record."""
        cores = {"clean": "cleaner", "tag": "tagger", "dedup": "deduplicator"}
        for stage in stages:
            getattr(self, cores[stage])

    def clean(self, payload: bytes, *, ingested_at: str) -> Article:
        """Intake and clean one raw message; raise Rejected for bad input or an empty body."""
        return self.clean_raw(decode_raw(payload, max_bytes=self.max_payload_bytes), ingested_at)

    def clean_raw(self, raw: RawArticle, ingested_at: str) -> Article:
        """Clean one validated raw article into the record the later stages work on."""
        return self._article(raw, self.cleaner.clean(raw), ingested_at)

    def adopt(self, raw: RawArticle, ingested_at: str) -> Article:
        """The record for a raw article whose `text` is clean already (no cleaning run)."""
        document = CleanedDocument(
            text=(raw.text or "").strip(),
            title=raw.title,
            authors=raw.authors,
            published_at=raw.published_at,
        )
        return self._article(raw, document, ingested_at)

    def _article(self, raw: RawArticle, document: CleanedDocument, ingested_at: str) -> Article:
        if not document.text.strip():
            raise Rejected(
                "empty_after_cleaning", "no article text is left after removing boilerplate"
            )
        source = raw.source or "unknown"
        return Article(
            id=article_id(url=raw.url, scraper_id=raw.id, source=source),
            url=raw.url,
            source=source,
            title=document.title,
            text=document.text,
            published_at=document.published_at,
            authors=document.authors,
            language=raw.language,
            content_hash=content_hash(document.text),
            metadata=document.with_source_tags(raw.metadata),
            ingested_at=ingested_at,
        )

    def tag(self, articles: Sequence[Article]) -> list[Rejected | None]:
        """Tag a batch in place, with the text features the dedup judge will need (see
        `agents.dedup.fingerprint`). If the batch fails, tag one by one so only the bad
        article is rejected; the result says, per article, why it was rejected (or None)."""
        try:
            self._tag(articles)
            return [None] * len(articles)
        except Exception:
            outcomes: list[Rejected | None] = []
            for article in articles:
                try:
                    self._tag([article])
                    outcomes.append(None)
                except Exception as error:
                    outcomes.append(Rejected("processing_error", f"tagging failed: {error!r}"))
            return outcomes

    def _tag(self, articles: Sequence[Article]) -> None:
        self.tagger.tag(articles)
        for article in articles:
            article.dedup_features = shipped_features(article, self.dedup_config)

    def dedup(self, article: Article, reading: Reading | None = None) -> DedupVerdict:
        """Judge one article against those seen before it, and remember it (`reading`:
        where the stream read it)."""
        article.dedup = self.deduplicator.judge(article, reading)
        return article.dedup

    def redelivered(self) -> bool:
        """Whether the last `dedup` met a copy whose verdict is published already."""
        return self.deduplicator.redelivered()

    def story_update(self) -> Story | None:
        """The record of the story the last `dedup` created or joined (None after a replay)."""
        return self.deduplicator.story_update()
