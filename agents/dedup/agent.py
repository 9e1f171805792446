"""The dedup agents: a judge that takes tagged articles in order, and index shards.

- `newsflow.dedup` (the judge) reads articles.tagged, one partition so that every worker
  count sees one order. It judges each batch as a round (`sharding.judge_round`): the keys
  the round needs are asked of the shards that own them on the index topic, their answers
  come back on the answers topic, and the round's writes go to the shards before the next
  round's reads. Then it publishes to articles.enriched and (unique ones) articles.unique.
- `newsflow.dedup-index` (the shards) reads the index topic, P partitions, and keeps the
  stores in Faust tables co-partitioned with it (changelog-backed; RocksDB in production).
  Adding workers spreads the partitions, and with them the index. A timer sweeps each
  shard's entries older than the window, by the latest event time its writes carried.

Delivery: at least once. Offsets are committed after the producer is flushed, so a round's
writes are in the index topic before its input is marked done; a replayed article finds
its record and gets the verdict it got the first time. Writes are whole values, so a shard
that applies a write twice (after its own restart) ends in the same state. Limit: writes of
several shards are not atomic (Tansu has no transactions, and Faust's exactly-once needs
them); if the judge dies between sending a round's writes and committing its input, the
replayed articles of that round find their records where the writes landed.
"""

from __future__ import annotations

import itertools
import time
import uuid
from typing import Any

import orjson
import structlog
from aiokafka import AIOKafkaConsumer, TopicPartition
from faust.types import EventT, StreamT, TopicT

from agents.dedup.clock import event_time
from agents.dedup.config import DedupConfig
from agents.dedup.expiry import expire_store
from agents.dedup.sharding import (
    Shard,
    StoreKeys,
    StoreValues,
    by_shard,
    chunks,
    judge_round,
    read_keys,
    write_keys,
)
from agents.dedup.state import Store
from agents.errors import Rejected
from agents.shell import StageWiring
from schemas.models import Article

#: How often each shard sweeps its entries older than the window.
SWEEP_INTERVAL_SECONDS = 3600.0
#: Keys per index message: values of 1,000 keys stay well under a broker's 1 MB limit.
KEYS_PER_MESSAGE = 1000
#: Shards answer what has come within this long: the judge is waiting for them.
SHARD_WAIT_SECONDS = 0.002
#: A judge waiting longer than this for shards logs it (they may be recovering).
_SLOW_ANSWER_SECONDS = 30.0

log = structlog.get_logger("newsflow.agents")


class IndexClient:
    """The judge's side of the index protocol: reads and writes over the index topic,
    answers from the answers topic (read by its own consumer, outside the group, so it
    works whichever worker the judge runs on)."""

    def __init__(self, index: TopicT, answers_topic: str, partitions: int,
                 client_options: dict[str, Any]) -> None:
        self.index = index
        self.answers = TopicPartition(answers_topic, 0)
        self.partitions = partitions
        self.client_options = client_options
        self.session = uuid.uuid4().hex[:12]
        self.numbers = itertools.count()
        self.consumer: AIOKafkaConsumer | None = None
        self.waited = 0.0

    async def _answers(self) -> AIOKafkaConsumer:
        if self.consumer is None:
            consumer = AIOKafkaConsumer(**self.client_options, enable_auto_commit=False,
                                        max_partition_fetch_bytes=16 * 1024 * 1024)
            await consumer.start()
            consumer.assign([self.answers])
            await consumer.seek_to_end(self.answers)
            await consumer.position(self.answers)  # fixed now: only later answers are read
            self.consumer = consumer
        return self.consumer

    async def fetch(self, wanted: StoreKeys) -> StoreValues:
        """Ask each shard for its share of `wanted`; merge the answers."""
        consumer = await self._answers()
        request = f"{self.session}-{next(self.numbers)}"
        sent = 0
        for partition, reads in by_shard(wanted, self.partitions).items():
            for piece in chunks(reads, KEYS_PER_MESSAGE):
                message = {"op": "read", "request": request, "piece": sent, "reads": piece}
                await self.index.send(key=request.encode(), value=orjson.dumps(message),
                                      partition=partition)
                sent += 1
        merged: StoreValues = {}
        began = time.perf_counter()
        # A shard that took over a partition may answer a piece again: count pieces, not answers.
        answered: set[int] = set()
        since = time.monotonic()
        while len(answered) < sent:
            batches = await consumer.getmany(self.answers, timeout_ms=1000)
            for record in batches.get(self.answers, ()):
                answer = orjson.loads(record.value)
                if answer.get("request") != request:
                    continue  # an answer to an earlier session or round
                answered.add(answer["piece"])
                for name, values in answer["values"].items():
                    merged.setdefault(name, {}).update(values)
            if time.monotonic() - since > _SLOW_ANSWER_SECONDS:
                log.warning("dedup_index_slow", request=request, answered=len(answered),
                            asked=sent)
                since = time.monotonic()
        self.waited += time.perf_counter() - began
        return merged

    def take_waited(self) -> float:
        """Seconds spent waiting for answers since the last call (for the round's log)."""
        waited, self.waited = self.waited, 0.0
        return waited

    async def write(self, writes: StoreValues, at: float) -> None:
        """Send a round's writes, each to its shard (before any later round's reads)."""
        for partition, part in by_shard(writes, self.partitions).items():
            for piece in chunks(part, KEYS_PER_MESSAGE):
                message = {"op": "write", "at": at, "writes": piece}
                await self.index.send(key=b"write", value=orjson.dumps(message),
                                      partition=partition)

    async def stop(self) -> None:
        if self.consumer is not None:
            await self.consumer.stop()
            self.consumer = None


