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

from faust.types import StreamT

from agents.errors import Rejected
from agents.identity import utc_from_millis
from agents.intake import decode_raw
from agents.shell import StageWiring, unexpected


def register_clean_agents(wiring: StageWiring) -> None:
    """Add the intake and clean agents to the app."""
    max_bytes = wiring.pipeline.max_payload_bytes

    @wiring.app.agent(wiring.topics.raw, name="newsflow.intake")
    async def intake(stream: StreamT) -> None:
        async for events in wiring.batches(stream):
            for event in events:
                message = event.message
                try:
                    raw = decode_raw(message.value, max_bytes=max_bytes)
                except Rejected as rejection:
                    await wiring.reject(event, rejection, "intake")
                    continue
                except Exception as error:  # an agent must not crash on a record
                    await wiring.reject(event, unexpected(error, "intake"), "intake")
                    continue
                await wiring.forward(event, wiring.topics.by_source, raw.source or "unknown")

    @wiring.app.agent(wiring.topics.by_source, name="newsflow.clean")
    async def clean(stream: StreamT) -> None:
        async for events in wiring.batches(stream):
            for event in events:
                message = event.message
                try:
                    raw = decode_raw(message.value, max_bytes=max_bytes)
                    article = wiring.pipeline.clean_raw(raw, utc_from_millis(message.timestamp))
                except Rejected as rejection:
                    await wiring.reject(event, rejection, "clean")
                    continue
                except Exception as error:  # an agent must not crash on a record
                    await wiring.reject(event, unexpected(error, "clean"), "clean")
                    continue
                await wiring.send(wiring.topics.cleaned, article.id, article)
