"""Evaluation and benchmark of the dedup stage, each returning a report with `format()`.

The corpora are read as a stream in file order, so every figure is what the online stage
would have produced, with no look-ahead.
"""

from __future__ import annotations

import random
import tempfile
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson

from agents.dedup.config import DedupConfig
from agents.dedup.corpus import edited_copy, read_records, synthetic_articles, to_article
from agents.dedup.deduplicator import Deduplicator
from agents.dedup.metrics import bcubed
from agents.dedup.signatures import shingles
from agents.identity import normalize_for_hash
from schemas.models import Article

Prepare = Callable[[list[Article]], None]


@dataclass(frozen=True, slots=True)
class ClusterError:
    """A gold event split over several stories, or a story merging several gold events:
    what it costs (share of B-cubed recall or precision lost) and how its documents fall."""

    name: str
    size: int
    cost: float
    parts: dict[str, int]

    def format(self) -> str:
        parts = ", ".join(f"{name} {count}" for name, count in self.parts.items())
        return f"  {self.name} ({self.size} docs, -{self.cost:.4f}): {parts}"


@dataclass(slots=True)
class RoundupReport:
    """The same stream with some documents replaced by roundups that lead with them and run
    later sections taken from recent documents of other events."""

    roundups: int
    sections: int
    #: Roundups given the story most of their lead's gold event is in.
    joined_lead: int
    #: Roundups whose story holds documents of the events of their later sections.
    merged_later: int
    precision: float
    recall: float
    f1: float

    def format(self) -> str:
        return (
            f"roundups {self.roundups} (lead + {self.sections} later sections each): "
            f"{self.joined_lead} in their lead's story, {self.merged_later} in a story with "
            f"their later sections' events\n"
            f"with roundups B-cubed precision {self.precision:.4f}  recall {self.recall:.4f}  "
            f"F1 {self.f1:.4f}"
        )


@dataclass(slots=True)
class ClusterReport:
    """B-cubed scores of story ids against gold event clusters, and where they go wrong."""

    documents: int
    gold_clusters: int
    stories: int
    precision: float
    recall: float
    f1: float
    seconds: float
    split: list[ClusterError] = field(default_factory=list)
    merged: list[ClusterError] = field(default_factory=list)
    roundups: RoundupReport | None = None
    #: Errors listed by `format`, costliest first.
    shown: int = 12

    def format(self) -> str:
        lines = [
            f"documents {self.documents}  gold clusters {self.gold_clusters}  "
            f"stories {self.stories}",
            f"B-cubed precision {self.precision:.4f}  recall {self.recall:.4f}  "
            f"F1 {self.f1:.4f}  ({self.seconds:.1f} s)",
            f"gold events split over stories: {len(self.split)} (recall lost, costliest "
            "first; parts are story ids)",
            *(error.format() for error in self.split[: self.shown]),
            f"stories merging gold events: {len(self.merged)} (precision lost, costliest "
            "first; parts are gold events)",
            *(error.format() for error in self.merged[: self.shown]),
        ]
        if self.roundups is not None:
            lines.append(self.roundups.format())
        return "\n".join(lines)


def evaluate_clusters(path: str | Path, *, prepare: Prepare | None = None,
                      config: DedupConfig | None = None, batch: int = 64,
                      roundups: bool = True) -> ClusterReport:
    """Stream `{id, title, text, cluster}` records through the stage; score story_id.

    `prepare` fills entities/keywords (the Tagger's `tag`); without it the stage groups
    stories on title and text terms alone. With `roundups`, the stream is run a second time
    with roundups in it (`roundup_stream`).
    """
    records = read_records(path)
    started = time.perf_counter()
    predicted = _story_ids(records, prepare, config, batch)
    gold = {str(record["id"]): str(record["cluster"]) for record in records}
    precision, recall, f1 = bcubed(predicted, gold)
    split, merged = cluster_errors(predicted, gold)
    return ClusterReport(
        documents=len(records),
        gold_clusters=len(set(gold.values())),
        stories=len(set(predicted.values())),
        precision=precision,
        recall=recall,
        f1=f1,
        seconds=time.perf_counter() - started,
        split=split,
        merged=merged,
        roundups=evaluate_roundups(records, prepare=prepare, config=config,
                                   batch=batch) if roundups else None,
    )


def _story_ids(records: list[dict], prepare: Prepare | None, config: DedupConfig | None,
               batch: int) -> dict[str, str]:
    """Story id of each record, judged online in file order."""
    judge = Deduplicator(config=config).judge
    predicted: dict[str, str] = {}
    for start in range(0, len(records), batch):
        articles = [to_article(record) for record in records[start : start + batch]]
        if prepare is not None:
            prepare(articles)
        for article in articles:
            predicted[article.id] = judge(article).story_id
    return predicted


