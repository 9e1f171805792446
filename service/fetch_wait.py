"""How long Faust's consumer lets the broker hold a fetch that has no data yet.

Faust hard-codes 1.5 s. Kafka answers a held fetch as soon as data arrives, so there the
value only bounds idle polling; a broker that holds the fetch for the whole wait (Tansu, the
embedded broker) adds up to that much latency to every hop between agents.
`NEWSFLOW_FETCH_MAX_WAIT_MS` sets it (100 ms): polling is not free either, since the consumer
thread's fetches take the GIL from the agents (at 10 ms the judge ran a fifth slower and an
idle worker used 11% of a core).
"""

from __future__ import annotations

from typing import Any

import aiokafka
from faust.transport.drivers.aiokafka import AIOKafkaConsumerThread

_create_consumer = AIOKafkaConsumerThread._create_consumer


def _create_consumer_with_wait(self: AIOKafkaConsumerThread,
                               loop: Any) -> aiokafka.AIOKafkaConsumer:
    consumer = _create_consumer(self, loop)
    wait = getattr(self.app, "newsflow_fetch_max_wait_ms", None)
    if wait is not None:
        consumer._fetch_max_wait_ms = wait  # read by the fetcher that start() creates
    return consumer


def set_fetch_max_wait(app: Any, milliseconds: int) -> None:
    """Make `app`'s consumer hold fetches at most `milliseconds`."""
    app.newsflow_fetch_max_wait_ms = milliseconds
    AIOKafkaConsumerThread._create_consumer = _create_consumer_with_wait  # type: ignore[method-assign]
