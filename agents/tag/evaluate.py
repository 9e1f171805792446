"""Offline evaluation of the tag stage: NER against CoNLL-style gold, topics against IPTC labels.

Both run the same code the stream runs (EntityRecognizer for NER, Tagger for topics), so the
figures describe production behaviour, speed included.
"""

from __future__ import annotations

import time
from collections import Counter, defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson

from agents.tag.entities import EntityRecognizer, load_pipeline
from agents.tag.topic_model import MODEL_PATH, TopicModel

ENTITY_TYPES = ("PERSON", "ORG", "LOC", "MISC")
CONLL_TO_TYPE = {"PER": "PERSON", "ORG": "ORG", "LOC": "LOC", "MISC": "MISC"}
BBC_TO_IPTC = {
    "business": "economy, business and finance",
    "entertainment": "arts, culture, entertainment and media",
    "politics": "politics",
    "sport": "sport",
    "tech": "science and technology",
}

GoldSpan = tuple[int, int, int, str]  # sentence-in-doc offset, token start, token end, type


@dataclass(slots=True)
class Score:
    """Entity-level counts and the precision, recall and F1 they give."""

    true_positive: int = 0
    false_positive: int = 0
    false_negative: int = 0

    @property
    def precision(self) -> float:
        found = self.true_positive + self.false_positive
        return self.true_positive / found if found else 0.0

    @property
    def recall(self) -> float:
        gold = self.true_positive + self.false_negative
        return self.true_positive / gold if gold else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


@dataclass(slots=True)
class NerReport:
    """Micro-averaged entity scores, overall and per type, and throughput."""

    overall: Score
    per_type: dict[str, Score]
    documents: int
    words: int
    seconds: float
    cpu_seconds: float = 0.0

    @property
    def words_per_second(self) -> float:
        return self.words / self.seconds if self.seconds else 0.0

    @property
    def words_per_cpu_second(self) -> float:
        """Throughput per core: immune to waiting for a CPU that other processes hold."""
        return self.words / self.cpu_seconds if self.cpu_seconds else 0.0

    def format(self) -> str:
        lines = [
            f"documents {self.documents}  words {self.words}  "
            f"{self.words_per_second:,.0f} words/s wall, "
            f"{self.words_per_cpu_second:,.0f} words per CPU-second",
            f"{'type':8} {'P':>6} {'R':>6} {'F1':>6} {'gold':>6}",
        ]
        for name, score in [("overall", self.overall), *sorted(self.per_type.items())]:
            gold = score.true_positive + score.false_negative
            lines.append(
                f"{name:8} {score.precision:6.3f} {score.recall:6.3f} {score.f1:6.3f} {gold:6d}"
            )
        return "\n".join(lines)


@dataclass(slots=True)
class TopicFigures:
    """First-topic accuracy against gold IPTC topics, per topic, with the confusions."""

    name: str
    pairs: list[tuple[str, list[str]]] = field(default_factory=list)

    def add(self, gold: str, predicted: Sequence[str]) -> None:
        self.pairs.append((gold, list(predicted)))

    @property
    def total(self) -> int:
        return len(self.pairs)

    @property
    def accuracy(self) -> float:
        correct = sum(1 for gold, predicted in self.pairs if predicted[:1] == [gold])
        return correct / self.total if self.total else 0.0

    @property
    def coverage(self) -> float:
        """Share of items that got any topic at all."""
        covered = sum(1 for _, predicted in self.pairs if predicted)
        return covered / self.total if self.total else 0.0

    def confusions(self) -> Counter[tuple[str, str]]:
        return Counter(
            (gold, predicted[0] if predicted else "(none)")
            for gold, predicted in self.pairs
            if predicted[:1] != [gold]
        )

    def format(self) -> str:
        lines = [f"{self.name}: {self.total} items, first-topic accuracy {self.accuracy:.3f}, "
                 f"with a topic {self.coverage:.3f}",
                 f"  {'gold topic':42} {'items':>6} {'first':>6} {'any':>6}"]
        by_topic: dict[str, list[tuple[str, list[str]]]] = defaultdict(list)
        for pair in self.pairs:
            by_topic[pair[0]].append(pair)
        for topic, pairs in sorted(by_topic.items()):
            first = sum(1 for gold, predicted in pairs if predicted[:1] == [gold]) / len(pairs)
            anywhere = sum(1 for gold, predicted in pairs if gold in predicted) / len(pairs)
            lines.append(f"  {topic:42} {len(pairs):6d} {first:6.3f} {anywhere:6.3f}")
        lines.extend(self._table(sorted(by_topic)))
        confusions = self.confusions().most_common(10)
        if confusions:
            lines.append("  most frequent confusions (gold -> first topic):")
            lines.extend(f"  {count:6d}  {gold} -> {predicted}"
                         for (gold, predicted), count in confusions)
        return "\n".join(lines)


    def _table(self, gold_topics: list[str]) -> list[str]:
        """Gold topic (rows) against first topic (columns, by their first four letters)."""
        counts = Counter((gold, predicted[0] if predicted else "(none)")
                         for gold, predicted in self.pairs)
        columns = sorted({predicted for _, predicted in counts}, key=lambda t: (t == "(none)", t))
        heads = "".join(f"{column.strip('()')[:4]:>6}" for column in columns)
        lines = ["  confusion table (rows: gold topic; columns: first topic):",
                 f"  {'':42} {heads}"]
        for gold in gold_topics:
            cells = "".join(f"{counts.get((gold, column), 0):6d}" for column in columns)
            lines.append(f"  {gold:42} {cells}")
        return lines


