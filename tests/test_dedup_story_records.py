"""Story records: after each judged article the Deduplicator gives the record of the story it
created or joined, built from the stores alone; replays change nothing."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import replace

import orjson

import schemas
from agents.dedup import DedupConfig, Deduplicator
from agents.dedup.clock import event_time
from agents.dedup.summary import _iso
from schemas.models import Article, Story
from tests.story_stream import story_stream
from tests.test_dedup_roundups import focused, roundup
from tests.test_dedup_stories import FIRE_OUTLET_ONE, FIRE_OUTLET_TWO, article


def expected_stories(stream: list[Article], dedup: Deduplicator) -> dict[str, list[Article]]:
    """Judge the stream; the distinct articles of each story, in arrival order."""
    members: dict[str, list[Article]] = defaultdict(list)
    seen: set[str] = set()
    for item in stream:
        verdict = dedup.judge(item)
        update = dedup.story_update()
        if item.id in seen:
            assert update is None, "a replay changed its story"
            continue
        seen.add(item.id)
        members[verdict.story_id].append(item)
        assert update is not None and update.story_id == verdict.story_id
        assert update.article_ids[-1] == item.id
    return members


def test_story_records_count_sources_and_times_of_their_articles() -> None:
    dedup = Deduplicator()
    stream = story_stream(60)
    members = expected_stories(stream, dedup)
    assert any(len(articles) >= 3 for articles in members.values())
    for story_id, articles in members.items():
        story = dedup.story(story_id)
        assert story is not None
        assert story.article_count == len(articles)
        assert story.article_ids == [item.id for item in articles][-20:]
        latest_first = list(dict.fromkeys(item.source for item in reversed(articles)))
        assert story.sources == latest_first[::-1]
        times = [event_time(item) for item in articles]
        assert (story.first_seen, story.last_seen) == (_iso(min(times)), _iso(max(times)))
        assert story.headline == (articles[0].title or "")[:100]
        schemas.validator("story.v1")(orjson.loads(orjson.dumps(story)))


def test_a_replay_leaves_the_story_as_it_was() -> None:
    dedup = Deduplicator()
    first = article("fire-a", FIRE_OUTLET_ONE, title="Fire at Norbrook mill")
    dedup.judge(first)
    dedup.judge(article("fire-b", FIRE_OUTLET_TWO, title="Two hurt in Castleford mill fire"))
    before = dedup.story("fire-a")
    assert before is not None and before.article_count == 2
    assert dedup.judge(first).story_id == "fire-a"
    assert dedup.story_update() is None
    assert dedup.story("fire-a") == before


def test_duplicates_count_as_coverage_of_their_originals_story() -> None:
    dedup = Deduplicator()
    dedup.judge(article("fire-a", FIRE_OUTLET_ONE, title="Fire at Norbrook mill"))
    copy = replace(article("fire-copy", FIRE_OUTLET_ONE), source="syndicated")
    assert dedup.judge(copy).status == "duplicate"
    story = dedup.story_update()
    assert story is not None and story.story_id == "fire-a"
    assert (story.article_count, story.sources) == (2, ["test", "syndicated"])


def test_ids_and_sources_are_bounded_newest_last() -> None:
    config = DedupConfig(story_article_ids=3, story_sources=2)
    dedup = Deduplicator(config=config)
    for number in range(6):
        copy = replace(article(f"c{number}", FIRE_OUTLET_ONE), source=f"outlet-{number % 3}")
        dedup.judge(copy)
    story = dedup.story("c0")
    assert story is not None and story.article_count == 6
    assert story.article_ids == ["c3", "c4", "c5"]
    assert story.sources == ["outlet-1", "outlet-2"]


def test_a_roundups_story_names_the_people_of_its_lead() -> None:
    dedup = Deduplicator()
    dedup.judge(focused())
    dedup.judge(roundup())
    story = dedup.story_update()
    assert story is not None and story.story_id == "focused"
    assert story.headline.startswith("Varo warns Morvia")
    assert [(entity.name, entity.articles) for entity in story.entities] == [
        ("Elin Varo", 2), ("Dmitri Kolev", 2)]


def test_an_untitled_story_is_headed_by_its_first_sentence() -> None:
    dedup = Deduplicator()
    dedup.judge(article("fire-a", FIRE_OUTLET_ONE))
    story = dedup.story_update()
    assert story is not None
    assert story.headline == ("Fire crews battled a blaze at the Norbrook paper mill in "
                              "Castleford overnight, and two workers were")  # 100 chars at most


def test_summaries_are_plain_json_and_rebuild_the_same_record() -> None:
    dedup = Deduplicator()
    expected_stories(story_stream(30), dedup)
    copied = Deduplicator(config=dedup.config)
    copied.state.summaries = orjson.loads(orjson.dumps(dedup.state.summaries))
    for story_id in dedup.state.summaries:
        record = dedup.story(story_id)
        assert isinstance(record, Story) and copied.story(story_id) == record
