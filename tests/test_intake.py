"""Intake turns bytes into a RawArticle or a rejection with a precise reason."""

from __future__ import annotations

import orjson
import pytest

from agents.errors import Rejected
from agents.identity import article_id, canonical_url, content_hash, normalize_timestamp
from agents.intake import decode_article, decode_raw


def _raw(**fields) -> bytes:
    return orjson.dumps(fields)


@pytest.mark.parametrize(
    ("payload", "code"),
    [
        (b"not json {", "invalid_json"),
        (b'{"url": "https://a.test/x", "text": "caf\xe9"}', "invalid_utf8"),
        (b"[1, 2]", "not_an_object"),
        (b'"a string"', "not_an_object"),
        (_raw(text="Body without identity."), "missing_identity"),
        (_raw(url="https://a.test/x", title="No body"), "missing_body"),
        (_raw(url="https://a.test/x", text="   "), "missing_body"),
        (_raw(url="https://a.test/x", text="Body.", authors="Jane Roe"), "schema_violation"),
        (_raw(url=42, text="Body."), "schema_violation"),
        (_raw(url="https://a.test/x", text="Body.", published_at="last Tuesday"),
         "schema_violation"),
        (_raw(url="https://a.test/x", text="x" * 200), "payload_too_large"),
    ],
)
def test_bad_input_is_rejected_with_its_reason(payload, code):
    with pytest.raises(Rejected) as caught:
        decode_raw(payload, max_bytes=150)
    assert caught.value.code == code
    assert caught.value.detail


def test_wrong_type_names_the_field():
    with pytest.raises(Rejected) as caught:
        decode_raw(_raw(url="https://a.test/x", text="Body.", authors="Jane"), max_bytes=10_000)
    assert caught.value.detail.startswith("authors:")


def test_valid_record_is_normalised():
    raw = decode_raw(
        _raw(url="https://www.Harbour.test/a?utm_source=x", text="Body.", title="  Title ",
             published_at="2025-03-04T11:30:00+01:00", authors=[" Ann Lee ", ""],
             language="EN", metadata={"k": [1]}),
        max_bytes=10_000,
    )
    assert raw.source == "harbour.test"
    assert raw.title == "Title"
    assert raw.published_at == "2025-03-04T10:30:00Z"
    assert raw.authors == ["Ann Lee"]
    assert raw.language == "en"
    assert raw.metadata == {"k": [1]}


def test_identity_is_stable_across_url_variants():
    first = article_id(url="https://www.news.test/a/b/?utm_medium=rss#top", scraper_id=None,
                       source="news.test")
    second = article_id(url="http://news.test/a/b", scraper_id=None, source="news.test")
    assert first == second
    assert canonical_url("https://news.test/a?b=2&a=1") == "https://news.test/a?a=1&b=2"
    assert article_id(url=None, scraper_id="42", source="x") != article_id(
        url=None, scraper_id="42", source="y")


def test_content_hash_ignores_case_spacing_and_punctuation():
    assert content_hash("Ships wait, off the coast.") == content_hash("ships  wait off THE coast")
    assert content_hash("Ships wait.") != content_hash("Ships left.")


def test_timestamps():
    assert normalize_timestamp("2025-03-04") == "2025-03-04"
    assert normalize_timestamp("2025-03-04T09:04:00") == "2025-03-04T09:04:00Z"
    with pytest.raises(ValueError):
        normalize_timestamp("March 4")


def test_internal_records_are_validated_too():
    with pytest.raises(Rejected) as caught:
        decode_article(_raw(id="a", source="s", text="t"), max_bytes=10_000)
    assert caught.value.code == "schema_violation"


def test_a_tombstone_is_dead_lettered_as_such():
    for decode in (decode_raw, decode_article):
        with pytest.raises(Rejected) as caught:
            decode(None, max_bytes=1000)
        assert caught.value.code == "tombstone"


@pytest.mark.parametrize("moment", [
    "0001-01-01T00:00:00+05:00",  # before year 1 once in UTC (was an OverflowError)
    "yesterday", "2025-02-30", "2025-03-04 10:30:00", "2025-13-01T00:00:00", "20250304",
])
def test_dates_the_service_cannot_read_are_schema_violations(moment):
    for field in ("published_at", "fetched_at"):
        with pytest.raises(Rejected) as caught:
            decode_raw(_raw(url="https://a.test/x", text="Body.", **{field: moment}),
                       max_bytes=10_000)
        assert caught.value.code == "schema_violation"
        assert caught.value.detail.startswith(f"{field}: {moment!r} is not an RFC 3339 date")
