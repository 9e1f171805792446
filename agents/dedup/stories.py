"""Online story grouping: an arriving article joins the recent story it is closest to.

Single pass, no look-ahead. Each story keeps a centroid (the mean of its members' unit
TF-IDF vectors, each weighted with the IDF of its day, trimmed to the heaviest terms); an
article is compared with the centroids of the stories found under its own heaviest terms,
never with single members, so a chain of pairwise-similar articles cannot glue two events
together. Everything here is pure: the stories to compare with are handed in.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache

from agents.dedup.config import DedupConfig
from agents.dedup.encoding import pack_vector, term_id, unpack_vector
from agents.dedup.features import YEAR_PREFIX, cosine, normalise
from agents.dedup.fingerprint import Fingerprint
from agents.dedup.records import StoryRecord

_SECONDS_PER_DAY = 86_400.0
#: Term id of each `d:<year>` term (`features.DATE_WEIGHT`) -> the year.
_YEAR_OF = {term_id(f"{YEAR_PREFIX}{year}"): year for year in range(1900, 2100)}


@dataclass(frozen=True, slots=True)
class StoryMatch:
    """The best story for an article and its score (cosine less penalties)."""

    story_id: str
    score: float


def score(fp: Fingerprint, story: StoryRecord, config: DedupConfig) -> float:
    """How well the article fits a story; below `story_threshold` it does not.

    Cosine with the centroid, less a margin that shrinks as the story grows (one article
    is a noisy centroid), a penalty for the time between the two, and one when the years
    they are dated to differ (`dated_apart`).
    """
    centroid = unit_centroid(story.centroid)
    window = config.window_days * _SECONDS_PER_DAY
    gap = min(1.0, abs(fp.at - story.at) / window)
    return (cosine(fp.vector, centroid) - config.small_story_margin / story.size
            - config.time_gap_penalty * gap
            - config.date_conflict_penalty * dated_apart(fp, story, centroid))


@lru_cache(maxsize=8192)
def unit_centroid(packed: str) -> dict[int, float]:
    """A stored centroid as a unit vector (cached: a story is a candidate of many articles
    while it is recent; callers must not change the dict)."""
    return normalise(unpack_vector(packed))


def dated_apart(fp: Fingerprint, story: StoryRecord, centroid: dict[int, float]) -> bool:
    """Whether the article and the story are from different years, when one of them is
    dated by its text: each is from the years its text dates write (articles without a
    publication time, `features.lead`), else from the year of its event time.

    An article whose dateline says 2013 does not belong to a story of this year's reports,
    nor one of this year to a story of 2013's; two sides dated only by event time are
    left to the time gap and the window.
    """
    article_years = {_YEAR_OF[term] for term in fp.vector if term in _YEAR_OF}
    story_years = {_YEAR_OF[term] for term in centroid if term in _YEAR_OF}
    if not article_years and not story_years:
        return False
    article_years = article_years or {_year(fp.at)}
    story_years = story_years or {_year(story.at)}
    return article_years.isdisjoint(story_years)


def _year(at: float) -> int:
    return datetime.fromtimestamp(at, UTC).year


def best_story(fp: Fingerprint, stories: dict[str, StoryRecord],
               config: DedupConfig) -> StoryMatch | None:
    """The highest-scoring story within the window (ties: the smaller id), if any."""
    window = config.window_days * _SECONDS_PER_DAY
    best: StoryMatch | None = None
    for story_id in sorted(stories):
        story = stories[story_id]
        if abs(fp.at - story.at) > window:
            continue
        value = score(fp, story, config)
        if best is None or value > best.score:
            best = StoryMatch(story_id, value)
    return best


def started(fp: Fingerprint, config: DedupConfig) -> StoryRecord:
    """A new story of this one article (a smaller centroid: most stories stay single)."""
    return StoryRecord(_packed(fp.vector, config.single_story_terms), 1, fp.at)


def joined(story: StoryRecord, fp: Fingerprint, config: DedupConfig) -> StoryRecord:
    """The story with the article added to its mean vector."""
    size = story.size + 1
    mean = {term: weight * story.size / size
            for term, weight in unpack_vector(story.centroid).items()}
    for term, weight in fp.vector.items():
        mean[term] = mean.get(term, 0.0) + weight / size
    return StoryRecord(_packed(mean, config.centroid_terms), size, max(story.at, fp.at))


def _packed(vector: dict[int, float], keep: int) -> str:
    top = sorted(vector.items(), key=lambda item: (-item[1], item[0]))[:keep]
    return pack_vector(dict(top))