def cluster_errors(predicted: dict[str, str],
                   gold: dict[str, str]) -> tuple[list[ClusterError], list[ClusterError]]:
    """Gold events split over stories and stories merging gold events, costliest first.

    The cost of a split event is the B-cubed recall its documents lose (each loses the
    share of its event outside its story), over all documents; a merged story's cost is
    the precision lost likewise. Summed over the lists they give 1 - recall and
    1 - precision.
    """
    total = len(gold)
    by_gold: dict[str, Counter[str]] = defaultdict(Counter)
    by_story: dict[str, Counter[str]] = defaultdict(Counter)
    for item, event in gold.items():
        by_gold[event][predicted[item]] += 1
        by_story[predicted[item]][event] += 1

    def errors(groups: dict[str, Counter[str]]) -> list[ClusterError]:
        found = []
        for name, parts in groups.items():
            if len(parts) < 2:
                continue
            size = sum(parts.values())
            cost = sum(count * (1 - count / size) for count in parts.values()) / total
            found.append(ClusterError(name, size, cost, dict(parts.most_common())))
        return sorted(found, key=lambda error: (-error.cost, error.name))

    return errors(by_gold), errors(by_story)


#: Every this many documents, one is replaced by a roundup leading with it.
ROUNDUP_EVERY = 5
ROUNDUP_SECTIONS = 3


def roundup_stream(records: list[dict], *, every: int = ROUNDUP_EVERY,
                   sections: int = ROUNDUP_SECTIONS) -> tuple[list[dict], dict[str, list[str]]]:
    """The records with every `every`-th one replaced by a roundup: its title and text as
    the lead, then `sections` later sections, each under a heading, holding the texts of
    the latest earlier records of other events (and other topics, when records have one),
    whose stories are therefore established. The roundup keeps its lead's id and cluster.

    Returns the stream and, per roundup id, the ids of its later sections' records.
    """
    stream: list[dict] = []
    later: dict[str, list[str]] = {}
    for index, record in enumerate(records):
        if index % every != every - 1:
            stream.append(record)
            continue
        others = [earlier for earlier in reversed(records[:index])
                  if earlier["cluster"] != record["cluster"]
                  and earlier.get("topic", earlier["cluster"]) != record.get(
                      "topic", record["cluster"])][:sections]
        parts = [record["text"].strip()]
        for number, other in enumerate(others, start=1):
            parts += [f"In other news, part {number}", other["text"].strip()]
        stream.append({**record, "text": "\n\n".join(parts)})
        later[str(record["id"])] = [str(other["id"]) for other in others]
    return stream, later


def evaluate_roundups(records: list[dict], *, prepare: Prepare | None = None,
                      config: DedupConfig | None = None, batch: int = 64) -> RoundupReport:
    """Score the stream with roundups in it (`roundup_stream`): B-cubed over every
    document, whether each roundup joins the story of its lead's gold event, and whether
    its later sections pulled their events into its story."""
    stream, later = roundup_stream(records)
    return score_roundups(stream, later, _story_ids(stream, prepare, config, batch))


def score_roundups(stream: list[dict], later: dict[str, list[str]],
                   predicted: dict[str, str]) -> RoundupReport:
    """The `RoundupReport` of story ids given to a `roundup_stream`."""
    gold = {str(record["id"]): str(record["cluster"]) for record in stream}
    precision, recall, f1 = bcubed(predicted, gold)
    majority: dict[str, Counter[str]] = defaultdict(Counter)
    for item, event in gold.items():
        if item not in later:
            majority[event][predicted[item]] += 1
    members: dict[str, set[str]] = defaultdict(set)
    for item, story in predicted.items():
        members[story].add(gold[item])
    joined = merged = 0
    for roundup_id, section_ids in later.items():
        event = gold[roundup_id]
        counts = majority[event]
        joined += bool(counts) and predicted[roundup_id] == counts.most_common(1)[0][0]
        section_events = {gold[item] for item in section_ids} - {event}
        merged += not section_events.isdisjoint(members[predicted[roundup_id]])
    return RoundupReport(len(later), ROUNDUP_SECTIONS, joined, merged, precision, recall, f1)


