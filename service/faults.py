"""Checking a stream's outputs record by record, for the fault tests and `newsflow bench faults`.

Every published article must come out (enriched or dead-lettered), every copy of one
article's output must be the same record, and re-emissions are counted, not hidden.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections import defaultdict
from collections.abc import Callable, Coroutine, Iterable, Iterator
from dataclasses import dataclass, field, replace
from functools import partial
from pathlib import Path
from typing import Any

import orjson
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer

from service.kafka import client_options
from service.settings import Settings

#: Malformed records of every kind we know, and the code each must be dead-lettered with
#: (under a payload limit of 256 KiB). `None` is a tombstone.
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

#: Origin headers no stage wrote: ignored, the record is processed as it is.
BAD_HEADERS: list[list[tuple[str, bytes]]] = [
    [("newsflow-origin", b"garbage")],
    [("newsflow-origin", b"\xff\xfe:\x00")],
    [("newsflow-origin", b"")],
    [("newsflow-origin", b"1:x:topic")],
]

#: A record a fault run publishes: its value, its headers and the code it must be
#: dead-lettered with (None for a good record).
_Published = tuple[bytes | None, list[Any], str | None]


#: Fields of an enriched record that must be the same in every emission of one article.
#: (The judge orders keywords by what the stream has taught it so far, which for a replay
#: includes the articles judged since the first emission, so they are compared apart:
#: `keyword_changes`. The first emission's keywords do not depend on the layout.)
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

    def differing_fields(self) -> dict[str, int]:
        """For the inconsistent articles: how many differ in each stable field."""
        counts: dict[str, int] = defaultdict(int)
        for article_id in self.inconsistent():
            records = self.enriched[article_id]
            for name in STABLE_FIELDS:
                if any(other.get(name) != records[0].get(name) for other in records[1:]):
                    counts[name] += 1
        return dict(counts)

    def keyword_changes(self) -> int:
        return sum(1 for records in self.enriched.values()
                   if any(other["keywords"] != records[0]["keywords"] for other in records[1:]))


def _verdict(dedup: dict[str, Any]) -> tuple[Any, ...]:
    return (dedup["status"], dedup["duplicate_of"], dedup["similarity"], dedup["story_id"])


def _stable(record: dict[str, Any]) -> dict[str, Any]:
    return {name: record.get(name) for name in STABLE_FIELDS}


async def publish_records(settings: Settings, records: Iterable[tuple[bytes | None, bytes | None,
                                                                        list[tuple[str, bytes]]]],
                          *, partitions: int, compression: str | None = None,
                          spacing_ms: int = 1) -> int:
    """Publish (key, value, headers) to the raw topic, spread round-robin over `partitions`,
    with timestamps rising `spacing_ms` at least per record (the judge's order): spaced
    timestamps make a burst read like a live stream (a backlog replayed), which the judge's
    reorder buffer releases as its arrival time moves on."""
    producer = AIOKafkaProducer(**client_options(settings), linger_ms=5,
                                max_request_size=16 * 1024 * 1024,
                                compression_type=compression)
    await producer.start()
    sent = 0
    stamp = 0
    try:
        pending = []
        for key, value, headers in records:
            stamp = max(int(time.time() * 1000), stamp + spacing_ms)
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


# --- `newsflow bench faults`: longer fault runs on a broker of their own, with figures. ---


@dataclass(slots=True)
class FaultReport:
    """One scenario's figures."""

    name: str
    published: int
    outputs: Outputs
    expected_ids: set[str]
    expected_dead: set[tuple[str, int, int]]
    seconds: float
    notes: list[str] = field(default_factory=list)

    @property
    def lost(self) -> int:
        return (len(self.expected_ids - set(self.outputs.enriched))
                + len(self.expected_dead - set(self.outputs.dead_letters)))

    def lines(self) -> list[str]:
        out = self.outputs
        reemitted_enriched = sum(len(records) - 1 for records in out.enriched.values())
        reemitted_dead = sum(len(records) - 1 for records in out.dead_letters.values())
        reemitted = reemitted_enriched + reemitted_dead
        return [
            f"{self.name}:",
            f"  {self.published} published; {len(out.enriched)} articles enriched, "
            f"{len(out.dead_letters)} records dead-lettered in {self.seconds:.1f} s",
            f"  lost: {self.lost}; re-emitted outputs: {reemitted} "
            f"({100 * reemitted / max(self.published, 1):.1f}% of the input: "
            f"{reemitted_enriched} enriched, {reemitted_dead} dead letters); articles whose "
            f"outputs differ: {len(out.inconsistent())} {out.differing_fields() or ''}"
            f"(keywords differ: {out.keyword_changes()})",
            *(f"  {note}" for note in self.notes),
        ]


class FaultRig:
    """A broker of our own and workers on it, for one scenario."""

    def __init__(self, folder: Path, *, store: str, partitions: int) -> None:
        from service.broker import EmbeddedBroker, free_port

        self.folder = folder
        self.broker = EmbeddedBroker(free_port(), log_path=folder / "broker.log").start()
        self.settings = replace(Settings(), bootstrap_servers=self.broker.bootstrap_servers,
                                app_id="faults", partitions=partitions, store=store,
                                max_payload_bytes=256 * 1024)
        self.workers: list[Any] = []

    def worker(self, name: str, *, state: str | None = None) -> Any:
        """A worker logging to `<name>.log`, its tables in `<state or name>-state` (a worker
        restarted on the same data directory finds its RocksDB files there)."""
        from service.worker import WorkerProcess, worker_env

        env = worker_env(self.settings, self.broker.bootstrap_servers,
                         self.folder / f"{state or name}-state")
        env["NEWSFLOW_DEDUP_IDLE_SECONDS"] = "1"
        env["NEWSFLOW_MAX_PAYLOAD_BYTES"] = str(self.settings.max_payload_bytes)
        process = WorkerProcess(env, log_path=self.folder / f"{name}.log")
        self.workers.append(process)
        return process

    def close(self) -> None:
        for worker in self.workers:
            worker.stop(timeout=20)
        self.broker.stop()


def _expected(settings: Settings, stream: list[tuple[bytes | None, list[Any], str | None]],
              partitions: int) -> tuple[set[str], set[tuple[str, int, int]]]:
    """Ids of the good records and where each bad one was published (round-robin)."""
    from agents.errors import Rejected
    from agents.pipeline import Pipeline

    pipeline = Pipeline(max_payload_bytes=settings.max_payload_bytes)
    ids: set[str] = set()
    dead: set[tuple[str, int, int]] = set()
    for index, (value, _, code) in enumerate(stream):
        where = (settings.topics.raw, index % partitions, index // partitions)
        try:
            if code is not None or value is None:
                raise Rejected("processing_error", "malformed")
            ids.add(pipeline.clean(value, ingested_at="2024-01-01T00:00:00Z").id)
        except Rejected:
            dead.add(where)
    return ids, dead


def fault_benchmark(samples: Path, *, articles: int = 420, store: str = "rocksdb://",
                    kills: int = 3, freeze_seconds: float = 20.0,
                    only: tuple[str, ...] = ()) -> Iterator[str]:
    """Run every fault scenario (or those named in `only`: poison, kills, freeze,
    two-workers, broker-restart), yielding its figures as lines of text when it is done."""
    import shutil
    import tempfile

    from service.bench import _variations

    good = _variations(samples, articles, seed=17)
    poison: list[_Published] = [
        (value, [], code) for _ in range(max(1, articles // (2 * len(MALFORMED))))
        for _, value, code in MALFORMED]
    mixed: list[_Published] = []
    for number in range(max(len(good), len(poison))):
        if number < len(good):
            mixed.append((good[number], BAD_HEADERS[number % len(BAD_HEADERS)]
                          if number % 9 == 0 else [], None))
        if number < len(poison):
            mixed.append(poison[number])
    plain: list[_Published] = [(value, [], None) for value in good]
    scenarios: dict[str, tuple[str, list[_Published],
                               Callable[..., Coroutine[Any, Any, tuple[Outputs, list[str]]]]]] = {
        "poison": ("poison records interleaved with good ones", mixed, _steady),
        "kills": (f"kill -9 x{kills} during the stream", plain,
                  partial(_kill_cycles, kills=kills)),
        "freeze": (f"broker frozen {freeze_seconds:.0f} s (SIGSTOP/SIGCONT)", plain,
                   partial(_freeze, seconds=freeze_seconds)),
        "two-workers": ("two workers, one killed", plain, _one_of_two_killed),
        "broker-restart": ("broker killed and restarted empty", plain[:40], _broker_restart),
    }
    yield f"Fault runs, {store}, {articles} articles made from the samples"
    folder: Path | None
    for key, (name, stream, scenario) in scenarios.items():
        if only and key not in only:
            continue
        folder = Path(tempfile.mkdtemp(prefix="newsflow-faults-"))
        rig = FaultRig(folder, store=store, partitions=4)
        try:
            ids, dead = _expected(rig.settings, stream, 4)
            began = time.monotonic()
            outputs, notes = asyncio.run(scenario(rig, stream, ids, dead))
            report = FaultReport(name, len(stream), outputs, ids, dead,
                                 time.monotonic() - began, [*notes, _holes(folder)])
            yield from report.lines()
            if report.lost or "workers exiting" in report.notes[-1]:
                yield f"  (logs kept in {folder})"
                folder = None
        except Exception as error:
            yield f"{name}: FAILED: {error!r} (logs kept in {folder})"
            folder = None
        finally:
            rig.close()
            if folder is not None:
                shutil.rmtree(folder, ignore_errors=True)


def _holes(folder: Path) -> str:
    """From the workers' logs: how many times they found records skipped by the consumer
    and read them again (`agents.continuity`), and why any of them exited."""
    logs = [path.read_text(errors="replace") for path in folder.glob("*.log")]
    skipped = sum(text.count('"event": "offsets_skipped"') for text in logs)
    again = sum(text.count('"event": "offsets_read_again"') for text in logs)
    exits = [orjson.loads(line).get("reason") for text in logs for line in text.splitlines()
             if '"event": "worker_exiting"' in line]
    return (f"holes the consumer left in the offsets: {skipped}, read again: {again}"
            + (f"; workers exiting: {exits}" if exits else ""))


def _done(ids: set[str], dead: set[tuple[str, int, int]]) -> Any:
    return lambda outputs: ids <= set(outputs.enriched) and dead <= set(outputs.dead_letters)


async def _publish(rig: FaultRig, stream: list[Any]) -> None:
    """The stream as a live one: timestamps 50 ms apart."""
    await publish_records(rig.settings, ((b"k" if value is None else None, value, headers)
                                         for value, headers, _ in stream), partitions=4,
                          spacing_ms=50)


class Supervisor:
    """Starts the worker again whenever it is not running, on the same data directory, as
    compose's `restart: unless-stopped` and the dedup StatefulSet (with its volume) do: after
    a kill -9, or when it exits by itself (it exits non-zero when it cannot go on safely)."""

    def __init__(self, rig: FaultRig, worker: Any, name: str, state: str) -> None:
        self.rig, self.worker, self.name, self.state = rig, worker, name, state
        self.exit_codes: list[int | None] = []
        self._task: asyncio.Task[None] | None = None

    def __enter__(self) -> Supervisor:
        self._task = asyncio.get_running_loop().create_task(self._watch())
        return self

    def __exit__(self, *exc_info: object) -> None:
        if self._task is not None:
            self._task.cancel()

    async def kill_and_recover(self) -> float:
        """kill -9 the worker; seconds until its replacement is ready."""
        killed = time.monotonic()
        self.worker.kill()
        while not (self.worker.running and self.worker.is_ready()):
            await asyncio.sleep(0.5)
        return time.monotonic() - killed

    async def _watch(self) -> None:
        while True:
            await asyncio.sleep(0.5)
            if self.worker.running:
                continue
            code = self.worker.wait(0)
            if code is not None:  # None: killed by us (`kill` forgets the process)
                self.exit_codes.append(code)
            replacement = self.rig.worker(f"restarted-{len(self.rig.workers)}",
                                          state=self.state)
            with contextlib.suppress(RuntimeError, TimeoutError):
                await asyncio.to_thread(replacement.start, 120)
            self.worker = replacement

    def note(self) -> str:
        return (f"{self.name} exited by itself {len(self.exit_codes)} times (exit codes "
                f"{self.exit_codes}) and was restarted" if self.exit_codes
                else f"{self.name} never exited by itself")


def _start(rig: FaultRig, name: str) -> tuple[Any, float]:
    worker = rig.worker(name)
    began = time.monotonic()
    worker.start(timeout=120)
    return worker, time.monotonic() - began


async def _steady(rig: FaultRig, stream: list[Any], ids: set[str], dead: set[Any]
                  ) -> tuple[Outputs, list[str]]:
    worker, ready = _start(rig, "w")
    await _publish(rig, stream)
    outputs = await collect(rig.settings, done=_done(ids, dead), timeout=900, idle_timeout=60)
    return outputs, [f"worker alive at the end: {worker.running}; ready {ready:.1f} s after start"]


async def _progress(rig: FaultRig, at_least: int, timeout: float = 600) -> None:
    await collect(rig.settings, done=lambda o: len(o.enriched) >= at_least, timeout=timeout)


async def _kill_cycles(rig: FaultRig, stream: list[Any], ids: set[str], dead: set[Any], *,
                       kills: int) -> tuple[Outputs, list[str]]:
    worker, _ = _start(rig, "w0")
    await _publish(rig, stream)
    recoveries = []
    with Supervisor(rig, worker, "the worker", state="w0") as supervisor:
        for number in range(kills):
            await _progress(rig, len(ids) * (number + 1) // (kills + 1))
            recoveries.append(await supervisor.kill_and_recover())
        outputs = await collect(rig.settings, done=_done(ids, dead), timeout=900,
                                idle_timeout=60)
    return outputs, ["recovery after each kill -9 (kill to ready again): "
                     + ", ".join(f"{seconds:.1f} s" for seconds in recoveries),
                     supervisor.note()]


async def _freeze(rig: FaultRig, stream: list[Any], ids: set[str], dead: set[Any], *,
                  seconds: float) -> tuple[Outputs, list[str]]:
    from service.health import BROKER_FRESH_SECONDS

    worker, _ = _start(rig, "w")
    await _publish(rig, stream)
    await _progress(rig, len(ids) // 3)
    rig.broker.pause()
    await asyncio.sleep(seconds)
    ready_while_frozen = worker.is_ready()
    rig.broker.resume()
    resumed = time.monotonic()
    outputs = await collect(rig.settings, done=_done(ids, dead), timeout=900, idle_timeout=60)
    return outputs, [f"/readyz while frozen (after more than {BROKER_FRESH_SECONDS:.0f} s): "
                     f"{'200' if ready_while_frozen else '503'}; worker alive: "
                     f"{worker.running}; rest of the stream done "
                     f"{time.monotonic() - resumed:.1f} s after SIGCONT"]


async def _one_of_two_killed(rig: FaultRig, stream: list[Any], ids: set[str], dead: set[Any]
                             ) -> tuple[Outputs, list[str]]:
    first, _ = _start(rig, "a")
    second, _ = _start(rig, "b")
    await asyncio.sleep(8.0)  # the group settles with both
    await _publish(rig, stream)
    await _progress(rig, len(ids) // 3)
    first.kill()
    killed = time.monotonic()
    with Supervisor(rig, second, "the survivor", state="b") as supervisor:
        outputs = await collect(rig.settings, done=_done(ids, dead), timeout=900,
                                idle_timeout=90)
    return outputs, [f"the stream was done {time.monotonic() - killed:.1f} s after the kill",
                     supervisor.note()]


async def _broker_restart(rig: FaultRig, stream: list[Any], ids: set[str], dead: set[Any]
                          ) -> tuple[Outputs, list[str]]:
    worker, _ = _start(rig, "w")
    await _publish(rig, stream)
    await _progress(rig, len(ids))
    rig.broker.kill()
    rig.broker.start()
    began = time.monotonic()
    code = await asyncio.to_thread(worker.wait, 90.0)
    exited = time.monotonic() - began
    note = (f"worker exited with code {code} {exited:.1f} s after the broker came back empty "
            f"(alive after 90 s: {worker.running})")
    try:
        _, ready = _start(rig, "again")
    except TimeoutError as error:
        return Outputs(), [note, f"a new worker on the restarted broker: {error}"]
    await _publish(rig, stream)
    outputs = await collect(rig.settings, done=_done(ids, dead), timeout=600, idle_timeout=60)
    return outputs, [note, f"a new worker was ready {ready:.1f} s after start and took the "
                     "stream again (the counts are for that second pass)"]
