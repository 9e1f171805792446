"""The tag agent: cleaned articles in, tagged articles out, one model call per batch.

Stateless: an article's tags depend on the article alone (keywords included; what only the
stream knows is the judge's, see agents/dedup/keywords.py), so any worker may tag any
partition and a rebalance moves nothing.

Delivery: at least once; a cleaned record's offset is committed only after its tagged article
or its dead-letter record is written.
"""

from __future__ import annotations

from functools import partial

from faust.types import EventT, StreamT

from agents.errors import Rejected
from agents.shell import StageWiring, origin, unexpected
from schemas.models import Article


def register_tag_agent(wiring: StageWiring) -> None:
    """Add the tag agent to the app."""

    @wiring.app.agent(wiring.topics.cleaned, name="newsflow.tag")
    async def tag(stream: StreamT) -> None:
        async for events in wiring.batches(stream):
            decoded: list[tuple[EventT, Article]] = []
            for event in events:
                article = await wiring.guarded(event, "tag", partial(_decode, wiring, event))
                if article is not None:
                    decoded.append((event, article))
            if not decoded:
                continue
            try:
                outcomes = wiring.pipeline.tag([article for _, article in decoded])
            except Exception as error:  # an agent must not stop on a batch
                outcomes = [unexpected(error, "tag")] * len(decoded)
            for (event, article), rejection in zip(decoded, outcomes, strict=True):
                await wiring.guarded(event, "tag",
                                     partial(_publish, wiring, event, article, rejection))


async def _decode(wiring: StageWiring, event: EventT) -> Article:
    return wiring.decode_article(event)


async def _publish(wiring: StageWiring, event: EventT, article: Article,
                   rejection: Rejected | None) -> None:
    """Send a tagged article on, or raise the reason it was rejected."""
    if rejection is not None:
        raise rejection
    await wiring.send(wiring.topics.tagged, article.id, article, origin=origin(event))
