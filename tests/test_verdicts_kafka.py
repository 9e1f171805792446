"""The same input order gives the same verdicts, ids and story ids offline (`newsflow enrich`),
through one worker, through two, and across a kill -9 and restart, on both table stores; the
articles are spread over several raw partitions, so the stages interleave them differently
each time and the judge must put them back in order."""

from __future__ import annotations

import asyncio
import time
from dataclasses import replace
from pathlib import Path

import orjson
import pytest

from service.enrich import run_enrich
from service.faults import Outputs, collect, publish_records
from tests.conftest import isolated_settings
from tests.story_stream import story_stream

pytestmark = pytest.mark.integration

STORES = ["memory://", "rocksdb://"]
PARTITIONS = 4
#: Long enough that the judge never releases before a burst has fully arrived.
IDLE = "5"


def raw_stream(count: int = 48) -> list[bytes]:
    """Raw records of the story stream: reports, verbatim copies, edits and replays."""
    return [orjson.dumps({"url": f"https://{article.source}.test/{article.id}",
                          "source": article.source, "title": article.title,
                          "text": article.text, "published_at": article.published_at})
            for article in story_stream(count, seed=21)]


def offline_verdicts(lines: list[bytes], tmp_path: Path, **settings: object) -> dict:
    source, output = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    source.write_bytes(b"\n".join(lines) + b"\n")
    run_enrich(replace(isolated_settings("unused:1"), **settings), input_path=str(source),
               output_path=str(output), dead_letter_path=None, stages=("clean", "tag", "dedup"))
    outputs = Outputs()
    for line in output.read_bytes().splitlines():
        outputs.add("enriched", line)
    return outputs.verdicts()


def _has(ids: int):
    return lambda outputs: len(outputs.enriched) >= ids


async def _stream_verdicts(settings, start_worker, lines: list[bytes], workers: int) -> Outputs:
    started = await asyncio.gather(*(asyncio.to_thread(start_worker, settings,
                                                       NEWSFLOW_DEDUP_IDLE_SECONDS=IDLE)
                                     for _ in range(workers)))
    await _all_ready(started)
    await publish_records(settings, ((None, line, []) for line in lines), partitions=PARTITIONS)
    expected = len(set(lines))
    outputs = await collect(settings, done=_has(expected), timeout=180)
    await asyncio.gather(*(asyncio.to_thread(worker.process.stop) for worker in started))
    return outputs


async def _all_ready(workers: list, timeout: float = 60.0) -> None:
    """Wait until every worker is ready at once (the group has settled after the joins)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        await asyncio.sleep(1.0)
        if all(worker.process.is_ready() for worker in workers):
            await asyncio.sleep(2.0)
            if all(worker.process.is_ready() for worker in workers):
                return
    raise AssertionError("the workers did not settle")


@pytest.mark.parametrize("store", STORES)
async def test_verdicts_do_not_depend_on_the_layout(bootstrap_servers, start_worker, store,
                                                    tmp_path):
    lines = raw_stream()
    expected = offline_verdicts(lines, tmp_path)
    statuses = {verdict[0] for verdict in expected.values()}
    assert statuses == {"unique", "duplicate", "near_duplicate"}

    # The first run and a second identical one, side by side (each on topics of its own).
    one, again = await asyncio.gather(*(
        _stream_verdicts(isolated_settings(bootstrap_servers, partitions=PARTITIONS,
                                           store=store), start_worker, lines, 1)
        for _ in range(2)))
    two = await _stream_verdicts(isolated_settings(bootstrap_servers, partitions=PARTITIONS,
                                                   store=store), start_worker, lines, 2)
    assert one.verdicts() == expected
    assert again.verdicts() == expected
    assert two.verdicts() == expected
    assert not one.inconsistent() and not two.inconsistent()


@pytest.mark.parametrize("store", STORES)
async def test_verdicts_are_the_same_after_kill_9_mid_stream(bootstrap_servers, start_worker,
                                                             store, tmp_path):
    lines = raw_stream()
    expected = offline_verdicts(lines, tmp_path)
    settings = isolated_settings(bootstrap_servers, partitions=PARTITIONS, store=store)
    # The judge releases what it holds after this long without input. Order is kept only
    # for articles that reach it within that bound (agents/dedup/reorder.py), and a fresh
    # worker can take longer than a second between its first tag batches, so the bound is
    # above that gap and above the second between publishing and the kill.
    data = {"NEWSFLOW_DATA_DIR": str(tmp_path / "state"), "NEWSFLOW_DEDUP_IDLE_SECONDS": "3"}
    thirds = [lines[:16], lines[16:32], lines[32:]]

    def ids(part: list[bytes]) -> int:
        return len({orjson.loads(line)["url"] for line in part})

    first = start_worker(settings, **data)
    await publish_records(settings, ((None, line, []) for line in thirds[0]),
                          partitions=PARTITIONS)
    await collect(settings, done=_has(ids(thirds[0])), timeout=120)
    await publish_records(settings, ((None, line, []) for line in thirds[1]),
                          partitions=PARTITIONS)
    await asyncio.sleep(1.0)  # the second third is on its way through the stages
    first.process.kill()

    start_worker(settings, **data)
    await publish_records(settings, ((None, line, []) for line in thirds[2]),
                          partitions=PARTITIONS)
    outputs = await collect(settings, done=_has(ids(lines)), timeout=180)
    assert outputs.verdicts() == expected
    assert not outputs.inconsistent()


async def test_dedup_settings_act_the_same_offline_and_on_the_stream(bootstrap_servers,
                                                                     start_worker, tmp_path):
    """NEWSFLOW_NEAR_DUPLICATE_THRESHOLD changes verdicts, and the same way in both."""
    lines = raw_stream()
    default = offline_verdicts(lines, tmp_path)
    strict = offline_verdicts(lines, tmp_path, near_duplicate_threshold=0.99)
    assert strict != default
    settings = isolated_settings(bootstrap_servers, partitions=PARTITIONS,
                                 near_duplicate_threshold=0.99)
    outputs = await _stream_verdicts(settings, start_worker, lines, 1)
    assert outputs.verdicts() == strict
