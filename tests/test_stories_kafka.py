"""The story feed on the broker: the same story records as `newsflow enrich --stories` (every
field, keywords included), the same keywords on every enriched article, and each story's
latest record agrees with the enriched articles that carry its id."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

import orjson
import pytest

from service.enrich import run_enrich
from service.faults import collect, publish_records
from service.kafka import read_topics
from tests.conftest import isolated_settings
from tests.test_verdicts_kafka import PARTITIONS, raw_stream

pytestmark = pytest.mark.integration


def _latest(records) -> dict[str, dict]:
    latest: dict[str, dict] = {}
    for story in records:
        latest[story["story_id"]] = story
    return latest


def _moment(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


async def test_the_story_feed_matches_offline_and_the_articles(bootstrap_servers, start_worker,
                                                               tmp_path):
    lines = raw_stream()
    source, output, stories = (tmp_path / name for name in ("in.jsonl", "out.jsonl",
                                                            "stories.jsonl"))
    source.write_bytes(b"\n".join(lines) + b"\n")
    run_enrich(replace(isolated_settings("unused:1")), input_path=str(source),
               output_path=str(output), dead_letter_path=None,
               stages=("clean", "tag", "dedup"), stories_path=str(stories))
    offline = _latest(orjson.loads(line) for line in stories.read_bytes().splitlines())

    settings = isolated_settings(bootstrap_servers, partitions=PARTITIONS)
    start_worker(settings, NEWSFLOW_DEDUP_IDLE_SECONDS="5")
    await publish_records(settings, ((None, line, []) for line in lines), partitions=PARTITIONS)
    expected = len({orjson.loads(line)["url"] for line in lines})
    outputs = await collect(settings, done=lambda o: len(o.enriched) >= expected, timeout=180)
    feed = [orjson.loads(record.value) async for record in read_topics(
        settings, [settings.topics.stories], idle_timeout=5.0, timeout=60.0)]
    on_stream = _latest(feed)
    differing = {name for story_id, story in on_stream.items() for name, value in story.items()
                 if offline.get(story_id, {}).get(name) != value}
    assert set(on_stream) == set(offline)
    assert not differing, differing
    assert len(on_stream) > 1 and any(s["article_count"] > 1 for s in on_stream.values())

    articles = [records[0] for records in outputs.enriched.values()]
    # The keywords the judge finished (stream IDF, named forms) are the same per article too.
    offline_keywords: dict[str, list[str]] = {}
    for line in output.read_bytes().splitlines():
        record = orjson.loads(line)
        offline_keywords.setdefault(record["id"], record["keywords"])
    assert {a["id"]: a["keywords"] for a in articles} == offline_keywords
    for story_id, story in on_stream.items():
        members = [a for a in articles if a["dedup"]["story_id"] == story_id]
        assert story["article_count"] == len(members)
        assert set(story["sources"]) == {a["source"] for a in members}
        times = sorted(_moment(a["published_at"]) for a in members)
        assert (_moment(story["first_seen"]), _moment(story["last_seen"])) == (times[0],
                                                                              times[-1])
        assert set(story["article_ids"]) <= {a["id"] for a in members}
