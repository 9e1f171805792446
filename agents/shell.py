"""What every stage's Faust agent shares: batching, guarded records, sending, dead letters.

Agents consume raw bytes (Faust would crash an agent on a value it cannot decode) and work
on batches, so the framework's per-record cost stays small next to the text processing.

Delivery: at least once, and nothing skipped. Batches come from `Stream.noack_take`, so no
event is acknowledged by Faust on its own: an event is acked only once its output or its
dead-letter record has been sent, and Faust commits an offset only when every offset before
it is acked (and only after flushing the producer). Everything a single record can make
fail (its headers, decoding, validation, processing, encoding, sending) runs inside
`guarded`, which dead-letters that record and goes on with the next; what fails for every
record alike (the broker refuses the dead letter too, a table cannot be written) is not a
record's fault: it propagates, the agent stops without acking, and the worker exits so that
a supervisor restarts it and the unacked records are read again (`service.health`).
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, NoReturn, Protocol, TypeVar

import faust
import orjson
import structlog
from faust.types import EventT, StreamT, TopicT

from agents.continuity import OffsetContinuity
from agents.dead_letter import dead_letter
from agents.errors import Rejected
from agents.intake import decode_article, decode_raw
from agents.pipeline import Pipeline
from schemas.models import Article, RawArticle, Stage
from service import metrics

log = structlog.get_logger("newsflow.agents")
T = TypeVar("T")

#: Header naming where a forwarded record first came in, as "partition:offset:topic".
ORIGIN_HEADER = "newsflow-origin"
#: Records on internal topics were checked against NEWSFLOW_MAX_PAYLOAD_BYTES at intake; what
#: the stages add (entities, keywords) may make them larger, up to what the producer sends.
INTERNAL_MAX_BYTES = 16 * 1024 * 1024


def _raise(reason: str, error: BaseException) -> NoReturn:
    raise error


class Flushable(Protocol):
    """State whose writes wait for the end of a batch (`service.tables.BufferedTable`)."""

    def flush(self) -> None: ...

    async def send_changelog(self, producer: Any,
                             on_lost: Callable[[str, BaseException], None]) -> None: ...


@dataclass(slots=True, frozen=True)
class Origin:
    """Where a record first entered the pipeline."""

    topic: str
    partition: int
    offset: int

    def header(self) -> dict[str, bytes]:
        return {ORIGIN_HEADER: f"{self.partition}:{self.offset}:{self.topic}".encode()}


@dataclass(slots=True)
class StageTopics:
    """The Faust topics the stages read and write (all bytes in, bytes out)."""

    raw: TopicT
    by_source: TopicT
    cleaned: TopicT
    tagged: TopicT
    enriched: TopicT
    unique: TopicT
    dead_letter: TopicT
    stories: TopicT


@dataclass(slots=True)
class StageWiring:
    """What an agent needs besides its core: topics, batching and its state."""

    app: faust.App
    topics: StageTopics
    pipeline: Pipeline
    batch_size: int
    batch_wait_seconds: float
    #: State whose writes wait for the end of a batch (see `service.tables.BufferedTable`).
    state: Sequence[Flushable] = field(default_factory=list)
    #: Ends the worker when something fails that is no record's fault (`service.health`).
    fatal: Callable[[str, BaseException], NoReturn] = field(default=_raise)
    #: Watches the input topics for records the consumer skipped (`agents.continuity`).
    continuity: OffsetContinuity = field(default_factory=OffsetContinuity)

    async def batches(self, stream: StreamT) -> AsyncIterator[list[EventT]]:
        """Events in batches of up to `batch_size`, or fewer after `batch_wait_seconds`.

        When the agent asks for the next batch, the last one is done: its state changes are
        written, then its events are acked (so their offsets may be committed). A batch
        whose handling raised is never acked. Events past records the consumer skipped are
        left out, unacked, until those are read again (`agents.continuity`).
        """
        async for events in self.unacked_batches(stream):
            stage = metrics.stage_reading(self.topics, events[0].message.topic)
            metrics.records_in(stage, len(events))
            with metrics.batch_timer(stage):
                yield list(events)
                await self.flush_state()
            for event in events:
                await stream.ack(event)

    async def unacked_batches(self, stream: StreamT) -> AsyncIterator[list[EventT]]:
        """Batches as Faust takes them, none acked, less the events past records the
        consumer skipped (`agents.continuity`); a batch left empty is not yielded."""
        # Faust's StreamT protocol lacks noack_take, which its Stream has.
        async for taken in stream.noack_take(self.batch_size,  # type: ignore[attr-defined]
                                             within=self.batch_wait_seconds):
            events = self.continuity.admit(taken)
            if events:
                yield events

    async def flush_state(self) -> None:
        """Write the tables' pending changes and hand their changelog records to the
        producer (before any offset they depend on is acked; Faust flushes the producer
        before it commits). Faust's producer is the aiokafka one underneath; its batches
        are built here, so the private accessor."""
        if not self.state:
            return
        for store in self.state:
            store.flush()
        producer = self.app.producer._ensure_producer()  # type: ignore[attr-defined]
        for store in self.state:
            await store.send_changelog(producer, self.fatal)

    async def guarded(self, event: EventT, stage: Stage,
                      work: Callable[[], Awaitable[T]]) -> T | None:
        """Run `work()` for one event. If it rejects the record, or fails in any way we did
        not foresee, the event goes to the dead-letter topic and None comes back: an agent
        never stops on a record."""
        try:
            return await work()
        except Rejected as rejection:
            await self.reject(event, rejection, stage)
        except Exception as error:
            await self.reject(event, unexpected(error, stage), stage)
        return None

    def decode_raw(self, event: EventT) -> RawArticle:
        """The raw article carried by an event (Rejected if malformed)."""
        return decode_raw(_value(event), max_bytes=self.pipeline.max_payload_bytes)

    def decode_article(self, event: EventT) -> Article:
        """The article in flight carried by an internal-topic event (Rejected if malformed)."""
        return decode_article(_value(event), max_bytes=INTERNAL_MAX_BYTES)

    async def send(self, topic: TopicT, key: str, record: object, *, origin: Origin,
                   timestamp: float | None = None) -> None:
        """Queue a record for `topic`, naming where it first came in (delivery is awaited
        at commit time, not here)."""
        await topic.send(key=key.encode("utf-8"), value=orjson.dumps(record),
                         timestamp=timestamp, headers=origin.header())
        self._count_out(topic)

    async def forward(self, event: EventT, topic: TopicT, key: str) -> None:
        """Pass a record on unchanged under a new key, keeping its timestamp and origin."""
        message = event.message
        await topic.send(key=key.encode("utf-8"), value=message.value,
                         timestamp=message.timestamp, headers=origin(event).header())
        self._count_out(topic)

    def _count_out(self, topic: TopicT) -> None:
        name = topic.get_topic_name()
        metrics.records_out(metrics.stage_writing(self.topics, name), topic=name)

    async def reject(self, event: EventT, rejection: Rejected, stage: Stage) -> None:
        """Send the event's bytes to the dead-letter topic with the reason (cut to fit the
        broker's limit if need be), naming where the record first came in, and log it."""
        message = event.message
        where = origin(event)
        value = message.value
        record = dead_letter(
            rejection,
            stage=stage,
            payload=bytes(value) if isinstance(value, bytes | bytearray | memoryview) else b"",
            key=bytes(message.key) if isinstance(message.key, bytes | bytearray) else None,
            topic=where.topic,
            partition=where.partition,
            offset=where.offset,
        )
        log.warning(
            "record_rejected",
            stage=stage,
            error_code=rejection.code,
            error_detail=record.error_detail,
            topic=where.topic,
            partition=where.partition,
            offset=where.offset,
            truncated=record.payload_truncated or None,
        )
        await self.topics.dead_letter.send(key=message.key if isinstance(message.key, bytes)
                                           else None, value=orjson.dumps(record))
        metrics.dead_lettered(stage, rejection.code)