def register_dedup_agents(wiring: StageWiring, shards: Shard, judge_stores: dict[str, Store], *,
                          partitions: int, client_options: dict[str, Any],
                          config: DedupConfig) -> None:
    """Add the judge (with `judge_stores`, Tables co-partitioned with its input), the index
    shards over `shards` (Tables on the `partitions` partitions of the index topic) and the
    sweep timer to the app."""
    topics = wiring.topics
    client = IndexClient(topics.dedup_index, topics.dedup_answers.get_topic_name(), partitions,
                         client_options)
    stream_time = {"latest": 0.0}
    index_topic = topics.dedup_index.get_topic_name()

    @wiring.app.on_partitions_assigned.connect
    async def announce(app: Any, assigned: set[TopicPartition], **_: Any) -> None:
        shards_here = sorted(tp.partition for tp in assigned if tp.topic == index_topic)
        log.info("dedup_index_assigned", partitions=shards_here)

    @wiring.app.agent(topics.tagged, name="newsflow.dedup")
    async def judge(stream: StreamT) -> None:
        try:
            async for events in wiring.batches(stream):
                latest = await _judge_batch(wiring, client, judge_stores, events, config)
                stream_time["latest"] = max(stream_time["latest"], latest)
        finally:
            await client.stop()

    @wiring.app.agent(topics.dedup_index, name="newsflow.dedup-index")
    async def index(stream: StreamT) -> None:
        async for events in wiring.batches(stream, wait_seconds=SHARD_WAIT_SECONDS):
            for event in events:
                message = orjson.loads(event.message.value)
                if message["op"] == "write":
                    write_keys(shards, message["writes"])
                    stream_time["latest"] = max(stream_time["latest"], float(message["at"]))
                    continue
                answer = {"request": message["request"], "piece": message["piece"],
                          "values": read_keys(shards, message["reads"])}
                await topics.dedup_answers.send(key=event.message.key,
                                                value=orjson.dumps(answer), partition=0)

    @wiring.app.timer(interval=SWEEP_INTERVAL_SECONDS)
    async def sweep() -> None:
        if not stream_time["latest"]:
            return
        stores = {**shards, **judge_stores}
        removed = {name: expire_store(name, store, stream_time["latest"], config)
                   for name, store in stores.items()}
        for store in wiring.state:
            store.flush()
        log.info("dedup_index_swept", removed=removed)


async def _judge_batch(wiring: StageWiring, client: IndexClient,
                       judge_stores: dict[str, Store], events: list[EventT],
                       config: DedupConfig) -> float:
    """Judge one batch as a round, in the order the raw records entered the pipeline
    (`ingested_at`; ties keep arrival order), and publish the verdicts. Returns the latest
    event time in the batch (0 if none)."""
    decoded: list[tuple[EventT, Article]] = []
    for event in events:
        article = await wiring.attempt(event, "dedup", wiring.decode_article, event)
        if article is not None:
            decoded.append((event, article))
    if not decoded:
        return 0.0
    decoded.sort(key=lambda pair: pair[1].ingested_at)
    articles = [article for _, article in decoded]
    began = time.perf_counter()
    outcome = await judge_round(articles, client.fetch, judge_stores, config)
    judged = time.perf_counter()
    latest = max(event_time(article) for article in articles)
    await client.write(outcome.writes, latest)
    log.debug("dedup_round", articles=len(articles), fetches=outcome.fetches,
              keys=outcome.keys_fetched, seconds=round(judged - began, 3),
              waiting_for_shards=round(client.take_waited(), 3))
    for (event, article), verdict in zip(decoded, outcome.verdicts, strict=True):
        if isinstance(verdict, Exception):
            log.error("stage_failed", stage="dedup", exc_info=verdict)
            await wiring.reject(event, Rejected("processing_error", f"dedup failed: {verdict!r}"),
                                "dedup")
            continue
        article.dedup = verdict
        record = article.to_enriched()
        await wiring.send(wiring.topics.enriched, article.id, record)
        if verdict.status == "unique":
            await wiring.send(wiring.topics.unique, article.id, record)
    return latest
