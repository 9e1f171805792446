"""Intake: raw bytes from a scraper become a validated RawArticle, or a clear rejection.

Faust would crash an agent on a value it cannot decode, so agents consume bytes and call
`decode_raw` themselves; `newsflow enrich` calls it on each input line.
"""

from __future__ import annotations

from typing import Any

import fastjsonschema
import orjson

from agents.errors import Rejected
from agents.identity import normalize_timestamp, source_from_url
from schemas import validator
from schemas.models import Article, RawArticle

_validate_raw = validator("raw_article.v1")
_validate_article = validator("article.v1")

#: Fields whose schema is raw_article.v1.json's `timestamp`.
_TIMESTAMP_FIELDS = ("published_at", "fetched_at")
_TIMESTAMP_FORMS = (
    "an RFC 3339 date (2025-03-04) or date-time (2025-03-04T10:30:00Z, "
    "2025-03-04T10:30:00+01:00, or 2025-03-04T10:30:00 read as UTC)"
)

#: Which code a failed `allOf` branch of raw_article.v1.json (named by its title) maps to.
_RULE_CODES = {
    "identity": ("missing_identity", "the record needs a `url` or an `id`"),
    "body": ("missing_body", "the record needs a non-empty `html` or `text`"),
}


def decode_raw(payload: bytes | None, *, max_bytes: int) -> RawArticle:
    """Decode and validate one raw-article message; raise Rejected with the reason if it is bad."""
    return raw_article_from_dict(decode_object(payload, max_bytes=max_bytes))


def decode_article(payload: bytes | None, *, max_bytes: int) -> Article:
    """Decode and validate an article in flight (article.v1), as read from an internal topic."""
    data = decode_object(payload, max_bytes=max_bytes)
    try:
        _validate_article(data)
    except fastjsonschema.JsonSchemaValueException as error:
        raise Rejected("schema_violation", _describe(error)) from None
    return Article.from_dict(data)


def decode_object(payload: bytes | None, *, max_bytes: int) -> dict[str, Any]:
    """Bytes to a JSON object, or Rejected saying which of presence (a tombstone has no
    value), size, encoding or syntax is wrong."""
    if payload is None:
        raise Rejected(
            "tombstone", "the message has no value (a tombstone): there is no article to process"
        )
    if len(payload) > max_bytes:
        raise Rejected(
            "payload_too_large",
            f"payload is {len(payload)} bytes; the limit is {max_bytes} bytes "
            "(NEWSFLOW_MAX_PAYLOAD_BYTES)",
        )
    try:
        payload.decode("utf-8")
    except UnicodeDecodeError as error:
        raise Rejected(
            "invalid_utf8", f"not UTF-8 at byte {error.start}: {error.reason}"
        ) from None
    try:
        data = orjson.loads(payload)
    except orjson.JSONDecodeError as error:
        raise Rejected("invalid_json", f"not JSON: {error}") from None
    if not isinstance(data, dict):
        raise Rejected("not_an_object", f"expected a JSON object, got a JSON {_json_type(data)}")
    if _deeper_than(data, MAX_NESTING):
        raise Rejected("schema_violation",
                       f"the record is nested more than {MAX_NESTING} levels deep")
    return data


#: Deepest nesting of arrays and objects accepted (orjson writes at most 254 levels).
MAX_NESTING = 64


def _deeper_than(value: Any, limit: int) -> bool:
    """Whether arrays and objects in `value` nest more than `limit` levels deep."""
    level: list[Any] = [value]
    for _ in range(limit):
        level = [child for item in level
                 for child in (item.values() if isinstance(item, dict) else item)
                 if isinstance(child, dict | list)]
        if not level:
            return False
    return True


def raw_article_from_dict(data: dict[str, Any]) -> RawArticle:
    """Validate a decoded raw article against raw_article.v1.json and normalise its fields."""
    try:
        _validate_raw(data)
    except fastjsonschema.JsonSchemaValueException as error:
        title = error.definition.get("title") if isinstance(error.definition, dict) else None
        if title in _RULE_CODES:
            code, detail = _RULE_CODES[title]
            raise Rejected(code, detail) from None  # type: ignore[arg-type]
        field = error.path[1] if len(error.path) == 2 else None
        if field in _TIMESTAMP_FIELDS:
            raise Rejected(
                "schema_violation", f"{field}: {error.value!r} is not {_TIMESTAMP_FORMS}"
            ) from None
        raise Rejected("schema_violation", _describe(error)) from None
    url = data.get("url")
    return RawArticle(
        url=url,
        id=data.get("id"),
        source=data.get("source") or source_from_url(url) or "unknown",
        html=data.get("html") or None,
        text=data.get("text") or None,
        title=(data.get("title") or "").strip() or None,
        published_at=_timestamp(data, "published_at"),
        fetched_at=_timestamp(data, "fetched_at"),
        language=(data.get("language") or "").strip().lower() or None,
        authors=[name.strip() for name in data.get("authors") or () if name.strip()],
        metadata=data.get("metadata") or {},
    )


def _describe(error: fastjsonschema.JsonSchemaValueException) -> str:
    """A schema error as `field: what is wrong`."""
    field = ".".join(str(part) for part in error.path[1:]) or "record"
    return f"{field}: {error.message.removeprefix('data.').removeprefix('data ')}"


def _timestamp(data: dict[str, Any], field: str) -> str | None:
    value = data.get(field)
    if not value:
        return None
    try:
        return normalize_timestamp(value)
    except (ValueError, OverflowError):  # a day the calendar lacks, or before year 1 in UTC
        detail = f"{field}: {value!r} is not {_TIMESTAMP_FORMS}"
        raise Rejected("schema_violation", detail) from None


def _json_type(value: Any) -> str:
    return {list: "array", str: "string", bool: "boolean", int: "number", float: "number"}.get(
        type(value), "null"
    )
