"""The Faust application: topics, tables, the stage agents this worker runs, and web endpoints."""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial
from typing import Any

import faust

from agents.clean.agent import register_clean_agents
from agents.continuity import OffsetContinuity, keep_holes_open
from agents.dedup import DedupState
from agents.dedup.agent import register_dedup_agent
from agents.pipeline import Pipeline
from agents.shell import StageTopics, StageWiring
from agents.tag.agent import register_tag_agent
from service import metrics
from service.fetch_wait import set_fetch_max_wait
from service.health import Health
from service.kafka import first_record_offset, ssl_context
from service.settings import Settings
from service.tables import BufferedTable, forget_reads_on_rebalance, keyed_table
from service.web import faust_page_settings, register_health_views, register_metrics_view

#: The dedup judge takes articles.tagged in one order, so that verdicts never depend on how
#: many workers there are; its tables are co-partitioned with it.
JUDGE_PARTITIONS = 1
#: Document-frequency reads the judge remembers: about 130 bytes each (a key and an int
#: in a dict, measured with tracemalloc), so some 26 MB.
READ_CACHE_KEYS = 200_000


@dataclass(slots=True)
class NewsflowApp:
    """A configured Faust app and the pieces tests and commands reach into."""

    faust_app: faust.App
    topics: StageTopics
    pipeline: Pipeline
    settings: Settings
    health: Health


def topic_partitions(settings: Settings) -> dict[str, int]:
    """Partitions of every topic Newsflow uses: the dedup judge's input has one, every other
    topic `settings.partitions`."""
    layout = {name: settings.partitions for name in settings.topics.names()}
    layout[settings.topics.tagged] = JUDGE_PARTITIONS
    return layout


class NewsflowFaust(faust.App):
    """Faust's app, where an agent that crashes ends the worker (see `service.health`), and
    whose consumer never commits past a hole in the offsets the broker has not confirmed
    empty (`agents.continuity`)."""

    health: Health | None = None

    def _new_consumer(self) -> Any:
        consumer = super()._new_consumer()
        keep_holes_open(consumer)
        return consumer

    async def _on_agent_error(self, agent: Any, exc: BaseException) -> None:
        if self.health is not None:
            self.health.fatal(f"agent {agent.name} crashed", exc)
        await super()._on_agent_error(agent, exc)


def faust_app(settings: Settings) -> NewsflowFaust:
    """The Faust app with Newsflow's broker, state and throughput settings, and no agents."""
    app = NewsflowFaust(
        settings.app_id,
        broker=_broker_url(settings.require_bootstrap()),
        broker_credentials=_credentials(settings),
        store=settings.store,
        datadir=str(settings.data_dir),
        topic_partitions=settings.partitions,
        topic_replication_factor=settings.replication_factor,
        key_serializer="raw",
        value_serializer="raw",
        web_host=settings.web_host,
        web_port=settings.web_port,
        web_in_thread=False,
        autodiscover=False,
        consumer_auto_offset_reset="earliest",
        table_standby_replicas=settings.table_standby_replicas,
        broker_commit_interval=settings.commit_interval_seconds,
        recovery_consistency_check=settings.recovery_consistency_check,
        broker_session_timeout=settings.session_timeout_seconds,
        broker_rebalance_timeout=settings.rebalance_timeout_seconds,
        broker_heartbeat_interval=min(3.0, settings.session_timeout_seconds / 3),
        # Throughput: fetch and buffer many records per poll and batch what we produce, so
        # Faust's per-record cost stays small next to the text processing (`newsflow bench`).
        broker_max_poll_records=1000,
        stream_buffer_maxsize=8192,
        consumer_max_fetch_size=16 * 1024 * 1024,
        producer_max_request_size=16 * 1024 * 1024,
        producer_max_batch_size=1024 * 1024,
        producer_linger=0.005,
        **faust_page_settings(settings.web_debug_pages),
    )
    set_fetch_max_wait(app, settings.fetch_max_wait_ms)
    return app


