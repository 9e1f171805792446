"""Key phrases are ranked against document frequencies learned from the stream: a phrase
that every article repeats sinks, offline and on the stream. The judge learns them (it
reads the stream in one order), so the tag stage's ranking stays the article's own."""

from __future__ import annotations

import asyncio

import orjson
import pytest
from click.testing import CliRunner

from service.cli import main
from service.kafka import publish, read_topics
from tests.conftest import isolated_settings

COMMON = "Harbour Development Fund"
STORIES = [
    ("Glassworks", "The old glassworks on Quay Road will become a museum of local crafts, with "
     "workshops for apprentices and a gallery for the glassblowers' collection."),
    ("Tram line", "A new tram line will link the ferry terminal with the university campus, "
     "cutting the journey for thousands of students and commuters every morning."),
    ("Sea wall", "Engineers will raise the sea wall along the promenade by one metre after "
     "three winters of flooding damaged cafés, shops and the lifeboat station."),
    ("Fish market", "The covered fish market will get new cold stores and a roof of solar "
     "panels, so traders can keep their catch fresh through the summer heat."),
    ("Cycle bridge", "A cycle and footbridge over the river mouth will open next spring, "
     "sparing cyclists the long detour through the industrial estate."),
    ("Lighthouse", "Volunteers will restore the lighthouse keeper's cottage and open it to "
     "visitors, with an exhibition about the ships wrecked on the northern reef."),
]


def _record(number: int) -> bytes:
    title, body = STORIES[number]
    text = (f"{body} The project is paid for by the {COMMON}, which the council set up last "
            f"year. A spokesperson for the {COMMON} said work would begin within months. "
            f"Residents can comment on the plans at the town hall until the end of the month.")
    return orjson.dumps({"url": f"https://harbour.test/{number}", "title": f"{title} plan",
                         "text": text, "source": f"Outlet {number}"})


def _rank(keywords: list[str]) -> int:
    lowered = [keyword.lower() for keyword in keywords]
    return lowered.index(COMMON.lower()) if COMMON.lower() in lowered else len(lowered)


def test_enrich_ranks_a_phrase_common_to_every_article_lower(tmp_path):
    source = tmp_path / "harbour.jsonl"
    source.write_bytes(b"\n".join(_record(number) for number in range(len(STORIES))))
    result = CliRunner().invoke(main, ["enrich", "--input", str(source)])
    assert result.exit_code == 0, result.output
    ranks = [_rank(orjson.loads(line)["keywords"]) for line in result.stdout.splitlines()]
    assert ranks[0] <= 1
    assert ranks[-1] > ranks[0]


@pytest.mark.integration
async def test_the_judge_learns_frequencies_from_the_stream(bootstrap_servers, start_worker):
    settings = isolated_settings(bootstrap_servers, partitions=1)
    start_worker(settings, NEWSFLOW_DEDUP_IDLE_SECONDS="2")
    for number in range(len(STORIES)):  # one by one: the judge reads them in arrival order
        await publish(settings, settings.topics.raw, [(None, _record(number))])
        await asyncio.sleep(0.05)
    tagged = [orjson.loads(r.value) async for r in read_topics(
        settings, [settings.topics.tagged], until=len(STORIES), idle_timeout=60, timeout=90)]
    enriched = [orjson.loads(r.value) async for r in read_topics(
        settings, [settings.topics.enriched], until=len(STORIES), idle_timeout=60, timeout=90)]
    by_tag = {record["url"]: _rank(record["keywords"]) for record in tagged}
    ranks = {record["url"]: _rank(record["keywords"]) for record in enriched}
    first, last = "https://harbour.test/0", f"https://harbour.test/{len(STORIES) - 1}"
    assert ranks[first] <= 1
    assert ranks[last] > ranks[first]
    assert by_tag[last] <= 1  # the tag stage ranks each article alone: only the judge learns
