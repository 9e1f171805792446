"""RocksDB storage for tables written outside a stream's current event.

Faust's RocksDB store picks the partition database of a write from the *current event*
(`faust/stores/rocksdb.py`, `_set`: `assert event is not None`). Newsflow's agents work on
batches and write their tables when a batch is done, where there is no current event, so
that store crashes the first time a batch is flushed. Our tables know the partition of every
key (`use_partitioner` tables: the producer's partitioner; partition-owned tables: the key's
prefix), so this store asks the table instead, for writes, deletes and reads alike.
"""

from __future__ import annotations

from aiokafka.partitioner import murmur2
from faust.stores import rocksdb


def default_partition(key: bytes, partitions: int) -> int:
    """The partition the producer's default partitioner gives `key` (murmur2, positive)."""
    return (murmur2(key) & 0x7FFFFFFF) % partitions


class KeyPartitionedRocksDB(rocksdb.Store):
    """Faust's RocksDB store, with each key's partition taken from the table, not the event."""

    def _partition_of(self, key: bytes) -> int:
        return self.table.newsflow_partition_of(key)  # type: ignore[attr-defined]

    def _set(self, key: bytes, value: bytes | None) -> None:
        partition = self._partition_of(key)
        self._key_index[key] = partition
        self._db_for_partition(partition).put(key, value)

    def _del(self, key: bytes) -> None:
        self._key_index.pop(key, None)
        self._db_for_partition(self._partition_of(key)).delete(key)

    def _get(self, key: bytes) -> bytes | None:
        partition = self._partition_of(key)
        value = self._db_for_partition(partition).get(key)
        if value is not None:
            self._key_index[key] = partition
        return value

    def _contains(self, key: bytes) -> bool:
        return self._get(key) is not None
