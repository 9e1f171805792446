"""The service around the agents, on a real broker: health endpoints, publish and tail,
state recovery after a restart, structured logs, and the newcomer's demo."""

from __future__ import annotations

import os
import subprocess
import sys
import urllib.request

import orjson
import pytest
from click.testing import CliRunner

from service.cli import main
from service.kafka import ensure_topics, first_record_offset, publish, read_topics
from tests.conftest import isolated_settings

pytestmark = pytest.mark.integration

STORY = (
    "The regional water board of Flevoland voted on Wednesday to build a second pumping station "
    "near Lelystad, after two winters in which heavy rain left farmland under water for weeks. "
    "Board chair Ilse Brouwer said the station would double the polder's pumping capacity and "
    "should be running before the autumn storms of next year. Farmers' groups welcomed the "
    "decision but asked the board to publish the cost, which local papers have put at about "
    "forty million euros, and to explain how it will be shared between households and growers. "
    "Engineers expect construction to start in spring once the last permits are granted."
)


def _env(settings) -> dict[str, str]:
    topics = settings.topics
    return {"KAFKA_BOOTSTRAP_SERVERS": settings.bootstrap_servers,
            "NEWSFLOW_TOPIC_RAW": topics.raw, "NEWSFLOW_TOPIC_ENRICHED": topics.enriched}


async def test_health_endpoints_and_healthcheck_command(bootstrap_servers, start_worker):
    settings = isolated_settings(bootstrap_servers)
    worker = start_worker(settings, stages="clean")
    port = worker.process.web_port
    for path in ("livez", "readyz"):
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/{path}", timeout=5) as response:
            assert response.status == 200
            assert orjson.loads(response.read())["status"] in ("ok", "ready")
    result = CliRunner().invoke(main, ["healthcheck", "--ready"],
                                env={"NEWSFLOW_WEB_PORT": str(port)})
    assert result.exit_code == 0, result.output
    result = CliRunner().invoke(main, ["healthcheck", "--url", "http://127.0.0.1:9/livez"])
    assert result.exit_code == 1


def test_publish_and_tail_commands(bootstrap_servers, tmp_path):
    settings = isolated_settings(bootstrap_servers)
    lines = [b'{"url": "https://one.test/a", "text": "First."}', b"not json"]
    source = tmp_path / "two.jsonl"
    source.write_bytes(b"\n".join(lines) + b"\n\n")
    runner = CliRunner()
    result = runner.invoke(main, ["publish", str(source)], env=_env(settings))
    assert result.exit_code == 0, result.output
    assert f"published 2 messages to {settings.topics.raw}" in result.output
    result = runner.invoke(main, ["tail", settings.topics.raw, "-n", "5"], env=_env(settings))
    assert result.exit_code == 0, result.output
    assert '"url": "https://one.test/a"' in result.stdout
    assert "b'not json'" in result.stdout
    result = runner.invoke(main, ["publish"], env=_env(settings))
    assert result.exit_code == 2 and "--samples" in result.output


async def test_dedup_index_survives_a_worker_restart(bootstrap_servers, start_worker):
    """The index is recovered from its changelog: a copy sent after the restart is still a
    duplicate, and a replay of the original gets its first verdict back."""
    settings = isolated_settings(bootstrap_servers, partitions=1)
    original = orjson.dumps({"url": "https://polder.test/pumping-station", "text": STORY})
    copy = orjson.dumps({"url": "https://syndicate.test/flevoland-pumps", "text": STORY})
    topics = [settings.topics.enriched]

    first = start_worker(settings)
    await publish(settings, settings.topics.raw, [(None, original)])
    [before] = [orjson.loads(r.value) async for r in read_topics(settings, topics, until=1)]
    assert before["dedup"]["status"] == "unique"
    assert first.process.stop() == 0

    start_worker(settings)
    await publish(settings, settings.topics.raw, [(None, copy), (None, original)])
    records = [orjson.loads(r.value) async for r in read_topics(settings, topics, until=3)]
    after_copy, replay = records[1], records[2]
    assert after_copy["dedup"]["status"] == "duplicate"
    assert after_copy["dedup"]["duplicate_of"] == before["id"]
    assert replay["id"] == before["id"]
    assert replay["dedup"] == before["dedup"]


async def test_the_broker_says_where_the_first_record_after_an_offset_is(bootstrap_servers):
    """What `agents.continuity` asks to tell records skipped from offsets that hold none."""
    settings = isolated_settings(bootstrap_servers, partitions=1)
    topic = settings.topics.raw
    await ensure_topics(settings, {topic: 1})
    await publish(settings, topic, [(None, b"one"), (None, b"two"), (None, b"three")])
    assert await first_record_offset(settings, topic, 0, 1) == 1
    assert await first_record_offset(settings, topic, 0, 3, timeout=1.0) is None


async def test_rejections_are_logged_as_json_events(bootstrap_servers, start_worker):
    settings = isolated_settings(bootstrap_servers)
    worker = start_worker(settings, stages="clean")
    await publish(settings, settings.topics.raw, [(None, b"[1, 2, 3]")])
    [dead] = [orjson.loads(r.value)
              async for r in read_topics(settings, [settings.topics.dead_letter], until=1)]
    assert dead["error_code"] == "not_an_object"
    events = [orjson.loads(line) for line in worker.log.splitlines() if line.startswith("{")]
    [rejected] = [event for event in events if event.get("event") == "record_rejected"]
    assert rejected["error_code"] == "not_an_object"
    assert rejected["level"] == "warning"
    assert (rejected["topic"], rejected["partition"], rejected["offset"]) == (
        dead["topic"], dead["partition"], dead["offset"])


@pytest.mark.skipif(bool(os.environ.get("KAFKA_BOOTSTRAP_SERVERS")),
                    reason="the demo starts its own broker")
def test_demo_runs_the_whole_pipeline():
    result = subprocess.run([sys.executable, "-m", "service.cli", "demo", "--timeout", "120"],
                            capture_output=True, text=True, timeout=300, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "6 enriched, 7 dead-lettered, 13 published" in result.stdout
    assert "near_duplicate of" in result.stdout
    assert "empty_after_cleaning" in result.stdout
