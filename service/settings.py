"""Settings: everything an operator can change, read once from environment variables.

Every variable is documented in the README's configuration table; `Settings.from_env` is the
only place that reads them.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import overload

from agents.dedup.config import DedupConfig
from agents.dedup.reorder import ReorderConfig
from service.errors import OperatorError

STAGE_NAMES = ("clean", "tag", "dedup")
SECURITY_PROTOCOLS = ("PLAINTEXT", "SSL", "SASL_PLAINTEXT", "SASL_SSL")
SASL_MECHANISMS = ("PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512")

_DEDUP = DedupConfig()
_REORDER = ReorderConfig()


class SettingsError(OperatorError, ValueError):
    """An environment variable holds a value Newsflow cannot use."""


@dataclass(frozen=True, slots=True)
class Topics:
    """Topic names. Internal topics let each stage be scaled and replayed on its own."""

    raw: str = "articles.raw"
    by_source: str = "articles.by-source"
    cleaned: str = "articles.cleaned"
    tagged: str = "articles.tagged"
    enriched: str = "articles.enriched"
    unique: str = "articles.unique"
    dead_letter: str = "articles.dead-letter"
    #: One story record (story.v1) per story change, keyed by story id (compacted).
    stories: str = "articles.stories"

    def names(self) -> list[str]:
        """Every topic name, in declaration order."""
        return list(asdict(self).values())


@dataclass(frozen=True, slots=True)
class KafkaSecurity:
    """How clients authenticate to the brokers."""

    protocol: str = "PLAINTEXT"
    sasl_mechanism: str = "PLAIN"
    sasl_username: str | None = None
    #: Never shown: not in `repr`, so not in logs or tracebacks that print settings.
    sasl_password: str | None = field(default=None, repr=False)
    ssl_cafile: str | None = None
    ssl_certfile: str | None = None
    ssl_keyfile: str | None = None


@dataclass(frozen=True, slots=True)
class Settings:
    """The service's configuration."""

    bootstrap_servers: str | None = None
    app_id: str = "newsflow"
    topics: Topics = field(default_factory=Topics)
    partitions: int = 8
    replication_factor: int = 1
    #: Copies of each table kept warm on other workers, so a failover need not replay the
    #: whole changelog.
    table_standby_replicas: int = 1
    stages: tuple[str, ...] = STAGE_NAMES
    max_payload_bytes: int = 2 * 1024 * 1024
    batch_size: int = 64
    batch_wait_seconds: float = 0.2
    #: Longest time a consumer fetch may wait on the broker for data (see service/fetch_wait).
    fetch_max_wait_ms: int = 100
    store: str = "memory://"
    data_dir: Path = Path("/var/lib/newsflow")
    web_host: str = "0.0.0.0"
    web_port: int = 6066
    #: Faust's own pages (/router/, /table/, /stats/, ...) expose topology and table data.
    web_debug_pages: bool = False
    #: Seconds between two `throughput` log lines (0: none).
    throughput_log_seconds: float = 60.0
    log_level: str = "info"
    log_format: str = "auto"
    near_duplicate_threshold: float = _DEDUP.near_duplicate_threshold
    #: The dedup judge's reorder buffer (`agents.dedup.reorder`).
    dedup_grace_seconds: float = _REORDER.grace_seconds
    dedup_idle_seconds: float = _REORDER.idle_seconds
    dedup_max_held: int = _REORDER.max_held
    #: Whether a worker refuses RocksDB files that claim more of a changelog than the broker
    #: holds (Faust's recovery consistency check). Off only for the embedded broker, whose
    #: high watermark is the last batch's first offset plus one, not the log's end.
    recovery_consistency_check: bool = True
    #: How often consumed offsets are committed.
    commit_interval_seconds: float = 1.0
    #: A worker that cannot reach the brokers for this long exits non-zero.
    broker_loss_seconds: float = 45.0
    #: SIGTERM or SIGINT stops the worker within this long, gracefully or not.
    shutdown_timeout_seconds: float = 12.0
    #: Consumer-group timings. Short values make a fresh group start in seconds (tests, demo).
    session_timeout_seconds: float = 30.0
    rebalance_timeout_seconds: float = 30.0
    security: KafkaSecurity = field(default_factory=KafkaSecurity)

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Settings:
        """Read settings from `environ` (default: the process environment)."""
        env = os.environ if environ is None else environ
        reader = _Reader(env)
        defaults = cls()
        topic_defaults = Topics()
        settings = cls(
            bootstrap_servers=reader.text("KAFKA_BOOTSTRAP_SERVERS", None),
            app_id=reader.text("NEWSFLOW_APP_ID", defaults.app_id),
            topics=Topics(
                **{
                    name: reader.text(f"NEWSFLOW_TOPIC_{name.upper()}", default)
                    for name, default in asdict(topic_defaults).items()
                }
            ),
            partitions=reader.integer("NEWSFLOW_PARTITIONS", defaults.partitions, minimum=1),
            replication_factor=reader.integer(
                "NEWSFLOW_REPLICATION_FACTOR", defaults.replication_factor, minimum=1
            ),
            table_standby_replicas=reader.integer(
                "NEWSFLOW_TABLE_STANDBY_REPLICAS", defaults.table_standby_replicas, minimum=0
            ),
            stages=reader.stages("NEWSFLOW_STAGES", defaults.stages),
            max_payload_bytes=reader.integer(
                "NEWSFLOW_MAX_PAYLOAD_BYTES", defaults.max_payload_bytes, minimum=1
            ),
            batch_size=reader.integer("NEWSFLOW_BATCH_SIZE", defaults.batch_size, minimum=1),
            batch_wait_seconds=reader.number(
                "NEWSFLOW_BATCH_WAIT_SECONDS", defaults.batch_wait_seconds, minimum=0.0
            ),
            fetch_max_wait_ms=reader.integer(
                "NEWSFLOW_FETCH_MAX_WAIT_MS", defaults.fetch_max_wait_ms, minimum=1
            ),
            store=reader.choice("NEWSFLOW_STORE", defaults.store, ("memory://", "rocksdb://")),
            data_dir=Path(reader.text("NEWSFLOW_DATA_DIR", str(defaults.data_dir))),
            web_host=reader.text("NEWSFLOW_WEB_HOST", defaults.web_host),
            web_port=reader.integer(
                "NEWSFLOW_WEB_PORT", defaults.web_port, minimum=1, maximum=65535
            ),
            web_debug_pages=reader.boolean("NEWSFLOW_WEB_DEBUG_PAGES", defaults.web_debug_pages),
            throughput_log_seconds=reader.number(
                "NEWSFLOW_THROUGHPUT_LOG_SECONDS", defaults.throughput_log_seconds, minimum=0.0
            ),
            log_level=reader.choice(
                "NEWSFLOW_LOG_LEVEL", defaults.log_level, ("debug", "info", "warning", "error")
            ),
            log_format=reader.choice(
                "NEWSFLOW_LOG_FORMAT", defaults.log_format, ("auto", "json", "console")
            ),
            near_duplicate_threshold=reader.number(
                "NEWSFLOW_NEAR_DUPLICATE_THRESHOLD",
                defaults.near_duplicate_threshold,
                minimum=0.0,
                maximum=1.0,
            ),
            dedup_grace_seconds=reader.number(
                "NEWSFLOW_DEDUP_GRACE_SECONDS", defaults.dedup_grace_seconds, minimum=0.0
            ),
            dedup_idle_seconds=reader.number(
                "NEWSFLOW_DEDUP_IDLE_SECONDS", defaults.dedup_idle_seconds, minimum=0.0
            ),
            dedup_max_held=reader.integer(
                "NEWSFLOW_DEDUP_MAX_HELD", defaults.dedup_max_held, minimum=1
            ),
            recovery_consistency_check=reader.boolean(
                "NEWSFLOW_RECOVERY_CONSISTENCY_CHECK", defaults.recovery_consistency_check
            ),
            commit_interval_seconds=reader.number(
                "NEWSFLOW_COMMIT_INTERVAL_SECONDS", defaults.commit_interval_seconds,
                minimum=0.1
            ),
            broker_loss_seconds=reader.number(
                "NEWSFLOW_BROKER_LOSS_SECONDS", defaults.broker_loss_seconds, minimum=1.0
            ),
            shutdown_timeout_seconds=reader.number(
                "NEWSFLOW_SHUTDOWN_TIMEOUT_SECONDS", defaults.shutdown_timeout_seconds,
                minimum=1.0, maximum=15.0
            ),
            session_timeout_seconds=reader.number(
                "NEWSFLOW_SESSION_TIMEOUT_SECONDS", defaults.session_timeout_seconds, minimum=1.0
            ),
            rebalance_timeout_seconds=reader.number(
                "NEWSFLOW_REBALANCE_TIMEOUT_SECONDS",
                defaults.rebalance_timeout_seconds,
                minimum=1.0,
            ),
            security=KafkaSecurity(
                protocol=reader.choice(
                    "KAFKA_SECURITY_PROTOCOL", "PLAINTEXT", SECURITY_PROTOCOLS, upper=True
                ),
                sasl_mechanism=reader.choice(
                    "KAFKA_SASL_MECHANISM", "PLAIN", SASL_MECHANISMS, upper=True
                ),
                sasl_username=reader.text("KAFKA_SASL_USERNAME", None),
                sasl_password=reader.text("KAFKA_SASL_PASSWORD", None),
                ssl_cafile=reader.text("KAFKA_SSL_CAFILE", None),
                ssl_certfile=reader.text("KAFKA_SSL_CERTFILE", None),
                ssl_keyfile=reader.text("KAFKA_SSL_KEYFILE", None),
            ),
        )
        _check_security(settings.security)
        return settings

    def dedup_config(self) -> DedupConfig:
        """The dedup core's configuration: the same for `newsflow enrich` and the judge."""
        return DedupConfig(near_duplicate_threshold=self.near_duplicate_threshold)

    def reorder_config(self) -> ReorderConfig:
        return ReorderConfig(grace_seconds=self.dedup_grace_seconds,
                             idle_seconds=self.dedup_idle_seconds,
                             max_held=self.dedup_max_held)

    def with_bootstrap(self, servers: str) -> Settings:
        """A copy that talks to `servers` (the embedded broker, for example)."""
        return replace(self, bootstrap_servers=servers)

    def require_bootstrap(self) -> str:
        """The bootstrap servers, or a clear error if KAFKA_BOOTSTRAP_SERVERS is unset."""
        if not self.bootstrap_servers:
            raise SettingsError(
                "KAFKA_BOOTSTRAP_SERVERS is not set (for a local try, `newsflow demo` "
                "starts its own broker)"
            )
        return self.bootstrap_servers


