"""MinHash signatures over word shingles, their compact storage form, and LSH band keys.

rensa's RMinHash computes a 128-value signature of a 400-word article in about 10 us;
the banding is ours so that every bucket is a plain key of a mapping store (a Table that
can be sharded by key across Kafka partitions).
"""

from __future__ import annotations

import base64
from hashlib import blake2b

import numpy as np
from rensa import RMinHash

from agents.dedup.config import DedupConfig
from agents.identity import normalize_for_hash

_DTYPES = {8: np.uint8, 16: np.uint16, 32: np.uint32}


def shingles(text: str, size: int) -> list[str]:
    """Overlapping runs of `size` words of the normalised text (case, punctuation ignored)."""
    words = normalize_for_hash(text).split()
    if len(words) <= size:
        return [" ".join(words)] if words else []
    return [" ".join(words[i : i + size]) for i in range(len(words) - size + 1)]


def signature(text: str, config: DedupConfig) -> np.ndarray | None:
    """The full 32-bit MinHash signature, or None for text with no words."""
    items = shingles(text, config.shingle_size)
    if not items:
        return None
    minhash = RMinHash(num_perm=config.num_perm, seed=config.seed)
    minhash.update(items)
    return np.asarray(minhash.digest(), dtype=np.uint32)


def band_keys(full: np.ndarray, config: DedupConfig) -> list[str]:
    """One bucket key per band: the band's index and a 32-bit hash of its rows' values."""
    keys = []
    for band in range(config.bands):
        rows = full[band * config.rows : (band + 1) * config.rows]
        digest = blake2b(rows.tobytes(), digest_size=4).hexdigest()
        keys.append(f"{band:02d}{digest}")
    return keys


def encode(full: np.ndarray, config: DedupConfig) -> str:
    """The stored form: the low `signature_bits` of each value, base64 (JSON-safe, compact)."""
    dtype = _DTYPES[config.signature_bits]
    low = (full & np.uint32((1 << config.signature_bits) - 1)).astype(dtype)
    return base64.b64encode(low.tobytes()).decode("ascii")


def decode(stored: str, config: DedupConfig) -> np.ndarray:
    """Inverse of `encode`."""
    return np.frombuffer(base64.b64decode(stored), dtype=_DTYPES[config.signature_bits])


def low_bits(full: np.ndarray, config: DedupConfig) -> np.ndarray:
    """The full signature reduced as `encode` stores it, to compare with stored ones."""
    dtype = _DTYPES[config.signature_bits]
    return (full & np.uint32((1 << config.signature_bits) - 1)).astype(dtype)


def estimate_jaccard(left: np.ndarray, right: np.ndarray, bits: int) -> float:
    """Jaccard estimated from b-bit signatures, corrected for chance agreement of low bits."""
    if left.shape != right.shape or not len(left):
        return 0.0
    agree = int(np.count_nonzero(left == right)) / len(left)
    chance = 2.0**-bits
    return max(0.0, float((agree - chance) / (1.0 - chance)))
