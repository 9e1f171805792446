"""Exact and near duplicates, replays and story ids, on short texts we composed ourselves."""

from __future__ import annotations

import pytest

from agents.dedup import DedupConfig, Deduplicator, memory_state
from agents.dedup.records import Reading
from agents.identity import content_hash
from schemas.models import Article, Entity

REPORT = (
    "The city council of Lakemont voted on Tuesday to close the old Harbor Street bridge "
    "after engineers found deep cracks in two of its steel supports. "
    "Mayor Elena Varga said the crossing would stay shut for at least six months while "
    "contractors replace the damaged beams. "
    "Commuters were told to use the ferry or the northern ring road during the repairs. "
    "Local shop owners near the bridge worried that the closure would cut their trade "
    "during the busy summer season. "
    "The council set aside four million dollars for the work and promised weekly updates. "
    "An independent inspection last spring had rated the bridge as fair, which prompted "
    "questions from opposition members about how the cracks were missed. "
    "Engineers said the damage probably spread quickly during the unusually cold winter. "
    "Traffic police will put up diversion signs on the approach roads by Thursday morning. "
    "The bridge, which opened in 1931, carries about twelve thousand vehicles a day. "
    "A heritage group asked the council to keep the original iron railings during the work. "
    "Bus operators said three routes would be rerouted through the western industrial estate. "
    "School officials said pupils from the south bank would be collected by extra buses. "
    "The council will publish the engineers' full report on its website next week."
)

UNRELATED = (
    "A small bakery in the hill town of Orvanne has won a national prize for its rye bread, "
    "beating more than three hundred entries from across the country. "
    "The owners, a brother and sister who took over from their grandparents, credit a "
    "sourdough starter kept alive for forty years. "
    "Judges praised the crust and the deep, slightly sour flavour of the loaf. "
    "The prize comes with a cash award that the family plans to spend on a second oven."
)


def article(article_id: str, text: str, *, title: str | None = None,
            at: str = "2024-05-07T10:00:00Z", entities: list[Entity] | None = None) -> Article:
    return Article(
        id=article_id,
        source="test",
        title=title,
        text=text,
        content_hash=content_hash(text),
        published_at=at,
        ingested_at=at,
        entities=entities or [],
    )


def lightly_edited(text: str) -> str:
    """One sentence reworded, one dropped."""
    edited = text.replace(
        "Commuters were told to use the ferry or the northern ring road during the repairs.",
        "Commuters were advised to take the ferry or the northern ring road during repairs.",
    )
    return edited.replace(
        "The council set aside four million dollars for the work and promised weekly updates. ",
        "",
    )


@pytest.fixture
def dedup() -> Deduplicator:
    return Deduplicator(memory_state(), DedupConfig())


def test_first_article_is_unique_and_starts_its_own_story(dedup: Deduplicator) -> None:
    verdict = dedup.judge(article("a1", REPORT))
    assert verdict.status == "unique"
    assert verdict.duplicate_of is None
    assert verdict.similarity is None
    assert verdict.story_id == "a1"


def test_verbatim_copy_is_a_duplicate_of_the_original(dedup: Deduplicator) -> None:
    dedup.judge(article("a1", REPORT))
    verdict = dedup.judge(article("a2", REPORT))
    assert (verdict.status, verdict.duplicate_of, verdict.similarity) == ("duplicate", "a1", 1.0)
    assert verdict.story_id == "a1"


def test_copy_differing_in_whitespace_case_and_punctuation_is_a_duplicate(
    dedup: Deduplicator,
) -> None:
    dedup.judge(article("a1", REPORT))
    reformatted = "  " + REPORT.upper().replace(". ", ".\n\n").replace(",", " ;")
    verdict = dedup.judge(article("a2", reformatted))
    assert verdict.status == "duplicate"
    assert verdict.duplicate_of == "a1"


def test_lightly_edited_copy_is_a_near_duplicate_with_its_similarity(
    dedup: Deduplicator,
) -> None:
    dedup.judge(article("a1", REPORT))
    verdict = dedup.judge(article("a2", lightly_edited(REPORT)))
    assert verdict.status == "near_duplicate"
    assert verdict.duplicate_of == "a1"
    assert verdict.similarity is not None
    assert 0.8 <= verdict.similarity < 1.0
    assert verdict.similarity == round(verdict.similarity, 4)
    assert verdict.story_id == "a1"


