"""Kafka plumbing outside the agents: client options, topic creation, publishing and reading.

`newsflow publish`, `newsflow tail`, the demo, the benchmarks and the tests all go through
these functions, so security settings and topic layout are decided in one place.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import ssl
import time
from collections.abc import AsyncIterator, Iterable, Iterator
from contextlib import asynccontextmanager
from typing import Any

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, ConsumerRecord, TopicPartition
from aiokafka.admin import AIOKafkaAdminClient, NewTopic
from aiokafka.errors import (
    AuthenticationFailedError,
    IllegalSaslStateError,
    KafkaConnectionError,
    SaslAuthenticationFailed,
    TopicAlreadyExistsError,
    UnsupportedSaslMechanismError,
)
from aiokafka.helpers import create_ssl_context

from service.errors import OperatorError
from service.settings import Settings, SettingsError

#: Messages written in one producer batch (bounded so large files stream in constant memory).
_PUBLISH_WINDOW = 1000

_AUTH_ERRORS = (SaslAuthenticationFailed, AuthenticationFailedError, IllegalSaslStateError)


class BrokerUnreachable(OperatorError):
    """No broker of KAFKA_BOOTSTRAP_SERVERS answered."""


class AuthenticationFailed(OperatorError):
    """The brokers refused our SASL credentials or our TLS handshake."""


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
    try:
        context = create_ssl_context(cafile=security.ssl_cafile)
    except (ssl.SSLError, OSError) as error:
        raise SettingsError(
            f"KAFKA_SSL_CAFILE={security.ssl_cafile}: not a PEM certificate file ({error})"
        ) from None
    if security.ssl_certfile:
        try:
            context.load_cert_chain(security.ssl_certfile, security.ssl_keyfile)
        except (ssl.SSLError, OSError) as error:
            raise SettingsError(
                f"KAFKA_SSL_CERTFILE={security.ssl_certfile}"
                + (f" / KAFKA_SSL_KEYFILE={security.ssl_keyfile}" if security.ssl_keyfile else "")
                + f": cannot load the client certificate and key ({error})"
            ) from None
    return context


async def start_client(client: Any, settings: Settings) -> None:
    """Start an aiokafka client; if it cannot connect, close it and raise an OperatorError
    that says which setting to check (aiokafka's own connection logs are kept back)."""
    with _connection_errors() as seen:
        try:
            await client.start()
        except Exception as error:
            with contextlib.suppress(Exception):
                await (client.close() if isinstance(client, AIOKafkaAdminClient)
                       else client.stop())
            explained = explain_connection_error(error, seen, settings)
            if explained is None:
                raise
            raise explained from None


def explain_connection_error(
    error: BaseException, seen: list[BaseException], settings: Settings
) -> OperatorError | None:
    """The operator's view of a failed start: `error` raised by the client, `seen` the
    errors aiokafka logged while trying each bootstrap server. None if it is not ours."""
    security = settings.security
    servers = settings.bootstrap_servers
    causes = [error, *seen]
    scram = security.sasl_mechanism.startswith("SCRAM") and security.protocol.startswith("SASL")
    # aiokafka's SCRAM client fails with KeyError/ValueError when the broker answers a bad
    # password with an error instead of the server signature.
    if any(isinstance(cause, _AUTH_ERRORS) for cause in causes) or (
        scram and isinstance(error, KeyError | ValueError)
    ):
        return AuthenticationFailed(
            f"Kafka at {servers} refused the {security.sasl_mechanism} credentials of "
            f"KAFKA_SASL_USERNAME={security.sasl_username}: check KAFKA_SASL_USERNAME, "
            "KAFKA_SASL_PASSWORD and KAFKA_SASL_MECHANISM"
        )
    for cause in causes:
        if isinstance(cause, UnsupportedSaslMechanismError):
            return AuthenticationFailed(
                f"Kafka at {servers} does not accept KAFKA_SASL_MECHANISM="
                f"{security.sasl_mechanism}: {cause}"
            )
        if isinstance(cause, ssl.SSLError):
            return AuthenticationFailed(
                f"TLS handshake with {servers} failed ({cause.reason or cause}): check "
                "KAFKA_SSL_CAFILE (the brokers' CA) and KAFKA_SECURITY_PROTOCOL"
            )
    if isinstance(error, KafkaConnectionError):
        detail = f" ({seen[-1]})" if seen else ""
        if seen and "closed" in str(seen[-1]):  # it answered, then hung up: a protocol mismatch
            return BrokerUnreachable(
                f"Kafka at KAFKA_BOOTSTRAP_SERVERS={servers} closed the connection{detail}: "
                f"check that KAFKA_SECURITY_PROTOCOL={security.protocol}"
                + (f" and KAFKA_SASL_MECHANISM={security.sasl_mechanism}"
                   if security.protocol.startswith("SASL") else "")
                + " are what the broker's listener expects"
            )
        return BrokerUnreachable(
            f"no Kafka broker answered at KAFKA_BOOTSTRAP_SERVERS={servers}{detail}: "
            "check the address and that the broker runs (for a local try, `newsflow demo` "
            "starts its own)"
        )
    return None


class _ErrorCollector(logging.Handler):
    """Keeps the exceptions aiokafka logs while it tries the bootstrap servers."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.errors: list[BaseException] = []

    def emit(self, record: logging.LogRecord) -> None:
        args = record.args if isinstance(record.args, tuple) else ()
        self.errors.extend(arg for arg in args if isinstance(arg, BaseException))


@contextlib.contextmanager
def _connection_errors() -> Iterator[list[BaseException]]:
    logger = logging.getLogger("aiokafka")
    collector = _ErrorCollector()
    logger.addHandler(collector)
    propagate, logger.propagate = logger.propagate, False
    try:
        yield collector.errors
    finally:
        logger.removeHandler(collector)
        logger.propagate = propagate


async def ensure_topics(settings: Settings, layout: dict[str, int]) -> None:
    """Create the topics of `layout` (name: partitions) that do not exist yet."""
    admin = AIOKafkaAdminClient(**client_options(settings))
    await start_client(admin, settings)
    try:
        existing = set(await admin.list_topics())
        replicas = settings.replication_factor
        compacted = {settings.topics.stories}  # each story's latest record is what counts
        missing = [
            NewTopic(name, num_partitions=partitions, replication_factor=replicas,
                     topic_configs={"cleanup.policy": "compact"} if name in compacted else {})
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
    await start_client(client, settings)
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
    await start_client(consumer, settings)
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


async def first_record_offset(settings: Settings, topic: str, partition: int, offset: int,
                              *, timeout: float = 5.0) -> int | None:
    """The offset of the first record of a partition at or after `offset`, read by a
    consumer of its own (no group); None if none comes within `timeout` seconds."""
    tp = TopicPartition(topic, partition)
    consumer = AIOKafkaConsumer(**client_options(settings), group_id=None,
                                enable_auto_commit=False, max_partition_fetch_bytes=1024)
    await consumer.start()
    try:
        consumer.assign([tp])
        consumer.seek(tp, offset)
        batches = await consumer.getmany(tp, timeout_ms=int(timeout * 1000), max_records=1)
        records = batches.get(tp) or []
        return records[0].offset if records else None
    finally:
        await consumer.stop()
