"""The trained topic model: two linear parts, over hashed n-grams and over word vectors.

Trained by `newsflow train topics` (agents/tag/train_topics.py); what ships is weights only
(`topic_model.npz` beside this module), keyed by hashes: no text from the data.

- The n-gram part reads a text's content words (stop words dropped, the first MAX_WORDS of
  them), their bigrams and the 4- and 5-character n-grams of words of four letters or more,
  which let a headline's "electoral" meet an article's "election". Counts are damped
  (1 + log) and the vector is L2-normalised, so a headline and a long article land on one
  scale. It knows the training outlets' wording well and other outlets' poorly.
- The word-vector part reads the same content words through pre-trained GloVe vectors, which
  place words no training headline used near the ones it did: it is what carries the model
  from one outlet to another (measured: `newsflow train topics`). A linear model over a
  weighted mean of vectors is a weighted mean of per-word decisions, so what ships is one row
  per word (its weight times its decisions, then its weight), not the vectors.

A text's decision is the sum of the two parts (training folds the vector part's share into
its rows); scores are one-vs-rest sigmoids with Platt calibration fitted on out-of-fold
decisions.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from itertools import chain, pairwise
from pathlib import Path

import numpy as np
from scipy import sparse
from sklearn.preprocessing import normalize
from sklearn.utils import murmurhash3_32
from spacy.lang.en.stop_words import STOP_WORDS

MODEL_PATH = Path(__file__).with_name("topic_model.npz")
FEATURE_VERSION = 2  # bump when the features or the file change: old weights then refuse to load
HASH_FEATURES = 2**18
MAX_WORDS = 150
CHAR_NGRAMS = (4, 5)
MIN_CHAR_WORD = 4
MAX_CACHED_WORDS = 200_000
WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?")
_NEWS_STOP = {"said", "says", "say", "told", "mr", "mrs", "ms", "year", "years", "new", "just",
              "like"}
STOP = frozenset(STOP_WORDS) | _NEWS_STOP


def content_words(text: str) -> list[str]:
    """Lower-cased words without stop words or possessive endings, at most MAX_WORDS."""
    words: list[str] = []
    for match in WORD.finditer(text.lower()):
        word = match.group().replace("’", "'")
        if word.endswith("'s"):
            word = word[:-2]
        if len(word) > 1 and word not in STOP:
            words.append(word)
            if len(words) >= MAX_WORDS:
                break
    return words


def _char_ngrams(word: str) -> list[str]:
    """4- and 5-character n-grams of a long word, padded with '<' and '>' and marked '#'."""
    if len(word) < MIN_CHAR_WORD:
        return []
    padded = f"<{word}>"
    return [f"#{padded[i:i + size]}" for size in CHAR_NGRAMS
            for i in range(len(padded) - size + 1)]


def features(text: str) -> list[str]:
    """Words, word bigrams and character n-grams of the distinct long words."""
    words = content_words(text)
    found = list(words)
    found.extend(f"{a} {b}" for a, b in pairwise(words))
    for word in dict.fromkeys(words):
        found.extend(_char_ngrams(word))
    return found


def column(feature: str) -> int:
    """A feature's column: scikit-learn's FeatureHasher (signed MurmurHash3, seed 0, abs)."""
    hashed = murmurhash3_32(feature, seed=0)
    if hashed == -(2**31):
        return (2**31 - 1 - (HASH_FEATURES - 1)) % HASH_FEATURES
    return abs(hashed) % HASH_FEATURES


class _ColumnCache:
    """Columns of a word and of its character n-grams, memoised: news vocabulary repeats, and
    hashing every n-gram of every article again would cost most of the model's time."""

    def __init__(self, limit: int = MAX_CACHED_WORDS) -> None:
        self.limit = limit
        self.words: dict[str, int] = {}
        self.ngrams: dict[str, list[int]] = {}

    def word(self, word: str) -> int:
        found = self.words.get(word)
        if found is None:
            found = column(word)
            if len(self.words) < self.limit:
                self.words[word] = found
        return found

    def char_ngrams(self, word: str) -> list[int]:
        found = self.ngrams.get(word)
        if found is None:
            found = [column(ngram) for ngram in _char_ngrams(word)]
            if len(self.ngrams) < self.limit:
                self.ngrams[word] = found
        return found


_COLUMNS = _ColumnCache()


def word_key(word: str) -> int:
    """A word's 64-bit key in the word-vector table (two MurmurHash3 seeds)."""
    return (murmurhash3_32(word, seed=0, positive=True) << 32) | murmurhash3_32(
        word, seed=1, positive=True)


def vectorise(texts: Sequence[str]) -> sparse.csr_matrix:
    """The n-gram part's input rows (the hashed `features`): damped counts, L2-normalised."""
    return _hashed_rows([content_words(text) for text in texts])


def _hashed_rows(texts_words: Sequence[list[str]]) -> sparse.csr_matrix:
    indices: list[int] = []
    indptr = [0]
    for words in texts_words:
        indices.extend(_COLUMNS.word(word) for word in words)
        indices.extend(column(f"{a} {b}") for a, b in pairwise(words))
        for word in dict.fromkeys(words):
            indices.extend(_COLUMNS.char_ngrams(word))
        indptr.append(len(indices))
    matrix = sparse.csr_matrix(
        (np.ones(len(indices)), np.asarray(indices, dtype=np.int32), np.asarray(indptr)),
        shape=(len(texts_words), HASH_FEATURES),
    )
    matrix.sum_duplicates()
    matrix.data = 1.0 + np.log(matrix.data)
    return normalize(matrix, copy=False)


