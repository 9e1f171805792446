"""Canonical entity names within one article, from hand-made mentions (no model needed)."""

from __future__ import annotations

from agents.tag.canonical import canonical_entities, clean_name, same_spelling_variant
from agents.tag.entities import Mention
from schemas.models import EntityType


def mentions(*items: tuple[str, EntityType, str]) -> list[Mention]:
    """Mentions laid out one after another, each with the word that follows it."""
    out: list[Mention] = []
    cursor = 0
    for index, (text, entity_type, next_word) in enumerate(items):
        out.append(
            Mention(
                start=cursor,
                end=cursor + len(text),
                token_start=index * 4,
                token_end=index * 4 + len(text.split()),
                text=text,
                type=entity_type,
                next_word=next_word,
            )
        )
        cursor += len(text) + 20
    return out


def test_titles_and_possessives_are_stripped() -> None:
    assert clean_name("President Volodymyr Zelensky", "PERSON") == "Volodymyr Zelensky"
    assert clean_name("Prime Minister Anna Keller's", "PERSON") == "Anna Keller"
    assert clean_name("Russia's", "LOC") == "Russia"
    assert clean_name("the Netherlands", "LOC") == "Netherlands"
    assert clean_name("Dr. Mira Osei", "PERSON") == "Mira Osei"


def test_short_mention_joins_the_full_name_ending_with_it() -> None:
    entities = canonical_entities(
        mentions(
            ("President Volodymyr Zelensky", "PERSON", "said"),
            ("Zelensky", "PERSON", "added"),
            ("Zelensky's", "PERSON", "office"),
        )
    )
    assert len(entities) == 1
    person = entities[0]
    assert (person.name, person.type, person.mentions) == ("Volodymyr Zelensky", "PERSON", 3)
    assert "Zelensky" in person.surface_forms


def test_spelling_variants_merge_even_when_the_model_typed_them_otherwise() -> None:
    entities = canonical_entities(
        mentions(
            ("Volodymyr Zelensky", "PERSON", "said"),
            ("Zelenskyy", "MISC", "told"),
            ("Zelenskiy", "ORG", "spoke"),
        )
    )
    assert [(e.name, e.type, e.mentions) for e in entities] == [
        ("Volodymyr Zelensky", "PERSON", 3)
    ]
    assert set(entities[0].surface_forms) == {"Volodymyr Zelensky", "Zelenskyy", "Zelenskiy"}


def test_different_people_are_not_merged() -> None:
    assert not same_spelling_variant("Johnson", "Jackson")
    entities = canonical_entities(
        mentions(("Maria Lopez", "PERSON", "said"), ("Carlos Ruiz", "PERSON", "said"))
    )
    assert {e.name for e in entities} == {"Maria Lopez", "Carlos Ruiz"}


def test_demonym_used_as_adjective_tags_the_country() -> None:
    entities = canonical_entities(
        mentions(
            ("Russian", "MISC", "forces"),
            ("Russia", "LOC", "said"),
            ("Germans", "MISC", "voted"),
        )
    )
    by_name = {e.name: e for e in entities}
    assert by_name["Russia"].type == "LOC"
    assert by_name["Russia"].mentions == 2
    assert set(by_name["Russia"].surface_forms) == {"Russian", "Russia"}
    assert by_name["Germans"].type == "MISC"


def test_acronym_joins_its_long_form_and_salience_orders_entities() -> None:
    entities = canonical_entities(
        mentions(
            ("Lisbon", "LOC", "on"),
            ("United Nations", "ORG", "said"),
            ("UN", "ORG", "officials"),
            ("UN", "ORG", "staff"),
        ),
        title_end=0,
    )
    assert entities[0].name == "United Nations"
    assert entities[0].mentions == 3
    assert [e.name for e in entities] == ["United Nations", "Lisbon"]


def test_headline_mentions_weigh_more() -> None:
    items = mentions(("Oslo", "LOC", "hosts"), ("Bergen", "LOC", "and"), ("Bergen", "LOC", "."))
    headline_end = items[0].end
    entities = canonical_entities(items, title_end=headline_end)
    assert [e.name for e in entities] == ["Oslo", "Bergen"]


def test_cut_short_organisation_and_lone_first_name_join_their_full_names() -> None:
    entities = canonical_entities(
        mentions(
            ("Harbour Ferries Holding", "ORG", "said"),
            ("Harbour Ferries", "ORG", "shares"),
            ("Mike Tallis", "PERSON", "said"),
            ("Mike", "PERSON", "added"),
        )
    )
    by_name = {e.name: e for e in entities}
    assert set(by_name) == {"Harbour Ferries Holding", "Mike Tallis"}
    assert by_name["Harbour Ferries Holding"].mentions == 2
    assert by_name["Mike Tallis"].mentions == 2
