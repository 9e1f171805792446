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
    assert "13 lines read, 6 articles written" in summary
    assert "7 rejected" in summary and "dead letters in" in summary


def test_rejected_lines_go_next_to_the_output_by_default_and_blank_lines_are_counted(tmp_path):
    source = tmp_path / "in.jsonl"
    good = b'{"url": "https://a.example/x", "text": "A body of text about the harbour."}'
    source.write_bytes(b"\n".join([good, b"", b"   ", b"{broken", b"null"]) + b"\n")
    output = tmp_path / "out.jsonl"
    result = CliRunner().invoke(main, ["enrich", "--input", str(source), "--output", str(output),
                                       "--stages", "clean"])
    assert result.exit_code == 0, result.output
    dead = tmp_path / "out.jsonl.dead-letter.jsonl"
    rejects = [orjson.loads(line) for line in dead.read_bytes().splitlines()]
    assert [(r["error_code"], r["offset"]) for r in rejects] == [("invalid_json", 4),
                                                                  ("not_an_object", 5)]
    assert len(output.read_bytes().splitlines()) == 1
    assert "5 lines read (2 blank, skipped), 1 articles written" in result.stderr
    assert f"dead letters in {dead}" in result.stderr


def test_with_stdout_as_output_the_summary_says_rejected_lines_were_not_kept(tmp_path):
    result = CliRunner().invoke(main, ["enrich", "--stages", "clean"], input="{broken\n")
    assert result.exit_code == 0, result.output
    assert "1 rejected: invalid_json 1; NOT KEPT" in result.stderr
    assert "--dead-letter PATH" in result.stderr
    assert list(tmp_path.iterdir()) == []


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
