"""Metrics: the counters agree with the records that went through the agents.

The agent-level run drives the real intake, clean and tag agents (their code from
`agents/*/agent.py`, the shell's hooks, a real Pipeline) over fake Faust streams and topics,
then reads `/metrics`' text (the registry) and compares it with what the topics received.
"""

from __future__ import annotations

import asyncio
from collections import Counter
from types import SimpleNamespace
from typing import Any

import orjson
import pytest
from faust.types import TP
from prometheus_client import generate_latest
from prometheus_client.parser import text_string_to_metric_families

from agents.clean.agent import register_clean_agents
from agents.pipeline import Pipeline
from agents.shell import StageTopics, StageWiring
from agents.tag.agent import register_tag_agent
from service import metrics
from tests.conftest import SAMPLES


def scrape() -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    """The registry as Prometheus would read it: (sample name, labels) -> value."""
    text = generate_latest(metrics.REGISTRY).decode()
    return {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
    }


def value(samples: dict, name: str, **labels: str) -> float:
    return samples.get((name, tuple(sorted(labels.items()))), 0.0)


class FakeTopic:
    """A topic that keeps what is sent to it."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.sent: list[dict[str, Any]] = []

    def get_topic_name(self) -> str:
        return self.name

    async def send(self, *, key: Any = None, value: Any = None, timestamp: Any = None,
                   headers: Any = None, partition: Any = None) -> None:
        self.sent.append({"key": key, "value": value, "timestamp": timestamp,
                          "headers": headers or {}})


class FakeApp:
    """Collects the agents a register function adds."""

    def __init__(self) -> None:
        self.agents: dict[str, Any] = {}

    def agent(self, topic: Any, name: str) -> Any:
        def register(function: Any) -> Any:
            self.agents[name] = function
            return function
        return register


class FakeStream:
    """`noack_take` over a fixed list of events, in batches; remembers what was acked."""

    def __init__(self, events: list[Any]) -> None:
        self.events = events
        self.acked: list[Any] = []

    async def noack_take(self, size: int, within: float) -> Any:
        for start in range(0, len(self.events), size):
            yield self.events[start:start + size]

    async def ack(self, event: Any) -> None:
        self.acked.append(event)


def event(topic: str, offset: int, value: bytes | None, *, key: bytes | None = None,
          headers: dict | None = None, timestamp: float = 1_741_000_000) -> Any:
    message = SimpleNamespace(topic=topic, partition=0, offset=offset, value=value, key=key,
                              timestamp=timestamp, headers=headers or {})
    return SimpleNamespace(message=message)


def events_from(topic: FakeTopic) -> list[Any]:
    """What a stage wrote to `topic`, as the next stage's input events."""
    return [event(topic.name, offset, sent["value"], key=sent["key"], headers=sent["headers"],
                  timestamp=sent["timestamp"] or 1_741_000_000)
            for offset, sent in enumerate(topic.sent)]


def test_the_function_api_counts_and_times():
    before = scrape()
    metrics.records_in("clean", 3)
    metrics.records_out("clean", topic="x.cleaned")
    metrics.records_out("clean", 2, topic="x.cleaned")
    metrics.dead_lettered("clean", "invalid_json")
    with metrics.batch_timer("clean"):
        pass
    after = scrape()

    def delta(name: str, **labels: str) -> float:
        return value(after, name, **labels) - value(before, name, **labels)

    assert delta("newsflow_records_in_total", stage="clean") == 3
    assert delta("newsflow_records_out_total", stage="clean", topic="x.cleaned") == 3
    assert delta("newsflow_records_dead_lettered_total", stage="clean",
                 error_code="invalid_json") == 1
    assert delta("newsflow_batch_seconds_count", stage="clean") == 1


def test_throughput_counts_each_stage_between_two_readings():
    before = {("in", "tag"): 10, ("out", "tag", "t"): 8, ("dead_lettered", "tag"): 1}
    after = {("in", "tag"): 30, ("out", "tag", "t"): 26, ("dead_lettered", "tag"): 3}
    line = metrics.throughput(before, after, 10.0)
    assert line["stages"] == {"tag": {"in": 20, "dead_lettered": 2, "out": {"t": 18}}}
    assert line["records_per_second"] == {"tag": 2.0}


