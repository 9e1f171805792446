"""A worker's /metrics agree with the records that went through it, on a real broker; its
log says when it is ready and how fast it goes; Faust's debug pages are not served."""

from __future__ import annotations

import asyncio
import time
import urllib.error
import urllib.request
from collections import Counter

import orjson
import pytest
from prometheus_client.parser import text_string_to_metric_families

from service.kafka import publish, read_topics
from tests.conftest import SAMPLES, isolated_settings

pytestmark = pytest.mark.integration


def scrape(port: int) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=5) as response:
        assert response.headers["Content-Type"].startswith("text/plain")
        text = response.read().decode()
    return {(sample.name, tuple(sorted(sample.labels.items()))): sample.value
            for family in text_string_to_metric_families(text) for sample in family.samples}


def value(samples: dict, name: str, **labels: str) -> float:
    return samples.get((name, tuple(sorted(labels.items()))), 0.0)


def status(port: int, path: str) -> int:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=5) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


async def test_metrics_count_what_went_through(bootstrap_servers, start_worker):
    settings = isolated_settings(bootstrap_servers)
    worker = start_worker(settings, NEWSFLOW_THROUGHPUT_LOG_SECONDS="1")
    port = worker.process.web_port
    lines = [line for line in SAMPLES.read_bytes().splitlines() if line.strip()]
    messages: list[tuple[bytes | None, bytes | None]] = [(None, line) for line in lines]
    messages.append((b"gone", None))  # a tombstone
    await publish(settings, settings.topics.raw, messages)  # type: ignore[arg-type]

    topics = settings.topics
    dead = [orjson.loads(record.value) async for record in
            read_topics(settings, [topics.dead_letter], until=8, timeout=120)]
    enriched = [record async for record in
                read_topics(settings, [topics.enriched], until=6, timeout=120)]
    unique = [record async for record in
              read_topics(settings, [topics.unique], idle_timeout=3, timeout=30)]
    assert len(dead) == 8 and len(enriched) == 6
    codes = Counter((record["stage"], record["error_code"]) for record in dead)
    assert codes[("intake", "tombstone")] == 1

    deadline = time.monotonic() + 30  # counted as sent; lag shows after the first commit
    while True:
        samples = scrape(port)
        done = value(samples, "newsflow_records_out_total", stage="dedup",
                     topic=topics.enriched) == 6
        if ((done and any(name == "newsflow_consumer_lag" for name, _ in samples))
                or time.monotonic() > deadline):
            break
        await asyncio.sleep(0.5)
    assert value(samples, "newsflow_records_in_total", stage="intake") == len(messages)
    for (stage, code), count in codes.items():
        assert value(samples, "newsflow_records_dead_lettered_total", stage=stage,
                     error_code=code) == count
    outputs = {"intake": topics.by_source, "clean": topics.cleaned, "tag": topics.tagged,
               "dedup": topics.enriched}
    for stage, topic in outputs.items():
        written = value(samples, "newsflow_records_out_total", stage=stage, topic=topic)
        rejected = sum(count for (where, _), count in codes.items() if where == stage)
        assert value(samples, "newsflow_records_in_total", stage=stage) == written + rejected
        assert value(samples, "newsflow_batch_seconds_count", stage=stage) >= 1
    assert value(samples, "newsflow_records_out_total", stage="dedup",
                 topic=topics.unique) == len(unique)
    assert value(samples, "newsflow_table_entries", table="clean-source-memory") > 0
    assert ("newsflow_last_commit_age_seconds", ()) in samples
    assert any(name == "newsflow_consumer_lag" for name, _ in samples)

    for page in ("/router/", "/table/", "/stats/", "/graph/", "/performance/"):
        assert status(port, page) == 404, page
    events = [orjson.loads(line) for line in worker.log.splitlines() if line.startswith("{")]
    names = [event.get("event") for event in events]
    assert "worker_ready" in names and "throughput" in names
    assert all("sasl_password" not in line for line in worker.log.splitlines())
