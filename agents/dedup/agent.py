"""The dedup agent: tagged articles in, enriched records out to articles.enriched, and the
unique ones also to articles.unique.

Its index lives in Faust tables (changelog-backed), so a restarted worker recovers it. A
timer sweeps entries older than the window, measured from the latest event time the agent
has seen (so a backfill of old articles is not swept by the wall clock).
Each batch is judged in the order the raw records entered the pipeline (`ingested_at`; ties
keep arrival order), so the earlier of two copies is the original.
Delivery: at least once; a replayed article gets the verdict it got the first time.
"""

from __future__ import annotations

import structlog
from faust.types import EventT, StreamT

from agents.dedup.clock import event_time
from agents.shell import StageWiring
from schemas.models import Article

#: How often the index is swept of entries older than the window.
SWEEP_INTERVAL_SECONDS = 3600.0

log = structlog.get_logger("newsflow.agents")


def register_dedup_agent(wiring: StageWiring) -> None:
    """Add the dedup agent and its sweep timer to the app."""
    stream_time = {"latest": 0.0}

    @wiring.app.agent(wiring.topics.tagged, name="newsflow.dedup")
    async def dedup(stream: StreamT) -> None:
        async for events in wiring.batches(stream):
            decoded: list[tuple[EventT, Article]] = []
            for event in events:
                article = await wiring.attempt(event, "dedup", wiring.decode_article, event)
                if article is not None:
                    decoded.append((event, article))
            decoded.sort(key=lambda pair: pair[1].ingested_at)
            for event, article in decoded:
                verdict = await wiring.attempt(event, "dedup", wiring.pipeline.dedup, article)
                if verdict is None:
                    continue
                stream_time["latest"] = max(stream_time["latest"], event_time(article))
                record = article.to_enriched()
                await wiring.send(wiring.topics.enriched, article.id, record)
                if verdict.status == "unique":
                    await wiring.send(wiring.topics.unique, article.id, record)

    @wiring.app.timer(interval=SWEEP_INTERVAL_SECONDS)
    async def sweep() -> None:
        if stream_time["latest"]:
            removed = wiring.pipeline.deduplicator.expire(stream_time["latest"])
            log.info("dedup_index_swept", removed=removed)
