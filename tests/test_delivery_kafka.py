"""Delivery on the real broker, record by record, on both table stores: malformed records of
every kind interleaved with good ones (nothing lost, nothing crashes), batches compressed by
librdkafka with every codec, and the dedup index recovered after kill -9."""

from __future__ import annotations

import orjson
import pytest

from schemas import validator
from service.faults import Outputs, collect, publish_records
from tests.conftest import isolated_settings
from tests.stream_fixtures import MALFORMED, MAX_PAYLOAD_BYTES, fuzz_stream, good_articles

pytestmark = pytest.mark.integration

STORES = ["memory://", "rocksdb://"]
_valid_dead_letter = validator("dead_letter.v1")
_valid_enriched = validator("enriched_article.v1")


def _all_out(expected_ids: set[str], dead: int):
    def done(outputs: Outputs) -> bool:
        return (len(outputs.dead_letters) >= dead
                and expected_ids <= set(outputs.enriched))
    return done


@pytest.mark.parametrize(("store", "partitions"), [("memory://", 1), ("rocksdb://", 3)])
async def test_malformed_records_are_dead_lettered_and_every_good_one_comes_through(
        bootstrap_servers, start_worker, store, partitions):
    from agents.pipeline import Pipeline

    stream = fuzz_stream(good=200, malformed_rounds=9)
    assert len({name for name, _, _ in MALFORMED}) >= 20
    assert sum(code is not None for _, _, code in stream) >= 200
    settings = isolated_settings(bootstrap_servers, partitions=partitions, store=store,
                                 max_payload_bytes=MAX_PAYLOAD_BYTES)
    worker = start_worker(settings, NEWSFLOW_MAX_PAYLOAD_BYTES=str(MAX_PAYLOAD_BYTES))
    pipeline = Pipeline()
    good_ids = {pipeline.clean(value, ingested_at="2024-01-01T00:00:00Z").id
                for value, _, code in stream if code is None}
    bad = [(index, code) for index, (_, _, code) in enumerate(stream) if code is not None]

    await publish_records(settings, ((b"k" if value is None else None, value, headers)
                                     for value, headers, _ in stream),
                          partitions=partitions)
    outputs = await collect(settings, done=_all_out(good_ids, len(bad)), timeout=240)

    assert worker.process.running, worker.log[-3000:]
    assert set(outputs.enriched) == good_ids, "good records lost or invented"
    assert not outputs.inconsistent()
    for records in outputs.enriched.values():
        _valid_enriched(records[0])
    # Records were spread round-robin: stream index i went to partition i % partitions, and
    # is the (i // partitions)-th record there.
    expected = {(settings.topics.raw, index % partitions, index // partitions): code
                for index, code in bad}
    got = {where: records[0]["error_code"] for where, records in outputs.dead_letters.items()}
    assert got == expected
    for records in outputs.dead_letters.values():
        _valid_dead_letter(records[0])
        assert len(orjson.dumps(records[0])) < 1_000_000
    truncated = [records[0] for records in outputs.dead_letters.values()
                 if records[0].get("payload_truncated")]
    assert truncated and all(record["payload_size"] > MAX_PAYLOAD_BYTES
                             and len(record["payload_sha256"]) == 64 for record in truncated)
    assert "Traceback" not in worker.log or "worker_exiting" not in worker.log


@pytest.mark.parametrize("store", STORES)
async def test_the_index_survives_kill_9_and_a_restart_on_the_same_data_directory(
        bootstrap_servers, start_worker, store, tmp_path):
    """After kill -9 the worker comes back on the same data directory (RocksDB files, or
    the changelog for memory): copies of articles judged before the kill are duplicates."""
    settings = isolated_settings(bootstrap_servers, partitions=2, store=store)
    originals = good_articles(12, seed=5)
    first = start_worker(settings, NEWSFLOW_DATA_DIR=str(tmp_path / "state"))
    await publish_records(settings, ((None, value, []) for value in originals), partitions=2)
    before = await collect(settings, done=lambda o: len(o.enriched) >= len(originals),
                           timeout=120)
    assert len(before.enriched) == len(originals)
    assert first.process.kill() == -9

    start_worker(settings, NEWSFLOW_DATA_DIR=str(tmp_path / "state"))
    copies = []
    for value in originals[:4]:
        record = orjson.loads(value)
        record["url"] = record["url"].replace(".test/", ".copy.test/")
        copies.append(orjson.dumps(record))
    await publish_records(settings, ((None, value, []) for value in copies), partitions=2)
    after = await collect(settings, done=lambda o: len(o.enriched) >= len(originals) + 4,
                          timeout=120)
    new = {article_id: records[0] for article_id, records in after.enriched.items()
           if article_id not in before.enriched}
    assert len(new) == 4
    earlier = {records[0]["content_hash"]: article_id
               for article_id, records in before.enriched.items()}
    for record in new.values():
        assert record["dedup"]["status"] == "duplicate", record["dedup"]
        # The earliest article with that text (the originals may hold copies of each other).
        assert record["dedup"]["duplicate_of"] in before.enriched
        assert record["content_hash"] in earlier
    assert not after.inconsistent()
