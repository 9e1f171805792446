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

from faust.types import EventT, StreamT

from agents.identity import utc_from_millis
from agents.shell import StageWiring
from schemas.models import Article


def register_clean_agents(wiring: StageWiring) -> None:
    """Add the intake and clean agents to the app."""

    def clean_event(event: EventT) -> Article:
        """Clean the raw article an event carries; it entered the pipeline at the event's
        timestamp (intake keeps the raw record's)."""
        ingested_at = utc_from_millis(event.message.timestamp)
        return wiring.pipeline.clean_raw(wiring.decode_raw(event), ingested_at)

    @wiring.app.agent(wiring.topics.raw, name="newsflow.intake")
    async def intake(stream: StreamT) -> None:
        async for events in wiring.batches(stream):
            for event in events:
                raw = await wiring.attempt(event, "intake", wiring.decode_raw, event)
                if raw is not None:
                    await wiring.forward(event, wiring.topics.by_source, raw.source or "unknown")

    @wiring.app.agent(wiring.topics.by_source, name="newsflow.clean")
    async def clean(stream: StreamT) -> None:
        async for events in wiring.batches(stream):
            for event in events:
                article = await wiring.attempt(event, "clean", clean_event, event)
                if article is not None:
                    await wiring.send(wiring.topics.cleaned, article.id, article)
