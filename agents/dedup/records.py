"""What the `articles` and `stories` stores hold per key, and their compact JSON forms."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from schemas.models import DedupVerdict

_CODES = {"unique": "u", "near_duplicate": "n", "duplicate": "d"}
_STATUSES = {code: status for status, code in _CODES.items()}


@dataclass(frozen=True, slots=True)
class ArticleRecord:
    """An indexed article: its verdict, event time and (when it has words) signature."""

    status: str
    at: float
    story_id: str
    duplicate_of: str | None = None
    similarity: float | None = None
    #: The stored (b-bit, base64) MinHash signature; None when the article is not indexed.
    signature: str | None = None

    def verdict(self) -> DedupVerdict:
        return DedupVerdict(status=self.status, duplicate_of=self.duplicate_of,
                            similarity=self.similarity, story_id=self.story_id)

    def original(self, article_id: str) -> str:
        """The article this one stands for: itself when unique, else what it duplicates."""
        return self.duplicate_of if self.duplicate_of is not None else article_id

    def to_json(self, article_id: str) -> list[Any]:
        """`[code, at, signature, story, duplicate_of, similarity]`, trailing blanks cut.

        The story is blank when it is the article's own id (every story's first article).
        """
        value: list[Any] = [
            _CODES[self.status], int(self.at), self.signature or "",
            "" if self.story_id == article_id else self.story_id,
            self.duplicate_of or "", self.similarity if self.similarity is not None else "",
        ]
        while value[-1] == "":
            value.pop()
        return value

    @classmethod
    def from_json(cls, article_id: str, value: list[Any]) -> ArticleRecord:
        padded = [*value, "", "", "", ""][:6]
        code, at, signature, story, duplicate_of, similarity = padded
        return cls(
            status=_STATUSES[code], at=float(at), story_id=story or article_id,
            duplicate_of=duplicate_of or None,
            similarity=None if similarity == "" else float(similarity),
            signature=signature or None,
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
