"""The clean stage's two agents.

- intake: raw bytes from scrapers in; bad input dead-lettered; valid records forwarded byte
  for byte onto articles.by-source, keyed by source, with the raw record's timestamp and its
  origin (topic, partition, offset) in a header. Keying by source puts all of a source's
  articles in one partition, with that source's learned boilerplate.
- clean: articles.by-source in, cleaned articles out to articles.cleaned.

Delivery: at least once. An offset is committed only after the record's output or its
dead-letter record is written.
"""

from __future__ import annotations

from functools import partial

from faust.types import EventT, StreamT

from agents.identity import utc_from_seconds
from agents.shell import StageWiring, origin


def register_clean_agents(wiring: StageWiring) -> None:
    """Add the intake and clean agents to the app."""

    @wiring.app.agent(wiring.topics.raw, name="newsflow.intake")
    async def intake(stream: StreamT) -> None:
        async for events in wiring.batches(stream):
            for event in events:
                await wiring.guarded(event, "intake", partial(_intake, wiring, event))

    @wiring.app.agent(wiring.topics.by_source, name="newsflow.clean")
    async def clean(stream: StreamT) -> None:
        async for events in wiring.batches(stream):
            for event in events:
                await wiring.guarded(event, "clean", partial(_clean, wiring, event))


async def _intake(wiring: StageWiring, event: EventT) -> None:
    """Validate a raw record and forward it, byte for byte, keyed by its source."""
    raw = wiring.decode_raw(event)
    await wiring.forward(event, wiring.topics.by_source, raw.source or "unknown")


async def _clean(wiring: StageWiring, event: EventT) -> None:
    """Clean the raw article an event carries; it entered the pipeline at the event's
    timestamp (intake keeps the raw record's)."""
    ingested_at = utc_from_seconds(event.message.timestamp)
    article = wiring.pipeline.clean_raw(wiring.decode_raw(event), ingested_at)
    await wiring.send(wiring.topics.cleaned, article.id, article, origin=origin(event))
