"""BufferedTable: a batch's state changes reach the table once, at the end of the batch."""

from __future__ import annotations

import asyncio
from collections import UserDict
from types import SimpleNamespace

import orjson
import pytest

from service.tables import BufferedTable, StrKeyedTable


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


class FakeStore(dict):
    """A memory store that remembers the changelog offsets it is told it holds."""

    def __init__(self) -> None:
        super().__init__()
        self.persisted: dict[int, int] = {}

    def set_persisted_offset(self, tp, offset: int) -> None:
        self.persisted[tp.partition] = offset


class FakeBatch:
    def __init__(self, room: int) -> None:
        self.records: list[tuple[bytes, bytes | None]] = []
        self.room = room

    def append(self, *, key, value, timestamp):
        if len(self.records) >= self.room:
            return None
        self.records.append((key, value))
        return object()

    def record_count(self) -> int:
        return len(self.records)


class FakeProducer:
    """Batches as sent, each acknowledged at the next offset of its partition; a partition's
    send waits a little, as aiokafka's does while the last batch is on its way."""

    def __init__(self, room: int = 3, refuse: bool = False,
                 delays: list[float] | None = None) -> None:
        self.room, self.refuse = room, refuse
        self.delays = list(delays or [])
        self.sent: list[tuple[int, list[tuple[bytes, bytes | None]]]] = []
        self.offsets: dict[int, int] = {}

    def create_batch(self) -> FakeBatch:
        return FakeBatch(self.room)

    async def send_batch(self, batch, topic, *, partition):
        await asyncio.sleep(self.delays.pop(0) if self.delays else 0.001)
        self.sent.append((partition, batch.records))
        future = asyncio.get_running_loop().create_future()
        if self.refuse:
            future.set_exception(RuntimeError("broker said no"))
            return future
        base = self.offsets.get(partition, 0)
        self.offsets[partition] = base + len(batch.records)
        future.set_result(SimpleNamespace(offset=base))
        return future


def _faust_table(partitions: int = 2) -> tuple[StrKeyedTable, FakeStore]:
    store = FakeStore()
    table = SimpleNamespace(
        data=store, newsflow_partition_of=lambda key: int(key[-1:]) % partitions,
        changelog_topic=SimpleNamespace(get_topic_name=lambda: "t-changelog"))
    return StrKeyedTable(table), store  # type: ignore[arg-type]


async def test_changes_reach_the_store_and_the_changelog_by_partition_with_the_last_alone():
    keyed, store = _faust_table()
    store[b"k1"] = "old"
    table = BufferedTable(keyed)
    for n in range(6):
        table[f"k{n}"] = {"n": n}
    del table["k1"]
    table.flush()
    producer = FakeProducer(room=2)
    lost: list[str] = []
    await table.send_changelog(producer, lambda reason, error: lost.append(reason))
    await asyncio.sleep(0)  # the acknowledgements' callbacks
    assert store == {b"k0": {"n": 0}, b"k2": {"n": 2}, b"k3": {"n": 3}, b"k4": {"n": 4},
                     b"k5": {"n": 5}}
    by_partition = {0: [b"k0", b"k2", b"k4"], 1: [b"k1", b"k3", b"k5"]}
    for partition, keys in by_partition.items():
        batches = [records for p, records in producer.sent if p == partition]
        assert [key for records in batches for key, _ in records] == keys
        assert len(batches[-1]) == 1  # the partition's last change in a batch of its own
        assert store.persisted[partition] == len(keys) - 1
    tombstone = dict(record for _, records in producer.sent for record in records)[b"k1"]
    assert tombstone is None
    assert orjson.loads(dict(r for _, rs in producer.sent for r in rs)[b"k4"]) == {"n": 4}
    assert not lost


async def test_two_senders_keep_the_order_of_the_writes():
    """A later batch's changes may not overtake an earlier one's while that waits for the
    producer (aiokafka makes a send wait while the partition's last batch is on its way):
    recovery keeps a key's last value in the changelog."""
    keyed, _ = _faust_table(partitions=2)
    table = BufferedTable(keyed)
    producer = FakeProducer(room=100, delays=[0.02])  # the first send waits longest
    table["k0"], table["k1"] = "first", "first"
    table.flush()
    first = asyncio.create_task(table.send_changelog(producer, lambda *_: None))
    await asyncio.sleep(0.005)  # the first sender waits inside the producer on partition 0
    table["k1"] = "second"
    table.flush()
    await asyncio.gather(first, table.send_changelog(producer, lambda *_: None))
    values = [orjson.loads(value) for partition, records in producer.sent if partition == 1
              for _, value in records]
    assert values == ["first", "second"]


async def test_a_changelog_batch_the_broker_refuses_is_reported():
    keyed, store = _faust_table()
    table = BufferedTable(keyed)
    table["k0"] = 1
    table.flush()
    lost: list[tuple[str, BaseException]] = []
    await table.send_changelog(FakeProducer(refuse=True),
                               lambda reason, error: lost.append((reason, error)))
    await asyncio.sleep(0)
    assert [(reason, str(error)) for reason, error in lost] == [
        ("the broker did not take a changelog batch of t-changelog", "broker said no")]
    assert store.persisted == {}


async def test_a_plain_mapping_has_no_changelog():
    table = BufferedTable({})
    table["a"] = 1
    table.flush()
    await table.send_changelog(FakeProducer(), lambda *_: None)
    assert table.table == {"a": 1}
