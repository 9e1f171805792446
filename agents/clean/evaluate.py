"""Extraction quality on a gold set, with the article-extraction-benchmark metric.

Metric (scrapinghub/article-extraction-benchmark): tokens are `\\w+` lowercased; each text becomes
its set of 4-token shingles; per document precision = |pred ∩ gold| / |pred| and recall =
|pred ∩ gold| / |gold|; both are macro-averaged over documents; F1 is taken of the two averages.

Empty-set convention (as in the benchmark): a text shorter than 4 tokens is one shingle of all its
tokens. If both prediction and gold are empty the document scores P = R = 1; an empty prediction
against a non-empty gold scores P = 1 (nothing wrong was said) and R = 0; a non-empty prediction
against an empty gold scores P = 0 and R = 1.
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from schemas.models import RawArticle

from .cleaner import Cleaner
from .visible_text import visible_text

_TOKEN = re.compile(r"\w+", re.UNICODE)
_SHINGLE = 4


@dataclass(slots=True)
class Score:
    """Macro-averaged precision/recall over pages, and how fast they were produced."""

    name: str
    precision: float
    recall: float
    pages: int
    seconds: float

    @property
    def f1(self) -> float:
        total = self.precision + self.recall
        return 2 * self.precision * self.recall / total if total else 0.0

    @property
    def pages_per_second(self) -> float:
        return self.pages / self.seconds if self.seconds else float("inf")

    def format(self) -> str:
        return (f"{self.name:<12} P={self.precision:.4f} R={self.recall:.4f} F1={self.f1:.4f} "
                f"pages={self.pages} {self.pages_per_second:.1f} pages/s")


@dataclass(slots=True)
class ExtractionReport:
    """The cleaner's score on a gold file and, optionally, plain trafilatura's in the same run."""

    gold_path: str
    text_mode: bool
    newsflow: Score
    trafilatura: Score | None = None
    per_document: list[tuple[str, float, float]] = field(default_factory=list)

    def format(self) -> str:
        mode = "text" if self.text_mode else "html"
        lines = [f"extraction on {self.gold_path} ({mode} mode)", self.newsflow.format()]
        if self.trafilatura is not None:
            lines.append(self.trafilatura.format())
        return "\n".join(lines)


def shingles(text: str) -> set[tuple[str, ...]]:
    """The text's 4-token shingles (a shorter text is one shingle of all its tokens)."""
    tokens = [token.lower() for token in _TOKEN.findall(text)]
    if len(tokens) < _SHINGLE:
        return {tuple(tokens)} if tokens else set()
    return {tuple(tokens[i : i + _SHINGLE]) for i in range(len(tokens) - _SHINGLE + 1)}


def precision_recall(predicted: str, gold: str) -> tuple[float, float]:
    """One document's shingle precision and recall (see the module docstring for empty sets)."""
    pred, true = shingles(predicted), shingles(gold)
    if not pred and not true:
        return 1.0, 1.0
    if not pred:
        return 1.0, 0.0
    if not true:
        return 0.0, 1.0
    common = len(pred & true)
    return common / len(pred), common / len(true)


def load_gold(path: str) -> list[dict[str, str]]:
    """Rows `{id, html, body}` of a JSONL gold file."""
    with open(path, encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


Extractor = Callable[[str], str]


def score_pages(
    rows: list[dict[str, str]], extractors: dict[str, tuple[list[str], Extractor]]
) -> dict[str, tuple[Score, list[tuple[str, float, float]]]]:
    """Run each extractor over its inputs and score the answers against the rows' bodies.

    The extractors take turns page by page, each call timed on its own, so a change in the
    machine's load during the run weighs on all of them alike. One untimed warm-up call each
    first, so lazy imports and caches do not count against either side.
    """
    seconds = dict.fromkeys(extractors, 0.0)
    answers: dict[str, list[str]] = {name: [] for name in extractors}
    for inputs, extract in extractors.values():
        if inputs:
            extract(inputs[0])
    for index in range(len(rows)):
        for name, (inputs, extract) in extractors.items():
            started = time.perf_counter()
            answers[name].append(extract(inputs[index]))
            seconds[name] += time.perf_counter() - started
    results = {}
    for name in extractors:
        per_doc = [
            (row.get("id", str(i)), *precision_recall(answer, row.get("body") or ""))
            for i, (row, answer) in enumerate(zip(rows, answers[name], strict=True))
        ]
        results[name] = (_average(name, per_doc, seconds[name]), per_doc)
    return results


def _average(name: str, per_doc: Iterable[tuple[str, float, float]], seconds: float) -> Score:
    docs = list(per_doc)
    count = len(docs) or 1
    return Score(
        name=name,
        precision=sum(p for _, p, _ in docs) / count,
        recall=sum(r for _, _, r in docs) / count,
        pages=len(docs),
        seconds=seconds,
    )


def evaluate_extraction(
    path: str,
    *,
    text_mode: bool = False,
    cleaner: Cleaner | None = None,
    compare_trafilatura: bool = False,
) -> ExtractionReport:
    """Score the cleaner on a gold JSONL file: HTML in, or with text_mode the visible text."""
    cleaner = cleaner or Cleaner()
    rows = load_gold(path)
    pages = [row.get("html") or "" for row in rows]
    if text_mode:
        extractors = {"newsflow": ([visible_text(page) for page in pages],
                                   lambda text: cleaner.clean(RawArticle(text=text)).text)}
    else:
        extractors = {"newsflow": (pages, lambda page: cleaner.clean(RawArticle(html=page)).text)}
    if compare_trafilatura:
        extractors["trafilatura"] = (pages, _plain_trafilatura)
    results = score_pages(rows, extractors)
    newsflow, per_doc = results["newsflow"]
    report = ExtractionReport(path, text_mode, newsflow, per_document=per_doc)
    if compare_trafilatura:
        report.trafilatura = results["trafilatura"][0]
    return report


def _plain_trafilatura(page: str) -> str:
    import trafilatura

    return trafilatura.extract(page, include_comments=False) or ""
