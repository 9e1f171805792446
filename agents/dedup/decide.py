"""The verdict on one article, given its fingerprint and the candidates looked up for it.

Pure: no store is read or written here, so the decision can run wherever the candidates
were gathered (one process, or the partition that owns the article after the others have
answered its lookups).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from agents.dedup import signatures as sig
from agents.dedup import stories
from agents.dedup.config import DedupConfig
from agents.dedup.fingerprint import Fingerprint
from agents.dedup.records import ArticleRecord, StoryRecord
from schemas.models import DedupVerdict

_SECONDS_PER_DAY = 86_400.0


@dataclass(frozen=True, slots=True)
class NearCandidate:
    """An indexed article sharing an LSH bucket with the one judged."""

    article_id: str
    at: float
    signature: np.ndarray
    #: The unique article it stands for and that article's story.
    original_id: str
    story_id: str


@dataclass(frozen=True, slots=True)
class ExactCandidate:
    """The earliest indexed article with the same normalised text, and its story."""

    article_id: str
    at: float
    story_id: str


@dataclass(slots=True)
class Candidates:
    """What the stores know that bears on one article."""

    exact: ExactCandidate | None = None
    near: list[NearCandidate] = field(default_factory=list)
    stories: dict[str, StoryRecord] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Decision:
    """The verdict, the record to store under the article's id, and the story to write
    (None when the article leaves every story as it was: duplicates)."""

    verdict: DedupVerdict
    record: ArticleRecord
    story: StoryRecord | None


def decide(fp: Fingerprint, candidates: Candidates, config: DedupConfig) -> Decision:
    """Exact duplicate of the earliest same text, else near duplicate of the best verified
    bucket neighbour's original, else unique in the best story (or a story of its own)."""
    window = config.window_days * _SECONDS_PER_DAY
    exact = candidates.exact
    if exact is not None and exact.article_id != fp.article_id and abs(fp.at - exact.at) <= window:
        record = ArticleRecord("duplicate", fp.at, exact.story_id, exact.article_id, 1.0)
        return Decision(record.verdict(), record, None)
    stored_signature = None if fp.signature is None else sig.encode(fp.signature, config)
    near = _best_near(fp, candidates.near, config)
    if near is not None and near[1] >= config.near_duplicate_threshold:
        best, similarity = near
        record = ArticleRecord("near_duplicate", fp.at, best.story_id, best.original_id,
                               round(similarity, 4), stored_signature)
        return Decision(record.verdict(), record, None)
    match = stories.best_story(fp, candidates.stories, config)
    if match is not None and match.score >= config.story_threshold:
        story_id = match.story_id
        story = stories.joined(candidates.stories[story_id], fp, config)
    else:
        story_id = fp.article_id
        story = stories.started(fp, config)
    record = ArticleRecord("unique", fp.at, story_id, signature=stored_signature)
    return Decision(record.verdict(), record, story)


def _best_near(fp: Fingerprint, near: list[NearCandidate],
               config: DedupConfig) -> tuple[NearCandidate, float] | None:
    """The in-window neighbour whose signature agrees most (ties: the earlier, then the
    smaller id, so that the answer does not depend on lookup order)."""
    if fp.signature is None:
        return None
    window = config.window_days * _SECONDS_PER_DAY
    best: tuple[NearCandidate, float] | None = None
    for candidate in near:
        if candidate.article_id == fp.article_id or abs(fp.at - candidate.at) > window:
            continue
        similarity = sig.estimate_jaccard(fp.signature, candidate.signature,
                                          config.signature_bits)
        if best is None or (similarity, -candidate.at) > (best[1], -best[0].at) or (
            (similarity, candidate.at) == (best[1], best[0].at)
            and candidate.article_id < best[0].article_id
        ):
            best = (candidate, similarity)
    return best
