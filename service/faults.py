"""Checking a stream's outputs record by record, for the fault tests and `newsflow bench faults`.

Every published article must come out (enriched or dead-lettered), every copy of one
article's output must be the same record, and re-emissions are counted, not hidden.
"""

from __future__ import annotations

import asyncio
import time
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import orjson
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer

from service.kafka import client_options
from service.settings import Settings

#: Fields of an enriched record that must be the same in every emission of one article.
#: (Keywords are ranked against frequencies learned from the stream, which a replay has
#: counted once more, so they are compared apart: `keyword_changes`.)
STABLE_FIELDS = ("id", "url", "source", "title", "text", "published_at", "authors",
                 "language", "content_hash", "metadata", "entities", "topics", "dedup")


@dataclass(slots=True)
class Outputs:
    """What came out of a run: enriched records by article id, dead letters by origin."""

    enriched: dict[str, list[dict[str, Any]]] = field(default_factory=lambda: defaultdict(list))
    dead_letters: dict[tuple[str, int, int], list[dict[str, Any]]] = field(
        default_factory=lambda: defaultdict(list))

    def add(self, topic_kind: str, value: bytes) -> None:
        record = orjson.loads(value)
        if topic_kind == "enriched":
            self.enriched[record["id"]].append(record)
        else:
            where = (record["topic"], record["partition"], record["offset"])
            self.dead_letters[where].append(record)

    @property
    def emitted(self) -> int:
        return sum(map(len, self.enriched.values())) + sum(map(len, self.dead_letters.values()))

    def verdicts(self) -> dict[str, tuple[Any, ...]]:
        """Each article's (first) verdict: status, original, similarity, story."""
        return {article_id: _verdict(records[0]["dedup"])
                for article_id, records in self.enriched.items()}

    def inconsistent(self) -> list[str]:
        """Ids whose emissions differ in a stable field."""
        return [article_id for article_id, records in self.enriched.items()
                if any(_stable(other) != _stable(records[0]) for other in records[1:])]

    def keyword_changes(self) -> int:
        return sum(1 for records in self.enriched.values()
                   if any(other["keywords"] != records[0]["keywords"] for other in records[1:]))


def _verdict(dedup: dict[str, Any]) -> tuple[Any, ...]:
    return (dedup["status"], dedup["duplicate_of"], dedup["similarity"], dedup["story_id"])


def _stable(record: dict[str, Any]) -> dict[str, Any]:
    return {name: record.get(name) for name in STABLE_FIELDS}


async def publish_records(settings: Settings, records: Iterable[tuple[bytes | None, bytes | None,
                                                                        list[tuple[str, bytes]]]],
                          *, partitions: int, compression: str | None = None) -> int:
    """Publish (key, value, headers) to the raw topic, spread round-robin over `partitions`,
    with timestamps rising one millisecond at least per record (the judge's order)."""
    producer = AIOKafkaProducer(**client_options(settings), linger_ms=5,
                                max_request_size=16 * 1024 * 1024,
                                compression_type=compression)
    await producer.start()
    sent = 0
    stamp = 0
    try:
        pending = []
        for key, value, headers in records:
            stamp = max(int(time.time() * 1000), stamp + 1)
            pending.append(await producer.send(settings.topics.raw, value=value, key=key,
                                               headers=headers, partition=sent % partitions,
                                               timestamp_ms=stamp))
            sent += 1
        await asyncio.gather(*pending)
    finally:
        await producer.stop()
    return sent


async def collect(settings: Settings, *, done: Any, timeout: float,
                  idle_timeout: float = 30.0) -> Outputs:
    """Read articles.enriched and the dead-letter topic from the start until `done(outputs)`
    is true, `idle_timeout` passes without a record, or `timeout` passes."""
    outputs = Outputs()
    topics = {settings.topics.enriched: "enriched", settings.topics.dead_letter: "dead"}
    consumer = AIOKafkaConsumer(*topics, **client_options(settings), group_id=None,
                                auto_offset_reset="earliest", enable_auto_commit=False,
                                max_partition_fetch_bytes=16 * 1024 * 1024)
    await consumer.start()
    deadline = time.monotonic() + timeout
    last = time.monotonic()
    try:
        while time.monotonic() < deadline and not done(outputs):
            if time.monotonic() - last > idle_timeout:
                break
            batches = await consumer.getmany(timeout_ms=200)
            for partition, records in batches.items():
                for record in records:
                    outputs.add(topics[partition.topic], record.value)
                    last = time.monotonic()
    finally:
        await consumer.stop()
    return outputs
