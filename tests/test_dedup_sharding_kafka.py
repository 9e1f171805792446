"""On the real broker: the same stream gets the same verdicts with the index on 1 or 8
partitions and on 1 or 2 workers, and those of the single-process core."""

from __future__ import annotations

import asyncio
import time

import orjson
import pytest

from agents.dedup import Deduplicator
from service.kafka import publish, read_topics
from tests.conftest import isolated_settings
from tests.story_stream import story_stream

pytestmark = pytest.mark.asyncio


def verdict_of(article_id: str, dedup: dict) -> tuple:
    return (article_id, dedup["status"], dedup["duplicate_of"], dedup["similarity"],
            dedup["story_id"])


async def verdicts_through_workers(bootstrap_servers: str, start_worker, *, shards: int,
                                   workers: int) -> tuple[list[tuple], list]:
    settings = isolated_settings(bootstrap_servers, index_partitions=shards)
    started = [start_worker(settings, "dedup", NEWSFLOW_BATCH_SIZE="8")
               for _ in range(workers)]
    await settled(started, shards)
    articles = story_stream()
    await publish(settings, settings.topics.tagged,
                  [(article.id.encode(), orjson.dumps(article)) for article in articles])
    records = [orjson.loads(record.value) async for record in read_topics(
        settings, [settings.topics.enriched], until=len(articles), timeout=120)]
    return sorted(verdict_of(r["id"], r["dedup"]) for r in records), started


def single_process_verdicts() -> list[tuple]:
    judge = Deduplicator()
    verdicts = []
    for article in story_stream():
        verdict = judge.judge(article)
        verdicts.append((article.id, verdict.status, verdict.duplicate_of, verdict.similarity,
                         verdict.story_id))
    return sorted(verdicts)


async def test_verdicts_are_the_same_on_one_or_eight_shards_and_one_or_two_workers(
        bootstrap_servers, start_worker):
    expected = single_process_verdicts()
    assert len({verdict[1] for verdict in expected}) == 3  # unique, duplicate, near_duplicate

    one_shard, _ = await verdicts_through_workers(bootstrap_servers, start_worker,
                                                  shards=1, workers=1)
    eight_shards, _ = await verdicts_through_workers(bootstrap_servers, start_worker,
                                                     shards=8, workers=1)
    two_workers, workers = await verdicts_through_workers(bootstrap_servers, start_worker,
                                                          shards=8, workers=2)
    assert one_shard == expected
    assert eight_shards == expected
    assert two_workers == expected

    held = [last_assignment(worker.log) for worker in workers]
    assert all(held), held  # each worker holds a share of the index
    assert sorted(held[0] + held[1]) == list(range(8))


async def settled(workers: list, shards: int, timeout: float = 60.0) -> None:
    """Wait until the group has shared the index partitions out among all `workers` (so the
    stream is not judged during a rebalance, which would only repeat some output)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        held = [last_assignment(worker.log) for worker in workers]
        if all(held) and sorted(p for part in held for p in part) == list(range(shards)):
            return
        await asyncio.sleep(0.2)
    raise AssertionError(f"index partitions not shared out: {held}")


def last_assignment(log: str) -> list[int]:
    partitions: list[int] = []
    for line in log.splitlines():
        if '"dedup_index_assigned"' in line:
            partitions = orjson.loads(line)["partitions"]
    return partitions
