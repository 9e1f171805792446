"""The tag agent: cleaned articles in, tagged articles out, one model call per batch.

Delivery: at least once; a cleaned record's offset is committed only after its tagged article
or its dead-letter record is written.
"""

from __future__ import annotations

from faust.types import StreamT

from agents.errors import Rejected
from agents.shell import StageWiring, unexpected


def register_tag_agent(wiring: StageWiring) -> None:
    """Add the tag agent to the app."""

    @wiring.app.agent(wiring.topics.cleaned, name="newsflow.tag")
    async def tag(stream: StreamT) -> None:
        async for events in wiring.batches(stream):
            decoded = []
            for event in events:
                try:
                    decoded.append((event, wiring.decode_article(event)))
                except Rejected as rejection:
                    await wiring.reject(event, rejection, "tag")
            try:
                outcomes = wiring.pipeline.tag([article for _, article in decoded])
            except Exception as error:  # an agent must not crash on a batch
                outcomes = [unexpected(error, "tag")] * len(decoded)
            for (event, article), rejection in zip(decoded, outcomes, strict=True):
                if rejection is not None:
                    await wiring.reject(event, rejection, "tag")
                else:
                    await wiring.send(wiring.topics.tagged, article.id, article)