def _check_security(security: KafkaSecurity) -> None:
    """Security settings that cannot work together, or files that are not there."""
    protocol = security.protocol
    sasl = protocol.startswith("SASL")
    if sasl and not (security.sasl_username and security.sasl_password):
        raise SettingsError(
            f"KAFKA_SECURITY_PROTOCOL={protocol} needs KAFKA_SASL_USERNAME and KAFKA_SASL_PASSWORD"
        )
    if not sasl and (security.sasl_username or security.sasl_password):
        raise SettingsError(
            "KAFKA_SASL_USERNAME/KAFKA_SASL_PASSWORD are set but "
            f"KAFKA_SECURITY_PROTOCOL={protocol} does not use them: "
            "set it to SASL_SSL or SASL_PLAINTEXT, or unset them"
        )
    files = {
        "KAFKA_SSL_CAFILE": security.ssl_cafile,
        "KAFKA_SSL_CERTFILE": security.ssl_certfile,
        "KAFKA_SSL_KEYFILE": security.ssl_keyfile,
    }
    given = {name: path for name, path in files.items() if path}
    if given and protocol not in ("SSL", "SASL_SSL"):
        raise SettingsError(
            f"{', '.join(given)} set but KAFKA_SECURITY_PROTOCOL={protocol} does not use TLS: "
            "set it to SSL or SASL_SSL, or unset them"
        )
    for name, path in given.items():
        if not Path(path).is_file():
            raise SettingsError(f"{name}={path}: no such file")
    if security.ssl_keyfile and not security.ssl_certfile:
        raise SettingsError("KAFKA_SSL_KEYFILE is set without KAFKA_SSL_CERTFILE (its certificate)")


