"""The trained topic model: a linear classifier over hashed word and character n-grams.

Trained by `newsflow train topics` (agents/tag/train_topics.py); what ships is weights only
(`topic_model.npz` beside this module): a hashed feature space holds no text from the data.
A text's features are its content words (stop words dropped, the first MAX_WORDS of them),
their bigrams and the 4- and 5-character n-grams of words of four letters or more, which let
a headline's "electoral" meet an article's "election". Counts are damped (1 + log) and the
vector is L2-normalised, so a headline and a long article land on one scale. Scores are
one-vs-rest sigmoids with Platt calibration fitted on out-of-fold decisions.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import pairwise
from pathlib import Path

import numpy as np
from scipy import sparse
from sklearn.preprocessing import normalize
from sklearn.utils import murmurhash3_32
from spacy.lang.en.stop_words import STOP_WORDS

MODEL_PATH = Path(__file__).with_name("topic_model.npz")
FEATURE_VERSION = 1  # bump when `features` changes: old weights then refuse to load
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


def vectorise(texts: Sequence[str]) -> sparse.csr_matrix:
    """The model's input rows (the hashed `features`): damped counts, L2-normalised."""
    indices: list[int] = []
    indptr = [0]
    for text in texts:
        words = content_words(text)
        indices.extend(_COLUMNS.word(word) for word in words)
        indices.extend(column(f"{a} {b}") for a, b in pairwise(words))
        for word in dict.fromkeys(words):
            indices.extend(_COLUMNS.char_ngrams(word))
        indptr.append(len(indices))
    matrix = sparse.csr_matrix(
        (np.ones(len(indices)), np.asarray(indices, dtype=np.int32), np.asarray(indptr)),
        shape=(len(texts), HASH_FEATURES),
    )
    matrix.sum_duplicates()
    matrix.data = 1.0 + np.log(matrix.data)
    return normalize(matrix, copy=False)


@dataclass(slots=True)
class TopicModel:
    """Weights of a trained model and what turns its decisions into calibrated scores."""

    topics: tuple[str, ...]
    coef: np.ndarray  # (topics, HASH_FEATURES)
    intercept: np.ndarray  # (topics,)
    platt_slope: np.ndarray  # (topics,): score = sigmoid(slope * decision + offset)
    platt_offset: np.ndarray

    def __post_init__(self) -> None:
        # Column-major, so that the transpose the product reads is contiguous (a copy of
        # 13 MB per batch otherwise).
        self.coef = np.asfortranarray(self.coef)

    def decisions(self, texts: Sequence[str]) -> np.ndarray:
        """Raw linear decisions, one row per text."""
        rows = vectorise(texts)
        return np.asarray(rows @ self.coef.T, dtype=np.float64) + self.intercept

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
            )
