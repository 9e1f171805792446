"""Raw records for the delivery tests: good articles (from `story_stream`) and malformed
records of every kind we know, each with the error code it must be dead-lettered with."""

from __future__ import annotations

import orjson

from service.faults import BAD_HEADERS, MALFORMED
from tests.story_stream import story_stream

__all__ = ["BAD_HEADERS", "MALFORMED", "MAX_PAYLOAD_BYTES", "fuzz_stream", "good_articles"]

#: The payload limit the tests run with (NEWSFLOW_MAX_PAYLOAD_BYTES), so large cases stay small.
MAX_PAYLOAD_BYTES = 256 * 1024


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
