"""Roundups: an article with several sections joins the story of what it leads with, and
its later sections neither pull that story apart nor chain other stories to it."""

from __future__ import annotations

from agents.dedup import Deduplicator
from agents.dedup.encoding import unpack_vector
from agents.dedup.features import cosine, lead, normalise, sections
from agents.dedup.records import StoryRecord
from agents.identity import content_hash
from schemas.models import Article, Entity
from tests.test_dedup_stories import BACKGROUND

ADDRESS_QUOTE = ("We will not stand by while Morvia moves its soldiers to our border, and "
                 "our allies will hear our plan in full on Thursday")
SPOKESMAN_QUOTE = "The deployment is a routine exercise and threatens nobody"

ROUNDUP_TITLE = "Evening briefing: Varo speaks on Morvian troops, and the rest of the day"
ROUNDUP = f"""President Elin Varo told the nation in a televised address on Tuesday that \
Morvia was sending troops towards the eastern frontier. "{ADDRESS_QUOTE}," Varo said. She \
will present the Halden Plan, a package of air defence and border patrols, to allied \
leaders in Brussels.

In Morvia, presidential spokesman Dmitri Kolev dismissed the address. "{SPOKESMAN_QUOTE}," \
Kolev told reporters, adding that Varo was trying to frighten voters.

Defence meeting postponed

A meeting of defence ministers planned for Wednesday in Lisk was postponed by a week after \
two delegations asked for more time, officials at the defence ministry said. The ministers \
were to agree on ammunition supplies and a joint training programme; the Lisk talks will now \
open next Wednesday with the same agenda. Ministry spokeswoman Ana Petrak said the delay was \
technical. The Lisk meeting is the first since the ammunition agreement expired in spring, \
and officials hope to sign a new ammunition supply deal there.

Drone strike on fuel depot

A drone struck a fuel depot near the port of Sarny overnight, setting storage tanks on fire. \
Firefighters worked for hours and brought the blaze under control by dawn. Nobody was hurt, \
regional governor Pavel Dunn said, and fuel deliveries from the Sarny depot would resume \
within two days. Investigators were looking for fragments of the drone near the burnt tanks, \
and the Sarny port authority closed two berths while the fire crews cooled the storage tanks.

Governor Dunn said the Sarny depot holds most of the fuel for the region's farms, and that \
the port would reopen the closed berths once the tanks had cooled. Fire crews from three \
towns joined the Sarny firefighters during the night, and the depot's owner said the burnt \
storage tanks would be replaced before the harvest.

Debris damages homes

Falling debris from a drone shot down by air defences damaged the roofs of six houses in the \
village of Brava, and one resident was treated for cuts. The Brava village council said \
repairs would be paid from an emergency fund, and roofers from the region were already at \
work on the damaged houses. Brava residents said they heard two explosions before the debris \
fell on the houses near the Brava school."""

FOCUSED_TITLE = "Varo warns Morvia over troops, will take Halden Plan to allies"
FOCUSED = f"""President Elin Varo used a rare address to the nation to accuse Morvia of \
massing soldiers near the eastern border. "{ADDRESS_QUOTE}," she said in the address, \
broadcast on Tuesday evening.

Varo said the Halden Plan, which would add air defence units and border patrols, would go \
to allied leaders at the Brussels summit. The Kremlin-style reply came within the hour: \
Morvian spokesman Dmitri Kolev said "{SPOKESMAN_QUOTE}." Analysts said the address was \
the sharpest Varo has given since taking office."""

MEETING = """Defence ministers postpone Lisk meeting. The meeting of defence ministers \
that was to open in Lisk on Wednesday has been put off by a week, the defence ministry \
said. Two delegations asked for more time to prepare, and officials said the agenda on \
ammunition supplies and training would not change. The ministers last met in Lisk in the \
spring."""

DRONE = """A drone hit a fuel depot outside the port of Sarny during the night, setting \
storage tanks on fire. Firefighters worked for hours and had the blaze under control by \
dawn, regional governor Pavel Dunn said. Nobody was injured, and fuel deliveries in the \
Sarny region would resume within two days, Dunn added."""

DRONE_FIRE = """Storage tanks at the Sarny fuel depot burned through the night after a \
drone attack on the port, and fire crews cooled the tanks until dawn. Governor Pavel Dunn \
said no one was hurt in the Sarny strike and two berths of the port were closed."""

MEETING_DELAY = """Ministry spokeswoman Ana Petrak said the Lisk meeting of defence ministers \
was delayed for technical reasons. The ministers will discuss the ammunition supply deal and \
joint training when the Lisk talks open a week later than planned."""

DRONE_LATER = """Fuel deliveries from the Sarny depot resumed on Wednesday after the \
overnight drone strike, governor Pavel Dunn said. Investigators found fragments of the \
drone near the burnt storage tanks at the Sarny port depot."""

DEBRIS = """Six houses in the village of Brava had their roofs damaged by debris from a \
drone that air defences shot down overnight. One resident was treated for cuts, and the \
village council of Brava said repairs would be paid from an emergency fund."""


