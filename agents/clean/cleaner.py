"""The clean stage's entry point: RawArticle → CleanedDocument (body text and metadata)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, overload

import structlog

from schemas.models import RawArticle

from .bios import drop_author_bios
from .config import CleanConfig
from .dates import to_iso
from .html_mode import HtmlExtraction, extract_from_html
from .normalize import join_paragraphs, normalize_line
from .source_memory import SourceMemory
from .text_mode import TextExtraction, extract_from_text

log = structlog.get_logger("newsflow.clean")


@dataclass(slots=True)
class CleanedDocument:
    """Clean body (paragraphs separated by a blank line, "" if nothing is left) and metadata."""

    text: str
    title: str | None
    authors: list[str] = field(default_factory=list)
    published_at: str | None = None
    #: The outlet's own tags for the article, in order, each once; they go to the article's
    #: `metadata["source_tags"]` (see `with_source_tags`).
    source_tags: list[str] = field(default_factory=list)
    #: Every line left out of the body, as (reason, line): nothing is dropped without one.
    removed: list[tuple[str, str]] = field(default_factory=list)
    #: Why the line rules were overruled on this article (None when they were trusted).
    overruled: str | None = None

    @overload
    def with_source_tags(self, metadata: dict[str, Any]) -> dict[str, Any]: ...
    @overload
    def with_source_tags(self, metadata: None) -> dict[str, Any] | None: ...
    def with_source_tags(self, metadata: dict[str, Any] | None) -> dict[str, Any] | None:
        """The article's metadata with the tags found in it under `source_tags` (a scraper's
        own `source_tags` win); the metadata unchanged when none were found."""
        if not self.source_tags or (metadata and "source_tags" in metadata):
            return metadata
        return {**(metadata or {}), "source_tags": list(self.source_tags)}


class Cleaner:
    """Turns raw scraper output (HTML preferred, else text) into clean text plus metadata.

    Metadata the scraper supplied wins over what is found on the page. With a `SourceMemory`,
    lines that recur across the source's articles are dropped too, and each article is learned
    from (keyed by URL, else id, so a replay does not count twice); without one, nothing is
    learned and every article is cleaned on its own.
    """

    def __init__(
        self, config: CleanConfig | None = None, memory: SourceMemory | None = None
    ) -> None:
        self.config = config or CleanConfig()
        self.memory = memory

    def clean(self, raw: RawArticle) -> CleanedDocument:
        source = raw.source if self.memory is not None else None
        known = self.memory.checker(source) if self.memory is not None and source else None
        found: HtmlExtraction | TextExtraction
        if raw.html and raw.html.strip():
            found = extract_from_html(raw.html, self.config, raw.url, known)
        elif raw.text and raw.text.strip():
            found = extract_from_text(raw.text, self.config.keep_threshold, known)
        else:
            return self._with_given(raw, CleanedDocument("", None, [], None))
        article_key = raw.url or raw.id
        if self.memory is not None and source and article_key:
            # Learned after filtering, from the lines before any filter: what this article
            # shows cannot hide itself, and earlier decisions do not feed back into learning.
            self.memory.learn(source, article_key, found.candidates)
        given_authors = [a for a in raw.authors if a and a.strip()]
        paragraphs = drop_author_bios(found.paragraphs, given_authors or found.authors)
        kept = set(paragraphs)
        bios = [("bio", text) for text in found.paragraphs if text not in kept]
        document = CleanedDocument(
            text=join_paragraphs(paragraphs),
            title=normalize_line(found.title) if found.title else None,
            authors=[normalize_line(name) for name in found.authors],
            published_at=to_iso(found.published_at),
            source_tags=found.source_tags,
            removed=[*found.removed, *bios],
            overruled=found.overruled,
        )
        if found.overruled:
            log.warning("cleaning_rules_overruled", url=raw.url, id=raw.id, reason=found.overruled)
        return self._with_given(raw, document)

    @staticmethod
    def _with_given(raw: RawArticle, found: CleanedDocument) -> CleanedDocument:
        title = normalize_line(raw.title) if raw.title and raw.title.strip() else None
        authors = [normalize_line(a) for a in raw.authors if a and a.strip()]
        published = to_iso(raw.published_at) if raw.published_at else None
        return CleanedDocument(
            text=found.text,
            title=title or found.title,
            authors=authors or found.authors,
            published_at=published or found.published_at,
            source_tags=found.source_tags,
            removed=found.removed,
            overruled=found.overruled,
        )
