"""The evaluation helpers score what they claim to, on tiny corpora we write here."""

from __future__ import annotations

import random
from pathlib import Path

import orjson

from agents.dedup.corpus import edited_copy, sentences
from agents.dedup.evaluate import (
    benchmark,
    cluster_errors,
    evaluate_clusters,
    evaluate_exact,
    rocksdb_sizes,
    roundup_stream,
    score_roundups,
)
from agents.dedup.features import sections
from agents.dedup.metrics import bcubed


def test_bcubed_is_perfect_for_identical_partitions_whatever_the_names() -> None:
    gold = {"a": "x", "b": "x", "c": "y"}
    assert bcubed({"a": "1", "b": "1", "c": "2"}, gold) == (1.0, 1.0, 1.0)


def test_bcubed_penalises_merging_and_splitting() -> None:
    gold = {"a": "x", "b": "x", "c": "y", "d": "y"}
    merged = bcubed({"a": "1", "b": "1", "c": "1", "d": "1"}, gold)
    split = bcubed({"a": "1", "b": "2", "c": "3", "d": "4"}, gold)
    assert merged[0] == 0.5 and merged[1] == 1.0
    assert split[0] == 1.0 and split[1] == 0.5


def test_edited_copy_changes_the_text_but_keeps_most_of_it() -> None:
    text = " ".join(f"Sentence number {i} tells part of the story." for i in range(15))
    copy, edits = edited_copy(text, random.Random(3))
    assert edits
    assert copy != text
    assert len(sentences(copy)) >= len(sentences(text)) - 1


def write_jsonl(path: Path, records: list[dict]) -> Path:
    path.write_bytes(b"".join(orjson.dumps(record) + b"\n" for record in records))
    return path


def test_exact_check_finds_the_repeated_body(tmp_path: Path) -> None:
    body = "The river ferry resumed service after the storm damaged its landing stage."
    records = [
        {"id": "1", "title": "t", "text": body},
        {"id": "2", "title": "t", "text": "Another story entirely about a village fete."},
        {"id": "3", "title": "t", "text": body.upper()},
    ]
    report = evaluate_exact(write_jsonl(tmp_path / "c.jsonl", records))
    assert report.expected == 1 and report.correct == 1 and report.perfect
    assert "PERFECT" in report.format()


def test_cluster_evaluation_reports_bcubed(tmp_path: Path) -> None:
    records = [
        {"id": "1", "title": "Zeltra wins the Orban regatta",
         "text": "Sailor Mara Zeltra won the Orban regatta on the lake.", "cluster": "a"},
        {"id": "2", "title": "Orban regatta goes to Zeltra",
         "text": "Mara Zeltra took the Orban regatta title on the lake.", "cluster": "a"},
        {"id": "3", "title": "Grain prices fall",
         "text": "Wheat and barley prices fell sharply at the Dunmore exchange.", "cluster": "b"},
    ]
    report = evaluate_clusters(write_jsonl(tmp_path / "c.jsonl", records), roundups=False)
    assert report.documents == 3 and report.gold_clusters == 2
    assert report.precision == 1.0
    assert "B-cubed" in report.format()


def test_cluster_errors_name_the_split_events_and_merged_stories_with_their_cost() -> None:
    gold = {"a": "x", "b": "x", "c": "x", "d": "y", "e": "y", "f": "z"}
    predicted = {"a": "1", "b": "1", "c": "2", "d": "3", "e": "3", "f": "3"}
    split, merged = cluster_errors(predicted, gold)
    assert [(error.name, error.parts) for error in split] == [("x", {"1": 2, "2": 1})]
    assert [(error.name, error.parts) for error in merged] == [("3", {"y": 2, "z": 1})]
    precision, recall, _ = bcubed(predicted, gold)
    assert abs(sum(error.cost for error in split) - (1 - recall)) < 1e-9
    assert abs(sum(error.cost for error in merged) - (1 - precision)) < 1e-9
    assert "x (3 docs, -0.2222): 1 2, 2 1" in split[0].format()


def test_roundups_lead_with_a_document_and_run_recent_other_events() -> None:
    records = [{"id": str(i), "title": f"t{i}", "cluster": f"c{i % 3}", "topic": f"t{i % 3}",
                "text": f"Report number {i} on event {i % 3}, told in a full sentence here."}
               for i in range(10)]
    stream, later = roundup_stream(records, every=5, sections=2)
    assert [record["id"] for record in stream] == [record["id"] for record in records]
    assert later == {"4": ["3", "2"], "9": ["8", "7"]}
    roundup = stream[4]
    assert roundup["cluster"] == "c1" and roundup["text"].startswith(records[4]["text"])
    parts = sections(roundup["text"])
    assert len(parts) == 3 and parts[0] == records[4]["text"]
    assert records[3]["text"] in parts[1] and records[2]["text"] in parts[2]


def test_roundup_scores_say_which_roundups_joined_their_lead_or_later_events() -> None:
    stream = [{"id": "a", "cluster": "x"}, {"id": "b", "cluster": "y"},
              {"id": "r1", "cluster": "x"}, {"id": "r2", "cluster": "x"}]
    later = {"r1": ["b"], "r2": ["b"]}
    report = score_roundups(stream, later, {"a": "s1", "b": "s2", "r1": "s1", "r2": "s2"})
    assert (report.roundups, report.joined_lead, report.merged_later) == (2, 1, 1)


def test_benchmark_measures_speed_and_state(tmp_path: Path) -> None:
    records = [{"id": str(i), "title": "t",
                "text": f"Sentence {i} about a harbour. Another line {i} on the tides."}
               for i in range(5)]
    report = benchmark(20, write_jsonl(tmp_path / "c.jsonl", records))
    assert report.articles == 20 and report.indexed == 20
    assert report.bytes_per_article > 0 and report.per_second > 0
    assert set(report.rocksdb_bytes) == set(report.state_bytes)
    assert sum(report.rocksdb_bytes.values()) > 0
    for name, size in report.rocksdb_bytes.items():  # an empty store leaves no data file
        assert (size > 0) == (report.state_bytes[name] > 0), name
    assert "on RocksDB" in report.format()


def test_rocksdb_sizes_grow_with_what_is_written() -> None:
    assert rocksdb_sizes({"store": []}) == {"store": 0}
    small = rocksdb_sizes({"store": [(b"key", b"v")]})
    large = rocksdb_sizes({"store": [(f"key-{n}".encode(), bytes(200)) for n in range(2000)]})
    assert large["store"] > small["store"] > 0