@dataclass(slots=True)
class NearDuplicateReport:
    """How well edited copies are caught as near duplicates, and nothing else is."""

    threshold: float
    originals: int
    copies: int
    copies_over_threshold: int
    flagged: int
    correct: int
    found: int
    found_over_threshold: int
    false_positives: list[tuple[str, str, float]] = field(default_factory=list)
    missed: list[tuple[str, float]] = field(default_factory=list)

    @property
    def precision(self) -> float:
        return self.correct / self.flagged if self.flagged else 1.0

    @property
    def recall(self) -> float:
        return self.found / self.copies if self.copies else 1.0

    @property
    def recall_over_threshold(self) -> float:
        over = self.copies_over_threshold
        return self.found_over_threshold / over if over else 1.0

    def format(self) -> str:
        lines = [
            f"threshold {self.threshold}  originals {self.originals}  edited copies "
            f"{self.copies} ({self.copies_over_threshold} with true Jaccard >= threshold)",
            f"near_duplicate precision {self.precision:.4f} ({self.correct}/{self.flagged})  "
            f"recall {self.recall:.4f} ({self.found}/{self.copies})  "
            f"recall on copies >= threshold {self.recall_over_threshold:.4f}",
        ]
        lines += [f"  false positive {a} -> {b} (true Jaccard {j:.3f})"
                  for a, b, j in self.false_positives[:10]]
        lines += [f"  missed {a} (true Jaccard {j:.3f})" for a, j in self.missed[:10]]
        return "\n".join(lines)


def true_jaccard(left: str, right: str, size: int) -> float:
    """Exact Jaccard of the two texts' shingle sets."""
    a, b = set(shingles(left, size)), set(shingles(right, size))
    return len(a & b) / len(a | b) if a or b else 1.0


def evaluate_near_duplicates(path: str | Path, *, copies: int = 500, seed: int = 13,
                             config: DedupConfig | None = None) -> NearDuplicateReport:
    """Insert lightly edited copies of corpus articles into the stream after their originals.

    A `near_duplicate` verdict is correct when it points at the copy's original (or that
    original's own original), or when the two texts truly overlap at the threshold.
    Recall counts copies judged near duplicates of the right article.
    """
    config = config or DedupConfig()
    rng = random.Random(seed)
    records = read_records(path)
    chosen = rng.sample(range(len(records)), k=min(copies, len(records)))
    inserts: dict[int, list[dict]] = {}
    source_of: dict[str, str] = {}
    for number, index in enumerate(chosen):
        text, _ = edited_copy(records[index]["text"], rng)
        copy: dict[str, Any] = {
            "id": f"copy-{number}", "title": records[index].get("title"), "text": text,
        }
        if normalize_for_hash(text) == normalize_for_hash(records[index]["text"]):
            continue  # only reformatted: an exact duplicate, the exact check's business
        source_of[copy["id"]] = str(records[index]["id"])
        position = rng.randrange(index, len(records))
        inserts.setdefault(position, []).append(copy)
    texts: dict[str, str] = {}
    stream: list[dict] = []
    for index, record in enumerate(records):
        stream.append(record)
        stream.extend(inserts.get(index, ()))
    dedup = Deduplicator(config=config)
    verdicts = {}
    for record in stream:
        article = to_article(record)
        texts[article.id] = article.text
        verdicts[article.id] = dedup.judge(article)
    size, threshold = config.shingle_size, config.near_duplicate_threshold
    report = NearDuplicateReport(threshold, len(records), len(source_of), 0, 0, 0, 0, 0)
    for article_id, verdict in verdicts.items():
        if verdict.status != "near_duplicate" or verdict.duplicate_of is None:
            continue
        report.flagged += 1
        family = _family(source_of.get(article_id), verdicts)
        overlap = true_jaccard(texts[article_id], texts[verdict.duplicate_of], size)
        if verdict.duplicate_of in family or overlap >= threshold:
            report.correct += 1
        else:
            report.false_positives.append((article_id, verdict.duplicate_of, overlap))
    for copy_id, source_id in source_of.items():
        overlap = true_jaccard(texts[copy_id], texts[source_id], size)
        verdict = verdicts[copy_id]
        hit = verdict.status == "near_duplicate" and verdict.duplicate_of in _family(
            source_id, verdicts)
        report.copies_over_threshold += overlap >= threshold
        report.found += hit
        report.found_over_threshold += hit and overlap >= threshold
        if not hit:
            report.missed.append((copy_id, overlap))
    return report


def _family(source_id: str | None, verdicts: dict) -> set[str]:
    """The source and the originals it leads to through duplicate_of."""
    family: set[str] = set()
    while source_id is not None and source_id not in family:
        family.add(source_id)
        source_id = verdicts[source_id].duplicate_of
    return family


@dataclass(slots=True)
class ExactReport:
    """Whether every article with the text of an earlier one, and only those, is a duplicate."""

    documents: int
    expected: int
    correct: int
    wrong: list[str] = field(default_factory=list)

    @property
    def perfect(self) -> bool:
        return self.correct == self.expected and not self.wrong

    def format(self) -> str:
        lines = [
            f"documents {self.documents}  expected duplicates {self.expected}  "
            f"correct {self.correct}  wrong {len(self.wrong)}  "
            f"{'PERFECT' if self.perfect else 'NOT PERFECT'}"
        ]
        return "\n".join(lines + [f"  {line}" for line in self.wrong[:20]])


