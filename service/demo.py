"""`newsflow demo`: the whole pipeline on a broker Newsflow starts itself.

Starts the embedded broker and one worker, publishes the sample articles, prints every
enriched and dead-letter record readably, and stops everything.
"""

from __future__ import annotations

import asyncio
import tempfile
import textwrap
import time
from dataclasses import replace
from pathlib import Path

import click
import orjson

from service.app import topic_partitions
from service.broker import EmbeddedBroker
from service.kafka import ensure_topics, publish, read_topics
from service.settings import Settings
from service.worker import WorkerProcess, worker_env


def run_demo(settings: Settings, samples_path: Path, *, timeout: float = 180.0) -> int:
    """Run the demo; return the process exit code (0 when every sample was accounted for)."""
    lines = [line for line in samples_path.read_bytes().splitlines() if line.strip()]
    workdir = Path(tempfile.mkdtemp(prefix="newsflow-demo-"))
    started = time.monotonic()
    click.secho("Newsflow demo", bold=True)
    with EmbeddedBroker(log_path=workdir / "broker.log") as broker:
        click.echo(f"  broker  Tansu on {broker.bootstrap_servers} (in memory)")
        # One partition per topic keeps the samples in publishing order end to end, so the
        # original of a republished story is always judged first.
        local = replace(settings.with_bootstrap(broker.bootstrap_servers), partitions=1)
        asyncio.run(ensure_topics(local, topic_partitions(local)))
        env = worker_env(local, broker.bootstrap_servers, workdir / "state")
        with WorkerProcess(env, log_path=workdir / "worker.log") as worker:
            click.echo(f"  worker  ready (health on http://127.0.0.1:{worker.web_port}/readyz; "
                       f"log {workdir / 'worker.log'})")
            asyncio.run(publish(local, local.topics.raw, ((None, line) for line in lines)))
            click.echo(f"  input   {len(lines)} raw messages from {samples_path.name} "
                       f"published to {local.topics.raw}\n")
            results = asyncio.run(_collect(local, len(lines), timeout))
            stories = asyncio.run(_latest_stories(local))
    enriched = [value for topic, value in results if topic == local.topics.enriched]
    rejected = [value for topic, value in results if topic == local.topics.dead_letter]
    for record in enriched:
        click.echo(format_enriched(record))
    if rejected:
        click.secho(f"Dead letters ({local.topics.dead_letter})", bold=True)
        for record in rejected:
            click.echo(format_dead_letter(record))
    if stories:
        click.secho(f"\nStories ({local.topics.stories}, the latest record of each)", bold=True)
        for story in stories.values():
            click.echo(format_story(story))
    elapsed = time.monotonic() - started
    complete = len(results) == len(lines)
    click.secho(
        f"\n{len(enriched)} enriched, {len(rejected)} dead-lettered, "
        f"{len(lines)} published, in {elapsed:.1f} s",
        fg="green" if complete else "red",
        bold=True,
    )
    if not complete:
        click.echo(f"Some records did not come back in {timeout:.0f} s; logs in {workdir}")
    return 0 if complete else 1


async def _collect(settings: Settings, expected: int, timeout: float) -> list[tuple[str, dict]]:
    """Every record on the enriched and dead-letter topics, until `expected` have come."""
    topics = [settings.topics.enriched, settings.topics.dead_letter]
    results = []
    async for record in read_topics(settings, topics, until=expected, idle_timeout=timeout,
                                    timeout=timeout):
        results.append((record.topic, orjson.loads(record.value)))
    return results


async def _latest_stories(settings: Settings) -> dict[str, dict]:
    """The story feed as a compacted topic would keep it: the latest record per story."""
    latest: dict[str, dict] = {}
    async for record in read_topics(settings, [settings.topics.stories], idle_timeout=2.0,
                                    timeout=15.0):
        story = orjson.loads(record.value)
        latest[story["story_id"]] = story
    return latest


def format_story(story: dict) -> str:
    """A story record as one readable line."""
    count = story["article_count"]
    return (f"  {story['headline'][:60]!r}: {count} article{'s' * (count != 1)} from "
            f"{', '.join(story['sources'])}; first seen {story['first_seen']}")


def format_enriched(record: dict) -> str:
    """An enriched record as a short, readable block."""
    dedup = record["dedup"]
    verdict = dedup["status"]
    if dedup["duplicate_of"]:
        verdict += f" of {dedup['duplicate_of']} (similarity {dedup['similarity']})"
    entities = ", ".join(f"{e['name']} ({e['type']}, {e['mentions']}x)"
                         for e in record["entities"][:8]) or "-"
    body = textwrap.shorten(record["text"], 220, placeholder=" ...")
    color = "green" if dedup["status"] == "unique" else "yellow"
    lines = [
        click.style(f"● {record['title'] or '(untitled)'}", bold=True),
        f"    id {record['id']}  source {record['source']}  language {record['language']}  "
        f"published {record['published_at'] or '-'}",
        f"    authors   {', '.join(record['authors']) or '-'}",
        "    dedup     " + click.style(verdict, fg=color) + f"  story {dedup['story_id']}",
        f"    entities  {entities}",
        f"    keywords  {', '.join(record['keywords'][:8]) or '-'}",
        f"    topics    {', '.join(record['topics']) or '-'}",
        f"    text      {body}",
        "",
    ]
    return "\n".join(lines)


def format_dead_letter(record: dict) -> str:
    """A dead-letter record as one readable line."""
    return (
        click.style(f"  ✗ {record['error_code']}", fg="red")
        + f" at {record['topic']}[{record['partition']}]@{record['offset']}: "
        + record["error_detail"]
    )
