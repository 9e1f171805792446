"""Tuning knobs of the dedup stage, in one frozen place so every partition agrees on them."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class DedupConfig:
    """Thresholds and sizes for near-duplicate detection and story grouping.

    Changing `num_perm`, `seed`, `bands`, `rows`, `shingle_size`, `signature_bits` or
    `window_days` makes stored signatures and keys incomparable with new ones: rebuild the
    state after.
    """

    #: Estimated Jaccard of word shingles at or above which an article is a near duplicate.
    near_duplicate_threshold: float = 0.8
    num_perm: int = 128
    seed: int = 1
    #: LSH banding over the signature: `bands * rows <= num_perm`. 8 x 4 finds a pair at
    #: Jaccard 0.8 with probability 0.985, at 0.9 with 0.99997, and one at 0.5 with 0.40
    #: (then verified, so harmless); each band is one store entry per article.
    bands: int = 8
    rows: int = 4
    #: Words per shingle.
    shingle_size: int = 3
    #: Low bits of each MinHash value kept in the store (b-bit MinHash). At Jaccard 0.8 the
    #: estimate's spread is 0.037 with 4 bits against 0.035 with 32, for an eighth the bytes.
    signature_bits: int = 4
    #: Score (cosine to the story centroid, less the penalties below) needed to join a story.
    #: On ECB+ dev B-cubed F1 is 0.920-0.928 for thresholds 0.09-0.11 with the date-conflict
    #: penalty 0.2 (it was 0.15 before that penalty, which keeps apart what a lower
    #: threshold would otherwise merge: two events of one kind in different years).
    story_threshold: float = 0.10
    #: Subtracted from the score, divided by the story's size: a story of one article is a
    #: noisy centroid, so joining it takes more evidence than joining an established story.
    small_story_margin: float = 0.2
    #: Subtracted in proportion to the gap between the article's event time and the story's
    #: latest (a full window costs all of it): one event's reports come close together.
    time_gap_penalty: float = 0.1
    #: Subtracted when the article and the story are dated to different years
    #: (`stories.dated_apart`).
    date_conflict_penalty: float = 0.2
    #: Weighted terms kept per article vector, per story centroid, and per story that has
    #: only one article so far (most never get a second: lower it to save state; 30 costs
    #: about 0.005 of B-cubed F1 on ECB+ dev for 50 bytes per article).
    article_terms: int = 60
    centroid_terms: int = 40
    single_story_terms: int = 40
    #: Top terms of an article used to look up candidate stories, and stories kept per term.
    candidate_keys: int = 10
    stories_per_key: int = 8
    #: What a story's summary keeps: its latest sources and article ids, the entities and
    #: keywords most of its articles lead with (each article adds its first
    #: `story_facts_per_article` of each; the feed shows the first `story_facts_shown`),
    #: and at most `headline_chars` of its headline.
    story_sources: int = 16
    story_article_ids: int = 20
    story_facts_kept: int = 8
    story_facts_per_article: int = 3
    story_facts_shown: int = 5
    headline_chars: int = 100
    #: Entries older than this (by event time) are neither matched nor kept; document
    #: frequencies are halved once per window so that they follow the news of the day.
    window_days: float = 30.0

    def __post_init__(self) -> None:
        if self.bands * self.rows > self.num_perm:
            raise ValueError("bands * rows must not exceed num_perm")
        if self.bands > 16:
            raise ValueError("bands must be at most 16")
        if self.signature_bits not in (4, 8, 16):
            raise ValueError("signature_bits must be 4, 8 or 16")
        if not 0.0 < self.near_duplicate_threshold <= 1.0:
            raise ValueError("near_duplicate_threshold must be in (0, 1]")
        if self.window_days <= 0:
            raise ValueError("window_days must be positive")
