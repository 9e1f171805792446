"""Judging articles against an index whose stores are spread over partitions (shards).

One judge takes articles in order (a round at a time); the stores live on P shards, each key
on the shard `shard_of(key, P)`. A round runs the unchanged single-process core
(`Deduplicator.judge`) over a view of the stores that serves what has been fetched so far
and notes every key it lacked; those keys are fetched from their shards (one request per
shard) and the round runs again, until a run lacks nothing. That last run saw, for every key
it read, the value left by all earlier rounds plus the writes of the round's earlier
articles, exactly what one process would have seen; its writes then go to the shards.

So verdicts depend only on the order of the articles, never on P or on which worker holds
which shard. A round usually needs two fetches (the article records, hashes, buckets and
story keys; then the candidates' records and stories they name).

Document frequencies are not sharded: the judge keeps them itself (`JUDGE_STORES`). They are
statistics of the stream, not entries per article, every article reads a hundred of them,
and one judge sees the whole stream, so IDF is the same whatever the number of shards.

Shards apply a round's writes before they answer the next round's reads: the judge sends
both to a shard's partition in that order, and each shard handles its partition in order.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterator, MutableMapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from aiokafka.partitioner import murmur2

from agents.dedup.config import DedupConfig
from agents.dedup.deduplicator import Deduplicator
from agents.dedup.fingerprint import Fingerprint, TermIdf, fingerprint
from agents.dedup.state import DedupState, Store
from schemas.models import Article, DedupVerdict

#: Store name -> keys (what a round lacks, what a shard is asked for).
StoreKeys = dict[str, list[str]]
#: Store name -> key -> value (what a shard holds; a key asked for and absent is left out).
StoreValues = dict[str, dict[str, Any]]
Fetch = Callable[[StoreKeys], Awaitable[StoreValues]]

#: Stores the judge keeps itself; every other store of `DedupState` is sharded.
JUDGE_STORES = ("doc_freqs",)
SHARDED_STORES = tuple(name for name in DedupState.store_names() if name not in JUDGE_STORES)
#: More fetches than this in one round means a bug (each fetch must add keys).
_MAX_FETCHES = 32


@lru_cache(maxsize=1 << 18)
def shard_of(key: str, partitions: int) -> int:
    """The partition a store key lives on: the producer's default partitioner (murmur2 of
    the key's UTF-8 bytes), so a key's changelog entry and its requests agree."""
    return (murmur2(key.encode("utf-8")) & 0x7FFFFFFF) % partitions


def by_shard(entries: dict[str, Any], partitions: int) -> dict[int, dict[str, Any]]:
    """Split store -> keys (a list) or store -> key -> value (a dict) by the keys' shards."""
    split: dict[int, dict[str, Any]] = {}
    for name, keyed in entries.items():
        for key in keyed:
            _put(split.setdefault(shard_of(key, partitions), {}), name, keyed, key)
    return split


def chunks(entries: dict[str, Any], size: int) -> Iterator[dict[str, Any]]:
    """`entries` (store -> keys or key -> value) cut into pieces of at most `size` keys, so
    that no message exceeds the broker's size limit."""
    piece: dict[str, Any] = {}
    count = 0
    for name, keyed in entries.items():
        for key in keyed:
            if count == size:
                yield piece
                piece, count = {}, 0
            _put(piece, name, keyed, key)
            count += 1
    if count:
        yield piece


def _put(target: dict[str, Any], name: str, keyed: list[str] | dict[str, Any], key: str) -> None:
    """Copy one key (with its value, if `keyed` maps keys to values) of store `name`."""
    if isinstance(keyed, dict):
        target.setdefault(name, {})[key] = keyed[key]
    else:
        target.setdefault(name, []).append(key)


_ABSENT = object()


class _RoundStore(MutableMapping[str, Any]):
    """One store as a round sees it: the round's own writes, else what it was given (the
    values fetched from shards, or a store the judge keeps); a key of a sharded store not
    fetched yet reads as absent and is noted as missing."""

    def __init__(self, given: Store, missing: set[str] | None) -> None:
        self.given = given
        self.missing = missing
        self.written: dict[str, Any] = {}
        #: Stands for the keys written so far, in order: two runs of a round that wrote the
        #: same keys in the same order over the same store hold the same values.
        self.version = 0

    def get(self, key: str, default: Any = None) -> Any:
        value = self.written.get(key, _ABSENT)
        if value is not _ABSENT:
            return value
        value = self.given.get(key, _ABSENT)
        if value is _ABSENT:
            if self.missing is not None:
                self.missing.add(key)
            return default
        return default if value is None else value

    def __getitem__(self, key: str) -> Any:
        value = self.get(key, _ABSENT)
        if value is _ABSENT:
            raise KeyError(key)
        return value

    def __contains__(self, key: object) -> bool:
        return self.get(key, _ABSENT) is not _ABSENT  # type: ignore[arg-type]

    def __setitem__(self, key: str, value: Any) -> None:
        self.written[key] = value
        self.version = hash((self.version, key))

    def __delitem__(self, key: str) -> None:
        raise TypeError("judging never deletes; shards sweep their own keys")

    def __iter__(self) -> Iterator[str]:
        raise TypeError("a round sees single keys only")

    def __len__(self) -> int:
        raise TypeError("a round sees single keys only")


