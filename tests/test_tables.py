"""BufferedTable: a batch's state changes reach the table once, at the end of the batch."""

from __future__ import annotations

from collections import UserDict

import pytest

from service.tables import BufferedTable


class CountingDict(UserDict):
    """A dict that counts writes, standing in for a changelog-backed table."""

    def __init__(self) -> None:
        super().__init__()
        self.writes = 0

    def __setitem__(self, key, value) -> None:
        self.writes += 1
        super().__setitem__(key, value)


def test_reads_see_pending_writes_and_flush_writes_each_key_once():
    backing = CountingDict()
    backing["kept"] = 1
    table = BufferedTable(backing)
    backing.writes = 0
    for _ in range(50):
        table["count"] = table.get("count", 0) + 1
    assert table["count"] == 50 and backing.writes == 0 and "count" not in backing
    assert sorted(table) == ["count", "kept"] and len(table) == 2
    table.flush()
    assert backing == {"kept": 1, "count": 50}
    assert backing.writes == 1 and table.pending == {}


def test_deletes_are_buffered_too():
    backing = CountingDict()
    backing.update({"a": 1, "b": 2})
    table = BufferedTable(backing)
    del table["a"]
    assert "a" not in table and "a" in backing
    assert table.get("a") is None and table.get("a", 0) == 0 and table.get("b") == 2
    with pytest.raises(KeyError):
        table["a"]
    with pytest.raises(KeyError):
        del table["missing"]
    table["a"] = 3
    assert table["a"] == 3
    del table["b"]
    table.flush()
    assert backing == {"a": 3}


class CountingReads(UserDict):
    """A dict that counts reads, standing in for a table on RocksDB."""

    def __init__(self) -> None:
        super().__init__()
        self.reads = 0

    def get(self, key, default=None):
        self.reads += 1
        return super().get(key, default)


def test_reads_are_remembered_until_the_table_changes_beneath_them():
    backing = CountingReads()
    backing.update({"a": 1})
    table = BufferedTable(backing, cache_keys=10)
    reads = [table.get("a"), table.get("a"), table.get("gone"), table.get("gone")]
    assert reads == [1, 1, None, None]
    assert backing.reads == 2  # one read each, a present key and an absent one
    table["gone"] = 5
    table["a"] = 2
    table.flush()
    assert (table.get("gone"), table["a"], backing.reads) == (5, 2, 2)  # flushed writes are known
    backing["a"] = 7  # a rebalance: recovery writes into the store, not through the table
    assert table["a"] == 2
    table.forget()
    assert table["a"] == 7 and backing.reads == 3


def test_the_read_cache_is_bounded():
    backing = CountingReads()
    backing.update({str(number): number for number in range(20)})
    table = BufferedTable(backing, cache_keys=5)
    for number in range(20):
        assert table[str(number)] == number
    assert len(table._read) <= 5
    assert BufferedTable(backing).get("3") == 3  # no cache by default: every read reads


def test_a_sweep_fills_no_cache():
    """Reads by `[]` (what `items()` and a sweep use) and deletes are not remembered."""
    backing = CountingReads()
    backing.update({str(number): number for number in range(10)})
    table = BufferedTable(backing, cache_keys=100)
    for key, _ in list(table.items()):
        del table[key]
    table.flush()
    assert table._read == {} and dict(backing) == {}
