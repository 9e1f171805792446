"""Event time of an article, in seconds since the epoch, for windows and story proximity."""

from __future__ import annotations

from datetime import UTC, datetime

from schemas.models import Article


def event_time(article: Article) -> float:
    """When the article's news happened as far as we know: published_at, else ingested_at."""
    for value in (article.published_at, article.ingested_at):
        if not value:
            continue
        try:
            moment = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
        except ValueError:
            continue
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=UTC)
        return moment.timestamp()
    return 0.0
