"""What every stage's Faust agent shares: batching, sending, and the dead-letter path.

Agents consume raw bytes (Faust would crash an agent on a value it cannot decode), work on
batches from `stream.take_events` so the framework's per-record cost stays small next to the
text processing, and never await a delivery per record: Faust flushes the producer before it
commits offsets, so an offset is committed only once its output is written somewhere.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from typing import Any, Protocol, TypeVar

import faust
import orjson
import structlog
from faust.types import EventT, StreamT, TopicT

from agents.dead_letter import dead_letter
from agents.errors import Rejected
from agents.intake import decode_article, decode_raw
from agents.pipeline import Pipeline
from schemas.models import Article, RawArticle, Stage
from service import metrics

log = structlog.get_logger("newsflow.agents")
T = TypeVar("T")

#: Header naming where a forwarded record came from, as "partition:offset:topic".
ORIGIN_HEADER = "newsflow-origin"


class Flushable(Protocol):
    def flush(self) -> None: ...


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
    dedup_index: TopicT
    dedup_answers: TopicT


@dataclass(slots=True)
class StageWiring:
    """What an agent needs besides its core: topics and batching."""

    app: faust.App
    topics: StageTopics
    pipeline: Pipeline
    batch_size: int
    batch_wait_seconds: float
    #: State whose writes wait for the end of a batch (see `service.tables.BufferedTable`).
    state: list[Flushable] = field(default_factory=list)

    async def batches(self, stream: StreamT,
                      wait_seconds: float | None = None) -> AsyncIterator[list[EventT]]:
        """Events in batches of up to `batch_size`, or fewer after `batch_wait_seconds` (or
        `wait_seconds`, for agents that someone is waiting for).

        When the agent asks for the next batch, the state changes of the last one are
        written, before Faust can commit the last batch's offsets.
        """
        within = self.batch_wait_seconds if wait_seconds is None else wait_seconds
        async for events in stream.take_events(self.batch_size, within=within):
            stage = metrics.stage_reading(self.topics, events[0].message.topic)
            metrics.records_in(stage, len(events))
            with metrics.batch_timer(stage):
                yield events
                for store in self.state:
                    store.flush()

    async def attempt(
        self, event: EventT, stage: Stage, work: Callable[..., T], *args: Any
    ) -> T | None:
        """`work(*args)` for one event. If it rejects the record, or fails in a way we did not
        foresee, the event goes to the dead-letter topic and None comes back: an agent never
        crashes on a record."""
        try:
            return work(*args)
        except Rejected as rejection:
            await self.reject(event, rejection, stage)
        except Exception as error:
            await self.reject(event, unexpected(error, stage), stage)
        return None

    def decode_raw(self, event: EventT) -> RawArticle:
        """The raw article carried by an event (Rejected if malformed)."""
        return decode_raw(event.message.value, max_bytes=self.pipeline.max_payload_bytes)

    def decode_article(self, event: EventT) -> Article:
        """The article in flight carried by an internal-topic event (Rejected if malformed)."""
        return decode_article(event.message.value, max_bytes=self.pipeline.max_payload_bytes)

    async def send(
        self, topic: TopicT, key: str, record: object, *, timestamp: float | None = None
    ) -> None:
        """Queue a record for `topic` (delivery is awaited at commit time, not here)."""
        await topic.send(key=key.encode("utf-8"), value=orjson.dumps(record), timestamp=timestamp)
        name = topic.get_topic_name()
        metrics.records_out(metrics.stage_writing(self.topics, name), topic=name)

    async def forward(self, event: EventT, topic: TopicT, key: str) -> None:
        """Pass a record on unchanged under a new key, keeping its timestamp and origin."""
        message = event.message
        topic_name, partition, offset = origin(event)
        await topic.send(
            key=key.encode("utf-8"),
            value=message.value,
            timestamp=message.timestamp / 1000,
            headers={ORIGIN_HEADER: f"{partition}:{offset}:{topic_name}".encode()},
        )
        name = topic.get_topic_name()
        metrics.records_out(metrics.stage_writing(self.topics, name), topic=name)

    async def reject(self, event: EventT, rejection: Rejected, stage: Stage) -> None:
        """Send the event's original bytes to the dead-letter topic with the reason, and log it."""
        message = event.message
        topic, partition, offset = origin(event)
        record = dead_letter(
            rejection,
            stage=stage,
            payload=message.value if isinstance(message.value, bytes) else b"",
            key=message.key,
            topic=topic,
            partition=partition,
            offset=offset,
        )
        log.warning(
            "record_rejected",
            stage=stage,
            error_code=rejection.code,
            error_detail=rejection.detail,
            topic=topic,
            partition=partition,
            offset=offset,
        )
        await self.topics.dead_letter.send(key=message.key, value=orjson.dumps(record))
        metrics.dead_lettered(stage, rejection.code)


def origin(event: EventT) -> tuple[str, int, int]:
    """Where a record first entered the pipeline: its origin header if it was forwarded,
    else its own topic, partition and offset."""
    message = event.message
    headers = message.headers
    items = headers.items() if isinstance(headers, dict) else (headers or ())
    for name, value in items:
        if name == ORIGIN_HEADER:
            partition, offset, topic = bytes(value).decode().split(":", 2)
            return topic, int(partition), int(offset)
    return message.topic, message.partition, message.offset


def unexpected(error: Exception, stage: Stage) -> Rejected:
    """A bug or an input we did not foresee: reject the record rather than stop the agent."""
    log.exception("stage_failed", stage=stage)
    return Rejected("processing_error", f"{stage} failed: {error!r}")