def article(article_id: str, text: str, *, title: str | None = None, source: str = "test",
            entities: list[Entity] | None = None) -> Article:
    return Article(id=article_id, source=source, title=title, text=text,
                   content_hash=content_hash(text), published_at="2024-06-04T19:00:00Z",
                   ingested_at="2024-06-04T20:00:00Z", entities=entities or [])


def person(name: str) -> Entity:
    return Entity(name=name, type="PERSON", mentions=2, surface_forms=[name])


def roundup() -> Article:
    people = [person("Elin Varo"), person("Dmitri Kolev"), person("Pavel Dunn")]
    return article("roundup", ROUNDUP, title=ROUNDUP_TITLE, source="evening-news",
                   entities=people)


def focused() -> Article:
    return article("focused", FOCUSED, title=FOCUSED_TITLE, source="wire",
                   entities=[person("Elin Varo"), person("Dmitri Kolev")])


def judged(*stream: Article) -> dict[str, str]:
    dedup = Deduplicator()
    for number, text in enumerate(BACKGROUND):
        dedup.judge(article(f"bg{number}", text))
    return {item.id: dedup.judge(item).story_id for item in stream}


def test_sections_are_cut_at_headings_after_the_lead() -> None:
    parts = sections(ROUNDUP)
    assert len(parts) == 4
    assert parts[0].startswith("President Elin Varo") and parts[1].startswith("Defence")
    assert sections(FOCUSED) == [FOCUSED]


def test_datelines_and_bylines_before_the_first_sentence_are_not_headings() -> None:
    lead_text = ("June 4, 2024\n\nBy Mara Lind\n\nThe council of Lakemont voted to close "
                 "the bridge for six months after engineers found cracks.")
    later = "What happens next\n\nCommuters will use the ferry."
    assert sections(f"{lead_text}\n\n{later}") == [lead_text, later]
    assert sections("Short news\n\nBy Mara Lind\n\nThe bridge is shut.") == [
        "Short news\n\nBy Mara Lind\n\nThe bridge is shut."]


def test_separator_lines_cut_sections() -> None:
    first = " ".join(["The lead paragraph tells of the main event of the day."] * 5)
    text = f"{first}\n\n* * *\n\nAnother event entirely, told in a later section."
    assert sections(text) == [first, "Another event entirely, told in a later section."]


def test_the_lead_keeps_only_the_entities_it_names() -> None:
    head = lead(roundup())
    assert head.sectioned
    assert [entity.name for entity in head.entities] == ["Elin Varo", "Dmitri Kolev"]


def test_a_roundup_and_a_focused_report_share_a_story_in_either_order() -> None:
    first = judged(roundup(), focused())
    assert first["focused"] == first["roundup"] == "roundup"
    second = judged(focused(), roundup())
    assert second["roundup"] == second["focused"] == "focused"


def established_stories() -> list[Article]:
    """Stories the roundup's later sections are about, each with several reports."""
    return [article("meeting", MEETING), article("drone", DRONE, source="local"),
            article("meeting-2", MEETING_DELAY, source="wire"),
            article("drone-2", DRONE_FIRE, source="wire"), article("debris", DEBRIS),
            article("drone-3", DRONE_LATER, source="radio")]


def test_a_roundup_joins_the_story_it_leads_with_not_those_of_its_later_sections() -> None:
    stories = judged(*established_stories(), roundup(), focused())
    assert stories["roundup"] == stories["focused"] == "roundup"
    assert stories["meeting-2"] == "meeting" and stories["drone-3"] == "drone"
    assert stories["debris"] == "debris"


def test_a_roundup_is_not_pulled_into_an_established_story_of_a_later_section() -> None:
    stories = judged(article("drone", DRONE, source="local"),
                     article("drone-2", DRONE_FIRE, source="wire"),
                     article("drone-3", DRONE_LATER, source="radio"), focused(), roundup())
    assert stories["roundup"] == "focused"


def test_later_sections_are_no_evidence_for_the_stories_they_are_about() -> None:
    dedup = Deduplicator()
    for item in (article("drone", DRONE, source="local"),
                 article("drone-2", DRONE_FIRE, source="wire"),
                 article("drone-3", DRONE_LATER, source="radio")):
        dedup.judge(item)
    drone_story = StoryRecord.from_json(dedup.state.stories["drone"])
    centroid = normalise(unpack_vector(drone_story.centroid))
    assert cosine(dedup.fingerprint(roundup()).vector, centroid) < 0.02
    assert cosine(dedup.fingerprint(article("d", DRONE_FIRE)).vector, centroid) > 0.3


def test_later_sections_do_not_chain_other_stories_to_the_lead() -> None:
    stories = judged(focused(), roundup(), *established_stories())
    assert stories["roundup"] == "focused"
    assert stories["drone"] == stories["drone-2"] == stories["drone-3"] == "drone"
    assert stories["meeting"] == stories["meeting-2"] == "meeting"
    assert stories["debris"] == "debris"