class _ReusedFingerprints:
    """`fingerprint`, reusing an article's fingerprint from an earlier run of the round when
    the judge's stores (where IDF comes from) went through the same writes before it: the rest
    of a fingerprint depends on the article alone."""

    def __init__(self) -> None:
        self._kept: dict[tuple[int, int], Fingerprint] = {}
        self.judge_stores: list[_RoundStore] = []

    def __call__(self, article: Article, config: DedupConfig, idf: TermIdf) -> Fingerprint:
        key = (id(article), hash(tuple(store.version for store in self.judge_stores)))
        fp = self._kept.get(key)
        if fp is None:
            fp = self._kept[key] = fingerprint(article, config, idf)
        return fp


@dataclass(slots=True)
class RoundOutcome:
    """Per article its verdict (or the error judging it raised), the writes to send to
    the shards, and what the round cost."""

    verdicts: list[DedupVerdict | Exception]
    writes: StoreValues
    fetches: int
    keys_fetched: int


async def judge_round(articles: Sequence[Article], fetch: Fetch, judge_stores: dict[str, Store],
                      config: DedupConfig | None = None) -> RoundOutcome:
    """Judge `articles` in order against the sharded stores read through `fetch` and the
    `judge_stores` (`JUDGE_STORES` by name), which get the round's writes to them."""
    fetched: dict[str, dict[str, Any]] = {name: {} for name in SHARDED_STORES}
    fetches = keys_fetched = 0
    fingerprints = _ReusedFingerprints()
    while True:
        missing: dict[str, set[str]] = {name: set() for name in SHARDED_STORES}
        stores = {name: _RoundStore(fetched[name], missing[name]) for name in SHARDED_STORES}
        stores.update({name: _RoundStore(judge_stores[name], None) for name in JUDGE_STORES})
        fingerprints.judge_stores = [stores[name] for name in JUDGE_STORES]
        view = DedupState(**stores)
        judge = Deduplicator(view, config, fingerprints)
        verdicts: list[DedupVerdict | Exception] = []
        for article in articles:
            try:
                verdicts.append(judge.judge(article))
            except Exception as error:  # reported per article by the caller
                verdicts.append(error)
        wanted = {name: sorted(keys) for name, keys in missing.items() if keys}
        if not wanted:
            for name in JUDGE_STORES:
                judge_stores[name].update(stores[name].written)
            writes = {name: stores[name].written for name in SHARDED_STORES}
            return RoundOutcome(verdicts, {name: w for name, w in writes.items() if w},
                                fetches, keys_fetched)
        if fetches == _MAX_FETCHES:
            raise RuntimeError(f"round still lacks keys after {fetches} fetches: {wanted}")
        answers = await fetch(wanted)
        fetches += 1
        for name, keys in wanted.items():
            values = answers.get(name, {})
            for key in keys:
                fetched[name][key] = values.get(key)
            keys_fetched += len(keys)


#: One shard's stores, by name (`SHARDED_STORES`).
Shard = dict[str, Store]


def read_keys(shard: Shard, reads: StoreKeys) -> StoreValues:
    """A shard's answer: the values it holds for the keys asked (absent keys left out)."""
    answer: StoreValues = {}
    for name, keys in reads.items():
        store = shard[name]
        found = {key: value for key in keys if (value := store.get(key)) is not None}
        if found:
            answer[name] = found
    return answer


def write_keys(shard: Shard, writes: StoreValues) -> None:
    """Apply a round's writes to a shard's stores (values are whole: applying twice is
    harmless)."""
    for name, values in writes.items():
        store = shard[name]
        for key, value in values.items():
            store[key] = value


class LocalShards:
    """P shards in this process, for tests and benchmarks: the same requests and writes the
    agents send over Kafka, applied to plain dicts."""

    def __init__(self, partitions: int) -> None:
        self.partitions = partitions
        self.shards: list[Shard] = [{name: {} for name in SHARDED_STORES}
                                    for _ in range(partitions)]
        self.judge_stores: dict[str, Store] = {name: {} for name in JUDGE_STORES}

    async def fetch(self, wanted: StoreKeys) -> StoreValues:
        answer: StoreValues = {}
        for number, reads in by_shard(wanted, self.partitions).items():
            for name, values in read_keys(self.shards[number], reads).items():
                answer.setdefault(name, {}).update(values)
        return answer

    def write(self, writes: StoreValues) -> None:
        for number, part in by_shard(writes, self.partitions).items():
            write_keys(self.shards[number], part)

    async def judge(self, articles: Sequence[Article],
                    config: DedupConfig | None = None) -> RoundOutcome:
        """Judge one round and apply its writes."""
        outcome = await judge_round(articles, self.fetch, self.judge_stores, config)
        self.write(outcome.writes)
        return outcome
