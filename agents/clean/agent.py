"""The clean agent: raw bytes from scrapers in, cleaned articles out, bad input dead-lettered.

Delivery: at least once. A raw record's offset is committed only after its cleaned article or
its dead-letter record is written.
"""

from __future__ import annotations

from faust.types import StreamT

from agents.errors import Rejected
from agents.identity import utc_from_millis
from agents.shell import StageWiring, unexpected


def register_clean_agent(wiring: StageWiring) -> None:
    """Add the clean agent to the app."""

    @wiring.app.agent(wiring.topics.raw, name="newsflow.clean")
    async def clean(stream: StreamT) -> None:
        async for events in wiring.batches(stream):
            for event in events:
                message = event.message
                try:
                    article = wiring.pipeline.clean(
                        message.value, ingested_at=utc_from_millis(message.timestamp)
                    )
                except Rejected as rejection:
                    await wiring.reject(event, rejection, "clean")
                    continue
                except Exception as error:  # an agent must not crash on a record
                    await wiring.reject(event, unexpected(error, "clean"), "clean")
                    continue
                await wiring.send(wiring.topics.cleaned, article.id, article)
