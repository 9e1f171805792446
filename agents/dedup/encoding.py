"""Compact, JSON-safe encodings of what the dedup stores hold.

State is paid for per indexed article in every changelog and every standby replica, so
values are short strings and lists rather than readable dicts: terms become 32-bit ids,
weights one byte, times whole seconds, and time-bounded keys carry their period so a sweep
can drop them from the key alone.
"""

from __future__ import annotations

import base64
import struct
from functools import lru_cache
from hashlib import blake2b

_SECONDS_PER_DAY = 86_400.0
_TERM = struct.Struct(">IB")  # term id, quantised weight


@lru_cache(maxsize=262_144)
def term_id(term: str) -> int:
    """A 32-bit id of a term: stores key and pack terms by it, never by the word itself."""
    return int.from_bytes(blake2b(term.encode("utf-8"), digest_size=4).digest(), "big")


@lru_cache(maxsize=262_144)
def term_key(term: int) -> str:
    """The id as a 6-character store key (doc_freqs, story_keys)."""
    return base64.urlsafe_b64encode(term.to_bytes(4, "big")).decode("ascii")[:6]


def pack_vector(vector: dict[int, float]) -> str:
    """A vector of term ids with weights in [0, 1], as base64 of (id, weight byte) pairs.

    One byte per weight (steps of 1/255) is far finer than the noise of term weighting;
    terms that would round to zero are dropped.
    """
    packed = bytearray()
    for term, weight in vector.items():
        level = min(255, round(weight * 255))
        if level > 0:
            packed += _TERM.pack(term, level)
    return base64.b64encode(bytes(packed)).decode("ascii")


def unpack_vector(stored: str) -> dict[int, float]:
    """Inverse of `pack_vector`, to the weight resolution it keeps."""
    raw = base64.b64decode(stored)
    return {term: level / 255 for term, level in _TERM.iter_unpack(raw)}


def period(at: float, window_days: float) -> int:
    """The window-long period an event time falls in (periods are counted from the epoch)."""
    return int(at // (window_days * _SECONDS_PER_DAY))


def periods_around(at: float, window_days: float) -> list[int]:
    """Periods that can hold an entry within one window of `at` (before or after it)."""
    span = window_days * _SECONDS_PER_DAY
    return sorted({period(at - span, window_days), period(at, window_days),
                   period(at + span, window_days)})


def timed_key(prefix: str, period_number: int) -> str:
    """A store key that expires with its period: `<prefix>:<period in hex>`."""
    return f"{prefix}:{period_number:x}"


def key_period(key: str) -> int | None:
    """The period of a `timed_key`, or None for a key without one."""
    prefix, sep, suffix = key.rpartition(":")
    if not sep or not prefix:
        return None
    try:
        return int(suffix, 16)
    except ValueError:
        return None
