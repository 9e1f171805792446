"""Online story grouping: an arriving article joins the recent story it is closest to.

Single pass, no look-ahead. Each story keeps a centroid (the mean of its members' unit
TF-IDF vectors, each weighted with the IDF of its day, trimmed to the heaviest terms); an
article is compared with the centroids of the stories found under its own heaviest terms,
never with single members, so a chain of pairwise-similar articles cannot glue two events
together. Everything here is pure: the stories to compare with are handed in.
"""

from __future__ import annotations

from dataclasses import dataclass

from agents.dedup.config import DedupConfig
from agents.dedup.encoding import pack_vector, unpack_vector
from agents.dedup.features import cosine, normalise
from agents.dedup.fingerprint import Fingerprint
from agents.dedup.records import StoryRecord

_SECONDS_PER_DAY = 86_400.0


@dataclass(frozen=True, slots=True)
class StoryMatch:
    """The best story for an article and its score (cosine less penalties)."""

    story_id: str
    score: float


def score(fp: Fingerprint, story: StoryRecord, config: DedupConfig) -> float:
    """How well the article fits a story; below `story_threshold` it does not.

    Cosine with the centroid, less a margin that shrinks as the story grows (one article
    is a noisy centroid) and a penalty for the time between the two.
    """
    centroid = normalise(unpack_vector(story.centroid))
    window = config.window_days * _SECONDS_PER_DAY
    gap = min(1.0, abs(fp.at - story.at) / window)
    return (cosine(fp.vector, centroid) - config.small_story_margin / story.size
            - config.time_gap_penalty * gap)


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
