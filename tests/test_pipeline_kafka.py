"""The whole pipeline on a real broker: raw records in, enriched, unique and dead-letter out."""

from __future__ import annotations

from dataclasses import replace

import orjson
import pytest

import schemas
from agents.dead_letter import original_payload
from schemas.models import DeadLetter
from service.kafka import publish, read_topics
from tests.conftest import SAMPLES, isolated_settings

pytestmark = pytest.mark.integration


async def _drain(settings, topics, expected, timeout=120.0):
    out = {topic: [] for topic in topics}
    async for record in read_topics(settings, topics, until=expected, idle_timeout=timeout,
                                    timeout=timeout):
        out[record.topic].append((record, orjson.loads(record.value)))
    return out


@pytest.fixture(scope="module")
def sample_lines() -> list[bytes]:
    return [line for line in SAMPLES.read_bytes().splitlines() if line.strip()]


async def test_samples_flow_through_every_stage(bootstrap_servers, start_worker, sample_lines):
    # One partition keeps publishing order end to end: the original is judged before its copies.
    settings = isolated_settings(bootstrap_servers, partitions=1)
    start_worker(settings)
    topics = settings.topics
    await publish(settings, topics.raw, ((str(i).encode(), line)
                                         for i, line in enumerate(sample_lines)))
    out = await _drain(settings, [topics.enriched, topics.dead_letter], len(sample_lines))
    enriched = [value for _, value in out[topics.enriched]]
    dead = [value for _, value in out[topics.dead_letter]]
    assert len(enriched) + len(dead) == len(sample_lines)

    for record in enriched:
        schemas.validator("enriched_article.v1")(record)
    by_source = {record["source"]: record for record in enriched}
    wire = by_source["Northwind Wire"]
    assert "JOIN US ON TELEGRAM" not in wire["text"]
    assert "Read Next" not in wire["text"]
    assert "Rotterdam" in wire["text"]
    assert wire["dedup"]["status"] == "unique"
    assert by_source["Daily Ledger"]["dedup"] == {
        **by_source["Daily Ledger"]["dedup"], "status": "duplicate", "duplicate_of": wire["id"]}
    edited = by_source["coastalcourier.example"]["dedup"]
    assert edited["status"] == "near_duplicate"
    assert edited["duplicate_of"] == wire["id"]
    assert by_source["harbourgazette.example"]["dedup"]["status"] == "unique"
    assert by_source["harbourgazette.example"]["dedup"]["story_id"] == wire["dedup"]["story_id"]
    assert by_source["techcurrent.example"]["dedup"]["story_id"] != wire["dedup"]["story_id"]

    for record in dead:
        schemas.validator("dead_letter.v1")(record)
    codes = sorted(record["error_code"] for record in dead)
    assert codes == sorted(["invalid_json", "invalid_utf8", "not_an_object", "missing_identity",
                            "schema_violation", "missing_body", "empty_after_cleaning"])
    published = set(sample_lines)
    for record in dead:
        assert original_payload(DeadLetter(**record)) in published
        assert record["topic"] == topics.raw
        assert record["offset"] is not None and record["partition"] is not None

    unique = await _drain(settings, [topics.unique], 4, timeout=30.0)
    unique_ids = {value["id"] for _, value in unique[topics.unique]}
    assert unique_ids == {r["id"] for r in enriched if r["dedup"]["status"] == "unique"}
    assert any(entity["name"] == "Rotterdam" and entity["type"] == "LOC"
               for entity in wire["entities"])


async def test_the_agent_survives_bad_input_and_keeps_going(bootstrap_servers, start_worker):
    settings = isolated_settings(bootstrap_servers, max_payload_bytes=4096)
    start_worker(settings, stages="clean",
                 NEWSFLOW_MAX_PAYLOAD_BYTES=str(settings.max_payload_bytes))
    good = orjson.dumps({"url": "https://kept.test/a", "text": (
        "The harbour board met on Monday and agreed to extend the ferry timetable into "
        "the autumn after a summer of record passenger numbers on every route.")})
    messages = [b"\xff\xfe", b"{", orjson.dumps({"url": "https://big.test", "text": "x" * 5000}),
                good]
    # One key keeps the messages in one partition, so their order is kept.
    await publish(settings, settings.topics.raw, ((b"k", value) for value in messages))
    topics = [settings.topics.cleaned, settings.topics.dead_letter]
    out = await _drain(settings, topics, len(messages), timeout=60.0)
    assert [value["error_code"] for _, value in out[settings.topics.dead_letter]] == [
        "invalid_utf8", "invalid_json", "payload_too_large"]
    cleaned = [value for _, value in out[settings.topics.cleaned]]
    assert len(cleaned) == 1 and cleaned[0]["url"] == "https://kept.test/a"


async def test_stages_run_in_separate_workers(bootstrap_servers, start_worker, sample_lines):
    """Each stage can be scaled on its own: here clean runs in one consumer group and
    tag+dedup in another, over the same topics."""
    settings = isolated_settings(bootstrap_servers, partitions=1)
    start_worker(settings, stages="clean")
    start_worker(replace(settings, app_id=f"{settings.app_id}-late"), stages="tag,dedup")
    topics = settings.topics
    await publish(settings, topics.raw, ((None, line) for line in sample_lines))
    out = await _drain(settings, [topics.enriched, topics.dead_letter], len(sample_lines))
    statuses = sorted(value["dedup"]["status"] for _, value in out[topics.enriched])
    assert statuses == ["duplicate", "near_duplicate", "unique", "unique", "unique", "unique"]
    assert len(out[topics.dead_letter]) == 7
