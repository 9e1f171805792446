"""The dedup judge: tagged articles in, verdicts out, one straight stateful stage.

`newsflow.dedup` reads articles.tagged (one partition: one order for every deployment) and
owns the dedup stores as Faust tables co-partitioned with it (changelog-backed; RocksDB in
production, with standby replicas so a failover does not replay the whole changelog). It
puts articles back in the order they came in (`reorder.ReorderBuffer`), runs the same core
as `newsflow enrich` (`Pipeline.dedup`) on each, and publishes to articles.enriched and (the
ones that are not duplicates) articles.unique, and the story each article created or joined
to articles.stories (keyed by story id, so a compacted topic keeps each story's latest
record). A timer sweeps entries older than the window.

Delivery: at least once. An article's event is acked only after its verdict is sent and the
batch's table writes are flushed, so its offset is committed after both; an article held in
the reorder buffer is not acked, so a crash replays it. A replayed article finds its record
and gets the verdict it got the first time. The same raw record read again at another
offset (an upstream stage replayed it after a crash) is not published again: the record
it finds was published before its offset was committed, or will be when that offset is
read again (`ArticleRecord.redelivery`). A raw record a scraper sent again is published.
"""

from __future__ import annotations

import asyncio
import heapq
from dataclasses import dataclass
from functools import partial
from typing import Any

import structlog
from faust.types import EventT, StreamT

from agents.dedup.clock import arrival_time, event_time
from agents.dedup.records import Reading
from agents.dedup.reorder import ReorderBuffer, ReorderConfig
from agents.shell import StageWiring, origin
from schemas.models import Article, Story
from service import metrics

#: How often the judge sweeps index entries older than the window.
SWEEP_INTERVAL_SECONDS = 3600.0
#: How often the judge checks whether its reorder buffer has been idle long enough.
IDLE_CHECK_SECONDS = 0.5

log = structlog.get_logger("newsflow.agents")

Held = tuple[EventT, Article]


class OffsetOrderAcks:
    """Acks events in offset order, each once every earlier event of its partition is done.

    The judge finishes events out of offset order (it judges in arrival-time order, and
    dead-letters at once). Faust's commit treats an unacked record at the committed offset
    as done when the next ones are acked (`_new_offset` allows a difference of one), so a
    held article there would be committed past and lost in a crash: never leave that hole.
    """

    def __init__(self) -> None:
        self._open: dict[Any, set[int]] = {}
        self._done: dict[Any, list[tuple[int, int, EventT]]] = {}
        self._count = 0

    def taken(self, event: EventT) -> None:
        self._open.setdefault(event.message.tp, set()).add(event.message.offset)

    def done(self, event: EventT) -> None:
        tp, offset = event.message.tp, event.message.offset
        self._open.get(tp, set()).discard(offset)
        self._count += 1
        heapq.heappush(self._done.setdefault(tp, []), (offset, self._count, event))

    def ackable(self) -> list[EventT]:
        """Done events with no open event before them, in offset order."""
        out: list[EventT] = []
        for tp, done in self._done.items():
            still_open = self._open.get(tp)
            floor = min(still_open) if still_open else float("inf")
            while done and done[0][0] < floor:
                out.append(heapq.heappop(done)[2])
        return out