def _value(event: EventT) -> bytes:
    """An event's value as bytes; a tombstone (no value) is rejected, not decoded."""
    value = event.message.value
    if value is None:
        raise Rejected("tombstone", "the message has no value (a tombstone)")
    return bytes(value)


def origin(event: EventT) -> Origin:
    """Where a record first entered the pipeline: its origin header if it carries a valid
    one, else its own topic, partition and offset. Never raises: a header we cannot read is
    logged and ignored."""
    message = event.message
    own = Origin(message.topic, message.partition, message.offset)
    headers = message.headers
    items: Any = headers.items() if isinstance(headers, dict) else (headers or ())
    for name, value in items:
        if name != ORIGIN_HEADER:
            continue
        try:
            partition, offset, topic = bytes(value).decode("utf-8").split(":", 2)
            return Origin(topic, int(partition), int(offset))
        except (TypeError, ValueError) as error:  # UnicodeDecodeError is a ValueError
            log.warning("origin_header_ignored", topic=own.topic, partition=own.partition,
                        offset=own.offset, error=repr(error))
    return own


def unexpected(error: Exception, stage: Stage) -> Rejected:
    """A bug or an input we did not foresee: reject the record rather than stop the agent."""
    log.exception("stage_failed", stage=stage)
    return Rejected("processing_error", f"{stage} failed: {error!r}")
