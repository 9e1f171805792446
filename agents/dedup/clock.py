"""Event time of an article, in seconds since the epoch, for windows and story proximity."""

from __future__ import annotations

from datetime import UTC, datetime

from schemas.models import Article


def event_time(article: Article) -> float:
    """When the article's news happened as far as we know: published_at, else ingested_at."""
    for value in (article.published_at, article.ingested_at):
        moment = _seconds(value)
        if moment is not None:
            return moment
    return 0.0


def arrival_time(article: Article) -> float:
    """When the article entered the pipeline (its raw record's timestamp): the order in
    which the judge takes articles."""
    moment = _seconds(article.ingested_at)
    return 0.0 if moment is None else moment


def _seconds(value: str | None) -> float | None:
    if not value:
        return None
    try:
        moment = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.timestamp()
