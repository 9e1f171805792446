"""Story ids: one event in different words groups; two events of one kind stay apart."""

from __future__ import annotations

from dataclasses import replace

from agents.dedup import DedupConfig, Deduplicator, fingerprint, stories
from agents.dedup.encoding import term_id, unpack_vector
from agents.dedup.features import date_years, raw_terms
from agents.identity import content_hash
from schemas.models import Article, Entity

#: Background traffic so that the stream has learned which words are common.
BACKGROUND = [
    ("Markets rose on Monday as investors welcomed strong earnings from technology firms, "
     "and the central bank kept interest rates unchanged."),
    ("The national football team named a new coach after a disappointing season that ended "
     "in the group stage of the tournament."),
    ("Heavy rain caused flooding in several coastal towns, and officials opened shelters for "
     "residents forced from their homes."),
    ("A new study found that regular walking lowers the risk of heart disease in older adults, "
     "researchers said in a medical journal."),
    ("The government announced plans to build more affordable housing and to ease planning "
     "rules for small developers in the suburbs."),
]

FIRE_OUTLET_ONE = (
    "Fire crews battled a blaze at the Norbrook paper mill in Castleford overnight, and two "
    "workers were taken to hospital with smoke inhalation. The fire broke out in a storage "
    "hall shortly after midnight, according to the Castleford fire brigade. Chief officer "
    "Dana Ruiz said the roof of the Norbrook hall collapsed but the flames did not reach the "
    "main plant. Residents near the mill were told to keep windows closed."
)
FIRE_OUTLET_TWO = (
    "Two employees of the Norbrook paper mill were hospitalised after a huge fire tore through "
    "a warehouse at the Castleford site early on Wednesday. Firefighters spent hours bringing "
    "the flames under control, chief officer Dana Ruiz told reporters, adding that the "
    "collapse of the Norbrook warehouse roof had kept the blaze away from the production "
    "lines. People living close to the Castleford mill were urged to shut their windows."
)
OTHER_FIRE = (
    "Fire crews fought a blaze at the Halvern textile factory in Brightwater, and three "
    "workers were treated for burns. The fire started in the dye house during the evening "
    "shift, the Brightwater fire service said. Station manager Olu Mensah said the flames "
    "spread through the Halvern roof before crews contained them. Neighbours were advised to "
    "keep windows shut because of the smoke."
)


def article(article_id: str, text: str, *, title: str | None = None,
            entities: list[Entity] | None = None) -> Article:
    return Article(
        id=article_id,
        source="test",
        title=title,
        text=text,
        content_hash=content_hash(text),
        published_at="2024-05-08T06:00:00Z",
        ingested_at="2024-05-08T07:00:00Z",
        entities=entities or [],
    )


def stream_background(dedup: Deduplicator) -> None:
    for number, text in enumerate(BACKGROUND):
        dedup.judge(article(f"bg{number}", text))


def test_two_outlets_reporting_one_event_share_a_story() -> None:
    dedup = Deduplicator()
    stream_background(dedup)
    first = dedup.judge(article("fire-a", FIRE_OUTLET_ONE, title="Fire at Norbrook mill"))
    second = dedup.judge(
        article("fire-b", FIRE_OUTLET_TWO, title="Two hurt in Castleford mill fire")
    )
    assert first.status == second.status == "unique"
    assert second.story_id == first.story_id == "fire-a"


def test_two_events_of_the_same_kind_get_different_stories() -> None:
    dedup = Deduplicator()
    stream_background(dedup)
    first = dedup.judge(article("fire-a", FIRE_OUTLET_ONE, title="Fire at Norbrook mill"))
    other = dedup.judge(article("fire-x", OTHER_FIRE, title="Fire at Halvern factory"))
    assert other.story_id == "fire-x" != first.story_id


def test_a_story_does_not_chain_into_another_event_of_the_same_kind() -> None:
    dedup = Deduplicator()
    stream_background(dedup)
    dedup.judge(article("fire-a", FIRE_OUTLET_ONE, title="Fire at Norbrook mill"))
    dedup.judge(article("fire-b", FIRE_OUTLET_TWO, title="Two hurt in Castleford mill fire"))
    other = dedup.judge(article("fire-x", OTHER_FIRE, title="Fire at Halvern factory"))
    assert other.story_id == "fire-x"


def test_tagger_entities_are_used_when_present() -> None:
    dedup = Deduplicator()
    stream_background(dedup)
    people = [Entity(name="Dana Ruiz", type="PERSON", mentions=2, surface_forms=["Dana Ruiz"])]
    with_entity = dedup.fingerprint(article("fire-a", FIRE_OUTLET_ONE, entities=people))
    without = dedup.fingerprint(article("fire-a", FIRE_OUTLET_ONE))
    assert term_id("e:dana ruiz") in with_entity.vector
    assert term_id("e:dana ruiz") not in without.vector


