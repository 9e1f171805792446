"""Tuning knobs of the dedup stage, in one frozen place so every partition agrees on them."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class DedupConfig:
    """Thresholds and sizes for near-duplicate detection and story grouping.

    Changing `num_perm`, `seed`, `bands`, `rows`, `shingle_size` or `signature_bits` makes
    stored signatures and band keys incomparable with new ones: rebuild the state after.
    """

    #: Estimated Jaccard of word shingles at or above which an article is a near duplicate.
    near_duplicate_threshold: float = 0.8
    num_perm: int = 128
    seed: int = 1
    #: LSH banding over the signature: `bands * rows <= num_perm`. 20 x 6 finds a pair at
    #: Jaccard 0.8 with probability 0.998 and at 0.5 with 0.27 (then verified, so harmless).
    bands: int = 20
    rows: int = 6
    #: Words per shingle.
    shingle_size: int = 3
    #: Low bits of each MinHash value kept in the store (b-bit MinHash; 16 halves the state
    #: with a bias of 2**-16 that `estimate_jaccard` removes).
    signature_bits: int = 16
    #: Cosine between an article and a story's centroid needed to join the story.
    story_threshold: float = 0.2
    #: Subtracted from the cosine, divided by the story's size: a story of one article is a
    #: noisy centroid, so joining it takes more evidence than joining an established story.
    small_story_margin: float = 0.1
    #: Weighted terms kept per article vector and per story centroid.
    article_terms: int = 60
    centroid_terms: int = 40
    #: Top terms of an article used to look up candidate stories, and stories kept per term.
    candidate_keys: int = 12
    stories_per_key: int = 8
    #: Stories and band entries older than this (by event time) are neither matched nor kept.
    window_days: float = 30.0

    def __post_init__(self) -> None:
        if self.bands * self.rows > self.num_perm:
            raise ValueError("bands * rows must not exceed num_perm")
        if self.signature_bits not in (8, 16, 32):
            raise ValueError("signature_bits must be 8, 16 or 32")
        if not 0.0 < self.near_duplicate_threshold <= 1.0:
            raise ValueError("near_duplicate_threshold must be in (0, 1]")
