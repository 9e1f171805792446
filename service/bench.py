"""Benchmarks that print figures: Kafka plumbing overhead and the stage cores alone.

Machines are noisy, so each benchmark measures the things it compares in one run and reports
their ratio; nothing here is asserted by the tests.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import random
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import orjson
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer

from agents.errors import Rejected
from agents.identity import utc_now
from agents.pipeline import Pipeline
from schemas.models import Article
from service.app import faust_app, topic_partitions
from service.broker import EmbeddedBroker, free_port
from service.kafka import client_options, ensure_topics, publish, read_topics
from service.settings import Settings
from service.worker import WorkerProcess, worker_env

_PARTITIONS = 4


@dataclass(slots=True)
class Measurement:
    """One thing measured: how many items in how long, and how much CPU it took."""

    name: str
    items: int
    seconds: float
    cpu_seconds: float
    unit: str = "records"

    @property
    def rate(self) -> float:
        return self.items / self.seconds if self.seconds else float("inf")

    def line(self) -> str:
        cpu = 100 * self.cpu_seconds / self.seconds if self.seconds else 0.0
        return (f"  {self.name:<44} {self.rate:>10,.0f} {self.unit}/s   "
                f"({self.items} in {self.seconds:.2f} s, CPU {cpu:.0f}% of one core)")


@dataclass(slots=True)
class BenchReport:
    """Measurements from one run, with ratios against the first."""

    title: str
    measurements: list[Measurement] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    #: Whether the measurements are alternatives to compare (then ratios are printed).
    compare: bool = False
    #: Further ratios to print, as (measurement, base measurement) positions.
    ratios: list[tuple[int, int]] = field(default_factory=list)

    def format(self) -> str:
        lines = [self.title, *(m.line() for m in self.measurements)]
        pairs = [(i, 0) for i in range(1, len(self.measurements))] if self.compare else []
        for index, base_index in [*pairs, *self.ratios]:
            other, base = self.measurements[index], self.measurements[base_index]
            lines.append(f"  ratio {other.name} / {base.name}: {other.rate / base.rate:.2f}")
        lines.extend(f"  note: {note}" for note in self.notes)
        return "\n".join(lines)


class _Clock:
    """Wall and process CPU time since creation."""

    def __init__(self) -> None:
        self.wall = time.perf_counter()
        self.cpu = time.process_time()

    def measure(self, name: str, items: int, unit: str = "records") -> Measurement:
        return Measurement(name, items, time.perf_counter() - self.wall,
                           time.process_time() - self.cpu, unit)


def kafka_benchmark(*, records: int = 20_000, size: int = 5_000) -> BenchReport:
    """A plain aiokafka consume-produce loop against Newsflow's Faust agent shape (bytes in,
    `take_events` batches, one send per record, delivery awaited at commit), on the embedded
    broker with `size`-byte records."""
    report = BenchReport(f"Kafka plumbing, {records} records of {size} bytes, embedded broker",
                         compare=True)
    with EmbeddedBroker() as broker:
        settings = replace(Settings(), bootstrap_servers=broker.bootstrap_servers,
                           app_id="bench", partitions=_PARTITIONS, batch_size=500,
                           session_timeout_seconds=6, rebalance_timeout_seconds=3,
                           web_port=free_port())
        report.measurements.append(asyncio.run(_aiokafka_loop(settings, records, size)))
        report.measurements.append(asyncio.run(_faust_agent(settings, records, size)))
    report.notes.append("the clean/tag/dedup cores cost far more per article than either "
                        "loop: see `newsflow bench stages`")
    return report


async def _fill(settings: Settings, topic: str, records: int, size: int) -> None:
    await ensure_topics(settings, {topic: _PARTITIONS, f"{topic}.out": _PARTITIONS})
    value = os.urandom(size // 2).hex().encode()
    await publish(settings, topic, ((str(i).encode(), value) for i in range(records)))


async def _aiokafka_loop(settings: Settings, records: int, size: int) -> Measurement:
    topic = "bench.aiokafka"
    await _fill(settings, topic, records, size)
    consumer = AIOKafkaConsumer(topic, **client_options(settings), group_id="bench-aiokafka",
                                auto_offset_reset="earliest", max_poll_records=1000,
                                fetch_max_bytes=16 * 1024 * 1024)
    producer = AIOKafkaProducer(**client_options(settings), linger_ms=5,
                                max_batch_size=1024 * 1024)
    await consumer.start()
    await producer.start()
    clock = None
    done = 0
    try:
        while done < records:
            batches = await consumer.getmany(timeout_ms=500)
            if batches and clock is None:
                clock = _Clock()
            pending = [await producer.send(f"{topic}.out", value=message.value, key=message.key)
                       for messages in batches.values() for message in messages]
            await asyncio.gather(*pending)
            await consumer.commit()
            done += len(pending)
    finally:
        await producer.stop()
        await consumer.stop()
    assert clock is not None
    return clock.measure("aiokafka consume-produce loop", done)


async def _faust_agent(settings: Settings, records: int, size: int) -> Measurement:
    topic = "bench.faust"
    await _fill(settings, topic, records, size)
    app = faust_app(replace(settings, app_id="bench-faust"))
    app.conf.web_enabled = False
    source = app.topic(topic, value_type=bytes, key_type=bytes)
    sink = app.topic(f"{topic}.out", value_type=bytes, key_type=bytes)
    finished = asyncio.Event()
    state: dict[str, object] = {"done": 0, "clock": None}

    @app.agent(source)
    async def passthrough(stream):  # type: ignore[no-untyped-def]
        async for events in stream.take_events(settings.batch_size, within=0.2):
            if state["clock"] is None:
                state["clock"] = _Clock()
            for event in events:
                await sink.send(key=event.message.key, value=event.message.value)
            state["done"] = int(state["done"]) + len(events)  # type: ignore[call-overload]
            if state["done"] >= records:  # type: ignore[operator]
                await app.producer.flush()
                finished.set()

    await app.start()
    try:
        await asyncio.wait_for(finished.wait(), timeout=600)
    finally:
        clock = state["clock"]
        await app.stop()
    assert isinstance(clock, _Clock)
    done = int(state["done"])  # type: ignore[call-overload]
    return clock.measure("Faust agent (take_events batches, bytes)", done)


def pipeline_benchmark(samples: Path, *, articles: int = 300, seed: int = 7) -> BenchReport:
    """The whole pipeline offline (the cores in one process) against the same articles through
    one worker and through two on the embedded broker, in one run: what the Kafka plumbing
    costs end to end, and what a second worker gives."""
    raw = _variations(samples, articles, seed)
    report = BenchReport(f"Whole pipeline, {len(raw)} articles made from the samples",
                         compare=True)
    pipeline = Pipeline()
    pipeline.warm_up(("clean", "tag", "dedup"))
    clock = _Clock()
    batch: list[Article] = []
    for payload in raw:
        with contextlib.suppress(Rejected):
            batch.append(pipeline.clean(payload, ingested_at=utc_now()))
        if len(batch) == 64:
            _tag_and_dedup(pipeline, batch)
            batch = []
    _tag_and_dedup(pipeline, batch)
    report.measurements.append(clock.measure("offline (the cores in one process)", len(raw),
                                             "articles"))
    for workers, name in ((1, "one worker"), (2, "two workers")):
        results, seconds = _through_workers([(None, payload) for payload in raw],
                                            input_topic="raw", workers=workers,
                                            app_id="bench-pipeline", partitions=_PARTITIONS)
        report.measurements.append(Measurement(f"{name} on the embedded broker", results,
                                               seconds, 0.0, "articles"))
    report.ratios.append((2, 1))
    report.notes.append(f"{_PARTITIONS} partitions per topic (articles.tagged: 1, the judge's); "
                        f"worker CPU is not counted in its line; start-up is excluded; "
                        f"{os.cpu_count()} cores here, shared with the broker")
    return report


def _tag_and_dedup(pipeline: Pipeline, batch: list[Article]) -> None:
    pipeline.tag(batch)
    for article in batch:
        pipeline.dedup(article)


def _through_workers(payloads: Sequence[tuple[bytes | None, bytes]], *, input_topic: str,
                     workers: int = 1, env: dict[str, str] | None = None,
                     **settings_fields: Any) -> tuple[int, float]:
    """Start `workers` workers (with `env` added) on a fresh embedded broker, publish
    `payloads` to the topic `input_topic` names (a `Topics` field), and time until one result
    (enriched or dead letter) per payload has been read: (results, seconds), start-up
    excluded."""
    with tempfile.TemporaryDirectory() as folder, EmbeddedBroker() as broker:
        settings = replace(Settings(), bootstrap_servers=broker.bootstrap_servers,
                           **settings_fields)
        asyncio.run(ensure_topics(settings, topic_partitions(settings)))
        with contextlib.ExitStack() as running:
            for number in range(workers):
                worker = worker_env(settings, broker.bootstrap_servers,
                                    Path(folder) / f"state{number}")
                worker.update(env or {})
                running.enter_context(
                    WorkerProcess(worker, log_path=Path(folder) / f"worker{number}.log"))
            started = time.perf_counter()
            topic = getattr(settings.topics, input_topic)
            results = asyncio.run(_publish_and_count(settings, topic, payloads))
            return results, time.perf_counter() - started


async def _publish_and_count(settings: Settings, topic: str,
                             payloads: Sequence[tuple[bytes | None, bytes]]) -> int:
    """Publish `payloads` to `topic`, then count results until there is one per payload."""
    await publish(settings, topic, payloads)
    topics = [settings.topics.enriched, settings.topics.dead_letter]
    received = 0
    async for _ in read_topics(settings, topics, until=len(payloads), idle_timeout=120,
                               timeout=1800):
        received += 1
    return received


def stage_benchmark(samples: Path, *, articles: int = 300, seed: int = 7) -> BenchReport:
    """Each stage core alone on `articles` variations of the bundled samples."""
    raw = _variations(samples, articles, seed)
    pipeline = Pipeline()
    pipeline.warm_up(("clean", "tag", "dedup"))
    report = BenchReport(f"Stage cores alone, {len(raw)} articles made from the samples")
    clock = _Clock()
    cleaned: list[Article] = []
    for payload in raw:
        with contextlib.suppress(Rejected):  # a shuffle can leave only boilerplate
            cleaned.append(pipeline.clean(payload, ingested_at=utc_now()))
    report.measurements.append(clock.measure("clean (text and HTML)", len(raw), "articles"))
    words = sum(len(article.text.split()) for article in cleaned)
    clock = _Clock()
    for start in range(0, len(cleaned), 64):
        pipeline.tag(cleaned[start:start + 64])
    tag = clock.measure("tag", len(cleaned), "articles")
    report.measurements.append(tag)
    report.measurements.append(replace(tag, name="tag (words)", items=words, unit="words"))
    clock = _Clock()
    for article in cleaned:
        pipeline.dedup(article)
    report.measurements.append(clock.measure("dedup", len(cleaned), "articles"))
    report.notes.append(f"{words / len(cleaned):.0f} words per article on average")
    return report


def _variations(samples: Path, count: int, seed: int) -> list[bytes]:
    """Valid sample records with their lines shuffled, so each is a new article (a shuffle
    can leave too little prose: the clean stage then rejects it, as it would in production)."""
    rng = random.Random(seed)
    records = []
    for line in samples.read_bytes().splitlines():
        try:
            record = orjson.loads(line)
        except orjson.JSONDecodeError:
            continue
        if isinstance(record, dict) and (record.get("url") or record.get("id")) and (
                record.get("text") or record.get("html")):
            records.append(record)
    out = []
    for number in range(count):
        record = dict(rng.choice(records))
        record["url"] = f"https://bench.example/{number}"
        record["source"] = f"outlet-{number}"  # no source learns from another's variations
        if record.get("text"):
            lines = record["text"].split("\n")
            rng.shuffle(lines)
            record["text"] = "\n".join(lines)
        out.append(orjson.dumps(record))
    return out


def judge_benchmark(corpus: Path, *, articles: int = 3000, batch_size: int = 256
                    ) -> BenchReport:
    """The dedup judge on the same tagged articles, as the tag stage sends them (with their
    text features): the core in one process, then through one worker on the embedded broker
    with each table store (`memory://`, `rocksdb://`)."""
    from agents.dedup import DedupConfig, Deduplicator
    from agents.dedup.corpus import read_records, synthetic_articles
    from agents.dedup.fingerprint import shipped_features

    stream = list(synthetic_articles(read_records(corpus), articles))
    for article in stream:
        article.dedup_features = shipped_features(article, DedupConfig())
    report = BenchReport(f"Dedup judge, {len(stream)} articles made from {corpus.name}, "
                         f"batches of {batch_size}", compare=True)
    clock = _Clock()
    judge = Deduplicator()
    for article in stream:
        judge.judge(article)
    report.measurements.append(clock.measure("one process (the core alone)", len(stream),
                                             "articles"))
    payloads = [(article.id.encode(), orjson.dumps(article)) for article in stream]
    for store in ("memory://", "rocksdb://"):
        results, seconds = _through_workers(
            payloads, input_topic="tagged",
            env={"NEWSFLOW_STAGES": "dedup", "NEWSFLOW_BATCH_SIZE": str(batch_size),
                 "NEWSFLOW_DEDUP_IDLE_SECONDS": "0.5"},
            app_id="bench-dedup", partitions=1, store=store)
        report.measurements.append(Measurement(
            f"1 worker on the embedded broker, {store}", results, seconds, 0.0, "articles"))
    report.notes.append("broker lines: wall time from publishing to the last verdict read, "
                        "start-up excluded, worker CPU not counted; the reorder buffer "
                        "releases the last articles after 0.5 s idle; the articles carry the "
                        "text features the tag stage computes")
    return report
