"""Faust tables as the plain mappings the stage cores expect.

A table holds str keys and JSON values. Keys are stored as their UTF-8 bytes, exactly as a
message key is, and `use_partitioner` places each changelog entry by that key with the
producer's partitioner: a table keyed like a topic is therefore co-partitioned with it, and
batches from `take_events` (which have no current event) can write to it.
"""

from __future__ import annotations

from collections.abc import Iterator, MutableMapping
from typing import Any

import faust
from faust.tables.table import Table
from yarl import URL

from service.stores import KeyPartitionedRocksDB, default_partition


class StrKeyedTable(MutableMapping[str, Any]):
    """A bytes-keyed Faust table seen as a `MutableMapping[str, Any]`."""

    def __init__(self, table: Table) -> None:
        self.table = table

    def __getitem__(self, key: str) -> Any:
        return self.table[key.encode("utf-8")]

    def __setitem__(self, key: str, value: Any) -> None:
        self.table[key.encode("utf-8")] = value

    def __delitem__(self, key: str) -> None:
        del self.table[key.encode("utf-8")]

    def __contains__(self, key: object) -> bool:
        return isinstance(key, str) and key.encode("utf-8") in self.table

    def __iter__(self) -> Iterator[str]:
        return (key.decode("utf-8") for key in self.table)

    def __len__(self) -> int:
        return len(self.table)


class KeyedTable(Table):
    """A table whose entries are placed by key, like a topic's messages with that key: its
    changelog entries by the producer's partitioner, its RocksDB files to match
    (`service.stores`), so it can be written where there is no current event."""

    def newsflow_partition_of(self, key: bytes) -> int:
        """The partition (changelog and local database) of a stored key."""
        return default_partition(key, self.partitions or 1)

    def _new_store_by_url(self, url: str | URL) -> Any:
        if URL(str(url)).scheme == "rocksdb":
            return KeyPartitionedRocksDB(
                url, self.app, self, table_name=self.name, key_type=self.key_type,
                key_serializer=self.key_serializer, value_serializer=self.value_serializer,
                value_type=self.value_type, loop=self.loop, options=self.options,
            )
        return super()._new_store_by_url(url)


def keyed_table(app: faust.App, name: str, partitions: int) -> BufferedTable:
    """A changelog-backed table with str keys and JSON values, co-partitioned by key."""
    table = KeyedTable(app, name=name, partitions=partitions, key_type=bytes,
                       use_partitioner=True, beacon=app.tables.beacon)
    app.tables.add(table)
    return BufferedTable(StrKeyedTable(table))


_DELETED = object()


class BufferedTable(MutableMapping[str, Any]):
    """A table whose writes wait in memory until `flush`, which writes each changed key once.

    The agents flush after every batch, before its offsets can be committed, so a batch's
    state changes reach the changelog together with its output (state commits tied to
    offsets). A key updated by every article of a batch (a frequency count, say) then costs
    one changelog message per batch instead of one per article.
    """

    def __init__(self, table: MutableMapping[str, Any]) -> None:
        self.table = table
        self.pending: dict[str, Any] = {}

    def __getitem__(self, key: str) -> Any:
        if key in self.pending:
            value = self.pending[key]
            if value is _DELETED:
                raise KeyError(key)
            return value
        return self.table[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.pending[key] = value

    def __delitem__(self, key: str) -> None:
        if key not in self:
            raise KeyError(key)
        self.pending[key] = _DELETED

    def __contains__(self, key: object) -> bool:
        if key in self.pending:
            return self.pending[key] is not _DELETED  # type: ignore[index]
        return key in self.table

    def __iter__(self) -> Iterator[str]:
        for key in self.table:
            if key not in self.pending:
                yield key
        for key, value in list(self.pending.items()):
            if value is not _DELETED:
                yield key

    def __len__(self) -> int:
        return sum(1 for _ in self)

    def flush(self) -> None:
        """Write every changed key to the table once."""
        for key, value in self.pending.items():
            if value is _DELETED:
                self.table.pop(key, None)
            else:
                self.table[key] = value
        self.pending.clear()
