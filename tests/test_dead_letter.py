"""Dead-letter records keep the original bytes exactly and validate against their schema."""

from __future__ import annotations

import orjson
import pytest

import schemas
from agents.dead_letter import dead_letter, original_payload
from agents.errors import Rejected
from schemas.models import DeadLetter


@pytest.mark.parametrize(
    ("payload", "key", "encoding"),
    [
        (b'{"text": "caf\xc3\xa9"}', b"k1", "utf-8"),
        (b"caf\xe9 \x00\xff", None, "base64"),
        (b"plain text", b"\xff\xfe", "base64"),
    ],
)
def test_payload_round_trips_byte_for_byte(payload, key, encoding):
    record = dead_letter(Rejected("invalid_json", "not JSON"), stage="clean", payload=payload,
                         key=key, topic="articles.raw", partition=3, offset=17)
    assert record.payload_encoding == encoding
    document = orjson.loads(orjson.dumps(record))
    schemas.validator("dead_letter.v1")(document)
    assert original_payload(DeadLetter(**document)) == payload
    assert (document["topic"], document["partition"], document["offset"]) == (
        "articles.raw", 3, 17)