@dataclass(slots=True)
class TopicModel:
    """Weights of a trained model and what turns its decisions into calibrated scores."""

    topics: tuple[str, ...]
    coef: np.ndarray  # (topics, HASH_FEATURES): the n-gram part
    intercept: np.ndarray  # (topics,): both parts'
    platt_slope: np.ndarray  # (topics,): score = sigmoid(slope * decision + offset)
    platt_offset: np.ndarray
    word_keys: np.ndarray = field(  # (words,) `word_key`s: the word-vector part
        default_factory=lambda: np.zeros(0, np.uint64))
    word_rows: np.ndarray = field(  # (words, topics + 1): weight * decisions, then weight
        default_factory=lambda: np.zeros((0, 1), np.float32))
    _row_of_key: dict[int, int] = field(default_factory=dict, init=False, repr=False,
                                        compare=False)
    _row_of_word: dict[str, int] = field(default_factory=dict, init=False, repr=False,
                                         compare=False)

    def __post_init__(self) -> None:
        # Column-major, so that the transpose the product reads is contiguous (a copy of
        # 13 MB per batch otherwise).
        self.coef = np.asfortranarray(self.coef)
        if not len(self.word_keys) and not len(self.word_rows):
            self.word_rows = np.zeros((0, len(self.topics) + 1), np.float32)
        if self.word_rows.shape != (len(self.word_keys), len(self.topics) + 1):
            raise ValueError(f"word rows of shape {self.word_rows.shape} for "
                             f"{len(self.word_keys)} keys and {len(self.topics)} topics")
        self._row_of_key = {int(key): row for row, key in enumerate(self.word_keys)}

    def decisions(self, texts: Sequence[str]) -> np.ndarray:
        """Raw linear decisions, one row per text: both parts and the intercept."""
        texts_words = [content_words(text) for text in texts]
        hashed = np.asarray(_hashed_rows(texts_words) @ self.coef.T, dtype=np.float64)
        return hashed + self._vector_decisions(texts_words) + self.intercept

    def _vector_decisions(self, texts_words: Sequence[list[str]]) -> np.ndarray:
        """The word-vector part: the weighted mean of the known words' decisions (one gather
        and one segmented sum for the whole batch)."""
        found = np.zeros((len(texts_words), len(self.topics)))
        known = [[row for row in map(self._word_row, words) if row >= 0]
                 for words in texts_words]
        lengths = np.fromiter(map(len, known), np.intp, count=len(known))
        if not lengths.any():
            return found
        rows = np.fromiter(chain.from_iterable(known), np.intp, count=int(lengths.sum()))
        with_words = lengths > 0
        starts = (np.cumsum(lengths) - lengths)[with_words]
        summed = np.add.reduceat(self.word_rows[rows].astype(np.float64), starts, axis=0)
        found[with_words] = summed[:, :-1] / summed[:, -1:]
        return found

    def _word_row(self, word: str) -> int:
        """The word's row in `word_rows`, or -1; memoised up to MAX_CACHED_WORDS words, as
        news vocabulary repeats (past that, a word costs its two hashes)."""
        row = self._row_of_word.get(word)
        if row is None:
            row = self._row_of_key.get(word_key(word), -1)
            if len(self._row_of_word) < MAX_CACHED_WORDS:
                self._row_of_word[word] = row
        return row

    def scores(self, texts: Sequence[str]) -> np.ndarray:
        """Calibrated probability that each text is about each topic (rows: texts)."""
        if not texts:
            return np.zeros((0, len(self.topics)))
        logits = self.platt_slope * self.decisions(texts) + self.platt_offset
        return 1.0 / (1.0 + np.exp(-logits))

    def save(self, path: str | Path) -> None:
        """Write the weights as an .npz whose bytes depend on the weights alone."""
        arrays = {
            "feature_version": np.array(FEATURE_VERSION),
            "hash_features": np.array(self.coef.shape[1]),
            "topics": np.array(self.topics),
            # Row-major whatever the layout in memory (see __post_init__): the same bytes.
            "coef": np.ascontiguousarray(self.coef, dtype=np.float16),
            "intercept": self.intercept.astype(np.float32),
            "platt_slope": self.platt_slope.astype(np.float32),
            "platt_offset": self.platt_offset.astype(np.float32),
            "word_keys": self.word_keys.astype(np.uint64),
            "word_rows": np.ascontiguousarray(self.word_rows, dtype=np.float16),
        }
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
            for name, array in arrays.items():
                buffer = io.BytesIO()
                np.save(buffer, array, allow_pickle=False)
                entry = zipfile.ZipInfo(f"{name}.npy", date_time=(1980, 1, 1, 0, 0, 0))
                entry.compress_type = zipfile.ZIP_DEFLATED
                archive.writestr(entry, buffer.getvalue())

    @classmethod
    def load(cls, path: str | Path = MODEL_PATH) -> TopicModel:
        """Read weights written by `save`; refuses weights made for other features."""
        with np.load(path, allow_pickle=False) as data:
            version, width = int(data["feature_version"]), int(data["hash_features"])
            if (version, width) != (FEATURE_VERSION, HASH_FEATURES):
                raise ValueError(
                    f"{path}: weights for feature version {version} over {width} features, "
                    f"this code makes version {FEATURE_VERSION} over {HASH_FEATURES}; "
                    "run `newsflow train topics`"
                )
            return cls(
                topics=tuple(str(topic) for topic in data["topics"]),
                coef=data["coef"].astype(np.float32),
                intercept=data["intercept"].astype(np.float64),
                platt_slope=data["platt_slope"].astype(np.float64),
                platt_offset=data["platt_offset"].astype(np.float64),
                word_keys=data["word_keys"],
                word_rows=data["word_rows"].astype(np.float32),
            )