def create_app(settings: Settings) -> NewsflowApp:
    """Build the app for `settings`, with the agents of `settings.stages`."""
    app = faust_app(settings)
    health = app.health = Health(app, settings, input_topics=_input_topics(settings))

    partitions = topic_partitions(settings)

    def topic(name: str) -> faust.TopicT:
        return app.topic(name, value_type=bytes, key_type=bytes, partitions=partitions[name])

    topics = StageTopics(
        raw=topic(settings.topics.raw),
        by_source=topic(settings.topics.by_source),
        cleaned=topic(settings.topics.cleaned),
        tagged=topic(settings.topics.tagged),
        enriched=topic(settings.topics.enriched),
        unique=topic(settings.topics.unique),
        dead_letter=topic(settings.topics.dead_letter),
        stories=topic(settings.topics.stories),
    )
    stages = settings.stages
    state: list[BufferedTable] = []

    def table(name: str, partitions: int, cache_keys: int = 0) -> BufferedTable:
        state.append(keyed_table(app, name, partitions, cache_keys))
        return state[-1]

    dedup_state = DedupState(**{
        name: table(f"dedup-{name}", JUDGE_PARTITIONS,
                    READ_CACHE_KEYS if name in DedupState.cached_store_names() else 0)
        for name in DedupState.store_names()}) if "dedup" in stages else None
    source_memory = table("clean-source-memory", settings.partitions) if "clean" in stages else None
    pipeline = Pipeline(
        max_payload_bytes=settings.max_payload_bytes,
        source_memory=source_memory,
        dedup_config=settings.dedup_config(),
        dedup_state=dedup_state,
    )
    wiring = StageWiring(
        app=app,
        topics=topics,
        pipeline=pipeline,
        batch_size=settings.batch_size,
        batch_wait_seconds=settings.batch_wait_seconds,
        state=state,
        fatal=health.fatal,
        continuity=OffsetContinuity(app, _input_topics(settings), fatal=health.fatal,
                                    first_record=partial(_first_record, settings)).watch(),
    )
    forget_reads_on_rebalance(app, state)
    if "clean" in stages:
        register_clean_agents(wiring)
    if "tag" in stages:
        register_tag_agent(wiring)
    if dedup_state is not None:
        register_dedup_agent(wiring, settings.reorder_config())
    register_health_views(app, health)
    register_metrics_view(app)
    metrics.instrument(app, state, stages=stages,
                       throughput_log_seconds=settings.throughput_log_seconds,
                       readiness=health.readiness)
    return NewsflowApp(faust_app=app, topics=topics, pipeline=pipeline, settings=settings,
                       health=health)


async def _first_record(settings: Settings, tp: Any, offset: int) -> int | None:
    return await first_record_offset(settings, tp.topic, tp.partition, offset)


def _input_topics(settings: Settings) -> list[str]:
    """The topics this worker's agents read: if one disappears, the worker cannot work."""
    topics = settings.topics
    reads = {"clean": [topics.raw, topics.by_source], "tag": [topics.cleaned],
             "dedup": [topics.tagged]}
    return [name for stage in settings.stages for name in reads[stage]]


def _broker_url(bootstrap_servers: str) -> str:
    return ";".join(f"kafka://{server.strip()}" for server in bootstrap_servers.split(","))


def _credentials(settings: Settings) -> faust.types.auth.CredentialsT | None:
    """Faust's form of the security settings (aiokafka's is `service.kafka.client_options`)."""
    security = settings.security
    context = ssl_context(settings)
    if security.protocol.startswith("SASL"):
        return faust.SASLCredentials(
            username=security.sasl_username,
            password=security.sasl_password,
            ssl_context=context,
            mechanism=security.sasl_mechanism,
        )
    return faust.SSLCredentials(context) if context is not None else None
