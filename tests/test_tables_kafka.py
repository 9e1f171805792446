"""Table state on a real broker: what a batch writes reaches the store and the changelog as
Faust's recovery reads it, RocksDB remembers how far the changelog is in its files, and a
worker on an empty data directory recovers the state from the changelog alone."""

from __future__ import annotations

from pathlib import Path

import orjson
import pytest
from rocksdict import AccessType, Rdict

from service.kafka import publish, read_topics
from tests.conftest import isolated_settings
from tests.test_service_kafka import STORY

pytestmark = pytest.mark.integration

STORES = ["memory://", "rocksdb://"]
#: Where Faust's RocksDB store keeps the changelog offset a partition's database holds.
FAUST_OFFSET_KEY = b"__faust\0offset__"


async def _changelog(settings, table: str) -> list:
    topic = f"{settings.app_id}-{table}-changelog"
    return [record async for record in read_topics(settings, [topic], idle_timeout=3.0,
                                                   timeout=30.0)]


def _database(data_dir: Path, table: str) -> Rdict:
    [path] = data_dir.rglob(f"*{table}-0.db")
    return Rdict(str(path), access_type=AccessType.read_only())


#: Closing sentences that make each report a text of its own.
ENDINGS = [
    "A public hearing on the plans is set for March.",
    "The board will publish the tender documents in April.",
    "Residents can comment on the route until the end of May.",
    "A second vote on the budget is expected in June.",
    "The province has promised to share the cost of the pumps.",
]


def _reports(host: str) -> list[tuple[None, bytes]]:
    return [(None, orjson.dumps({"url": f"https://{host}/pumps-{n}", "text": f"{STORY} {end}"}))
            for n, end in enumerate(ENDINGS)]


@pytest.mark.parametrize("store", STORES)
async def test_table_state_reaches_the_changelog_and_an_empty_worker_recovers_it(
        bootstrap_servers, start_worker, store, tmp_path):
    """Several articles in one batch: every table's last change of the batch is recovered
    too (a changelog whose end the broker reports short loses it)."""
    settings = isolated_settings(bootstrap_servers, partitions=1, store=store)
    enriched = [settings.topics.enriched]

    first = start_worker(settings, NEWSFLOW_DATA_DIR=str(tmp_path / "first"))
    await publish(settings, settings.topics.raw, _reports("polder.test"))
    originals = {r["url"].rsplit("-", 1)[1]: r for r in [
        orjson.loads(r.value) async for r in read_topics(settings, enriched, until=5)]}
    unique = originals["0"]
    assert unique["dedup"]["status"] == "unique"
    assert first.process.stop() == 0

    records = await _changelog(settings, "dedup-articles")
    latest = {record.key: record for record in records}
    stored = latest[unique["id"].encode()]
    assert orjson.loads(stored.value)  # JSON, as the table's serializer reads it
    assert {record.partition for record in records} == {0}
    if store == "rocksdb://":
        database = _database(tmp_path / "first", "dedup-articles")
        try:
            assert orjson.loads(database[unique["id"].encode()]) == orjson.loads(stored.value)
            assert int(database[FAUST_OFFSET_KEY]) == max(r.offset for r in records)
        finally:
            database.close()

    start_worker(settings, NEWSFLOW_DATA_DIR=str(tmp_path / "second"))
    await publish(settings, settings.topics.raw, _reports("syndicate.test"))
    copies = [orjson.loads(r.value)
              async for r in read_topics(settings, enriched, until=10)][5:]
    assert {(c["url"].rsplit("-", 1)[1], c["dedup"]["status"], c["dedup"]["duplicate_of"])
            for c in copies} == {(n, "duplicate", originals[n]["id"]) for n in originals}
