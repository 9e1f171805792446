"""Python models of Newsflow's records.

The JSON Schema files beside this module are the contract; these dataclasses are how the code
holds the same records. `tests/test_schemas.py` proves the two agree field for field.
orjson serialises the dataclasses directly, so no `to_dict` is needed on the hot path.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

EntityType = Literal["PERSON", "ORG", "LOC", "MISC"]
DedupStatus = Literal["unique", "duplicate", "near_duplicate"]
Stage = Literal["intake", "clean", "tag", "dedup"]
ErrorCode = Literal[
    "tombstone",
    "payload_too_large",
    "invalid_utf8",
    "invalid_json",
    "not_an_object",
    "missing_identity",
    "missing_body",
    "schema_violation",
    "empty_after_cleaning",
    "processing_error",
]


@dataclass(slots=True, kw_only=True)
class RawArticle:
    """What a scraper publishes (raw_article.v1.json), after validation."""

    url: str | None = None
    id: str | None = None
    source: str | None = None
    html: str | None = None
    text: str | None = None
    title: str | None = None
    published_at: str | None = None
    fetched_at: str | None = None
    language: str | None = None
    authors: list[str] = field(default_factory=list)
    metadata: dict[str, Any] = field(default_factory=dict)


@dataclass(slots=True, kw_only=True)
class Entity:
    """A named entity, canonicalised within one article."""

    name: str
    type: EntityType
    mentions: int
    surface_forms: list[str]


@dataclass(slots=True, kw_only=True)
class DedupVerdict:
    """How an article relates to the articles seen before it."""

    status: DedupStatus
    duplicate_of: str | None
    similarity: float | None
    story_id: str


@dataclass(slots=True, kw_only=True)
class Article:
    """An article on its way through the stages (article.v1.json).

    The clean stage creates it; tag fills `language`, `entities`, `keywords`, `topics` and
    `topic_scores`;
    dedup fills `dedup`. `to_enriched` gives the public record (enriched_article.v1.json).
    """

    schema_version: int = 1
    id: str
    url: str | None = None
    source: str
    title: str | None = None
    text: str
    published_at: str | None = None
    authors: list[str] = field(default_factory=list)
    language: str | None = None
    content_hash: str
    metadata: dict[str, Any] = field(default_factory=dict)
    entities: list[Entity] = field(default_factory=list)
    keywords: list[str] = field(default_factory=list)
    topics: list[str] = field(default_factory=list)
    topic_scores: dict[str, float] = field(default_factory=dict)
    dedup: DedupVerdict | None = None
    ingested_at: str
    #: What the tag stage computed for the judge (`agents.dedup.fingerprint`); internal,
    #: never in the public record.
    dedup_features: dict[str, Any] | None = None

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Article:
        """Build from a dict already validated against article.v1.json."""
        values = dict(data)
        values["entities"] = [Entity(**entity) for entity in values.get("entities") or ()]
        dedup = values.get("dedup")
        values["dedup"] = DedupVerdict(**dedup) if dedup else None
        return cls(**values)

    def to_enriched(self) -> dict[str, Any]:
        """The public record: every contract field, nothing internal."""
        if self.dedup is None:
            raise ValueError(f"article {self.id} has no dedup verdict yet")
        return {
            "schema_version": self.schema_version,
            "id": self.id,
            "url": self.url,
            "source": self.source,
            "title": self.title,
            "text": self.text,
            "published_at": self.published_at,
            "authors": self.authors,
            "language": self.language,
            "content_hash": self.content_hash,
            "metadata": self.metadata,
            "entities": self.entities,
            "keywords": self.keywords,
            "topics": self.topics,
            "topic_scores": self.topic_scores,
            "dedup": self.dedup,
        }


@dataclass(slots=True, kw_only=True)
class StoryEntity:
    """An entity of a story and how many of its articles lead with it."""

    name: str
    type: EntityType
    articles: int


@dataclass(slots=True, kw_only=True)
class Story:
    """A story as the story feed publishes it (story.v1.json), on each change."""

    schema_version: int = 1
    story_id: str
    headline: str
    first_seen: str
    last_seen: str
    article_count: int
    sources: list[str]
    entities: list[StoryEntity]
    keywords: list[str]
    article_ids: list[str]

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Story:
        """Build from a dict already validated against story.v1.json."""
        values = dict(data)
        values["entities"] = [StoryEntity(**entity) for entity in values.get("entities") or ()]
        return cls(**values)


@dataclass(slots=True, kw_only=True)
class DeadLetter:
    """A rejected message (dead_letter.v1.json)."""

    schema_version: int = 1
    error_code: ErrorCode
    error_detail: str
    stage: Stage
    payload: str
    payload_encoding: Literal["utf-8", "base64"]
    key: str | None
    topic: str | None
    partition: int | None
    offset: int | None
    failed_at: str
    #: Set when the payload was cut to keep the record under the broker's size limit.
    payload_truncated: bool = False
    payload_size: int | None = None
    payload_sha256: str | None = None
