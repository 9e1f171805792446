"""Dead-letter records: the reason a message was rejected, with its bytes kept exactly."""

from __future__ import annotations

import base64

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


def dead_letter(
    rejection: Rejected,
    *,
    stage: Stage,
    payload: bytes,
    key: bytes | None = None,
    topic: str | None = None,
    partition: int | None = None,
    offset: int | None = None,
) -> DeadLetter:
    """The dead-letter record for one rejected message."""
    (text, key_text), encoding = encode_bytes(payload, key)
    return DeadLetter(
        error_code=rejection.code,
        error_detail=rejection.detail,
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
    """The rejected message's bytes, exactly as they arrived."""
    if record.payload_encoding == "base64":
        return base64.b64decode(record.payload)
    return record.payload.encode("utf-8")


def _is_utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True
