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


def keyed_table(app: faust.App, name: str, partitions: int) -> StrKeyedTable:
    """A changelog-backed table with str keys and JSON values, co-partitioned by key."""
    table = app.Table(name, partitions=partitions, key_type=bytes, use_partitioner=True)
    return StrKeyedTable(table)


class PartitionOwnedTable(Table):
    """A table whose keys start with the partition they belong to: `b"3" + SEP + key`.

    Each entry's changelog goes to that partition, so per-partition statistics move with
    their topic partition on a rebalance and are written from batches without a current
    event.
    """

    SEPARATOR = b"\x1f"

    def partition_for_key(self, key: bytes) -> int:
        return int(key.split(self.SEPARATOR, 1)[0])


def partition_owned_table(app: faust.App, name: str, partitions: int) -> StrKeyedTable:
    """A `PartitionOwnedTable` with str keys ("<partition>, unit separator, key") and JSON
    values."""
    table = PartitionOwnedTable(app, name=name, partitions=partitions, key_type=bytes,
                                beacon=app.tables.beacon)
    app.tables.add(table)
    return StrKeyedTable(table)
