"""The judge's reorder buffer and its offset-ordered acks (plain Python, no broker)."""

from __future__ import annotations

from types import SimpleNamespace

from agents.dedup.agent import OffsetOrderAcks
from agents.dedup.reorder import ReorderBuffer, ReorderConfig


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_articles_come_out_in_arrival_time_then_id_order_behind_the_watermark():
    buffer: ReorderBuffer[str] = ReorderBuffer(ReorderConfig(grace_seconds=5, idle_seconds=2),
                                               clock=Clock())
    for key in [(10.0, "b"), (12.0, "c"), (10.0, "a"), (11.0, "d")]:
        buffer.add(key, key[1])
    assert buffer.ready() == []  # nothing is 5 s behind the latest arrival (12)
    buffer.add((16.0, "e"), "e")
    assert buffer.ready() == ["a", "b", "d"]  # at or before 16 - 5
    assert len(buffer) == 2 and buffer.late == 0


def test_a_late_article_is_released_at_once_and_counted():
    buffer: ReorderBuffer[str] = ReorderBuffer(ReorderConfig(grace_seconds=1), clock=Clock())
    buffer.add((10.0, "a"), "a")
    buffer.add((20.0, "b"), "b")
    assert buffer.ready() == ["a"]
    buffer.add((5.0, "late"), "late")
    assert buffer.ready() == ["late"]
    assert buffer.late == 1


def test_an_idle_buffer_is_drained_and_a_full_one_releases_its_oldest():
    clock = Clock()
    buffer: ReorderBuffer[str] = ReorderBuffer(
        ReorderConfig(grace_seconds=60, idle_seconds=2, max_held=2), clock=clock)
    buffer.add((1.0, "x"), "x")
    buffer.add((2.0, "y"), "y")
    assert not buffer.idle()
    clock.now = 2.5
    assert buffer.idle()
    buffer.add((3.0, "z"), "z")
    assert buffer.ready() == ["x"]  # three held, two allowed
    assert buffer.drain() == ["y", "z"]


def _event(offset: int) -> SimpleNamespace:
    return SimpleNamespace(message=SimpleNamespace(tp=("tagged", 0), offset=offset))


def test_acks_never_leave_an_open_offset_behind_them():
    """Faust would commit past an unacked record at the committed offset: an event is
    acked only when every earlier one of its partition is done."""
    acks = OffsetOrderAcks()
    events = [_event(offset) for offset in range(5)]
    for event in events:
        acks.taken(event)
    acks.done(events[1])  # dead-lettered at once
    acks.done(events[3])  # released before the article at offset 0
    assert acks.ackable() == []
    acks.done(events[0])
    assert [e.message.offset for e in acks.ackable()] == [0, 1]
    acks.done(events[2])
    acks.done(events[4])
    assert [e.message.offset for e in acks.ackable()] == [2, 3, 4]
