"""Articles published by librdkafka (confluent-kafka, the client most scrapers use) in
batches compressed with every Kafka codec are all enriched, and librdkafka reads them back."""

from __future__ import annotations

import time

import orjson
import pytest
from confluent_kafka import Consumer, Producer

from tests.conftest import isolated_settings
from tests.stream_fixtures import good_articles

pytestmark = pytest.mark.integration

CODECS = ["gzip", "snappy", "lz4", "zstd"]


def test_every_codec_from_librdkafka_is_consumed(bootstrap_servers, start_worker):
    settings = isolated_settings(bootstrap_servers, partitions=2)
    start_worker(settings)
    articles = good_articles(40, seed=9)
    urls = {}
    for number, codec in enumerate(CODECS):
        producer = Producer({"bootstrap.servers": bootstrap_servers, "compression.codec": codec,
                             "linger.ms": 50, "batch.num.messages": 100})
        for value in articles[number * 10:(number + 1) * 10]:
            urls[orjson.loads(value)["url"]] = codec
            producer.produce(settings.topics.raw, value=value)
        assert producer.flush(30) == 0

    consumer = Consumer({"bootstrap.servers": bootstrap_servers, "group.id": f"{settings.app_id}-r",
                         "auto.offset.reset": "earliest", "enable.auto.commit": False})
    consumer.subscribe([settings.topics.enriched, settings.topics.dead_letter])
    seen: dict[str, str] = {}
    dead = []
    deadline = time.monotonic() + 180
    try:
        while time.monotonic() < deadline and len(seen) < len(urls):
            message = consumer.poll(0.5)
            if message is None or message.error():
                continue
            record = orjson.loads(message.value())
            if message.topic() == settings.topics.dead_letter:
                dead.append(record)
            else:
                seen[record["url"]] = record["dedup"]["status"]
    finally:
        consumer.close()
    assert not dead
    assert set(seen) == set(urls)
    assert {urls[url] for url in seen} == set(CODECS)
