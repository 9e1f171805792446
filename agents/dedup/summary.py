"""Story summaries: what the story feed says about a story, kept up to date article by article.

Pure, like `stories`: `started` and `added` build the next `StorySummary` from the stored one
and what one article contributes (`ArticleFacts`), and `public` turns it into the `Story`
record consumers read. Only what the lead of each article names counts (`features.lead`),
so a roundup adds its lead's people to its story, not those of its later sections.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime

from agents.dedup.config import DedupConfig
from agents.dedup.features import Lead
from agents.dedup.records import StorySummary
from schemas.models import Article, EntityType, Story, StoryEntity

_TYPE_CODES: dict[str, EntityType] = {"P": "PERSON", "O": "ORG", "L": "LOC", "M": "MISC"}
_CODE_OF = {name: code for code, name in _TYPE_CODES.items()}
_SENTENCE_END = re.compile(r"(?<=[.!?])\s")


@dataclass(frozen=True, slots=True)
class ArticleFacts:
    """What one article adds to its story's summary."""

    headline: str
    source: str
    #: `<type code><canonical name>` of the entities its lead names, most salient first.
    entities: tuple[str, ...]
    keywords: tuple[str, ...]


def article_facts(article: Article, head: Lead, config: DedupConfig) -> ArticleFacts:
    """The article's headline (its title, else its first sentence), source, and the first
    entities and keywords of its lead."""
    keep = config.story_facts_per_article
    return ArticleFacts(
        headline=headline(head, config.headline_chars),
        source=article.source,
        entities=tuple(_CODE_OF[entity.type] + entity.name for entity in head.entities[:keep]),
        keywords=tuple(head.keywords[:keep]),
    )


def headline(head: Lead, limit: int) -> str:
    """The title, else the lead's first sentence, cut at a word to at most `limit` chars."""
    text = " ".join((head.title or "").split())
    if not text:
        first = head.text.strip().split("\n", 1)[0]
        text = " ".join(_SENTENCE_END.split(first, 1)[0].split())
    if len(text) <= limit:
        return text
    cut = text[:limit].rsplit(" ", 1)[0]
    return cut or text[:limit]


def started(article_id: str, at: float, facts: ArticleFacts) -> StorySummary:
    """The summary of a story whose first article this is."""
    return StorySummary(
        headline=facts.headline, first_seen=at, last_seen=at, count=1,
        sources=(facts.source,), article_ids=(article_id,),
        entities=tuple((name, 1) for name in facts.entities),
        keywords=tuple((name, 1) for name in facts.keywords),
    )


def added(summary: StorySummary, article_id: str, at: float, facts: ArticleFacts,
          config: DedupConfig) -> StorySummary:
    """The summary with one more article (never the same article twice: see `index`)."""
    sources = [source for source in summary.sources if source != facts.source]
    sources.append(facts.source)
    return StorySummary(
        headline=summary.headline,
        first_seen=min(summary.first_seen, at),
        last_seen=max(summary.last_seen, at),
        count=summary.count + 1,
        sources=tuple(sources[-config.story_sources :]),
        article_ids=(*summary.article_ids, article_id)[-config.story_article_ids :],
        entities=_counted(summary.entities, facts.entities, config.story_facts_kept),
        keywords=_counted(summary.keywords, facts.keywords, config.story_facts_kept),
    )


def _counted(counts: tuple[tuple[str, int], ...], new: Iterable[str],
             keep: int) -> tuple[tuple[str, int], ...]:
    """Add one to each name of `new`; the `keep` most counted, earlier first on ties.

    A name that fell out of the kept ones starts again from one: a bounded count, enough
    to say which names most of a story's articles lead with."""
    merged = dict(counts)
    for name in new:
        merged[name] = merged.get(name, 0) + 1
    ranked = sorted(merged.items(), key=lambda item: -item[1])  # stable: earlier first
    return tuple(ranked[:keep])


def public(story_id: str, summary: StorySummary, config: DedupConfig) -> Story:
    """The story record of the feed (story.v1.json)."""
    shown = config.story_facts_shown
    return Story(
        story_id=story_id,
        headline=summary.headline,
        first_seen=_iso(summary.first_seen),
        last_seen=_iso(summary.last_seen),
        article_count=summary.count,
        sources=list(summary.sources),
        entities=[StoryEntity(name=name[1:], type=_TYPE_CODES[name[0]], articles=count)
                  for name, count in summary.entities[:shown]],
        keywords=[name for name, _ in summary.keywords[:shown]],
        article_ids=list(summary.article_ids),
    )


def _iso(at: float) -> str:
    return datetime.fromtimestamp(at, UTC).isoformat().replace("+00:00", "Z")
