"""Prometheus metrics of a worker, and its "ready" and "throughput" log lines.

The agents call a few functions (`records_in`, `records_out`, `dead_lettered`,
`batch_timer`); `instrument` adds what is read from Faust at scrape time (table sizes,
consumer lag per partition, age of the last offset commit) and the two log lines.
`service.web.register_metrics_view` serves `REGISTRY` at `/metrics` in the Prometheus text
format. Metric names are listed in the README.
"""

from __future__ import annotations

import time
from collections import Counter as Tally
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, TypedDict

import structlog
from faust.sensors import Monitor
from prometheus_client import CollectorRegistry, Counter, Histogram, ProcessCollector
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector

if TYPE_CHECKING:
    import faust

    from agents.shell import StageTopics

log = structlog.get_logger("newsflow.metrics")

#: Only Newsflow's metrics and the process's own (CPU, memory, open files).
REGISTRY = CollectorRegistry()
ProcessCollector(registry=REGISTRY)

_RECORDS_IN = Counter(
    "newsflow_records_in", "Records a stage took from its input topic.", ["stage"],
    registry=REGISTRY,
)
_RECORDS_OUT = Counter(
    "newsflow_records_out", "Records a stage wrote to an output topic.", ["stage", "topic"],
    registry=REGISTRY,
)
_DEAD_LETTERED = Counter(
    "newsflow_records_dead_lettered", "Records a stage sent to the dead-letter topic.",
    ["stage", "error_code"], registry=REGISTRY,
)
_REDELIVERIES = Counter(
    "newsflow_redeliveries_skipped", "Copies of an article the judge read again at another "
    "offset (an upstream stage replayed it), whose verdict was not published twice.",
    registry=REGISTRY,
)
_BATCH_SECONDS = Histogram(
    "newsflow_batch_seconds", "Time an agent spent on one batch, state writes included.",
    ["stage"], registry=REGISTRY,
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0),
)

#: Which stage reads, and which writes, each field of `StageTopics`.
_READERS = {"raw": "intake", "by_source": "clean", "cleaned": "tag", "tagged": "dedup"}
_WRITERS = {"by_source": "intake", "cleaned": "clean", "tagged": "tag", "enriched": "dedup",
            "unique": "dedup", "stories": "dedup"}

#: The same counts as the Prometheus counters, kept plainly for the throughput line.
_totals: Tally[tuple[str, ...]] = Tally()


def records_in(stage: str, count: int = 1) -> None:
    """`count` records entered `stage`."""
    _RECORDS_IN.labels(stage).inc(count)
    _totals["in", stage] += count


def records_out(stage: str, count: int = 1, *, topic: str) -> None:
    """`stage` wrote `count` records to `topic`."""
    _RECORDS_OUT.labels(stage, topic).inc(count)
    _totals["out", stage, topic] += count


def dead_lettered(stage: str, code: str) -> None:
    """`stage` sent one record to the dead-letter topic with error code `code`."""
    _DEAD_LETTERED.labels(stage, code).inc()
    _totals["dead_lettered", stage] += 1


def redelivery_skipped() -> None:
    """The judge met a copy of an article whose verdict is published already."""
    _REDELIVERIES.inc()
    _totals["redelivered", "dedup"] += 1


@contextmanager
def batch_timer(stage: str) -> Iterator[None]:
    """Observe how long the block (one batch of `stage`) takes."""
    began = time.perf_counter()
    try:
        yield
    finally:
        _BATCH_SECONDS.labels(stage).observe(time.perf_counter() - began)


def stage_reading(topics: StageTopics, topic: str) -> str:
    """The stage whose agent consumes `topic` ("other" if none does)."""
    return _stage(topics, topic, _READERS)


def stage_writing(topics: StageTopics, topic: str) -> str:
    """The stage whose output `topic` is ("other" if none)."""
    return _stage(topics, topic, _WRITERS)


def _stage(topics: StageTopics, topic: str, roles: dict[str, str]) -> str:
    for field, stage in roles.items():
        if getattr(topics, field).get_topic_name() == topic:
            return stage
    return "other"


def totals() -> dict[tuple[str, ...], int]:
    """Counts so far: ("in", stage), ("dead_lettered", stage), ("out", stage, topic)."""
    return dict(_totals)


