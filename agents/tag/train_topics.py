"""`newsflow train topics`: build the topic model from labelled files, and judge it across sources.

Training data: news headlines with their IPTC topic (`{title, iptc}` rows; rows whose `iptc`
is null are left out) and full articles with a BBC-style `category` (`{title, text,
category}`). The figures that count come from another source than the one trained on:
headlines -> articles and articles -> headlines, beside 5-fold cross-validation. Every figure
runs the runtime's own decision rule (TopicClassifier, model and lexicon together).

Reproducible: a fixed seed, one thread, and an .npz written without timestamps, so the same
files give the same bytes.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from sklearn.linear_model import LogisticRegression, SGDClassifier
from sklearn.model_selection import StratifiedKFold

from agents.tag.evaluate import BBC_TO_IPTC, TopicFigures, read_jsonl
from agents.tag.topic_model import MODEL_PATH, TopicModel, vectorise
from agents.tag.topics import TopicClassifier

DEFAULT_SEED = 13
FOLDS = 5
ALPHA = 1e-5
EPOCHS = 30
PLATT_C = 1e4

Item = tuple[str | None, str]  # (headline, body) as the tag stage sees them


@dataclass(slots=True)
class LabelledSet:
    """Items with their gold topic, and the name of their source."""

    name: str
    items: list[Item]
    topics: list[str]


def load_headlines(path: str | Path) -> LabelledSet:
    """Headline-only items (`title` and `iptc`); unmapped sections are left out."""
    items: list[Item] = []
    topics: list[str] = []
    for row in read_jsonl(path):
        if row.get("iptc"):
            items.append((None, row["title"]))
            topics.append(row["iptc"])
    return LabelledSet("headlines", items, topics)


def load_articles(path: str | Path) -> LabelledSet:
    """Full articles whose `category` maps to IPTC (BBC_TO_IPTC)."""
    items: list[Item] = []
    topics: list[str] = []
    for row in read_jsonl(path):
        if row.get("category") in BBC_TO_IPTC:
            items.append((row.get("title"), row["text"]))
            topics.append(BBC_TO_IPTC[row["category"]])
    return LabelledSet("articles", items, topics)


def model_text(item: Item) -> str:
    """The text the model reads, exactly as TopicClassifier builds it."""
    title, text = item
    return f"{title}\n{text}" if title else text


def _fit_linear(
    items: Sequence[Item], topics: Sequence[str], seed: int
) -> tuple[tuple[str, ...], np.ndarray, np.ndarray]:
    """One-vs-rest logistic regression by SGD: (topics, coef, intercept)."""
    classifier = SGDClassifier(
        loss="log_loss", alpha=ALPHA, max_iter=EPOCHS, tol=None, class_weight="balanced",
        random_state=seed,
    )
    classifier.fit(vectorise([model_text(item) for item in items]), np.asarray(topics))
    coef, intercept = classifier.coef_, classifier.intercept_
    if len(classifier.classes_) == 2:  # sklearn keeps one row for two classes
        coef, intercept = np.vstack([-coef, coef]), np.concatenate([-intercept, intercept])
    labels = tuple(str(topic) for topic in classifier.classes_)
    return labels, coef.astype(np.float32), intercept.astype(np.float64)


def _platt(
    decisions: np.ndarray, topics: Sequence[str], labels: tuple[str, ...]
) -> tuple[np.ndarray, np.ndarray]:
    """Per topic, the sigmoid that maps held-out decisions to the observed frequency."""
    gold = np.asarray(topics)
    slopes, offsets = np.ones(len(labels)), np.zeros(len(labels))
    for k, topic in enumerate(labels):
        positive = gold == topic
        if positive.all() or not positive.any():
            continue
        fit = LogisticRegression(C=PLATT_C).fit(decisions[:, k : k + 1], positive)
        slopes[k], offsets[k] = float(fit.coef_[0, 0]), float(fit.intercept_[0])
    return slopes, offsets


def _model(fitted: tuple[tuple[str, ...], np.ndarray, np.ndarray],
           platt: tuple[np.ndarray, np.ndarray]) -> TopicModel:
    labels, coef, intercept = fitted
    return TopicModel(labels, coef, intercept, platt[0], platt[1])


def _figures(name: str, model: TopicModel, data: LabelledSet,
             indices: Sequence[int] | None = None) -> TopicFigures:
    figures = TopicFigures(name)
    chosen = range(len(data.items)) if indices is None else indices
    items = [data.items[i] for i in chosen]
    results = TopicClassifier(model).classify_many(items)
    for i, result in zip(chosen, results, strict=True):
        figures.add(data.topics[i], result.topics)
    return figures


@dataclass(slots=True)
class CrossValidation:
    """Out-of-fold figures per source, and the calibration fitted on the held-out decisions."""

    figures: dict[str, TopicFigures]
    platt: tuple[np.ndarray, np.ndarray]


def cross_validate(sets: Sequence[LabelledSet], seed: int, folds: int = FOLDS,
                   label: str = "") -> CrossValidation:
    """Stratified k-fold over the union of `sets`; figures reported per set."""
    items = [item for data in sets for item in data.items]
    topics = [topic for data in sets for topic in data.topics]
    owner = np.concatenate([np.full(len(data.items), n) for n, data in enumerate(sets)])
    splitter = StratifiedKFold(n_splits=folds, shuffle=True, random_state=seed)
    splits = list(splitter.split(np.zeros(len(topics)), np.asarray(topics)))
    fitted = []
    decisions: np.ndarray | None = None
    for train, test in splits:
        fold = _fit_linear([items[i] for i in train], [topics[i] for i in train], seed)
        model = _model(fold, (np.ones(len(fold[0])), np.zeros(len(fold[0]))))
        held_out = model.decisions([model_text(items[i]) for i in test])
        if decisions is None:
            decisions = np.zeros((len(items), len(fold[0])))
        decisions[test] = held_out
        fitted.append(fold)
    assert decisions is not None
    platt = _platt(decisions, topics, fitted[0][0])
    merged = LabelledSet("all", items, topics)
    figures = {
        data.name: TopicFigures(f"{label}{data.name}, {folds}-fold cross-validation")
        for data in sets
    }
    for (_, test), fold in zip(splits, fitted, strict=True):
        fold_figures = _figures("fold", _model(fold, platt), merged, test.tolist())
        for i, (gold, predicted) in zip(test, fold_figures.pairs, strict=True):
            figures[sets[owner[i]].name].add(gold, predicted)
    return CrossValidation(figures, platt)


@dataclass(slots=True)
class TrainingReport:
    """Every figure of one training run, and what was written."""

    sections: list[TopicFigures] = field(default_factory=list)
    output: Path | None = None
    size_bytes: int = 0
    sha256: str = ""
    seconds: float = 0.0

    def format(self) -> str:
        parts = [section.format() for section in self.sections]
        if self.output is not None:
            parts.append(
                f"wrote {self.output} ({self.size_bytes / 1e6:.2f} MB, sha256 "
                f"{self.sha256[:16]}...) in {self.seconds:.0f} s"
            )
        return "\n\n".join(parts)


def train_topics(headlines_path: str | Path, articles_path: str | Path,
                 output: str | Path | None = MODEL_PATH, seed: int = DEFAULT_SEED,
                 folds: int = FOLDS) -> TrainingReport:
    """Cross-source figures, cross-validation, then the shipped model trained on both."""
    started = time.perf_counter()
    headlines, articles = load_headlines(headlines_path), load_articles(articles_path)
    report = TrainingReport()

    headline_cv = cross_validate([headlines], seed, folds, "trained on headlines: ")
    report.sections.append(headline_cv.figures["headlines"])
    headline_model = _model(_fit_linear(headlines.items, headlines.topics, seed),
                            headline_cv.platt)
    report.sections.append(_figures("trained on headlines only -> articles", headline_model,
                                    articles))
    article_cv = cross_validate([articles], seed, folds, "trained on articles: ")
    article_model = _model(_fit_linear(articles.items, articles.topics, seed), article_cv.platt)
    report.sections.append(_figures("trained on articles only -> headlines", article_model,
                                    headlines))

    both = cross_validate([headlines, articles], seed, folds, "trained on both: ")
    report.sections.extend([both.figures["articles"], both.figures["headlines"]])
    shipped = _model(_fit_linear(headlines.items + articles.items,
                                 headlines.topics + articles.topics, seed), both.platt)
    report.sections.append(_figures("shipped model (both) -> articles, in sample", shipped,
                                    articles))
    if output is not None:
        path = Path(output)
        shipped.save(path)
        report.output = path
        report.size_bytes = path.stat().st_size
        report.sha256 = hashlib.sha256(path.read_bytes()).hexdigest()
    report.seconds = time.perf_counter() - started
    return report