@pytest.fixture(scope="module")
def agent_run():
    """Samples and a tombstone through intake, clean and tag; metrics before and after."""
    names = ["raw", "by_source", "cleaned", "tagged", "enriched", "unique", "dead_letter",
             "stories"]
    fakes = {name: FakeTopic(f"m.{name}") for name in names}
    app = FakeApp()
    wiring = StageWiring(app=app, topics=StageTopics(**fakes), pipeline=Pipeline(),
                         batch_size=4, batch_wait_seconds=0.0)
    register_clean_agents(wiring)
    register_tag_agent(wiring)
    lines = [line for line in SAMPLES.read_bytes().splitlines() if line.strip()]
    raw = [event("m.raw", offset, line) for offset, line in enumerate(lines)]
    raw.append(event("m.raw", len(raw), None))  # a tombstone

    async def run() -> None:
        await app.agents["newsflow.intake"](FakeStream(raw))
        await app.agents["newsflow.clean"](FakeStream(events_from(fakes["by_source"])))
        await app.agents["newsflow.tag"](FakeStream(events_from(fakes["cleaned"])))

    before = scrape()
    asyncio.run(run())
    return fakes, len(raw), before, scrape()


def test_counters_agree_with_the_records_that_went_through(agent_run):
    fakes, raw_count, before, after = agent_run

    def delta(name: str, **labels: str) -> float:
        return value(after, name, **labels) - value(before, name, **labels)

    dead = [orjson.loads(sent["value"]) for sent in fakes["dead_letter"].sent]
    codes = Counter((record["stage"], record["error_code"]) for record in dead)
    assert ("intake", "tombstone") in codes and ("clean", "empty_after_cleaning") in codes
    for (stage, code), count in codes.items():
        assert delta("newsflow_records_dead_lettered_total", stage=stage,
                     error_code=code) == count
    outputs = {"intake": "by_source", "clean": "cleaned", "tag": "tagged"}
    inputs = {"intake": raw_count, "clean": len(fakes["by_source"].sent),
              "tag": len(fakes["cleaned"].sent)}
    for stage, topic in outputs.items():
        written = len(fakes[topic].sent)
        rejected = sum(count for (where, _), count in codes.items() if where == stage)
        assert delta("newsflow_records_in_total", stage=stage) == inputs[stage]
        assert delta("newsflow_records_out_total", stage=stage,
                     topic=f"m.{topic}") == written
        assert inputs[stage] == written + rejected, stage
        assert delta("newsflow_batch_seconds_count", stage=stage) == -(-inputs[stage] // 4)
    assert len(fakes["tagged"].sent) == 6


class FakeConsumer:
    """Faust's consumer as the lag reads it: assignment, highwater, committed offsets."""

    def __init__(self, assigned: dict[tuple[str, int], tuple[int | None, int | None]]) -> None:
        self.assigned = {TP(*tp): offsets for tp, offsets in assigned.items()}
        self._committed_offset = {tp: committed for tp, (_, committed) in self.assigned.items()}

    def assignment(self) -> set:
        return set(self.assigned)

    def highwater(self, tp: TP) -> int | None:
        return self.assigned[tp][0]


def test_lag_is_highwater_minus_committed_for_committed_partitions():
    consumer = FakeConsumer({("a", 0): (120, 100), ("a", 1): (50, 50),
                             ("a-changelog", 0): (9, None)})
    app = SimpleNamespace(_consumer=consumer)
    assert metrics.consumer_lag(app) == {("a", 0): 20, ("a", 1): 0}
    assert metrics.consumer_lag(SimpleNamespace(_consumer=None)) == {}


def test_collector_reports_tables_lag_and_commit_age():
    class Table(dict):
        name = "clean-source-memory"
        changelog_topic = object()

        @property
        def data(self) -> dict:
            return self

    table = Table(a=1, b=2)
    wrapped = SimpleNamespace(table=SimpleNamespace(table=table))  # BufferedTable(StrKeyed(t))
    monitor = metrics.CommitMonitor()
    monitor.last_commit_at = monitor.started_at - 30
    collector = metrics.WorkerCollector(SimpleNamespace(_consumer=None), [wrapped], monitor)
    families = {family.name: family for family in collector.collect()}
    (entries,) = families["newsflow_table_entries"].samples
    assert (entries.labels, entries.value) == ({"table": "clean-source-memory"}, 2.0)
    (age,) = families["newsflow_last_commit_age_seconds"].samples
    assert 30 <= age.value < 60
    assert families["newsflow_consumer_lag"].samples == []
