"""The dedup judge: tagged articles in, verdicts out, one straight stateful stage.

`newsflow.dedup` reads articles.tagged (one partition: one order for every deployment) and
owns the dedup stores as Faust tables co-partitioned with it (changelog-backed; RocksDB in
production, with standby replicas so a failover does not replay the whole changelog). It
puts articles back in the order they came in (`reorder.ReorderBuffer`), runs the same core
as `newsflow enrich` (`Pipeline.dedup`) on each, and publishes to articles.enriched and (the
ones that are not duplicates) articles.unique. A timer sweeps entries older than the window.

Delivery: at least once. An article's event is acked only after its verdict is sent and the
batch's table writes are flushed, so its offset is committed after both; an article held in
the reorder buffer is not acked, so a crash replays it. A replayed article finds its record
and gets the verdict it got the first time.
"""

from __future__ import annotations

import asyncio
from functools import partial
from typing import Any

import structlog
from faust.types import EventT, StreamT

from agents.dedup.clock import arrival_time, event_time
from agents.dedup.reorder import ReorderBuffer, ReorderConfig
from agents.shell import StageWiring, origin
from schemas.models import Article

#: How often each shard sweeps its entries older than the window.
SWEEP_INTERVAL_SECONDS = 3600.0
#: How often the judge checks whether its reorder buffer has been idle long enough.
IDLE_CHECK_SECONDS = 0.5

log = structlog.get_logger("newsflow.agents")

Held = tuple[EventT, Article]


def register_dedup_agent(wiring: StageWiring, reorder: ReorderConfig) -> None:
    """Add the judge, its idle flush and the sweep timer to the app."""
    buffer: ReorderBuffer[Held] = ReorderBuffer(reorder)
    lock = asyncio.Lock()
    running: dict[str, Any] = {"stream": None, "latest": 0.0}

    async def release(held: list[Held]) -> None:
        """Judge and publish `held` in order, write the tables, then ack the events."""
        if not held:
            return
        log.debug("dedup_release", articles=[(a.ingested_at, a.id) for _, a in held])
        for event, article in held:
            await wiring.guarded(event, "dedup", partial(_judge, wiring, event, article))
            running["latest"] = max(running["latest"], event_time(article))
        wiring.flush_state()
        stream: StreamT = running["stream"]
        for event, _ in held:
            await stream.ack(event)
        # Commit now, not at the next interval: a release can be a whole burst of verdicts,
        # and a crash before the commit would publish every one of them again.
        await wiring.app.consumer.commit()

    @wiring.app.agent(wiring.topics.tagged, name="newsflow.dedup")
    async def judge(stream: StreamT) -> None:
        running["stream"] = stream
        async for events in stream.noack_take(wiring.batch_size,
                                              within=wiring.batch_wait_seconds):
            async with lock:
                for event in events:
                    article = await wiring.guarded(event, "dedup",
                                                   partial(_decode, wiring, event))
                    if article is None:
                        await stream.ack(event)  # dead-lettered
                    else:
                        buffer.add((arrival_time(article), article.id), (event, article))
                late = buffer.late
                await release(buffer.ready())
                if buffer.late > late:
                    log.warning("dedup_late_articles", late_total=buffer.late)

    tagged = wiring.topics.tagged.get_topic_name()

    @wiring.app.on_partitions_revoked.connect
    async def forget_held(app: Any, revoked: set[Any], **_: Any) -> None:
        # Held articles are not acked: the partition's next owner reads them again.
        if any(tp.topic == tagged for tp in revoked):
            buffer.drain()

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
                wiring.flush_state()
        except Exception as error:
            wiring.fatal("the dedup sweep failed", error)
        log.info("dedup_index_swept", removed=removed)


async def _decode(wiring: StageWiring, event: EventT) -> Article:
    return wiring.decode_article(event)


async def _judge(wiring: StageWiring, event: EventT, article: Article) -> None:
    """Judge one article and publish it."""
    verdict = wiring.pipeline.dedup(article)
    record = article.to_enriched()
    where = origin(event)
    await wiring.send(wiring.topics.enriched, article.id, record, origin=where)
    if verdict.status == "unique":
        await wiring.send(wiring.topics.unique, article.id, record, origin=where)
