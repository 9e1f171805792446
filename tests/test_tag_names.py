"""Label repairs from a name's shape and from match-report context, and the condensed text the
model reads; on hand-made spans over spaCy's tokenizer (no model needed)."""

from __future__ import annotations

import spacy
from spacy.tokens import Doc

from agents.tag.condense import CONTEXT_WORDS, Layout, condense
from agents.tag.entities import EntityRecognizer, ParsedText
from agents.tag.entity_context import is_about_sport, teams_by_sports_context
from agents.tag.language import LanguageIdentifier
from agents.tag.name_shapes import (
    drop_capitalised_common_words,
    extend_to_org_heads,
    join_plural_possessives,
    orgs_by_head_word,
    people_by_given_name,
)
from schemas.models import EntityType

NLP = spacy.blank("en")
Spans = dict[tuple[int, int], EntityType]


def spans_for(doc: Doc, named: dict[str, EntityType]) -> Spans:
    """Token spans of each quoted name (its first occurrence) with the label given."""
    spans: Spans = {}
    for name, label in named.items():
        span = doc.char_span(doc.text.index(name), doc.text.index(name) + len(name))
        assert span is not None, name
        spans[(span.start, span.end)] = label
    return spans


def labelled(doc: Doc, spans: Spans) -> dict[str, EntityType]:
    return {doc[start:end].text: label for (start, end), label in spans.items()}


def test_names_ending_in_an_organisational_head_are_organisations() -> None:
    doc = NLP("Officials at the Harbour of Valletta Authority met Nordvik Labs and the West Bank.")
    spans = spans_for(
        doc, {"Harbour of Valletta Authority": "LOC", "Nordvik": "PERSON", "West Bank": "LOC"}
    )
    fixed = {key for key, label in spans.items() if doc[key[0] : key[1]].text == "West Bank"}
    extend_to_org_heads(doc, spans)
    orgs_by_head_word(doc, spans, fixed)
    assert labelled(doc, spans) == {
        "Harbour of Valletta Authority": "ORG",
        "Nordvik Labs": "ORG",
        "West Bank": "LOC",
    }


def test_an_organisation_takes_in_a_leading_port_of() -> None:
    doc = NLP("The Port of Valletta Authority said the ships could wait.")
    spans = spans_for(doc, {"Valletta Authority": "LOC"})
    extend_to_org_heads(doc, spans)
    orgs_by_head_word(doc, spans, set())
    assert labelled(doc, spans) == {"Port of Valletta Authority": "ORG"}


def test_a_plural_possessive_does_not_split_a_name() -> None:
    doc = NLP("Members of the Harbour Pilots' Guild and the Ferry Crews' Union walked out.")
    spans = spans_for(doc, {"Harbour Pilots": "ORG", "Guild": "ORG", "Ferry Crews": "ORG"})
    join_plural_possessives(doc, spans)
    assert labelled(doc, spans) == {"Harbour Pilots' Guild": "ORG", "Ferry Crews' Union": "ORG"}


def test_a_possessive_before_an_ordinary_word_stays_outside_the_name() -> None:
    doc = NLP("The Ferry Crews' pay rose while the Harbour Pilots' Guild waited.")
    spans = spans_for(doc, {"Ferry Crews": "ORG"})
    join_plural_possessives(doc, spans)
    assert labelled(doc, spans) == {"Ferry Crews": "ORG"}


def test_a_known_given_name_makes_a_person_unless_a_place_head_follows() -> None:
    doc = NLP("Miguel Ferreira fished on the George River near Lake Tomas.")
    spans = spans_for(doc, {"Miguel Ferreira": "LOC", "George River": "LOC"})
    people_by_given_name(doc, spans, set())
    assert labelled(doc, spans) == {"Miguel Ferreira": "PERSON", "George River": "LOC"}


def test_a_sentence_initial_common_word_is_not_a_name() -> None:
    text = "Harbour officials met on Monday. The harbour stayed shut. Valletta waited."
    doc = NLP(text)
    spans = spans_for(doc, {"Harbour": "ORG", "Valletta": "LOC"})
    drop_capitalised_common_words(doc, spans, set(), text)
    assert labelled(doc, spans) == {"Valletta": "LOC"}


MATCH_REPORT = (
    "Estrela edge Vilanova in the cup derby\n\n"
    "A late goal from the defender gave Estrela a 3-2 win over Vilanova in the league on "
    "Sunday. Vilanova's coach blamed the referee, and Estrela host Lisbon next week."
)


