"""What the `articles` and `stories` stores hold per key, and their compact JSON forms."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from schemas.models import DedupStatus, DedupVerdict

_CODES: dict[DedupStatus, str] = {"unique": "u", "near_duplicate": "n", "duplicate": "d"}
_STATUSES = {code: status for status, code in _CODES.items()}


@dataclass(frozen=True, slots=True)
class Reading:
    """Where the stream read an article: its offset on articles.tagged (one partition) and
    the raw record it came from ("partition:offset" on articles.raw)."""

    offset: int
    origin: str

    def to_json(self) -> tuple[int, str]:
        return self.offset, self.origin


@dataclass(frozen=True, slots=True)
class ArticleRecord:
    """An indexed article: its verdict, event time and (when it has words) signature."""

    status: DedupStatus
    at: float
    story_id: str
    duplicate_of: str | None = None
    similarity: float | None = None
    #: The stored (b-bit, base64) MinHash signature; None when the article is not indexed.
    signature: str | None = None
    #: Where the stream read the article (None offline): tells a copy that an upstream
    #: replay put on articles.tagged again from a replay of its own offset (`redelivery`).
    reading: Reading | None = None

    def verdict(self) -> DedupVerdict:
        return DedupVerdict(status=self.status, duplicate_of=self.duplicate_of,
                            similarity=self.similarity, story_id=self.story_id)

    def redelivery(self, reading: Reading | None) -> bool:
        """Whether an article read at `reading` is this one again, put on articles.tagged
        a second time by an upstream stage that replayed it after a crash: the same raw
        record, at another offset. Its verdict is out already, or will be when this
        record's own offset is read again (offsets are committed only after the verdicts
        are published). A raw record sent again by a scraper is not a redelivery."""
        return (reading is not None and self.reading is not None
                and reading.origin == self.reading.origin
                and reading.offset != self.reading.offset)

    def original(self, article_id: str) -> str:
        """The article this one stands for: itself when unique, else what it duplicates."""
        return self.duplicate_of if self.duplicate_of is not None else article_id

    def to_json(self, article_id: str) -> list[Any]:
        """`[code, at, signature, story, duplicate_of, similarity, offset, origin]`, trailing
        blanks cut.

        The story is blank when it is the article's own id (every story's first article).
        """
        value: list[Any] = [
            _CODES[self.status], int(self.at), self.signature or "",
            "" if self.story_id == article_id else self.story_id,
            self.duplicate_of or "", self.similarity if self.similarity is not None else "",
            *(self.reading.to_json() if self.reading is not None else ("", "")),
        ]
        while value[-1] == "":
            value.pop()
        return value

    @classmethod
    def from_json(cls, article_id: str, value: list[Any]) -> ArticleRecord:
        padded = [*value, "", "", "", "", "", ""][:8]
        code, at, signature, story, duplicate_of, similarity, offset, origin = padded
        return cls(
            status=_STATUSES[code], at=float(at), story_id=story or article_id,
            duplicate_of=duplicate_of or None,
            similarity=None if similarity == "" else float(similarity),
            signature=signature or None,
            reading=None if offset == "" else Reading(int(offset), origin),
        )


@dataclass(frozen=True, slots=True)
class StoryRecord:
    """A story: the mean of its members' term vectors (packed), its size and latest time."""

    centroid: str
    size: int
    at: float

    def to_json(self) -> list[Any]:
        return [self.centroid, self.size, int(self.at)]

    @classmethod
    def from_json(cls, value: list[Any]) -> StoryRecord:
        centroid, size, at = value
        return cls(centroid=centroid, size=int(size), at=float(at))


@dataclass(frozen=True, slots=True)
class StorySummary:
    """What a story's consumers are told about it (`summaries` store): its headline, first
    and last event time, article count, latest sources and article ids (newest last), and
    the entities (`<type code><name>`) and keywords its articles lead with, each with the
    number of articles leading with it, most first."""

    headline: str
    first_seen: float
    last_seen: float
    count: int
    sources: tuple[str, ...]
    article_ids: tuple[str, ...]
    entities: tuple[tuple[str, int], ...] = ()
    keywords: tuple[tuple[str, int], ...] = ()

    def to_json(self, story_id: str) -> list[Any]:
        """`[headline, last, last - first, count, sources, ids, entities, keywords]`.

        Most stories keep one article, so the common case is cut short: the story's own
        id (its key) is written "", a name counted once is written without its count,
        and trailing empty lists are cut.
        """
        value: list[Any] = [
            self.headline, int(self.last_seen), int(self.last_seen) - int(self.first_seen),
            self.count, list(self.sources),
            ["" if article_id == story_id else article_id for article_id in self.article_ids],
            _counted_json(self.entities), _counted_json(self.keywords),
        ]
        while value[-1] == []:
            value.pop()
        return value

    @classmethod
    def from_json(cls, story_id: str, value: list[Any]) -> StorySummary:
        headline, last, age, count, sources, ids, entities, keywords = [*value, [], []][:8]
        return cls(headline=headline, first_seen=float(last) - float(age),
                   last_seen=float(last), count=int(count), sources=tuple(sources),
                   article_ids=tuple(article_id or story_id for article_id in ids),
                   entities=_counted_from_json(entities),
                   keywords=_counted_from_json(keywords))


def _counted_json(counts: tuple[tuple[str, int], ...]) -> list[Any]:
    return [name if count == 1 else [name, count] for name, count in counts]


def _counted_from_json(value: list[Any]) -> tuple[tuple[str, int], ...]:
    return tuple((item, 1) if isinstance(item, str) else (item[0], int(item[1]))
                 for item in value)
