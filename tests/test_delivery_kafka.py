"""Delivery on the real broker, record by record, on both table stores: malformed records of
every kind interleaved with good ones (nothing lost, nothing crashes). (The dedup index
recovered after kill -9, on both stores, is checked by tests/test_verdicts_kafka.py.)"""

from __future__ import annotations

import orjson
import pytest

from schemas import validator
from service.faults import Outputs, collect, publish_records
from tests.conftest import isolated_settings
from tests.stream_fixtures import MALFORMED, MAX_PAYLOAD_BYTES, fuzz_stream

pytestmark = pytest.mark.integration

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