def evaluate_exact(path: str | Path, *, config: DedupConfig | None = None) -> ExactReport:
    """Each article whose normalised text was seen before must be a `duplicate` of the
    first article with that text; no other article may be a `duplicate`."""
    records = read_records(path)
    dedup = Deduplicator(config=config)
    first_with: dict[str, str] = {}
    report = ExactReport(len(records), 0, 0)
    for record in records:
        article = to_article(record)
        expected = first_with.setdefault(article.content_hash, article.id)
        verdict = dedup.judge(article)
        if expected != article.id:
            report.expected += 1
            if verdict.status == "duplicate" and verdict.duplicate_of == expected:
                report.correct += 1
            else:
                report.wrong.append(f"{article.id}: {verdict.status} of "
                                    f"{verdict.duplicate_of}, expected duplicate of {expected}")
        elif verdict.status == "duplicate":
            report.wrong.append(f"{article.id}: duplicate of {verdict.duplicate_of}, "
                                "but no earlier article has its text")
    return report


@dataclass(slots=True)
class BenchReport:
    """Throughput of the stage alone and the state it keeps."""

    articles: int
    seconds: float
    state_bytes: dict[str, int]
    indexed: int
    rocksdb_bytes: dict[str, int] = field(default_factory=dict)

    @property
    def per_second(self) -> float:
        return self.articles / self.seconds if self.seconds else 0.0

    @property
    def bytes_per_article(self) -> float:
        return sum(self.state_bytes.values()) / self.indexed if self.indexed else 0.0

    def format(self) -> str:
        lines = [
            f"articles {self.articles} in {self.seconds:.2f} s: "
            f"{self.per_second:.0f} articles/s (dedup stage alone)",
            *self._state_lines("as changelog JSON", "keys + values", self.state_bytes),
        ]
        if self.rocksdb_bytes:
            lines.extend(self._state_lines("on RocksDB", ".sst files on disk, compacted",
                                           self.rocksdb_bytes))
        return "\n".join(lines)

    def _state_lines(self, where: str, what: str, sizes: dict[str, int]) -> list[str]:
        total = sum(sizes.values())
        stores = "  ".join(f"{name} {size / self.indexed:.0f}" for name, size in sizes.items())
        return [f"state {where} {total / 1e6:.1f} MB = {total / self.indexed:.0f} bytes per "
                f"indexed article ({what})", f"  per store, bytes per article: {stores}"]


def rocksdb_sizes(stores: dict[str, Iterable[tuple[bytes, bytes]]]) -> dict[str, int]:
    """Bytes of data on disk (the .sst files) of each store written to RocksDB with Faust's own
    options (`RocksDBOptions`, what `rocksdb://` opens), flushed and compacted. A worker keeps
    one database per partition; one database per store is the same data in fewer files."""
    from faust.stores.rocksdb import RocksDBOptions

    sizes: dict[str, int] = {}
    with tempfile.TemporaryDirectory(prefix="newsflow-state-") as folder:
        for name, pairs in stores.items():
            path = Path(folder) / name
            database = RocksDBOptions().open(path)
            try:
                for key, value in pairs:
                    database.put(key, value)
                database.flush()
                database.compact_range(None, None)
            finally:
                database.close()
            sizes[name] = sum(file.stat().st_size for file in path.glob("*.sst"))
    return sizes


def benchmark(n: int, corpus_path: str | Path, *, config: DedupConfig | None = None,
              seed: int = 7, rocksdb: bool = True) -> BenchReport:
    """Judge `n` synthetic articles (sentences drawn from the corpus) and size the state.

    State is measured as the JSON a changelog would carry (key bytes plus value bytes) and,
    with `rocksdb`, as the files those same bytes make in RocksDB.
    """
    articles = list(synthetic_articles(read_records(corpus_path), n, seed))
    dedup = Deduplicator(config=config)
    started = time.perf_counter()
    for article in articles:
        dedup.judge(article)
    seconds = time.perf_counter() - started
    stores = {name: getattr(dedup.state, name) for name in dedup.state.store_names()}
    sizes = {name: sum(len(key.encode()) + len(orjson.dumps(value))
                       for key, value in store.items())
             for name, store in stores.items()}
    on_disk = rocksdb_sizes({
        name: ((key.encode(), orjson.dumps(value)) for key, value in store.items())
        for name, store in stores.items()
    }) if rocksdb else {}
    return BenchReport(n, seconds, sizes, len(dedup.state.articles), on_disk)
