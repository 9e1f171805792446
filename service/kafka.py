"""Kafka plumbing outside the agents: client options, topic creation, publishing and reading.

`newsflow publish`, `newsflow tail`, the demo, the benchmarks and the tests all go through
these functions, so security settings and topic layout are decided in one place.
"""

from __future__ import annotations

import asyncio
import contextlib
import ssl
import time
from collections.abc import AsyncIterator, Iterable
from contextlib import asynccontextmanager
from typing import Any

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, ConsumerRecord
from aiokafka.admin import AIOKafkaAdminClient, NewTopic
from aiokafka.errors import TopicAlreadyExistsError
from aiokafka.helpers import create_ssl_context

from service.settings import Settings

#: Messages written in one producer batch (bounded so large files stream in constant memory).
_PUBLISH_WINDOW = 1000


def client_options(settings: Settings) -> dict[str, Any]:
    """Keyword arguments every aiokafka client needs: servers and security."""
    security = settings.security
    options: dict[str, Any] = {
        "bootstrap_servers": settings.require_bootstrap(),
        "security_protocol": security.protocol,
    }
    context = ssl_context(settings)
    if context is not None:
        options["ssl_context"] = context
    if security.protocol.startswith("SASL"):
        options.update(
            sasl_mechanism=security.sasl_mechanism,
            sasl_plain_username=security.sasl_username,
            sasl_plain_password=security.sasl_password,
        )
    return options


def ssl_context(settings: Settings) -> ssl.SSLContext | None:
    """The TLS context for SSL and SASL_SSL, from the CA, certificate and key files."""
    security = settings.security
    if security.protocol not in ("SSL", "SASL_SSL"):
        return None
    return create_ssl_context(
        cafile=security.ssl_cafile, certfile=security.ssl_certfile, keyfile=security.ssl_keyfile
    )


async def ensure_topics(settings: Settings, layout: dict[str, int]) -> None:
    """Create the topics of `layout` (name: partitions) that do not exist yet."""
    admin = AIOKafkaAdminClient(**client_options(settings))
    await admin.start()
    try:
        existing = set(await admin.list_topics())
        replicas = settings.replication_factor
        missing = [
            NewTopic(name, num_partitions=partitions, replication_factor=replicas)
            for name, partitions in layout.items()
            if name not in existing
        ]
        if missing:
            # Another worker may create one between our list and create: that is fine.
            with contextlib.suppress(TopicAlreadyExistsError):
                await admin.create_topics(missing)
    finally:
        await admin.close()


@asynccontextmanager
async def producer(settings: Settings, **overrides: Any) -> AsyncIterator[AIOKafkaProducer]:
    """A started producer that is flushed and stopped on exit."""
    client = AIOKafkaProducer(
        **client_options(settings), linger_ms=5, max_request_size=16 * 1024 * 1024, **overrides
    )
    await client.start()
    try:
        yield client
        await client.flush()
    finally:
        await client.stop()


async def publish(
    settings: Settings, topic: str, messages: Iterable[tuple[bytes | None, bytes]]
) -> int:
    """Send (key, value) pairs to `topic` without awaiting each delivery; return the count.

    Timestamps rise strictly, one millisecond at least from message to message, so the
    order of the input is the order in which the dedup judge takes the articles (it orders
    them by timestamp, then id), however the stages interleave them on the way."""
    sent = 0
    stamp = 0
    async with producer(settings) as client:
        pending: list[asyncio.Future[Any]] = []
        for key, value in messages:
            stamp = max(int(time.time() * 1000), stamp + 1)
            pending.append(await client.send(topic, value=value, key=key, timestamp_ms=stamp))
            sent += 1
            if len(pending) >= _PUBLISH_WINDOW:
                await asyncio.gather(*pending)
                pending.clear()
        await asyncio.gather(*pending)
    return sent


async def read_topics(
    settings: Settings,
    topics: list[str],
    *,
    until: int | None = None,
    idle_timeout: float = 5.0,
    timeout: float = 60.0,
    from_beginning: bool = True,
) -> AsyncIterator[ConsumerRecord]:
    """Yield records from `topics` (no consumer group) until `until` records have come, no
    record came for `idle_timeout` seconds after the first, or `timeout` passed."""
    consumer = AIOKafkaConsumer(
        *topics,
        **client_options(settings),
        group_id=None,
        auto_offset_reset="earliest" if from_beginning else "latest",
        enable_auto_commit=False,
    )
    await consumer.start()
    received = 0
    deadline = time.monotonic() + timeout
    last_record = None
    try:
        while time.monotonic() < deadline and (until is None or received < until):
            if last_record is not None and time.monotonic() - last_record > idle_timeout:
                break
            batches = await consumer.getmany(timeout_ms=200)
            for records in batches.values():
                for record in records:
                    if until is not None and received >= until:
                        return
                    received += 1
                    last_record = time.monotonic()
                    yield record
    finally:
        await consumer.stop()
