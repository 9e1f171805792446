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
    with pytest.raises(KeyError):
        table["a"]
    with pytest.raises(KeyError):
        del table["missing"]
    table["a"] = 3
    assert table["a"] == 3
    del table["b"]
    table.flush()
    assert backing == {"a": 3}
