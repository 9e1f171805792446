"""`newsflow enrich --stories`: one story record per story change, agreeing with the
enriched articles."""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, datetime

import orjson
from click.testing import CliRunner

import schemas
from service.cli import main
from tests.conftest import SAMPLES


def _moment(value: str) -> datetime:
    """A date or time of the records (a bare date is midnight UTC)."""
    moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def test_story_records_agree_with_the_enriched_articles(tmp_path):
    output, stories_path = tmp_path / "out.jsonl", tmp_path / "stories.jsonl"
    result = CliRunner().invoke(main, ["enrich", "--input", str(SAMPLES), "--output",
                                       str(output), "--stories", str(stories_path)])
    assert result.exit_code == 0, result.output
    articles = [orjson.loads(line) for line in output.read_bytes().splitlines()]
    updates = [orjson.loads(line) for line in stories_path.read_bytes().splitlines()]
    assert len(updates) == len(articles) == 6  # every article changes its story once
    assert f"{len(updates)} story records written" in result.stderr
    members = defaultdict(list)
    for article, update in zip(articles, updates, strict=True):
        schemas.validator("story.v1")(update)
        assert update["story_id"] == article["dedup"]["story_id"]
        assert update["article_ids"][-1] == article["id"]
        members[update["story_id"]].append(article)
    latest = {update["story_id"]: update for update in updates}
    assert len(latest) == 3
    for story_id, story in latest.items():
        covered = members[story_id]
        assert story["article_count"] == len(covered)
        assert sorted(story["sources"]) == sorted({article["source"] for article in covered})
        assert story["article_ids"] == [article["id"] for article in covered]
        published = [_moment(article["published_at"]) for article in covered]
        assert _moment(story["first_seen"]) == min(published)
        assert _moment(story["last_seen"]) == max(published)


def test_stories_need_the_dedup_stage(tmp_path):
    result = CliRunner().invoke(main, ["enrich", "--stages", "clean", "--stories",
                                       str(tmp_path / "s.jsonl")], input="")
    assert result.exit_code == 2 and "--stories" in result.output
