"""Extraction quality on a gold set, with both benchmarks' metrics, and the pages that fail.

Zyte metric (scrapinghub/article-extraction-benchmark): tokens are `\\w+` lowercased; each text
becomes its set of 4-token shingles; per document precision = |pred ∩ gold| / |pred| and recall
= |pred ∩ gold| / |gold|; both are macro-averaged over documents; F1 is taken of the two
averages. Empty sets as in the benchmark: a text shorter than 4 tokens is one shingle of all its
tokens; both empty scores P = R = 1; an empty prediction against a non-empty gold P = 1, R = 0;
a non-empty prediction against an empty gold P = 0, R = 1.

WCXB metric (Web Content Extraction Benchmark): the same lowercased `\\w+` words as a bag (a
multiset); per page P = overlap / predicted words, R = overlap / gold words and their F1; P, R
and F1 are each averaged over pages. An empty gold scores 1 against an empty prediction, else
0; an empty prediction against a non-empty gold scores 0.

A page is catastrophic when the cleaner's WCXB F1 is below 0.3 where plain trafilatura's is
0.7 or more: the article was cut to a few lines or lost.
"""

from __future__ import annotations

import gzip
import json
import re
import time
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from schemas.models import RawArticle

from .cleaner import Cleaner
from .visible_text import visible_text

_TOKEN = re.compile(r"\w+", re.UNICODE)
_SHINGLE = 4
CATASTROPHIC_BELOW = 0.3
CATASTROPHIC_REFERENCE = 0.7
#: An empty result where trafilatura finds this many words is an article lost.
LOST_ARTICLE_WORDS = 100
WORST_SHOWN = 10


@dataclass(slots=True)
class PageScore:
    """One extractor's answer on one page, under both metrics."""

    id: str
    url: str
    precision: float
    recall: float
    word_precision: float
    word_recall: float
    word_f1: float
    words: int


@dataclass(slots=True)
class Score:
    """One extractor over the pages: the Zyte metric (`precision`, `recall`, `f1`), the WCXB
    metric (`word_*`) and how fast the pages were produced."""

    name: str
    precision: float
    recall: float
    pages: int
    seconds: float
    word_precision: float = 0.0
    word_recall: float = 0.0
    word_f1: float = 0.0

    @property
    def f1(self) -> float:
        total = self.precision + self.recall
        return 2 * self.precision * self.recall / total if total else 0.0

    @property
    def pages_per_second(self) -> float:
        return self.pages / self.seconds if self.seconds else float("inf")

    def format(self) -> str:
        speed = f"{self.pages_per_second:.1f} pages/s" if self.seconds else "-"
        return (f"{self.name:<12} Zyte P={self.precision:.4f} R={self.recall:.4f} "
                f"F1={self.f1:.4f} | WCXB P={self.word_precision:.4f} R={self.word_recall:.4f} "
                f"F1={self.word_f1:.4f} | pages={self.pages} {speed}")