class _Reader:
    """Typed reads of environment variables with errors that name the variable."""

    def __init__(self, env: Mapping[str, str]) -> None:
        self._env = env

    def _raw(self, name: str) -> str | None:
        value = self._env.get(name)
        return value.strip() if value is not None and value.strip() else None

    @overload
    def text(self, name: str, default: str) -> str: ...
    @overload
    def text(self, name: str, default: None) -> str | None: ...
    def text(self, name: str, default: str | None) -> str | None:
        value = self._raw(name)
        return default if value is None else value

    def integer(self, name: str, default: int, *, minimum: int, maximum: int | None = None) -> int:
        value = self._raw(name)
        if value is None:
            return default
        try:
            number = int(value)
        except ValueError:
            raise SettingsError(f"{name}={value!r} is not a whole number") from None
        if number < minimum:
            raise SettingsError(f"{name}={number} is below the minimum {minimum}")
        if maximum is not None and number > maximum:
            raise SettingsError(f"{name}={number} is above the maximum {maximum}")
        return number

    def boolean(self, name: str, default: bool) -> bool:
        value = self._raw(name)
        if value is None:
            return default
        if value.lower() in ("1", "true", "yes", "on"):
            return True
        if value.lower() in ("0", "false", "no", "off"):
            return False
        raise SettingsError(f"{name}={value!r}: expected true or false")

    def number(
        self, name: str, default: float, *, minimum: float, maximum: float | None = None
    ) -> float:
        value = self._raw(name)
        if value is None:
            return default
        try:
            number = float(value)
        except ValueError:
            raise SettingsError(f"{name}={value!r} is not a number") from None
        if number < minimum or (maximum is not None and number > maximum):
            raise SettingsError(f"{name}={number} is outside [{minimum}, {maximum or '∞'}]")
        return number

    def choice(
        self, name: str, default: str, allowed: tuple[str, ...], *, upper: bool = False
    ) -> str:
        value = self._raw(name)
        if value is None:
            return default
        value = value.upper() if upper else value.lower()
        if value not in allowed:
            raise SettingsError(f"{name}={value!r}: expected one of {', '.join(allowed)}")
        return value

    def stages(self, name: str, default: tuple[str, ...]) -> tuple[str, ...]:
        value = self._raw(name)
        if value is None:
            return default
        stages = tuple(part.strip().lower() for part in value.split(",") if part.strip())
        unknown = [stage for stage in stages if stage not in STAGE_NAMES]
        if unknown or not stages:
            raise SettingsError(
                f"{name}={value!r}: expected a comma-separated subset of {','.join(STAGE_NAMES)}"
            )
        return tuple(stage for stage in STAGE_NAMES if stage in stages)