def test_places_and_lone_people_in_a_match_report_become_teams() -> None:
    doc = NLP(MATCH_REPORT)
    spans = spans_for(doc, {"Estrela": "PERSON", "Vilanova": "LOC", "Lisbon": "LOC"})
    later = doc.text.index("Vilanova's")
    vilanova = doc.char_span(later, later + len("Vilanova"))
    assert vilanova is not None
    spans[(vilanova.start, vilanova.end)] = "LOC"
    fixed: set[tuple[int, int]] = set()
    teams_by_sports_context(doc, spans, fixed, MATCH_REPORT)
    assert set(spans.values()) == {"ORG"}
    assert fixed == set(spans)


def test_teams_are_only_guessed_in_reports_about_sport() -> None:
    text = "Ministers from Vilanova met in Lisbon. The talks will continue, Lisbon said."
    doc = NLP(text)
    spans = spans_for(doc, {"Vilanova": "LOC", "Lisbon": "LOC"})
    teams_by_sports_context(doc, spans, set(), text)
    assert not is_about_sport(text)
    assert set(spans.values()) == {"LOC"}


def test_condense_leaves_out_sentences_that_name_nothing_and_maps_offsets_back() -> None:
    text = (
        "Talks in Valletta resumed on Monday. The weather was mild and the harbour calm. "
        "It rained later in the day.\nA. Borg said the talks would go on. "
        "US growth would reach 4.4 percent this year."
    )
    condensed, layout = condense(text)
    assert "weather" not in condensed and "rained" not in condensed
    assert "Talks in Valletta resumed on Monday." in condensed
    assert "A. Borg said" in condensed  # an initial's period does not end a sentence
    assert "US growth would reach 4.4 percent" in condensed  # "US" is no stop word here
    for name in ("Valletta", "Borg", "US"):
        start = condensed.index(name)
        first = layout.to_original(start)
        last = layout.to_original(start + len(name), end=True)
        assert text[first:last] == name


def test_condense_reads_long_sentences_as_windows_around_names() -> None:
    text = (
        "The ferry operators said on a grey morning that they would keep every one of the "
        "old routes open through the winter, while the union led by Maria Camilleri of the "
        "Gozo Channel crews asked for talks on pay and hours that had been promised to the "
        "crews for many months now.\nOn the way home I saw that all of the boats were tied "
        "up for the night."
    )
    condensed, layout = condense(text)
    assert "grey morning" not in condensed and "many months" not in condensed
    assert "boats" not in condensed  # long, and its only capitals are "On" and "I"
    window = condensed.split("\n")[0]
    words = text.split()
    first, last = words.index("Maria"), words.index("Channel")
    margin = " ".join(words[first - CONTEXT_WORDS : last + CONTEXT_WORDS + 1])
    assert window.strip() == f"{margin} now."  # the names with their context, the full stop
    for name in ("Maria Camilleri", "Gozo Channel"):
        start = condensed.index(name)
        begin = layout.to_original(start)
        end = layout.to_original(start + len(name), end=True)
        assert text[begin:end] == name


def test_condense_keeps_short_pieces_and_a_text_without_names_whole_enough() -> None:
    condensed, layout = condense("It was calm. The end.")
    assert condensed == "It was calm. The end."
    assert layout.to_original(3) == 3


def test_prose_full_of_english_function_words_is_english_without_the_models() -> None:
    identifier = LanguageIdentifier()
    prose = (
        "The ministers said that the plan would be reviewed after the summer, and that "
        "it was not clear when the money for the ports would be paid to the towns."
    )
    assert identifier.detect(prose) == "en"
    dutch = (
        "De ministers zeiden dat het plan na de zomer wordt herzien en dat nog niet "
        "duidelijk is wanneer het geld voor de havens aan de steden wordt betaald."
    )
    assert identifier.detect(dutch) == "nl"


def _model_output(text: str, entities: dict[str, str]) -> ParsedText:
    """A parsed text as if the model had labelled `entities` (name -> OntoNotes label)."""
    doc = NLP(text)
    spans = []
    for name, label in entities.items():
        span = doc.char_span(text.index(name), text.index(name) + len(name), label=label)
        assert span is not None, name
        spans.append(span)
    doc.ents = spans
    return ParsedText(doc, text, text, text, Layout([0], [0]))


def test_model_spans_are_cut_at_line_breaks_and_lower_case_descriptors() -> None:
    text = "Scorers: A. Dale 12, Ken\nGreen spoke later.\nOfficials at Interfax news agency agreed."
    parsed = _model_output(
        text, {"Dale": "ORG", "Ken\nGreen": "PERSON", "Interfax news agency": "ORG"}
    )
    mentions = EntityRecognizer(NLP).mentions(parsed)
    assert [(m.text, m.type) for m in mentions] == [
        ("A. Dale", "PERSON"),
        ("Ken", "PERSON"),
        ("Green", "PERSON"),
        ("Interfax", "ORG"),
    ]
    assert all(text[m.start : m.end] == m.text for m in mentions)
