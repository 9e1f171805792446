"""Noticing records the consumer skipped, and reading them again before going on.

Around a rebalance Faust can lose records it had fetched: its stream buffers are cleared
when the flow resumes (twice, if the assignment changes again during recovery), while the
records it had already taken from the fetcher move its read offset past them, so the
seek back to the committed offset does not bring them back. We saw it with two workers,
one of them killed (the survivor took over the judge's partition and 1 to 44 articles never
reached it), and after kill -9 (a hole of 93 offsets, lost for good once upstream replays
were no longer published twice).

So every agent checks that each event comes at the next offset expected. When one comes
past it, its partition is healed: its events past the hole are dropped unprocessed (so
nothing past the hole is acked; and Faust is kept from taking the hole as records that need
no ack, `keep_holes_open`, so no commit passes it), and the partition is paused while the
records Faust already holds drain. A consumer of its own asks the broker for the first
record at or after the hole: offsets before it hold no record (a transaction marker on the
raw topic, a compacted record) and are let go. Then the consumer seeks back to the first
missing record and the partition resumes. If it has not come after `HEAL_ATTEMPTS` tries,
the worker exits (code 70) so that a supervisor restarts it and it reads from the
committed offset. (Our internal topics never have holes of their own: one non-transactional
producer writes them and none is compacted.)
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, NoReturn

import structlog
from faust.types import TP, EventT

log = structlog.get_logger("newsflow.agents")

#: How long a paused partition waits for the records Faust already holds to drain.
DRAIN_SECONDS = 2.0
#: How long after a seek the missing record may take to come, per attempt.
HEAL_SECONDS = 10.0
HEAL_ATTEMPTS = 3

#: Asks the broker for the offset of the first record of a partition at or after an offset.
FirstRecord = Callable[[TP, int], Awaitable[int | None]]


class RecordsSkipped(RuntimeError):
    """The consumer skipped records and seeking back did not bring them."""

    def __init__(self, tp: TP, expected: int, offset: int) -> None:
        super().__init__(f"{tp.topic}[{tp.partition}]: offsets from {expected} were skipped "
                         f"by the consumer (expected {expected}, got {offset}) and did not "
                         f"come back after {HEAL_ATTEMPTS} seeks")
        self.tp, self.expected, self.offset = tp, expected, offset


@dataclass(slots=True)
class _Hole:
    expected: int
    offset: int
    attempts: int = 0
    since: float = field(default_factory=time.monotonic)


def _raise(reason: str, error: BaseException) -> NoReturn:
    raise error


class OffsetContinuity:
    """The next offset expected on each partition of the topics it watches.

    The first event of a partition after an assignment is compared with the committed
    offset, later ones with the one before. Offsets may go back (a replay), never forward.
    """

    def __init__(self, app: Any = None, topics: Iterable[str] = (),
                 fatal: Callable[[str, BaseException], NoReturn] = _raise,
                 first_record: FirstRecord | None = None) -> None:
        self.app = app
        self.topics = frozenset(topics)
        self.fatal = fatal
        self.first_record = first_record
        self.healed = 0
        self._next: dict[TP, int] = {}
        self._holes: dict[TP, _Hole] = {}
        self._tasks: set[asyncio.Task[None]] = set()

    def watch(self) -> OffsetContinuity:
        """Forget the partitions each rebalance takes away: one assigned again later starts
        from the committed offset. (A partition kept goes on where it was: its events
        already taken may still come, and a replay goes back, which is allowed.)"""
        self.app.on_partitions_assigned.connect(self._on_assigned)
        return self

    async def _on_assigned(self, app: Any, assigned: Any, **_: Any) -> None:
        kept = set(assigned)
        for tp in [tp for tp in self._next if tp not in kept]:
            del self._next[tp]
        for tp in [tp for tp in self._holes if tp not in kept]:
            del self._holes[tp]  # its new owner reads from the committed offset

    def admit(self, events: Iterable[EventT]) -> list[EventT]:
        """The events to process: all but those past a hole, whose partition is healed."""
        admitted: list[EventT] = []
        for event in events:
            message = event.message
            if message.topic not in self.topics:
                admitted.append(event)
                continue
            tp = message.tp
            expected = self._next.get(tp)
            if expected is None:
                expected = committed_offset(self.app, tp)
            if expected is not None and message.offset > expected:
                self._skipped(tp, expected, message.offset)
                continue
            hole = self._holes.pop(tp, None)
            if hole is not None and message.offset == hole.expected:
                self.healed += 1
                log.warning("offsets_read_again", topic=tp.topic, partition=tp.partition,
                            offset=hole.expected, attempts=hole.attempts,
                            seconds=round(time.monotonic() - hole.since, 1))
            elif hole is not None:
                self._holes[tp] = hole
            self._next[tp] = max(expected or 0, message.offset + 1)
            admitted.append(event)
        return admitted

    def _skipped(self, tp: TP, expected: int, offset: int) -> None:
        hole = self._holes.get(tp)
        if hole is None:
            log.warning("offsets_skipped", topic=tp.topic, partition=tp.partition,
                        expected=expected, got=offset)
            self._holes[tp] = hole = _Hole(expected, offset)
            self._start_healing(tp, hole)

    def _start_healing(self, tp: TP, hole: _Hole) -> None:
        task = asyncio.get_running_loop().create_task(self._heal(tp, hole))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _heal(self, tp: TP, hole: _Hole) -> None:
        consumer = self.app.consumer
        tp = TP(tp.topic, tp.partition)  # Faust's own kind, which its partition sets assert
        while self._holes.get(tp) is hole:
            if hole.attempts >= HEAL_ATTEMPTS:
                self.fatal("the consumer skipped records and seeking back did not bring "
                           "them", RecordsSkipped(tp, hole.expected, hole.offset))
            hole.attempts += 1
            consumer.pause_partitions([tp])
            await asyncio.sleep(DRAIN_SECONDS)  # what Faust holds for tp drains (dropped)
            if self._holes.get(tp) is not hole:
                return  # reassigned meanwhile: read from the committed offset anyway
            if hole.attempts == 1:
                await self._skip_offsets_without_records(consumer, tp, hole)
            await consumer.seek(tp, hole.expected)
            consumer.resume_partitions([tp])
            log.info("offsets_sought_back", topic=tp.topic, partition=tp.partition,
                     offset=hole.expected, attempt=hole.attempts)
            await asyncio.sleep(HEAL_SECONDS)


    async def _skip_offsets_without_records(self, consumer: Any, tp: TP, hole: _Hole) -> None:
        """Ask the broker, apart from the consumer, for the first record at or after the hole.
        Offsets before it hold no record (a transaction marker, a compacted record): they
        may be committed past (`mark_without_records`), and reading goes on from there."""
        if self.first_record is None:
            return
        first = await self.first_record(tp, hole.expected)
        if first is None or first <= hole.expected:
            return  # there are records in the hole: read them again
        log.info("offsets_without_records", topic=tp.topic, partition=tp.partition,
                 offsets=f"{hole.expected}-{first - 1}")
        await mark_without_records(consumer, tp, hole.expected, first - 1)
        self._next[tp] = hole.expected = first


def keep_holes_open(consumer: Any) -> None:
    """Stop `consumer` from committing past holes in the offsets it reads.

    Faust takes every hole it sees between the offsets it reads as records that need no ack
    (which suits compacted and transactional topics) and commits past it, but a hole is also
    what Faust leaves when it drops records around a rebalance. Only a hole the broker
    confirms has no records (`OffsetContinuity`) is marked so (`mark_without_records`).
    """
    consumer._newsflow_add_gap = consumer._add_gap

    async def _keep_open(tp: TP, offset_from: int, offset_to: int) -> None:
        return None

    consumer._add_gap = _keep_open


async def mark_without_records(consumer: Any, tp: TP, first: int, last: int) -> None:
    """Let Faust commit past offsets `first` to `last`, which hold no record."""
    add_gap = getattr(consumer, "_newsflow_add_gap", None) or consumer._add_gap
    await add_gap(tp, first, last)


def committed_offset(app: Any, tp: TP) -> int | None:
    """The offset Faust last committed (or seeked to) on `tp`: where reading starts after an
    assignment. Faust keeps it in a private map; None if it has none yet."""
    offsets = getattr(app.consumer, "_committed_offset", None) or {}
    offset = offsets.get(tp)
    return offset if isinstance(offset, int) and offset >= 0 else None
