"""Dead-letter records: the reason a message was rejected, with its bytes kept exactly."""

from __future__ import annotations

import base64
import hashlib

import orjson

from agents.errors import Rejected
from agents.identity import utc_now
from schemas.models import DeadLetter, Stage


def encode_bytes(*parts: bytes | None) -> tuple[list[str | None], str]:
    """Bytes as text with one encoding for all parts: UTF-8 when every part is, else base64."""
    present = [part for part in parts if part is not None]
    if all(_is_utf8(part) for part in present):
        return [None if part is None else part.decode("utf-8") for part in parts], "utf-8"
    return [
        None if part is None else base64.b64encode(part).decode("ascii") for part in parts
    ], "base64"


#: Largest dead-letter record, serialised: under the 1 MB message limit of a Kafka broker
#: with default settings, whatever the producer would allow.
MAX_DEAD_LETTER_BYTES = 900_000
#: Longest key and error detail kept in a dead-letter record.
_MAX_KEY_BYTES = 4096
_MAX_DETAIL_CHARS = 2000


def dead_letter(
    rejection: Rejected,
    *,
    stage: Stage,
    payload: bytes,
    key: bytes | None = None,
    topic: str | None = None,
    partition: int | None = None,
    offset: int | None = None,
    max_bytes: int = MAX_DEAD_LETTER_BYTES,
) -> DeadLetter:
    """The dead-letter record for one rejected message, never larger than `max_bytes` once
    serialised: a payload that would not fit is cut (`payload_truncated`), and its full size
    and SHA-256 are kept so the original can still be identified."""
    key = None if key is None else key[:_MAX_KEY_BYTES]
    record = _record(rejection, stage, payload, key, topic, partition, offset)
    kept = len(payload)
    while len(orjson.dumps(record)) > max_bytes and kept > 0:
        # JSON escaping can grow a byte to six characters: shrink until it fits.
        kept = min(kept // 2, max_bytes // 2)
        record = _record(rejection, stage, payload[:kept], key, topic, partition, offset)
        record.payload_truncated = True
        record.payload_size = len(payload)
        record.payload_sha256 = hashlib.sha256(payload).hexdigest()
    return record


def _record(rejection: Rejected, stage: Stage, payload: bytes, key: bytes | None,
            topic: str | None, partition: int | None, offset: int | None) -> DeadLetter:
    (text, key_text), encoding = encode_bytes(payload, key)
    return DeadLetter(
        error_code=rejection.code,
        error_detail=rejection.detail[:_MAX_DETAIL_CHARS],
        stage=stage,
        payload=text or "",
        payload_encoding=encoding,  # type: ignore[arg-type]
        key=key_text,
        topic=topic,
        partition=partition,
        offset=offset,
        failed_at=utc_now(),
    )


def original_payload(record: DeadLetter) -> bytes:
    """The rejected message's bytes, exactly as they arrived (their first part, when
    `payload_truncated`)."""
    if record.payload_encoding == "base64":
        return base64.b64decode(record.payload)
    return record.payload.encode("utf-8")


def _is_utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True
