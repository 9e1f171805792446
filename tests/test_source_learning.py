"""Boilerplate learned per source: prose-like lines that one outlet prints under every
article are dropped once they recur, on the real broker and in `newsflow enrich`."""

from __future__ import annotations

import orjson
import pytest
from click.testing import CliRunner

from agents.clean import Cleaner
from agents.intake import decode_raw
from service.cli import main
from service.kafka import publish, read_topics
from tests.conftest import isolated_settings

SOURCE = "Lakeside Tribune"
RECURRING = [
    "Follow our continuing coverage of the valley elections on our live page every evening.",
    "The Lakeside Tribune relies on readers like you to keep local reporting alive across "
    "the whole valley.",
]
BODIES = [
    "The town council of Eastmere approved a new budget on Monday that sets aside money for "
    "repairs to the old stone bridge. Councillors argued for two hours about the cost of the "
    "work before the vote passed by seven votes to four. Repairs are expected to begin in June.",
    "A bakery on Harbour Street celebrated fifty years in business this weekend with free bread "
    "for every customer. The owner, Greta Holm, said her grandmother opened the shop with a "
    "single oven and a borrowed table. Hundreds of neighbours queued in the rain to join in.",
    "Students at Westfield College built a small solar car that drove the length of the valley "
    "road without stopping. The team spent a year on the design and raised the money through "
    "a series of concerts. Their teacher said the project taught them more than any exam could.",
    "Fishermen on the northern shore reported the largest catch of trout in a decade after a "
    "mild winter warmed the lake earlier than usual. Biologists warned that the numbers could "
    "fall again if the summer turns dry. The fishing association will publish its figures in May.",
    "The valley hospital opened a new children's ward on Thursday after three years of building "
    "work. Nurses gave visitors a tour of the bright rooms, which overlook the gardens. The "
    "director said the ward would shorten waiting times for families across the region.",
    "Heavy snow closed the mountain pass above Eastmere for most of Sunday, stranding dozens of "
    "cars at the summit. Road crews worked through the night to clear the route. Drivers were "
    "told to carry chains until the end of the month.",
]


def _record(number: int) -> bytes:
    text = "\n".join([f"Headline number {number} from the valley", BODIES[number], *RECURRING])
    return orjson.dumps({"url": f"https://lakeside.test/news/{number}", "source": SOURCE,
                         "text": text})


def test_the_line_classifier_alone_keeps_the_recurring_lines():
    text = Cleaner().clean(decode_raw(_record(0), max_bytes=10**6)).text
    assert all(line in text for line in RECURRING)


def test_enrich_learns_the_source_boilerplate(tmp_path):
    source = tmp_path / "lakeside.jsonl"
    source.write_bytes(b"\n".join(_record(number) for number in range(len(BODIES))))
    result = CliRunner().invoke(main, ["enrich", "--input", str(source), "--stages", "clean"])
    assert result.exit_code == 0, result.output
    texts = [orjson.loads(line)["text"] for line in result.stdout.splitlines()]
    assert all(line in texts[0] for line in RECURRING)
    for text, body in zip(texts[-2:], BODIES[-2:], strict=True):
        assert body.split(". ")[0] in text
        assert not any(line in text for line in RECURRING)


@pytest.mark.integration
async def test_the_clean_agent_learns_the_source_boilerplate(bootstrap_servers, start_worker):
    settings = isolated_settings(bootstrap_servers)
    start_worker(settings, stages="clean")
    cleaned = settings.topics.cleaned
    first, later = range(4), range(4, len(BODIES))
    await publish(settings, settings.topics.raw, [(None, _record(n)) for n in first])
    seen = [orjson.loads(r.value) async for r in read_topics(settings, [cleaned], until=4,
                                                              idle_timeout=60, timeout=90)]
    assert len(seen) == 4
    await publish(settings, settings.topics.raw, [(None, _record(n)) for n in later])
    records = [orjson.loads(r.value) async for r in read_topics(settings, [cleaned],
                                                                 until=len(BODIES),
                                                                 idle_timeout=60, timeout=90)]
    newest = {record["url"]: record["text"] for record in records[4:]}
    assert set(newest) == {f"https://lakeside.test/news/{n}" for n in later}
    for number in later:
        text = newest[f"https://lakeside.test/news/{number}"]
        assert BODIES[number].split(". ")[0] in text
        assert not any(line in text for line in RECURRING)
