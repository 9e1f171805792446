"""RocksDB storage for tables written outside a stream's current event.

Faust's RocksDB store picks the partition database of a write from the *current event*
(`faust/stores/rocksdb.py`, `_set`: `assert event is not None`). Newsflow's agents work on
batches and write their tables when a batch is done, where there is no current event, so
that store crashes the first time a batch is flushed. Our tables know the partition of every
key (the producer's partitioner's, `tables.KeyedTable`), so this store asks the table
instead, for writes, deletes and reads alike.
"""

from __future__ import annotations

from typing import Any

from aiokafka.partitioner import murmur2
from faust.stores import rocksdb


def default_partition(key: bytes, partitions: int) -> int:
    """The partition the producer's default partitioner gives `key` (murmur2, positive).

    With one partition there is nothing to hash: the judge's tables have one, and every
    read and write of theirs asks (pure-Python murmur2 cost 7% of the judge's time)."""
    if partitions == 1:
        return 0
    return (murmur2(key) & 0x7FFFFFFF) % partitions


class KeyPartitionedRocksDB(rocksdb.Store):
    """Faust's RocksDB store, with each key's partition taken from the table, not the event."""

    def _partition_of(self, key: bytes) -> int:
        return self.table.newsflow_partition_of(key)  # type: ignore[attr-defined]

    # Faust's `_key_index` (a locked LRU of key -> partition) only serves its own lookups
    # that search every partition database; these never search, so they leave it alone.
    def _set(self, key: bytes, value: bytes | None) -> None:
        self._db_for_partition(self._partition_of(key)).put(key, value)

    def _del(self, key: bytes) -> None:
        self._db_for_partition(self._partition_of(key)).delete(key)

    def _get(self, key: bytes) -> bytes | None:
        return self._db_for_partition(self._partition_of(key)).get(key)

    def _contains(self, key: bytes) -> bool:
        return self._get(key) is not None

    def get(self, key: Any, default: Any = None) -> Any:
        """One read of the database (`Mapping.get` would raise and catch a KeyError for a
        missing key, and a Table's own read first asks `in`: two reads)."""
        value = self._get(self._encode_key(key))
        return default if value is None else self._decode_value(value)

    def put_encoded(self, key: bytes, value: bytes) -> None:
        """Store a value already encoded as the table's JSON (the changelog's bytes): a
        batch's writes encode each value once, for the changelog and the database alike."""
        self._set(key, value)
