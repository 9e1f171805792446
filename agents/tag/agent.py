"""The tag agent: cleaned articles in, tagged articles out, one model call per batch.

Key phrases are ranked against document frequencies learned from the stream, kept per
partition of articles.cleaned in a changelog-backed table: articles are keyed by id, so each
partition sees a random share of the stream, and its counts move with it on a rebalance.

Delivery: at least once; a cleaned record's offset is committed only after its tagged article
or its dead-letter record is written. A replayed article counts twice in the frequencies,
which are statistics.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, MutableMapping
from functools import partial

from faust.types import EventT, StreamT

from agents.errors import Rejected
from agents.shell import StageWiring, origin, unexpected
from schemas.models import Article


class PartitionDocumentFrequency:
    """Document frequencies of the partition whose articles are being tagged."""

    DOCUMENTS = "\x00documents"

    def __init__(self, counts: MutableMapping[str, int]) -> None:
        self.counts = counts
        self.partition = 0

    def _key(self, phrase: str) -> str:
        return f"{self.partition}\x1f{phrase}"

    def documents(self) -> int:
        return int(self.counts.get(self._key(self.DOCUMENTS), 0))

    def frequency(self, phrase: str) -> int:
        return int(self.counts.get(self._key(phrase), 0))

    def observe(self, phrases: Iterable[str]) -> None:
        for phrase in {*phrases, self.DOCUMENTS}:
            key = self._key(phrase)
            self.counts[key] = int(self.counts.get(key, 0)) + 1


def register_tag_agent(wiring: StageWiring, frequencies: PartitionDocumentFrequency) -> None:
    """Add the tag agent to the app."""

    @wiring.app.agent(wiring.topics.cleaned, name="newsflow.tag")
    async def tag(stream: StreamT) -> None:
        async for events in wiring.batches(stream):
            by_partition: dict[int, list[tuple[EventT, Article]]] = defaultdict(list)
            for event in events:
                article = await wiring.guarded(event, "tag", partial(_decode, wiring, event))
                if article is not None:
                    by_partition[event.message.partition].append((event, article))
            for partition, decoded in by_partition.items():
                frequencies.partition = partition
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
