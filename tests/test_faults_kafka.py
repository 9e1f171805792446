"""Faults on a broker of the test's own: frozen (SIGSTOP/SIGCONT), killed and restarted
empty, or gone while the worker is asked to stop. Short versions of `newsflow bench faults`."""

from __future__ import annotations

import asyncio
import os
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from service.broker import EmbeddedBroker, free_port
from service.faults import collect, publish_records
from service.health import EXIT_BROKER_LOST
from service.worker import WorkerProcess, worker_env
from tests.conftest import isolated_settings
from tests.stream_fixtures import good_articles

pytestmark = [
    pytest.mark.integration,
    pytest.mark.skipif(bool(os.environ.get("KAFKA_BOOTSTRAP_SERVERS")),
                       reason="these tests stop and restart a broker of their own"),
]


@pytest.fixture
def broker(tmp_path: Path) -> Iterator[EmbeddedBroker]:
    broker = EmbeddedBroker(free_port(), log_path=tmp_path / "broker.log").start()
    yield broker
    broker.stop()


def _worker(broker: EmbeddedBroker, settings, tmp_path: Path, name: str = "w") -> WorkerProcess:
    env = worker_env(settings, broker.bootstrap_servers, tmp_path / f"{name}-state")
    env["NEWSFLOW_DEDUP_IDLE_SECONDS"] = "1"
    return WorkerProcess(env, log_path=tmp_path / f"{name}.log")


def _status(worker: WorkerProcess, path: str) -> int:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{worker.web_port}/{path}",
                                    timeout=2) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


async def test_a_frozen_broker_loses_nothing_and_readiness_says_so(broker, tmp_path):
    settings = isolated_settings(broker.bootstrap_servers, partitions=2)
    worker = _worker(broker, settings, tmp_path).start()
    try:
        articles = good_articles(30, seed=13)
        await publish_records(settings, ((None, a, []) for a in articles[:15]), partitions=2)
        await collect(settings, done=lambda o: len(o.enriched) >= 5, timeout=60)
        broker.pause()
        await asyncio.sleep(9.0)
        frozen = _status(worker, "readyz")
        broker.resume()
        await publish_records(settings, ((None, a, []) for a in articles[15:]), partitions=2)
        outputs = await collect(settings, done=lambda o: len(o.enriched) >= 30, timeout=120)
        assert frozen == 503
        assert len(outputs.enriched) == 30 and not outputs.dead_letters
        assert not outputs.inconsistent()
        assert worker.running
        await asyncio.sleep(3.0)
        assert _status(worker, "readyz") == 200
    finally:
        worker.stop()


async def test_a_broker_that_comes_back_empty_makes_the_worker_exit(broker, tmp_path):
    """No live zombie: the worker exits non-zero, and a new one recreates the topics."""
    settings = isolated_settings(broker.bootstrap_servers, partitions=2)
    worker = _worker(broker, settings, tmp_path).start()
    try:
        await publish_records(settings, ((None, a, []) for a in good_articles(5)), partitions=2)
        await collect(settings, done=lambda o: len(o.enriched) >= 5, timeout=60)
        broker.kill()
        began = time.monotonic()
        broker.start()
        code = await asyncio.to_thread(worker.wait, 60.0)
        assert code == EXIT_BROKER_LOST, worker
        assert time.monotonic() - began < 60
    finally:
        worker.stop()
    again = _worker(broker, settings, tmp_path, "again").start()
    try:
        await publish_records(settings, ((None, a, []) for a in good_articles(3, seed=8)),
                              partitions=2)
        outputs = await collect(settings, done=lambda o: len(o.enriched) >= 3, timeout=60)
        assert len(outputs.enriched) == 3
    finally:
        again.stop()


async def test_sigterm_stops_the_worker_in_bounded_time_without_a_broker(broker, tmp_path):
    settings = isolated_settings(broker.bootstrap_servers, partitions=2)
    worker = _worker(broker, settings, tmp_path).start()
    broker.kill()
    await asyncio.sleep(2.0)
    began = time.monotonic()
    code = await asyncio.to_thread(worker.stop, 30.0)
    assert time.monotonic() - began <= 15.0
    assert code is not None and code != -9  # it stopped by itself, not by SIGKILL
