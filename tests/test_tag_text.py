"""Model-free pieces of the tag stage: truecasing, topics, document frequencies, language."""

from __future__ import annotations

from agents.tag.keywords import MappingDocumentFrequency
from agents.tag.language import LanguageIdentifier
from agents.tag.topics import TopicClassifier, stem
from agents.tag.truecase import truecase


def test_truecase_recases_shouted_lines_and_keeps_offsets() -> None:
    text = (
        "HARBOUR TALKS STALL AS FERRY STRIKE SPREADS\n"
        "The ferry strike in Valletta spread to two more ports as talks stall."
    )
    result = truecase(text)
    assert len(result) == len(text)
    assert result.splitlines()[0] == "Harbour talks stall as ferry strike spreads"
    assert result.splitlines()[1] == text.splitlines()[1]


def test_truecase_leaves_normal_text_alone() -> None:
    text = "The EU and NATO met in Oslo."
    assert truecase(text) is text


def test_stem_folds_plurals_and_possessives() -> None:
    assert stem("Elections") == "election"
    assert stem("companies") == "company"
    assert stem("league's") == "league"
    assert stem("business") == "business"


def test_topics_for_sport_and_economy_text() -> None:
    classifier = TopicClassifier()
    sport = classifier.classify(
        "Rovers snatch late winner",
        "The striker scored twice as Rovers beat the league leaders 2-1. The coach praised "
        "the players and the fans after the match, and the goalkeeper saved a penalty.",
    )
    economy = classifier.classify(
        "Shares slide as inflation bites",
        "Shares in the retailer fell 8% after it cut its profit forecast. Analysts said "
        "higher interest rates and inflation hurt consumer spending, and investors sold "
        "bank stocks as the central bank kept rates on hold.",
    )
    assert sport[0] == "sport"
    assert economy[0] == "economy, business and finance"


def test_topics_empty_without_evidence() -> None:
    assert TopicClassifier().classify(None, "Zzz qqq xxyy.") == []


def test_document_frequency_counts_articles_not_mentions() -> None:
    table: dict[str, int] = {}
    frequencies = MappingDocumentFrequency(table)
    frequencies.observe(["ferry strike", "ferry strike", "valletta"])
    frequencies.observe(["valletta"])
    assert frequencies.documents() == 2
    assert frequencies.frequency("valletta") == 2
    assert frequencies.frequency("ferry strike") == 1
    assert frequencies.frequency("unknown") == 0


def test_language_detection() -> None:
    identifier = LanguageIdentifier()
    assert identifier.detect("The ministers met on Monday to discuss the budget.") == "en"
    assert identifier.detect("Les ministres se sont réunis lundi pour le budget.") == "fr"
    assert identifier.detect("ok", fallback="de") == "de"