def register_dedup_agent(wiring: StageWiring, reorder: ReorderConfig) -> None:
    """Add the judge, its idle flush and the sweep timer to the app."""
    buffer: ReorderBuffer[Held] = ReorderBuffer(reorder)
    acks = OffsetOrderAcks()
    lock = asyncio.Lock()
    running: dict[str, Any] = {"stream": None, "latest": 0.0}

    async def release(held: list[Held], *, commit: bool = True) -> None:
        """Judge `held` in order, make the index writes durable, then publish the verdicts
        and ack the events. Writes go first: a crash after a verdict is out must find it
        stored, so that the replay gets the same verdict."""
        if not held:
            return
        log.debug("dedup_release", articles=[(a.ingested_at, a.id) for _, a in held])
        judged: list[tuple[EventT, Article, Story | None]] = []
        for event, article in held:
            outcome = await wiring.guarded(event, "dedup",
                                           partial(_judge, wiring, event, article))
            if outcome is None:
                pass  # dead-lettered
            elif outcome.redelivered:
                metrics.redelivery_skipped()
                log.debug("dedup_redelivery_skipped", article_id=article.id,
                          offset=event.message.offset)
            else:
                judged.append((event, article, outcome.story))
            running["latest"] = max(running["latest"], event_time(article))
        await wiring.flush_state()
        await wiring.app.producer.flush()
        for event, article, story in judged:
            await wiring.guarded(event, "dedup",
                                 partial(_publish, wiring, event, article, story))
        for event, _ in held:
            acks.done(event)
        await ack_ready()
        if commit:
            # Commit now, not at the next interval: a release can be a whole burst of
            # verdicts, and a crash before the commit would publish every one of them again.
            await wiring.app.consumer.commit()

    async def ack_ready() -> None:
        stream: StreamT = running["stream"]
        for event in acks.ackable():
            await stream.ack(event)

    @wiring.app.agent(wiring.topics.tagged, name="newsflow.dedup")
    async def judge(stream: StreamT) -> None:
        running["stream"] = stream
        async for events in wiring.unacked_batches(stream):
            metrics.records_in("dedup", len(events))
            async with lock:
                with metrics.batch_timer("dedup"):
                    for event in events:
                        acks.taken(event)
                        article = await wiring.guarded(event, "dedup",
                                                       partial(_decode, wiring, event))
                        if article is None:
                            acks.done(event)  # dead-lettered
                        else:
                            buffer.add((arrival_time(article), article.id), (event, article))
                    late = buffer.late
                    await release(buffer.ready())
                    await ack_ready()
                if buffer.late > late:
                    log.warning("dedup_late_articles", late_total=buffer.late)

    tagged = wiring.topics.tagged.get_topic_name()

    # mode's SignalHandlerT wants (sender, *args, signal=..., **kwargs); Faust calls
    # on_partitions_revoked handlers as (app, revoked) plus keyword arguments.
    @wiring.app.on_partitions_revoked.connect  # type: ignore[arg-type]
    async def release_held(app: Any, revoked: set[Any], **_: Any) -> None:
        # Faust counts every record it has read as handled (it will not read it again after
        # the rebalance, even if it keeps the partition), so held articles are judged now.
        if any(tp.topic == tagged for tp in revoked) and len(buffer):
            async with lock:
                await release(buffer.drain(), commit=False)

    @wiring.app.timer(interval=IDLE_CHECK_SECONDS)
    async def release_when_idle() -> None:
        if running["stream"] is None or not buffer.idle():
            return
        try:
            async with lock:
                await release(buffer.drain())
        except Exception as error:
            wiring.fatal("the dedup judge failed releasing held articles", error)

    @wiring.app.timer(interval=SWEEP_INTERVAL_SECONDS)
    async def sweep() -> None:
        if not running["latest"]:
            return
        try:
            async with lock:
                removed = wiring.pipeline.deduplicator.expire(running["latest"])
                await wiring.flush_state()
        except Exception as error:
            wiring.fatal("the dedup sweep failed", error)
        log.info("dedup_index_swept", removed=removed)


async def _decode(wiring: StageWiring, event: EventT) -> Article:
    return wiring.decode_article(event)


@dataclass(frozen=True, slots=True)
class Judged:
    """What judging one article gave, besides its verdict (in `article.dedup`)."""

    #: The story it created or joined, to publish with it (None for a replay).
    story: Story | None
    #: The same raw record read again at another offset, its verdict published: skip it.
    redelivered: bool


async def _judge(wiring: StageWiring, event: EventT, article: Article) -> Judged:
    """Judge one article: its verdict goes into `article.dedup`, its writes into the index,
    with where it was read (articles.tagged has one partition) and the raw record it came
    from."""
    first = origin(event)
    reading = Reading(event.message.offset, f"{first.partition}:{first.offset}")
    wiring.pipeline.dedup(article, reading)
    return Judged(wiring.pipeline.story_update(), wiring.pipeline.redelivered())


async def _publish(wiring: StageWiring, event: EventT, article: Article,
                   story: Story | None) -> None:
    """Publish a judged article, and the story it created or joined."""
    assert article.dedup is not None
    record = article.to_enriched()
    where = origin(event)
    await wiring.send(wiring.topics.enriched, article.id, record, origin=where)
    if article.dedup.status == "unique":
        await wiring.send(wiring.topics.unique, article.id, record, origin=where)
    if story is not None:
        await wiring.send(wiring.topics.stories, story.story_id, story, origin=where)