@dataclass(slots=True)
class TopicReport:
    """Topic figures of the whole tag stage on a gold file, and its speed."""

    figures: TopicFigures
    seconds: float
    words: int = 0
    cpu_seconds: float = 0.0
    model_bytes: int = 0
    load_seconds: float = 0.0
    topic_cpu_seconds: float = 0.0  # topic model and lexicons alone, over every item

    @property
    def accuracy(self) -> float:
        return self.figures.accuracy

    @property
    def total(self) -> int:
        return self.figures.total

    def format(self) -> str:
        rate = self.words / self.seconds if self.seconds else 0.0
        cpu_rate = self.words / self.cpu_seconds if self.cpu_seconds else 0.0
        per_item = 1e6 * self.topic_cpu_seconds / self.total if self.total else 0.0
        return (f"{self.figures.format()}\nwhole tag stage {rate:,.0f} words/s wall, "
                f"{cpu_rate:,.0f} words per CPU-second\n"
                f"topics alone: {per_item:,.0f} CPU-microseconds per item; model "
                f"{self.model_bytes / 1e6:.2f} MB on disk, loaded in {self.load_seconds:.2f} s")


def read_jsonl(path: str | Path) -> Iterator[dict[str, Any]]:
    with open(path, "rb") as handle:
        for line in handle:
            if line.strip():
                yield orjson.loads(line)


def _gold_spans(tags: list[str]) -> list[tuple[int, int, str]]:
    """IOB2 tags -> (start, end, type) token spans."""
    spans: list[tuple[int, int, str]] = []
    start, kind = -1, ""
    for i, tag in enumerate([*tags, "O"]):
        inside = tag.startswith("I-") and start >= 0 and tag[2:] == kind
        if inside:
            continue
        if start >= 0:
            spans.append((start, i, CONLL_TO_TYPE.get(kind, kind)))
            start = -1
        if tag != "O":
            start, kind = i, tag[2:]
    return spans


@dataclass(slots=True)
class _ConllDocument:
    text: str
    token_starts: list[int]
    token_ends: list[int]
    gold: set[tuple[int, int, str]]


def _conll_documents(path: str | Path) -> list[_ConllDocument]:
    """Sentences grouped by doc_id; tokens joined by spaces and sentences by newlines."""
    grouped: dict[Any, list[dict[str, Any]]] = defaultdict(list)
    for row in read_jsonl(path):
        grouped[row.get("doc_id", row.get("id"))].append(row)
    documents: list[_ConllDocument] = []
    for rows in grouped.values():
        parts: list[str] = []
        starts: list[int] = []
        ends: list[int] = []
        gold: set[tuple[int, int, str]] = set()
        cursor = 0
        for row in rows:
            offset = len(starts)
            for token in row["tokens"]:
                starts.append(cursor)
                ends.append(cursor + len(token))
                cursor += len(token) + 1
            parts.append(" ".join(row["tokens"]))
            gold.update((s + offset, e + offset, t) for s, e, t in _gold_spans(row["ner_tags"]))
        documents.append(_ConllDocument("\n".join(parts), starts, ends, gold))
    return documents