@dataclass(slots=True)
class ExtractionReport:
    """The cleaner's scores on a gold file; with `--compare` plain trafilatura's in the same
    run and the pages where the cleaner fails against it; in text mode the page's visible
    text unchanged as a baseline."""

    gold_path: str
    text_mode: bool
    newsflow: Score
    trafilatura: Score | None = None
    page_text: Score | None = None
    per_document: list[PageScore] = field(default_factory=list)
    reference: list[PageScore] = field(default_factory=list)

    @property
    def empty_pages(self) -> list[PageScore]:
        """Pages the cleaner left empty: the pipeline dead-letters them."""
        return [page for page in self.per_document if page.words == 0]

    @property
    def lost_articles(self) -> list[PageScore]:
        """Empty pages where trafilatura finds an article (`LOST_ARTICLE_WORDS` or more)."""
        found = {page.id: page.words for page in self.reference}
        return [page for page in self.empty_pages if found.get(page.id, 0) >= LOST_ARTICLE_WORDS]

    @property
    def catastrophic(self) -> list[tuple[PageScore, PageScore]]:
        return [(ours, theirs) for ours, theirs in zip(self.per_document, self.reference,
                                                       strict=False)
                if ours.word_f1 < CATASTROPHIC_BELOW and theirs.word_f1 >= CATASTROPHIC_REFERENCE]

    def worst(self, count: int = WORST_SHOWN) -> list[tuple[PageScore, PageScore]]:
        """The pages where the cleaner's WCXB F1 falls furthest below trafilatura's."""
        pairs = zip(self.per_document, self.reference, strict=False)
        below = [pair for pair in pairs if pair[0].word_f1 < pair[1].word_f1]
        return sorted(below, key=lambda pair: pair[0].word_f1 - pair[1].word_f1)[:count]

    def format(self) -> str:
        mode = "text" if self.text_mode else "html"
        lines = [f"extraction on {self.gold_path} ({mode} mode, {self.newsflow.pages} pages)",
                 self.newsflow.format()]
        lines += [score.format() for score in (self.trafilatura, self.page_text) if score]
        if self.trafilatura is not None and self.trafilatura.seconds and not self.text_mode:
            ratio = self.newsflow.pages_per_second / self.trafilatura.pages_per_second
            lines.append(f"speed: newsflow at {ratio:.2f}x trafilatura's pages/s")
        lines.append(f"empty (dead-lettered as empty_after_cleaning): {len(self.empty_pages)}"
                     + (f"; where trafilatura finds >= {LOST_ARTICLE_WORDS} words: "
                        f"{len(self.lost_articles)}" if self.reference else ""))
        if self.reference:
            catastrophic = self.catastrophic
            lines.append(f"catastrophic (WCXB F1 < {CATASTROPHIC_BELOW} where trafilatura >= "
                         f"{CATASTROPHIC_REFERENCE}): {len(catastrophic)}")
            lines += [_pair_line(ours, theirs) for ours, theirs in catastrophic]
            lines.append(f"worst against trafilatura (WCXB F1, top {WORST_SHOWN}):")
            lines += [_pair_line(ours, theirs) for ours, theirs in self.worst()]
        return "\n".join(lines)


def _pair_line(ours: PageScore, theirs: PageScore) -> str:
    return (f"  {ours.id[:16]:<16} newsflow F1={ours.word_f1:.3f} (P={ours.word_precision:.2f} "
            f"R={ours.word_recall:.2f}, {ours.words} words)  trafilatura F1={theirs.word_f1:.3f} "
            f"({theirs.words} words)  {ours.url[:80]}")


def tokens(text: str) -> list[str]:
    """Lowercased `\\w+` tokens, as both benchmarks count them."""
    return [token.lower() for token in _TOKEN.findall(text)]


def shingles(text: str) -> set[tuple[str, ...]]:
    """The text's 4-token shingles (a shorter text is one shingle of all its tokens)."""
    words = tokens(text)
    if len(words) < _SHINGLE:
        return {tuple(words)} if words else set()
    return {tuple(words[i : i + _SHINGLE]) for i in range(len(words) - _SHINGLE + 1)}


def precision_recall(predicted: str, gold: str) -> tuple[float, float]:
    """One document's shingle precision and recall (Zyte; see the module docstring)."""
    pred, true = shingles(predicted), shingles(gold)
    if not pred and not true:
        return 1.0, 1.0
    if not pred:
        return 1.0, 0.0
    if not true:
        return 0.0, 1.0
    common = len(pred & true)
    return common / len(pred), common / len(true)


def word_scores(predicted: str, gold: str) -> tuple[float, float, float]:
    """One page's bag-of-words precision, recall and F1 (WCXB; see the module docstring)."""
    pred, true = Counter(tokens(predicted)), Counter(tokens(gold))
    if not true:
        return (1.0, 1.0, 1.0) if not pred else (0.0, 0.0, 0.0)
    if not pred:
        return 0.0, 0.0, 0.0
    overlap = sum((pred & true).values())
    precision, recall = overlap / sum(pred.values()), overlap / sum(true.values())
    total = precision + recall
    return precision, recall, 2 * precision * recall / total if total else 0.0


def load_gold(path: str) -> list[dict[str, str]]:
    """Rows `{id, html, body, ...}` of a JSONL gold file, gzipped when it ends in `.gz`."""
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rt", encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


#: An extractor takes one input (a page, a text, or a page's position) and answers a text.
Extractor = Callable[[Any], str]


