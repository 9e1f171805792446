"""The tag stage end to end on articles we wrote ourselves; the model loads once."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from agents.dedup import Deduplicator
from agents.identity import content_hash
from agents.tag import TagConfig, Tagger
from agents.tag.evaluate import evaluate_ner, evaluate_topics
from schemas.models import Article

WIRE_TITLE = "Moldovan president unveils Harbour Shield Plan with Romania and Poland"
WIRE_TEXT = (
    "CHISINAU, March 3 (Newswire) - President Elena Varga used an evening address on Sunday "
    "to present the Harbour Shield Plan, a joint effort with Romania and Poland to protect "
    "river ports along the border.\n\n"
    "Varga said the Harbour Shield Plan would be financed by the three governments and "
    "reviewed each year. \"Our allies in Romania and Poland stand with us,\" Varga told "
    "viewers. Russian forces have not commented.\n\n"
    "Poland's foreign minister welcomed the plan on Monday, and officials in Bucharest said "
    "Romania's navy would send two patrol boats under the Harbour Shield Plan."
)


def article(title: str | None, text: str, index: int = 0) -> Article:
    return Article(
        id=f"a{index}", source="test", title=title, text=text, content_hash="", ingested_at=""
    )


@pytest.fixture(scope="session")
def tagger() -> Iterator[Tagger]:
    yield Tagger(TagConfig())


def test_wire_report_about_a_presidential_address(tagger: Tagger) -> None:
    wire = article(WIRE_TITLE, WIRE_TEXT)
    tagger.tag([wire])
    assert wire.language == "en"
    by_name = {e.name: e for e in wire.entities}
    president = by_name["Elena Varga"]
    assert president.type == "PERSON"
    assert "Varga" in president.surface_forms
    assert president.mentions == 3
    assert by_name["Romania"].type == "LOC"
    assert by_name["Poland"].type == "LOC"
    assert "Romania's" in by_name["Romania"].surface_forms or by_name["Romania"].mentions >= 3
    assert by_name["Russia"].type == "LOC"
    assert "Harbour Shield Plan" in wire.keywords
    assert wire.keywords.index("Harbour Shield Plan") < 5
    assert all(k.split()[0].lower() not in {"the", "a", "of", "and"} for k in wire.keywords)
    assert not any(k.replace(" ", "").isdigit() for k in wire.keywords)
    assert wire.topics and wire.topics[0] in {"politics", "conflict, war and peace"}
    assert wire.entities[0].name in {"Elena Varga", "Harbour Shield Plan"}


PLAN_TEXT = (
    "CHISINAU, Oct 16 (Newswire) - President Elena Varga set out her country's victory plan "
    "in an evening address on Wednesday, asking Romania for air defence systems and faster "
    "help with energy before the winter.\n\n"
    "Varga said the victory plan had five points and that Moldova could not wait for the "
    "spring. \"The victory plan is a bridge to a lasting peace,\" she told viewers.\n\n"
    "Romania's foreign ministry said it would study the plan with its allies, and officials "
    "in Bucharest said the victory plan would be discussed by defence ministers next week."
)
PLAN_TITLE = "Moldovan president sets out victory plan in evening address"
# The tag line of the outlet's text dump, as the clean stage keeps it.
PLAN_TAGS = ["News Feed", "Elena Varga", "Moldova", "Romania", "Victory Plan"]


def _assert_plan_report(story: Article) -> None:
    by_name = {e.name: e for e in story.entities}
    assert by_name["Elena Varga"].type == "PERSON"
    assert by_name["Moldova"].type == "LOC"
    assert by_name["Romania"].type == "LOC"
    assert "Victory Plan" in story.keywords[:5]
    assert "victory plan" not in story.keywords
    assert not any(k.lower() in {"plan", "president sets", "victory"} for k in story.keywords)
    assert story.topics
    assert story.topics[0] in {"politics", "conflict, war and peace"}


def test_wire_report_with_the_plan_in_lower_case_and_the_outlet_tag_line(tagger: Tagger) -> None:
    story = article(PLAN_TITLE, PLAN_TEXT, 30)
    story.metadata["source_tags"] = list(PLAN_TAGS)
    tagger.tag([story])
    _assert_plan_report(story)
    assert story.metadata["source_tags"] == PLAN_TAGS  # kept as the outlet gave them
    assert "News Feed" not in story.keywords  # the outlet's feed name is not in the text
    assert {"Elena Varga", "Moldova", "Romania"} <= set(story.keywords)


def test_wire_report_with_the_plan_capitalised_in_the_headline_only(tagger: Tagger) -> None:
    story = article("Varga takes her Victory Plan to allies", PLAN_TEXT, 31)
    tagger.tag([story])
    _assert_plan_report(story)


def test_a_named_plan_the_stream_capitalised_before_is_named_again(tagger: Tagger) -> None:
    earlier = article("Varga unveils a Victory Plan", "Elena Varga presented the Victory Plan "
                      "to parliament in Chisinau on Tuesday.", 32)
    later = article(PLAN_TITLE, PLAN_TEXT, 33)
    tagger.tag([earlier, later])
    assert "victory plan" in later.keywords  # the article alone never capitalises it
    judge = Deduplicator()
    for story in (earlier, later):
        story.ingested_at = "2026-10-16T18:00:00Z"
        judge.judge(story)
    _assert_plan_report(later)  # the judge, which read the earlier article, names it


def test_non_english_article_keeps_the_outlet_tags_and_says_why(tagger: Tagger) -> None:
    story = article(
        "El Gobierno presenta un plan para los puertos",
        "El Gobierno de Madrid presentó el lunes un nuevo plan para proteger los puertos "
        "del sur. La ministra dijo que el plan costará varios millones de euros.",
        34,
    )
    story.metadata["source_tags"] = ["Puertos", "Gobierno de España", "Puertos"]
    tagger.tag([story])
    assert story.language == "es"
    assert story.entities == [] and story.topics == [] and story.topic_scores == {}
    assert story.keywords == ["Puertos", "Gobierno de España"]
    assert "English" in story.metadata["tag_note"]


def test_non_english_article_gets_language_and_no_entities(tagger: Tagger) -> None:
    spanish = article(
        "El Gobierno presenta un plan para los puertos",
        "El Gobierno de Madrid presentó el lunes un nuevo plan para proteger los puertos "
        "del sur. La ministra dijo que el plan costará varios millones de euros.",
    )
    english = article("Port plan", "The government in Valletta presented a plan for ports.", 1)
    tagger.tag([spanish, english])
    assert spanish.language == "es"
    assert spanish.entities == []
    assert english.language == "en"


def test_a_batch_gets_sport_and_economy_topics(tagger: Tagger) -> None:
    sport = article(
        "Rovers snatch late winner",
        "The striker scored twice as Rovers beat the league leaders 2-1 on Saturday. The "
        "coach praised his players and the fans after the match.",
    )
    economy = article(
        "Retailer shares slide after profit warning",
        "Shares in the retailer fell 8% after it cut its annual profit forecast. Analysts "
        "said higher interest rates and inflation were hurting consumer spending.",
        1,
    )
    tagger.tag([sport, economy])
    assert sport.topics[0] == "sport"
    assert economy.topics[0] == "economy, business and finance"


def lowered(keywords: list[str]) -> list[str]:
    return [keyword.lower() for keyword in keywords]


def test_phrases_common_to_every_article_rank_low_once_the_judge_has_read_them(
        tagger: Tagger) -> None:
    boilerplate = "Subscriber newsletter offers apply."
    phrase = "subscriber newsletter offers"
    stories = [
        article(None, f"Ferry operators in Valletta cancelled crossings. {boilerplate}", 10),
        article(None, f"Grain prices rose sharply in Odesa markets. {boilerplate}", 11),
        article(None, f"The orchestra toured Lisbon concert halls. {boilerplate}", 12),
        article(None, f"Tidal turbines were tested off Orkney coasts. {boilerplate}", 13),
    ]
    tagger.tag(stories)
    last = stories[-1]
    assert phrase in lowered(last.keywords[:2])  # the article alone
    judge = Deduplicator()
    for story in stories:
        story.ingested_at = "2026-10-16T18:00:00Z"
        story.content_hash = content_hash(story.text)
        judge.judge(story)
    assert phrase in lowered(stories[0].keywords[:2])  # nothing learned yet
    assert phrase not in lowered(last.keywords[:2])


def test_evaluate_ner_scores_a_small_gold_file(tmp_path: Path, tagger: Tagger) -> None:
    rows = [
        {"doc_id": 0, "tokens": ["Elena", "Varga", "visited", "Bucharest", "."],
         "ner_tags": ["B-PER", "I-PER", "O", "B-LOC", "O"]},
        {"doc_id": 0, "tokens": ["Varga", "met", "officials", "of", "the", "United", "Nations",
                                 "."],
         "ner_tags": ["B-PER", "O", "O", "O", "O", "B-ORG", "I-ORG", "O"]},
    ]
    gold = tmp_path / "gold.jsonl"
    gold.write_text("\n".join(json.dumps(row) for row in rows))
    report = evaluate_ner(gold, tagger.recognizer)
    assert report.overall.true_positive + report.overall.false_negative == 4
    assert report.overall.f1 >= 0.5
    assert report.words == 13
    assert "overall" in report.format()


def test_evaluate_topics_reports_accuracy(tmp_path: Path, tagger: Tagger) -> None:
    rows = [
        {"id": "s", "title": "Cup final", "category": "sport",
         "text": "The team won the cup final after the striker scored a late goal."},
        {"id": "b", "title": "Bank profits", "category": "business",
         "text": "The bank said profits rose as shares and markets recovered."},
    ]
    gold = tmp_path / "topics.jsonl"
    gold.write_text("\n".join(json.dumps(row) for row in rows))
    report = evaluate_topics(gold, tagger)
    assert report.total == 2
    assert report.accuracy == 1.0
    assert "accuracy" in report.format()


def test_evaluate_topics_takes_headline_only_rows_with_an_iptc_topic(
    tmp_path: Path, tagger: Tagger
) -> None:
    rows = [
        {"id": "h1", "title": "striker scores twice as rovers win the cup final",
         "iptc": "sport"},
        {"id": "h2", "title": "odd shaped potato found", "iptc": None},
    ]
    gold = tmp_path / "headlines.jsonl"
    gold.write_text("\n".join(json.dumps(row) for row in rows))
    report = evaluate_topics(gold, tagger)
    assert report.total == 1
    assert report.accuracy == 1.0
    assert "sport" in report.format()


def test_shouted_headline_names_are_found_and_quoted_as_written(tagger: Tagger) -> None:
    story = article(
        "VARGA FLIES TO WARSAW FOR PORT TALKS",
        "President Elena Varga flew to Warsaw on Friday for talks on river ports. Varga "
        "said the talks in Warsaw would continue next week.",
    )
    tagger.tag([story])
    by_name = {e.name: e for e in story.entities}
    assert by_name["Warsaw"].type == "LOC"
    assert "WARSAW" in by_name["Warsaw"].surface_forms
    assert by_name["Elena Varga"].mentions == 3


PORT_DISPUTE_TITLE = "Pilots' walkout leaves ferries idle at Antwerp docks"
PORT_DISPUTE_TEXT = (
    "Antwerp has been quiet since Monday, when members of the Harbour Pilots' Guild walked "
    "out over rosters. The Port of Antwerp Authority said forty ships were waiting at anchor. "
    "Nordvik Labs, a software firm that runs the crane schedules, said its systems were idle."
    "\n\nMiguel Ferreira, a crane driver, said the pilots wanted better pay. The harbour strike "
    "is the longest in a decade, and the harbour strike fund is running low."
)


def test_port_dispute_names_get_their_kinds(tagger: Tagger) -> None:
    story = article(PORT_DISPUTE_TITLE, PORT_DISPUTE_TEXT, 20)
    tagger.tag([story])
    kinds = {e.name: e.type for e in story.entities}
    assert kinds["Antwerp"] == "LOC"
    assert kinds["Harbour Pilots' Guild"] == "ORG"
    assert kinds["Port of Antwerp Authority"] == "ORG"
    assert kinds["Nordvik Labs"] == "ORG"
    assert kinds["Miguel Ferreira"] == "PERSON"
    assert "Harbour Pilots" not in kinds and "Guild" not in kinds


def test_a_port_city_in_the_headline_is_a_place(tagger: Tagger) -> None:
    story = article(
        "Rotterdam dock strike enters second week",
        "Rotterdam has not seen a stoppage this long in decades, union leaders said on "
        "Tuesday. Container lines are diverting ships to Antwerp and Bremen while the "
        "talks in Rotterdam continue.",
        21,
    )
    tagger.tag([story])
    kinds = {e.name: e.type for e in story.entities}
    assert kinds["Rotterdam"] == "LOC"
    assert kinds["Antwerp"] == "LOC"


def test_match_report_clubs_are_organisations_and_players_people(tagger: Tagger) -> None:
    report = article(
        "Estrela edge Académica in late cup derby",
        "A late header from defender Rui Mendes gave Estrela a 3-2 win over Académica in the "
        "cup derby on Sunday. Académica had led twice through Francisco Leitão before "
        "Estrela's substitutes turned the match.\n\nEstrela's coach praised the fans. "
        "Académica host Marítimo next week in the league.",
        22,
    )
    tagger.tag([report])
    kinds = {e.name: e.type for e in report.entities}
    assert kinds["Estrela"] == "ORG"
    assert kinds["Académica"] == "ORG"
    assert kinds["Francisco Leitão"] == "PERSON"
    assert kinds["Rui Mendes"] == "PERSON"
    assert report.topics[0] == "sport"


def test_keywords_are_noun_phrases_not_headline_fragments(tagger: Tagger) -> None:
    story = article(
        "Ferries queue as harbour strike bites",
        "The harbour strike in Valletta entered its third day on Wednesday, leaving dozens of "
        "ferries at anchor. Dock workers walk out again on Friday, and the harbour strike "
        "fund is running low, union officials said.",
        23,
    )
    tagger.tag([story])
    lowered = [k.lower() for k in story.keywords]
    assert any(k.startswith("harbour strike") for k in lowered)
    assert "ferries queue" not in lowered
    assert "dock workers" in lowered
    assert not any(k.endswith((" walk", " bites", " running")) for k in lowered)
    assert not any(k.startswith(("leaving ", "running ")) for k in lowered)