def _to_token_span(document: _ConllDocument, start: int, end: int) -> tuple[int, int] | None:
    """Gold tokens overlapped by a predicted character span."""
    first = next((i for i, e in enumerate(document.token_ends) if e > start), None)
    if first is None:
        return None
    last = first
    while last < len(document.token_starts) and document.token_starts[last] < end:
        last += 1
    return (first, last) if last > first else None


def evaluate_ner(path: str | Path, recognizer: EntityRecognizer | None = None) -> NerReport:
    """Entity-level micro P/R/F1 of the tag stage's entity pipeline on CoNLL-style JSONL."""
    recognizer = recognizer or EntityRecognizer(load_pipeline())
    documents = _conll_documents(path)
    started, cpu_started = time.perf_counter(), time.process_time()
    predictions: list[set[tuple[int, int, str]]] = []
    for document, parsed in zip(
        documents, recognizer.parse(d.text for d in documents), strict=True
    ):
        predicted: set[tuple[int, int, str]] = set()
        for mention in recognizer.mentions(parsed):
            token_span = _to_token_span(document, mention.start, mention.end)
            if token_span is not None:
                predicted.add((*token_span, mention.type))
        predictions.append(predicted)
    seconds, cpu_seconds = time.perf_counter() - started, time.process_time() - cpu_started
    overall = Score()
    per_type = {name: Score() for name in ENTITY_TYPES}
    for document, predicted in zip(documents, predictions, strict=True):
        for span in predicted | document.gold:
            score = per_type.setdefault(span[2], Score())
            if span in predicted and span in document.gold:
                score.true_positive += 1
                overall.true_positive += 1
            elif span in predicted:
                score.false_positive += 1
                overall.false_positive += 1
            else:
                score.false_negative += 1
                overall.false_negative += 1
    words = sum(len(d.token_starts) for d in documents)
    return NerReport(overall, per_type, len(documents), words, seconds, cpu_seconds)


def evaluate_topics(path: str | Path, tagger: Any = None) -> TopicReport:
    """First-topic accuracy of the whole tag stage on JSONL with a gold topic per row.

    A row's gold topic is its `iptc` field, or its BBC-style `category` mapped to IPTC; rows
    with neither are left out. Rows without `text` are headline-only items: the headline is
    the whole text, as an aggregator's item would arrive.
    """
    from agents.tag.core import Tagger
    from schemas.models import Article

    tagger = tagger or Tagger()
    rows: list[dict[str, Any]] = []
    gold: list[str] = []
    for row in read_jsonl(path):
        topic = row.get("iptc") or BBC_TO_IPTC.get(row.get("category") or "")
        if topic:
            rows.append(row)
            gold.append(topic)
    articles = [
        Article(
            id=str(row.get("id", i)),
            source=str(row.get("source", "eval")),
            title=row.get("title") if row.get("text") else None,
            text=row.get("text") or row["title"],
            content_hash="",
            ingested_at="",
        )
        for i, row in enumerate(rows)
    ]
    started, cpu_started = time.perf_counter(), time.process_time()
    tagger.tag(articles)
    seconds, cpu_seconds = time.perf_counter() - started, time.process_time() - cpu_started
    figures = TopicFigures(f"whole tag stage on {Path(path).name}")
    for topic, article in zip(gold, articles, strict=True):
        figures.add(topic, article.topics)
    words = sum(len(f"{a.title or ''} {a.text}".split()) for a in articles)
    loading = time.perf_counter()
    TopicModel.load(MODEL_PATH)
    load_seconds = time.perf_counter() - loading
    topic_started = time.process_time()
    tagger.topics.classify_many([(a.title, a.text) for a in articles])
    topic_cpu = time.process_time() - topic_started
    return TopicReport(figures, seconds, words, cpu_seconds, MODEL_PATH.stat().st_size,
                       load_seconds, topic_cpu)