def test_duplicates_take_their_originals_story() -> None:
    dedup = Deduplicator()
    stream_background(dedup)
    dedup.judge(article("fire-a", FIRE_OUTLET_ONE))
    dedup.judge(article("fire-b", FIRE_OUTLET_TWO))
    copy = dedup.judge(article("fire-b-copy", FIRE_OUTLET_TWO))
    assert copy.status == "duplicate"
    assert copy.story_id == dedup.judge(article("fire-b", FIRE_OUTLET_TWO)).story_id


REHAB_EARLY = (
    "Pop singer Mara Quill checked into the Harbourview treatment centre in Solano on "
    "Tuesday, her manager Ivo Brandt confirmed. Quill, 29, cancelled two concerts and said "
    "she wanted to focus on her recovery at Harbourview. The clinic has treated several "
    "stars over the years."
)
REHAB_EARLY_OTHER_OUTLET = (
    "Mara Quill has entered rehab. The singer, 29, began a stay at Harbourview in Solano "
    "this week, manager Ivo Brandt told fans, and two of her concerts were called off so "
    "that Quill can concentrate on getting well."
)
REHAB_LATER = (
    "Actor Teodor Lusk checked into the Harbourview treatment centre in Solano on Friday, "
    "his agent Rhea Mott confirmed. Lusk, 41, pulled out of a film shoot and said he wanted "
    "to focus on his recovery at Harbourview. The clinic has treated several stars over the "
    "years."
)


def dated(article_id: str, dateline: str, text: str) -> Article:
    """A text dump with a dateline and no publication time: the dateline dates it."""
    return replace(article(article_id, f"{dateline}\n{text}"), published_at=None)


def test_full_dates_in_the_text_give_a_year_term() -> None:
    assert date_years("Published June 13, 2013 4:59 PM") == {"2013"}
    assert date_years("On 26 September 2013 and 27/09/2014, not in 2015.") == {"2013", "2014"}
    assert date_years("The 2013-09-27 report") == {"2013"}
    assert date_years("Scores of 12-10-2 and a 1990s film") == set()
    assert date_years("11 / 30 / 09 05:40 PM and 2012. 08. 08, not 3-1-25") == {"2009", "2012"}
    terms = raw_terms(dated("d", "Updated Jan 5, 2011:", "the team named a new coach."))
    assert "d:2011" in terms


def test_text_dates_do_not_date_an_article_with_a_publication_time() -> None:
    published = article("d", "A ruling of June 5, 2011 was overturned today.")
    assert "d:2011" not in raw_terms(published)


def test_an_article_and_a_story_dated_to_different_years_are_apart() -> None:
    config = DedupConfig()
    old = fingerprint(dated("old", "October 9, 2013", REHAB_LATER), config)
    now = fingerprint(article("now", REHAB_LATER), config)  # published 2024
    undated_story = stories.started(now, config)
    old_story = stories.started(old, config)
    assert stories.dated_apart(old, undated_story, unpack_vector(undated_story.centroid))
    assert stories.dated_apart(now, old_story, unpack_vector(old_story.centroid))
    same_year = fingerprint(dated("same", "October 10, 2013", REHAB_LATER), config)
    assert not stories.dated_apart(same_year, old_story, unpack_vector(old_story.centroid))
    assert not stories.dated_apart(now, undated_story, unpack_vector(undated_story.centroid))


def test_people_weigh_more_than_organisations() -> None:
    person = Entity(name="Ivo Brandt", type="PERSON", mentions=1, surface_forms=["Ivo Brandt"])
    org = Entity(name="Harbourview", type="ORG", mentions=1, surface_forms=["Harbourview"])
    terms = raw_terms(article("x", REHAB_EARLY, entities=[person, org]))
    assert terms["e:ivo brandt"] > terms["e:harbourview"]


def test_same_kind_of_event_in_another_year_stays_apart() -> None:
    dedup = Deduplicator()
    stream_background(dedup)
    first = dedup.judge(dated("early-a", "March 3, 2009", REHAB_EARLY))
    second = dedup.judge(dated("early-b", "March 4, 2009", REHAB_EARLY_OTHER_OUTLET))
    later = dedup.judge(dated("later", "October 9, 2013", REHAB_LATER))
    assert second.story_id == first.story_id == "early-a"
    assert later.story_id == "later"
