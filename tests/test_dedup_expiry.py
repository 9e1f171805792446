"""State is bounded by event time: old entries are never matched and sweeps delete them."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from agents.dedup import DedupConfig, Deduplicator
from agents.dedup.expiry import expire_store
from agents.identity import content_hash
from schemas.models import Article

START = datetime(2024, 3, 1, 12, tzinfo=UTC)
DAY = 86_400.0

REPORTS = [
    ("Volunteers planted four thousand oak saplings along the Teller river on Sunday to "
     "slow erosion of its banks, the Teller valley trust said. Work continues next month."),
    ("The Harwick library reopened after a two-year renovation that added a rooftop reading "
     "room and a children's wing. Borrowing is free for residents of the district."),
    ("A pilot scheme in Greyport lets commuters rent electric bikes by the hour from twelve "
     "stations near the harbour. The council will review the scheme in the spring."),
]


def article(article_id: str, text: str, days: float) -> Article:
    moment = (START + timedelta(days=days)).isoformat().replace("+00:00", "Z")
    return Article(id=article_id, source="test", title=None, text=text,
                   content_hash=content_hash(text), published_at=moment, ingested_at=moment)


def filled(config: DedupConfig) -> Deduplicator:
    dedup = Deduplicator(config=config)
    for number, text in enumerate(REPORTS):
        dedup.judge(article(f"r{number}", text, days=number))
    dedup.judge(article("copy", REPORTS[0], days=3))
    return dedup


def entries(dedup: Deduplicator) -> int:
    return sum(len(getattr(dedup.state, name)) for name in dedup.state.store_names())


def test_a_sweep_inside_the_window_deletes_nothing() -> None:
    dedup = filled(DedupConfig(window_days=30))
    before = entries(dedup)
    removed = dedup.expire((START + timedelta(days=10)).timestamp())
    assert sum(removed.values()) == 0 and entries(dedup) == before


def test_a_sweep_two_windows_later_empties_every_store() -> None:
    dedup = filled(DedupConfig(window_days=30))
    removed = dedup.expire((START + timedelta(days=65)).timestamp())
    assert removed["articles"] == 4 and removed["stories"] == 3
    assert entries(dedup) == 0


def test_records_go_one_window_after_their_event_time() -> None:
    config = DedupConfig(window_days=30)
    dedup = filled(config)
    now = (START + timedelta(days=31.5)).timestamp()
    assert expire_store("articles", dedup.state.articles, now, config) == 2
    assert set(dedup.state.articles) == {"r2", "copy"}


def test_after_a_sweep_the_stream_goes_on_as_if_the_old_articles_never_were() -> None:
    config = DedupConfig(window_days=30)
    dedup = filled(config)
    dedup.expire((START + timedelta(days=70)).timestamp())
    verdict = dedup.judge(article("late", REPORTS[0], days=70))
    assert (verdict.status, verdict.story_id) == ("unique", "late")


def test_an_exact_copy_outside_the_window_is_not_a_duplicate_even_unswept() -> None:
    dedup = filled(DedupConfig(window_days=30))
    verdict = dedup.judge(article("late", REPORTS[1], days=45))
    assert verdict.status == "unique"


def test_a_story_does_not_take_articles_from_beyond_the_window() -> None:
    dedup = Deduplicator(config=DedupConfig(window_days=5))
    dedup.judge(article("a", REPORTS[2], days=0))
    reworded = REPORTS[2].replace("rent electric bikes", "hire e-bikes")
    assert dedup.judge(article("b", reworded, days=1)).story_id == "a"
    assert dedup.judge(article("c", reworded + " Fares start low.", days=9)).story_id == "c"
