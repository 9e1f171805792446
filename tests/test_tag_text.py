"""Model-free pieces of the tag stage: truecasing and language."""

from __future__ import annotations

from agents.tag.language import LanguageIdentifier
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


def test_language_detection() -> None:
    identifier = LanguageIdentifier()
    assert identifier.detect("The ministers met on Monday to discuss the budget.") == "en"
    assert identifier.detect("Les ministres se sont réunis lundi pour le budget.") == "fr"
    assert identifier.detect("ok", fallback="de") == "de"


def test_language_of_a_headline_alone() -> None:
    identifier = LanguageIdentifier()
    assert identifier.detect("striker scores twice as rovers win the cup final") == "en"
    assert identifier.detect("Shares slide as inflation bites retailers") == "en"
    assert identifier.detect("La selección gana la final en Madrid") == "es"
    assert identifier.detect("Regierung stellt neuen Hafenplan vor") == "de"
