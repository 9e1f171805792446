"""Raw records for the delivery tests: good articles (from `story_stream`) and malformed
records of every kind we know, each with the error code it must be dead-lettered with."""

from __future__ import annotations

import orjson

from tests.story_stream import story_stream

#: A malformed value and the code it must get. `None` is a tombstone.
MALFORMED: list[tuple[str, bytes | None, str]] = [
    ("empty", b"", "invalid_json"),
    ("truncated", b'{"url": "https://bad.test/1", "text": "Half', "invalid_json"),
    ("trailing garbage", b'{"url": "https://bad.test/2", "text": "a"} and more', "invalid_json"),
    ("NaN", b'{"url": "https://bad.test/3", "text": NaN}', "invalid_json"),
    ("lone surrogate", b'{"url": "https://bad.test/4", "text": "\\ud800"}', "invalid_json"),
    ("not UTF-8", b'\xff\xfe{"url": "https://bad.test/5"}', "invalid_utf8"),
    ("Latin-1 text", '{"url": "https://bad.test/6", "text": "café"}'.encode("latin-1"),
     "invalid_utf8"),
    ("string", b'"an article"', "not_an_object"),
    ("array", b'[{"url": "https://bad.test/7", "text": "x"}]', "not_an_object"),
    ("number", b"42", "not_an_object"),
    ("null", b"null", "not_an_object"),
    ("no url nor id", b'{"text": "A body without a url."}', "missing_identity"),
    ("no body", b'{"url": "https://bad.test/8"}', "missing_body"),
    ("blank body", b'{"url": "https://bad.test/9", "text": "  \\n "}', "missing_body"),
    ("url a number", b'{"url": 5, "text": "Body."}', "schema_violation"),
    ("authors a string", b'{"url": "https://bad.test/10", "text": "Body.", "authors": "Ann"}',
     "schema_violation"),
    ("date not a date", b'{"url": "https://bad.test/11", "text": "Body.", '
     b'"published_at": "yesterday"}', "schema_violation"),
    ("date before year 1", b'{"url": "https://bad.test/12", "text": "Body.", '
     b'"published_at": "0001-01-01T00:00:00+05:00"}', "schema_violation"),
    ("title an object", b'{"url": "https://bad.test/13", "text": "Body.", "title": {"a": 1}}',
     "schema_violation"),
    ("metadata an array", b'{"url": "https://bad.test/14", "text": "Body.", "metadata": [1]}',
     "schema_violation"),
    ("metadata 300 deep", b'{"url": "https://bad.test/15", "text": "Body.", "metadata": '
     + b'{"m": ' * 300 + b"1" + b"}" * 300 + b"}", "schema_violation"),
    ("tombstone", None, "tombstone"),
    ("NUL bytes over the limit", orjson.dumps({"url": "https://bad.test/16",
                                               "text": "\x00" * 300_000}), "payload_too_large"),
    ("binary over the limit", bytes(range(256)) * 2048, "payload_too_large"),
]
#: The payload limit the tests run with (NEWSFLOW_MAX_PAYLOAD_BYTES), so large cases stay small.
MAX_PAYLOAD_BYTES = 256 * 1024

#: Origin headers no stage wrote: ignored, the record is processed as it is.
BAD_HEADERS: list[list[tuple[str, bytes]]] = [
    [("newsflow-origin", b"garbage")],
    [("newsflow-origin", b"\xff\xfe:\x00")],
    [("newsflow-origin", b"")],
    [("newsflow-origin", b"1:x:topic")],
]


def good_articles(count: int, seed: int = 3) -> list[bytes]:
    """`count` distinct raw articles (invented reports of a few events, with copies)."""
    out = []
    for number, article in enumerate(story_stream(count * 2, seed=seed)):
        record = {"url": f"https://{article.source}.test/{article.id}/{number}",
                  "source": article.source, "title": article.title, "text": article.text,
                  "published_at": article.published_at}
        out.append(orjson.dumps(record))
        if len(out) == count:
            break
    return out


def fuzz_stream(good: int, malformed_rounds: int) -> list[tuple[bytes | None, list, str | None]]:
    """Good articles (some with bad origin headers) interleaved with `malformed_rounds`
    rounds of every malformed kind: (value, headers, expected code or None if good)."""
    articles = good_articles(good)
    bad = [(value, [], code) for _ in range(malformed_rounds) for _, value, code in MALFORMED]
    stream: list[tuple[bytes | None, list, str | None]] = []
    for number in range(max(len(articles), len(bad))):
        if number < len(articles):
            headers = BAD_HEADERS[number % len(BAD_HEADERS)] if number % 7 == 0 else []
            stream.append((articles[number], headers, None))
        if number < len(bad):
            stream.append(bad[number])
    return stream
