"""MinHash signatures over word shingles, their compact stored form, and LSH band keys.

rensa's RMinHash computes a 128-value signature of a 400-word article in about 10 us;
the banding is ours so that every bucket is a plain key of a mapping store (a Table that
can be sharded by key across Kafka partitions). Bands hash the full 32-bit values; only
the stored copy is cut to `signature_bits` (b-bit MinHash), with the chance agreement of
short values removed when estimating Jaccard.
"""

from __future__ import annotations

import base64
from hashlib import blake2b

import numpy as np
from rensa import RMinHash

from agents.dedup.config import DedupConfig
from agents.identity import normalize_for_hash


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
    """One bucket name per band: the band's index and a 32-bit hash of its rows' values."""
    keys = []
    for band in range(config.bands):
        rows = full[band * config.rows : (band + 1) * config.rows]
        digest = blake2b(rows.tobytes(), digest_size=4, person=bytes([band])).digest()
        keys.append(f"{band:x}" + base64.urlsafe_b64encode(digest).decode("ascii")[:6])
    return keys


def low_bits(full: np.ndarray, config: DedupConfig) -> np.ndarray:
    """The low `signature_bits` of each value: what is stored and compared."""
    mask = np.uint32((1 << config.signature_bits) - 1)
    return (full & mask).astype(np.uint16 if config.signature_bits > 8 else np.uint8)


def encode(values: np.ndarray, config: DedupConfig) -> str:
    """The stored form of `low_bits` values, base64 (two 4-bit values share a byte)."""
    bits = config.signature_bits
    if bits == 4:
        padded = np.append(values, np.uint8(0)) if len(values) % 2 else values
        raw = ((padded[0::2] << 4) | padded[1::2]).astype(np.uint8).tobytes()
    else:
        raw = values.astype(">u2" if bits == 16 else np.uint8).tobytes()
    return base64.b64encode(raw).decode("ascii")


def decode(stored: str, config: DedupConfig) -> np.ndarray:
    """Inverse of `encode`."""
    raw = base64.b64decode(stored)
    bits = config.signature_bits
    if bits == 4:
        packed = np.frombuffer(raw, dtype=np.uint8)
        values = np.empty(len(packed) * 2, dtype=np.uint8)
        values[0::2], values[1::2] = packed >> 4, packed & 0x0F
        return values[: config.num_perm]
    if bits == 16:
        return np.frombuffer(raw, dtype=">u2").astype(np.uint16)
    return np.frombuffer(raw, dtype=np.uint8)


def estimate_jaccard(left: np.ndarray, right: np.ndarray, bits: int) -> float:
    """Jaccard estimated from b-bit signatures, corrected for chance agreement of low bits."""
    if left.shape != right.shape or not len(left):
        return 0.0
    agree = int(np.count_nonzero(left == right)) / len(left)
    chance = 2.0**-bits
    return max(0.0, float((agree - chance) / (1.0 - chance)))
