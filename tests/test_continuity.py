"""Records the consumer skipped are noticed, left unacked past the hole, and read again."""

from __future__ import annotations

import asyncio
from types import SimpleNamespace
from typing import Any

import pytest
from faust.types import TP

from agents import continuity as module
from agents.continuity import (
    OffsetContinuity,
    RecordsSkipped,
    keep_holes_open,
    mark_without_records,
)

TAGGED = TP("articles.tagged", 0)


def event(offset: int, tp: TP = TAGGED) -> Any:
    return SimpleNamespace(message=SimpleNamespace(topic=tp.topic, tp=tp, offset=offset))


def offsets(events: list[Any]) -> list[int]:
    return [item.message.offset for item in events]


class FakeConsumer:
    """What healing uses: the committed offsets, pause, seek and resume (recorded)."""

    def __init__(self, committed: dict[TP, int]) -> None:
        self._committed_offset = committed
        self.calls: list[tuple[str, int | None]] = []

    def pause_partitions(self, tps: list[TP]) -> None:
        self.calls.append(("pause", None))

    async def seek(self, tp: TP, offset: int) -> None:
        self.calls.append(("seek", offset))

    def resume_partitions(self, tps: list[TP]) -> None:
        self.calls.append(("resume", None))


class FakeApp:
    def __init__(self, committed: dict[TP, int] | None = None) -> None:
        self.consumer = FakeConsumer(committed or {})
        self.handlers: list[Any] = []
        self.on_partitions_assigned = SimpleNamespace(connect=self.handlers.append)


def watching(app: FakeApp, **kwargs: Any) -> OffsetContinuity:
    return OffsetContinuity(app, ["articles.tagged"], **kwargs).watch()


@pytest.fixture(autouse=True)
def quick(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(module, "DRAIN_SECONDS", 0.01)
    monkeypatch.setattr(module, "HEAL_SECONDS", 0.05)


async def test_contiguous_offsets_and_replays_pass() -> None:
    continuity = watching(FakeApp({TAGGED: 10}))
    assert offsets(continuity.admit([event(10), event(11), event(12)])) == [10, 11, 12]
    assert offsets(continuity.admit([event(11), event(12), event(13)])) == [11, 12, 13]
    assert offsets(continuity.admit([event(14)])) == [14]
    assert continuity.healed == 0


async def test_a_hole_is_read_again_before_anything_past_it_goes_on() -> None:
    app = FakeApp({TAGGED: 10})
    continuity = watching(app)
    assert offsets(continuity.admit([event(10), event(11), event(40), event(41)])) == [10, 11]
    await asyncio.sleep(0.03)  # paused, drained, sought back
    assert app.consumer.calls == [("pause", None), ("seek", 12), ("resume", None)]
    assert continuity.admit([event(42)]) == []  # still past the hole: left out
    assert offsets(continuity.admit([event(12), event(13)])) == [12, 13]
    assert continuity.healed == 1
    assert offsets(continuity.admit([event(14)])) == [14]


async def test_the_first_event_after_an_assignment_starts_at_the_committed_offset() -> None:
    app = FakeApp({TAGGED: 165})
    continuity = watching(app)
    assert continuity.admit([event(166)]) == []
    await asyncio.sleep(0.03)
    assert ("seek", 165) in app.consumer.calls


async def test_a_hole_that_never_fills_ends_the_worker() -> None:
    ended: list[BaseException] = []

    def fatal(reason: str, error: BaseException) -> Any:
        ended.append(error)
        raise asyncio.CancelledError

    continuity = watching(FakeApp({TAGGED: 0}), fatal=fatal)
    continuity.admit([event(0), event(5)])
    await asyncio.sleep(0.5)
    assert len(ended) == 1 and isinstance(ended[0], RecordsSkipped)
    assert [name for name, _ in continuity.app.consumer.calls].count("seek") == 3


async def test_a_partition_taken_away_starts_over_when_it_comes_back() -> None:
    app = FakeApp()
    continuity = watching(app)
    assert offsets(continuity.admit([event(5), event(6)])) == [5, 6]
    await app.handlers[0](app, {TAGGED})  # kept: goes on where it was
    assert offsets(continuity.admit([event(7)])) == [7]
    await app.handlers[0](app, set())
    await app.handlers[0](app, {TAGGED})
    assert offsets(continuity.admit([event(30)])) == [30]  # nothing committed known


async def test_unwatched_topics_are_not_checked() -> None:
    continuity = watching(FakeApp())
    other = TP("elsewhere", 0)
    assert offsets(continuity.admit([event(1, other), event(7, other)])) == [1, 7]


async def test_faust_commits_past_a_hole_only_once_the_broker_says_it_is_empty() -> None:
    """Faust would take any hole as records needing no ack, and commit past it."""
    gaps: list[tuple[int, int]] = []

    async def add_gap(tp: TP, offset_from: int, offset_to: int) -> None:
        gaps.append((offset_from, offset_to))

    consumer = SimpleNamespace(_add_gap=add_gap)
    keep_holes_open(consumer)
    await consumer._add_gap(TAGGED, 12, 40)  # what Faust's reader does on a jump
    assert gaps == []
    await mark_without_records(consumer, TAGGED, 12, 14)
    assert gaps == [(12, 14)]


async def test_offsets_without_records_are_let_go() -> None:
    """A transaction marker on the raw topic leaves an offset with no record."""
    raw = TP("articles.raw", 0)
    gaps: list[tuple[int, int]] = []

    async def add_gap(tp: TP, offset_from: int, offset_to: int) -> None:
        gaps.append((offset_from, offset_to))

    async def first_record(tp: TP, offset: int) -> int:
        return 8  # offsets 5 to 7 hold no record

    app = FakeApp({raw: 3})
    app.consumer._add_gap = add_gap  # type: ignore[attr-defined]
    continuity = OffsetContinuity(app, ["articles.raw"], first_record=first_record).watch()
    assert offsets(continuity.admit([event(3, raw), event(4, raw), event(8, raw)])) == [3, 4]
    await asyncio.sleep(0.03)
    assert gaps == [(5, 7)]
    assert ("seek", 8) in app.consumer.calls
    assert offsets(continuity.admit([event(8, raw), event(9, raw)])) == [8, 9]
    assert continuity.healed == 1
