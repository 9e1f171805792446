"""`newsflow enrich`: the pipeline offline, on the bundled samples."""

from __future__ import annotations

import orjson
import pytest
from click.testing import CliRunner

import schemas
from service.cli import main
from tests.conftest import SAMPLES


@pytest.fixture(scope="module")
def enriched_samples(tmp_path_factory):
    folder = tmp_path_factory.mktemp("enrich")
    output, dead = folder / "out.jsonl", folder / "dead.jsonl"
    result = CliRunner().invoke(main, ["enrich", "--input", str(SAMPLES), "--output", str(output),
                                       "--dead-letter", str(dead)])
    assert result.exit_code == 0, result.output
    records = [orjson.loads(line) for line in output.read_bytes().splitlines()]
    rejects = [orjson.loads(line) for line in dead.read_bytes().splitlines()]
    return records, rejects, result.stderr


def test_every_field_is_filled_and_valid(enriched_samples):
    records, _, _ = enriched_samples
    assert len(records) == 6
    for record in records:
        schemas.validator("enriched_article.v1")(record)
        assert record["text"] and record["language"] == "en" and record["topics"]
        assert record["keywords"] and record["entities"]


def test_copies_point_at_the_original_and_reports_share_a_story(enriched_samples):
    records, _, _ = enriched_samples
    by_source = {record["source"]: record for record in records}
    wire = by_source["Northwind Wire"]
    assert wire["dedup"]["status"] == "unique"
    verbatim = by_source["Daily Ledger"]["dedup"]
    assert (verbatim["status"], verbatim["duplicate_of"]) == ("duplicate", wire["id"])
    edited = by_source["coastalcourier.example"]["dedup"]
    assert (edited["status"], edited["duplicate_of"]) == ("near_duplicate", wire["id"])
    assert 0.8 <= edited["similarity"] < 1.0
    other_outlet = by_source["harbourgazette.example"]["dedup"]
    assert other_outlet["status"] == "unique"
    assert other_outlet["story_id"] == wire["dedup"]["story_id"]
    stories = {record["dedup"]["story_id"] for record in records}
    assert len(stories) == 3  # the port strike, the battery, the football match


def test_malformed_lines_go_to_the_dead_letter_file_with_reasons(enriched_samples):
    _, rejects, summary = enriched_samples
    assert sorted(reject["error_code"] for reject in rejects) == sorted([
        "invalid_json", "invalid_utf8", "not_an_object", "missing_identity",
        "schema_violation", "missing_body", "empty_after_cleaning"])
    lines = SAMPLES.read_bytes().splitlines()
    for reject in rejects:
        schemas.validator("dead_letter.v1")(reject)
        assert reject["topic"] == str(SAMPLES)
        assert reject["partition"] is None
        assert lines[reject["offset"] - 1].startswith(
            reject["payload"].encode()[:20] if reject["payload_encoding"] == "utf-8" else b"{")
    assert "7 rejected" in summary and "13 lines read, 6 articles written" in summary


def test_stages_can_run_separately(tmp_path):
    runner = CliRunner()
    cleaned = tmp_path / "cleaned.jsonl"
    result = runner.invoke(main, ["enrich", "--input", str(SAMPLES), "--output", str(cleaned),
                                  "--stages", "clean"])
    assert result.exit_code == 0, result.output
    articles = [orjson.loads(line) for line in cleaned.read_bytes().splitlines()]
    assert len(articles) == 6
    assert all(article["entities"] == [] and article["dedup"] is None for article in articles)
    result = runner.invoke(main, ["enrich", "--input", str(cleaned), "--stages", "tag,dedup"])
    assert result.exit_code == 0, result.output
    records = [orjson.loads(line) for line in result.stdout.splitlines()]
    assert [record["id"] for record in records] == [article["id"] for article in articles]
    statuses = sorted(record["dedup"]["status"] for record in records)
    assert statuses == ["duplicate", "near_duplicate", "unique", "unique", "unique", "unique"]
    assert all(record["entities"] for record in records)


def test_unknown_stage_is_a_usage_error():
    result = CliRunner().invoke(main, ["enrich", "--stages", "clean,index"], input="")
    assert result.exit_code == 2
    assert "--stages" in result.output