def test_unrelated_article_is_unique_in_its_own_story(dedup: Deduplicator) -> None:
    dedup.judge(article("a1", REPORT))
    verdict = dedup.judge(article("b1", UNRELATED))
    assert verdict.status == "unique"
    assert verdict.duplicate_of is None
    assert verdict.story_id == "b1"


def test_replaying_an_id_returns_the_stored_verdict(dedup: Deduplicator) -> None:
    first = dedup.judge(article("a1", REPORT))
    second = dedup.judge(article("a2", REPORT))
    assert dedup.judge(article("a1", REPORT)) == first
    assert dedup.judge(article("a2", REPORT)) == second
    assert second.duplicate_of == "a1"


def test_the_same_raw_record_read_at_another_offset_is_a_redelivery(
        dedup: Deduplicator) -> None:
    first = dedup.judge(article("a1", REPORT), Reading(5, "0:17"))
    assert not dedup.redelivered()
    assert dedup.judge(article("a1", REPORT), Reading(9, "0:17")) == first
    assert dedup.redelivered()  # an upstream replay: published already
    dedup.judge(article("a1", REPORT), Reading(5, "0:17"))
    assert not dedup.redelivered()  # its own offset again: a replay, published again
    dedup.judge(article("a1", REPORT), Reading(12, "1:40"))
    assert not dedup.redelivered()  # the scraper sent it again: published
    dedup.judge(article("a1", REPORT))
    assert not dedup.redelivered()  # offline, every input gets its output


def test_records_written_without_a_reading_still_read(dedup: Deduplicator) -> None:
    dedup.judge(article("a1", REPORT), Reading(3, "0:3"))
    stored = dedup.state.articles["a1"]
    assert stored[-2:] == [3, "0:3"]
    dedup.state.articles["a1"] = stored[:6]  # a record as earlier versions wrote it
    dedup.judge(article("a1", REPORT), Reading(4, "0:3"))
    assert not dedup.redelivered()


def test_near_duplicate_of_a_duplicate_points_at_the_original(dedup: Deduplicator) -> None:
    dedup.judge(article("a1", REPORT))
    assert dedup.judge(article("a2", REPORT)).status == "duplicate"
    verdict = dedup.judge(article("a3", lightly_edited(REPORT)))
    assert verdict.status == "near_duplicate"
    assert verdict.duplicate_of == "a1"


def test_near_duplicate_of_a_near_duplicate_points_at_the_unique_original(
    dedup: Deduplicator,
) -> None:
    dedup.judge(article("a1", REPORT))
    second = lightly_edited(REPORT)
    assert dedup.judge(article("a2", second)).duplicate_of == "a1"
    third = second + " A reader survey on the closure opens next week."
    verdict = dedup.judge(article("a3", third))
    assert verdict.status == "near_duplicate"
    assert verdict.duplicate_of == "a1"


def test_state_values_are_json_serialisable(dedup: Deduplicator) -> None:
    import orjson

    dedup.judge(article("a1", REPORT))
    dedup.judge(article("a2", lightly_edited(REPORT)))
    dedup.judge(article("b1", UNRELATED))
    for name in dedup.state.store_names():
        for key, value in getattr(dedup.state, name).items():
            assert isinstance(key, str)
            assert orjson.loads(orjson.dumps(value)) == value


def test_articles_further_apart_than_the_window_are_not_near_duplicates() -> None:
    dedup = Deduplicator(config=DedupConfig(window_days=30))
    dedup.judge(article("a1", REPORT, at="2024-01-01T00:00:00Z"))
    verdict = dedup.judge(article("a2", lightly_edited(REPORT), at="2024-03-01T00:00:00Z"))
    assert verdict.status == "unique"
    assert verdict.story_id == "a2"


def test_config_rejects_more_band_rows_than_permutations() -> None:
    with pytest.raises(ValueError, match="bands"):
        DedupConfig(num_perm=64, bands=20, rows=6)
