"""Sweeping state older than the window, store by store.

Judging never reads expired entries (keys of old periods are not looked up, records older
than the window are skipped), so sweeping only reclaims space: it may run late, on any
schedule, on each partition independently. A Faust timer calls `expire_store` on each
Table's local partitions; `expire` sweeps a whole in-memory state.
"""

from __future__ import annotations

from agents.dedup.config import DedupConfig
from agents.dedup.encoding import key_period, period
from agents.dedup.state import DedupState, Store

_SECONDS_PER_DAY = 86_400.0
#: Stores keyed by id whose value holds the entry's event time, and where it sits.
_TIME_FIELD = {"articles": 1, "stories": 2, "summaries": 1}


def expire_store(name: str, store: Store, now: float, config: DedupConfig) -> int:
    """Delete the entries of store `name` that no article at `now` or later can match.

    Timed keys go when their period ends before the oldest period still looked up;
    articles, stories and summaries when their (latest) event time is more than a window
    before `now`.
    Returns how many entries were deleted.
    """
    window = config.window_days * _SECONDS_PER_DAY
    oldest_period = period(now - window, config.window_days)
    field = _TIME_FIELD.get(name)
    stale = []
    for key, value in list(store.items()):
        if field is not None:
            if float(value[field]) < now - window:
                stale.append(key)
            continue
        number = key_period(key)
        if number is not None and number < oldest_period:
            stale.append(key)
    for key in stale:
        del store[key]
    return len(stale)


def expire(state: DedupState, now: float, config: DedupConfig) -> dict[str, int]:
    """Sweep every store of `state`; returns the number of entries deleted per store."""
    return {name: expire_store(name, getattr(state, name), now, config)
            for name in state.store_names()}