class CommitMonitor(Monitor):
    """Faust's default monitor, noting when offsets were last committed."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.started_at = time.time()
        self.last_commit_at: float | None = None

    def on_tp_commit(self, tp_offsets: Any) -> None:
        super().on_tp_commit(tp_offsets)
        self.last_commit_at = time.time()


class WorkerCollector(Collector):
    """Read at scrape time from the running app: table sizes, consumer lag, commit age."""

    def __init__(self, app: faust.App, tables: Sequence[Any], monitor: CommitMonitor) -> None:
        self.app = app
        self.tables = tables
        self.monitor = monitor

    def collect(self) -> Iterable[GaugeMetricFamily]:
        entries = GaugeMetricFamily(
            "newsflow_table_entries",
            "Keys in this worker's active partitions of a table (RocksDB: its estimate).",
            labels=["table"])
        for table in self.tables:
            faust_table = faust_table_of(table)
            if faust_table is not None:
                entries.add_metric([faust_table.name], table_entries(faust_table))
        yield entries
        lag = GaugeMetricFamily(
            "newsflow_consumer_lag",
            "Records in a partition after this worker's committed offset (highwater - committed).",
            labels=["topic", "partition"])
        for (topic, partition), behind in consumer_lag(self.app).items():
            lag.add_metric([topic, str(partition)], behind)
        yield lag
        since = self.monitor.last_commit_at or self.monitor.started_at
        yield GaugeMetricFamily(
            "newsflow_last_commit_age_seconds",
            "Seconds since this worker last committed offsets (since start before the first).",
            value=time.time() - since)


def faust_table_of(table: Any) -> Any:
    """The Faust table under our wrappers (`BufferedTable`, `StrKeyedTable`), or None."""
    seen = 0
    while table is not None and not hasattr(table, "changelog_topic") and seen < 5:
        table, seen = getattr(table, "table", None), seen + 1
    return table if table is not None and hasattr(table, "changelog_topic") else None


def table_entries(table: Any) -> float:
    """Keys of a Faust table in this worker's active partitions. A RocksDB store gives its
    own estimate (counting would read every key); memory stores count."""
    store = table.data
    estimate: Callable[[], Iterable[Any]] | None = getattr(store, "_dbs_for_actives", None)
    if estimate is not None:
        return float(sum(db.property_int_value("rocksdb.estimate-num-keys") or 0
                         for db in estimate()))
    return float(len(store))


def consumer_lag(app: faust.App) -> dict[tuple[str, int], int]:
    """(topic, partition) -> highwater minus committed offset, for the assigned partitions
    this worker has committed on (changelogs, read for recovery, are not committed)."""
    consumer = getattr(app, "_consumer", None)  # not `app.consumer`: that would create one
    if consumer is None:
        return {}
    try:
        assigned = consumer.assignment()
    except Exception:  # the consumer thread has not started yet
        return {}
    committed = getattr(consumer, "_committed_offset", {})
    lags: dict[tuple[str, int], int] = {}
    for tp in assigned:
        offset = committed.get(tp)
        try:
            highwater = consumer.highwater(tp)
        except Exception:
            continue
        if offset is not None and highwater is not None:
            lags[tp.topic, tp.partition] = max(int(highwater) - int(offset), 0)
    return lags


_collector: WorkerCollector | None = None


class _WatchState(TypedDict):
    """What `instrument`'s timers remember between ticks."""

    ready: bool
    since: float
    totals: dict[tuple[str, ...], int]


def instrument(app: faust.App, tables: Sequence[Any], *, stages: Sequence[str],
               throughput_log_seconds: float,
               readiness: Callable[[], tuple[bool, str]]) -> None:
    """Watch `app`: table sizes (`tables`), lag and commit age at scrape time; a
    `worker_ready` line whenever the worker becomes ready, and a `throughput` line every
    `throughput_log_seconds` (0: none). Call once per app, before it starts."""
    global _collector

    monitor = CommitMonitor()
    app.monitor = monitor
    if _collector is not None:
        REGISTRY.unregister(_collector)
    _collector = WorkerCollector(app, tables, monitor)
    REGISTRY.register(_collector)
    began = time.monotonic()
    state: _WatchState = {"ready": False, "since": time.monotonic(), "totals": totals()}

    @app.timer(interval=1.0, name="newsflow.metrics.readiness")
    async def watch_readiness() -> None:
        ready, detail = readiness()
        if ready and not state["ready"]:
            log.info("worker_ready", stages=",".join(stages),
                     seconds_since_start=round(time.monotonic() - began, 1),
                     partitions=len(_assigned(app)), detail=detail)
        elif not ready and state["ready"]:
            log.info("worker_not_ready", detail=detail)
        state["ready"] = ready

    if throughput_log_seconds > 0:
        @app.timer(interval=throughput_log_seconds, name="newsflow.metrics.throughput")
        async def log_throughput() -> None:
            now, current = time.monotonic(), totals()
            log.info("throughput", **throughput(state["totals"], current, now - state["since"]),
                     consumer_lag=sum(consumer_lag(app).values()))
            state["since"], state["totals"] = now, current


def throughput(before: dict[tuple[str, ...], int], after: dict[tuple[str, ...], int],
               seconds: float) -> dict[str, Any]:
    """Per stage, records in, dead-lettered and out (per topic) between two `totals()`, and
    records in per second."""
    counts: dict[str, dict[str, Any]] = {}
    for key, count in sorted(after.items()):
        kind, stage, *topic = key
        entry = counts.setdefault(stage, {"in": 0, "dead_lettered": 0, "out": {}})
        change = count - before.get(key, 0)
        if topic:
            entry["out"][topic[0]] = change
        else:
            entry[kind] = change
    return {
        "seconds": round(seconds, 1),
        "stages": counts,
        "records_per_second": {stage: round(count["in"] / seconds, 2) if seconds else 0.0
                               for stage, count in counts.items()},
    }


def _assigned(app: faust.App) -> set[Any]:
    consumer = getattr(app, "_consumer", None)
    try:
        return set(consumer.assignment()) if consumer is not None else set()
    except Exception:
        return set()