def score_pages(
    rows: list[dict[str, str]], extractors: dict[str, tuple[list[Any], Extractor]]
) -> dict[str, tuple[Score, list[PageScore]]]:
    """Run each extractor over its inputs and score the answers against the rows' bodies.

    The extractors take turns page by page, each call timed on its own, so a change in the
    machine's load during the run weighs on all of them alike; their order turns round from
    one page to the next, as the second to read a page finds it in the processor's caches
    (measured on WCXB dev: the same two extractors 0.96 or 1.02 times each other's speed by
    which went first). One untimed warm-up call each first, so lazy imports and caches do
    not count against either side.
    """
    seconds = dict.fromkeys(extractors, 0.0)
    answers: dict[str, list[str]] = {name: [] for name in extractors}
    for inputs, extract in extractors.values():
        if inputs:
            extract(inputs[0])
    turns = list(extractors.items())
    for index in range(len(rows) if turns else 0):
        shift = index % len(turns)
        for name, (inputs, extract) in turns[shift:] + turns[:shift]:
            started = time.perf_counter()
            answers[name].append(extract(inputs[index]))
            seconds[name] += time.perf_counter() - started
    results = {}
    for name in extractors:
        pages = [_page_score(i, row, answer)
                 for i, (row, answer) in enumerate(zip(rows, answers[name], strict=True))]
        results[name] = (_average(name, pages, seconds[name]), pages)
    return results


def _page_score(index: int, row: dict[str, str], answer: str) -> PageScore:
    gold = row.get("body") or ""
    precision, recall = precision_recall(answer, gold)
    word_p, word_r, word_f1 = word_scores(answer, gold)
    return PageScore(str(row.get("id", index)), row.get("url") or "", precision, recall,
                     word_p, word_r, word_f1, len(_TOKEN.findall(answer)))


def _average(name: str, per_page: Iterable[PageScore], seconds: float) -> Score:
    pages = list(per_page)
    count = len(pages) or 1
    return Score(
        name=name,
        precision=sum(p.precision for p in pages) / count,
        recall=sum(p.recall for p in pages) / count,
        pages=len(pages),
        seconds=seconds,
        word_precision=sum(p.word_precision for p in pages) / count,
        word_recall=sum(p.word_recall for p in pages) / count,
        word_f1=sum(p.word_f1 for p in pages) / count,
    )


def evaluate_extraction(
    path: str,
    *,
    text_mode: bool = False,
    cleaner: Cleaner | None = None,
    compare_trafilatura: bool = False,
    half: int | None = None,
    limit: int | None = None,
) -> ExtractionReport:
    """Score the cleaner on a gold file: HTML in, or with text_mode the page's visible text.

    `half` (1 or 2) keeps the pages at odd or even positions, to tune on one half and confirm
    on the other; `limit` keeps the first pages only (a quick look while iterating).
    """
    cleaner = cleaner or Cleaner()
    rows = load_gold(path)
    if half is not None:
        rows = rows[half - 1 :: 2]
    rows = rows[:limit] if limit else rows
    pages = [row.get("html") or "" for row in rows]
    urls = [row.get("url") or None for row in rows]
    extractors: dict[str, tuple[list[Any], Extractor]] = {}
    if text_mode:
        texts = [visible_text(page) for page in pages]
        raws = [RawArticle(text=text, url=url) for text, url in zip(texts, urls, strict=True)]
        extractors["page text"] = (texts, lambda text: text)
    else:
        raws = [RawArticle(html=page, url=url) for page, url in zip(pages, urls, strict=True)]
    extractors = {"newsflow": (raws, lambda raw: cleaner.clean(raw).text), **extractors}
    if compare_trafilatura:
        extractors["trafilatura"] = (pages, _plain_trafilatura)
    results = score_pages(rows, extractors)
    newsflow, per_page = results["newsflow"]
    report = ExtractionReport(path, text_mode, newsflow, per_document=per_page)
    if compare_trafilatura:
        report.trafilatura, report.reference = results["trafilatura"]
    if text_mode:
        report.page_text = results["page text"][0]
        report.page_text.seconds = 0.0  # the input itself: no speed to speak of
    return report


def _plain_trafilatura(page: str) -> str:
    import trafilatura

    return trafilatura.extract(page, include_comments=False) or ""
