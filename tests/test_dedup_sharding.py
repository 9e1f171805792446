"""The sharded index gives the verdicts of one process, whatever the number of shards and
however the stream is cut into rounds."""

from __future__ import annotations

import asyncio
from collections import Counter

import pytest
from aiokafka.partitioner import DefaultPartitioner

from agents.dedup import Deduplicator
from agents.dedup.sharding import LocalShards, by_shard, chunks, shard_of
from schemas.models import DedupVerdict
from tests.story_stream import story_stream


def sequential_verdicts() -> list[DedupVerdict]:
    judge = Deduplicator()
    return [judge.judge(article) for article in story_stream()]


def sharded_verdicts(partitions: int, round_sizes: list[int]) -> tuple[list, LocalShards]:
    shards = LocalShards(partitions)
    articles = story_stream()
    verdicts: list = []
    position, turn = 0, 0
    while position < len(articles):
        size = round_sizes[turn % len(round_sizes)]
        outcome = asyncio.run(shards.judge(articles[position : position + size]))
        verdicts.extend(outcome.verdicts)
        position, turn = position + size, turn + 1
    return verdicts, shards


def test_the_stream_holds_every_kind_of_verdict() -> None:
    verdicts = sequential_verdicts()
    statuses = Counter(verdict.status for verdict in verdicts)
    assert statuses["duplicate"] >= 3 and statuses["near_duplicate"] >= 3
    stories = Counter(verdict.story_id for verdict in verdicts)
    assert len(stories) >= 4 and max(stories.values()) >= 5


@pytest.mark.parametrize("partitions", [1, 2, 8])
@pytest.mark.parametrize("round_sizes", [[1], [7], [3, 11, 1, 40]])
def test_verdicts_do_not_depend_on_shards_or_rounds(partitions: int,
                                                    round_sizes: list[int]) -> None:
    verdicts, _ = sharded_verdicts(partitions, round_sizes)
    assert verdicts == sequential_verdicts()


def test_every_key_lives_on_its_own_shard_and_the_index_is_spread() -> None:
    _, shards = sharded_verdicts(8, [5])
    holding = 0
    for number, shard in enumerate(shards.shards):
        keys = [key for store in shard.values() for key in store]
        assert all(shard_of(key, 8) == number for key in keys)
        holding += bool(keys)
    assert holding == 8


def test_shards_follow_the_producers_partitioner() -> None:
    """Requests for a key go where the table's changelog entry for it goes."""
    partitions = list(range(8))
    for key in ["a-1", "k3x9:1a", "*:4f", "Zz0:12"]:
        assert shard_of(key, 8) == DefaultPartitioner()(key.encode(), partitions, partitions)


def test_requests_are_split_by_shard_and_size() -> None:
    keys = {"bands": [f"b{n}" for n in range(25)], "articles": ["x", "y"]}
    split = by_shard(keys, 4)
    assert sorted(key for part in split.values() for name in part for key in part[name]) == (
        sorted(keys["bands"] + keys["articles"]))
    pieces = list(chunks(keys, 10))
    assert [sum(len(v) for v in piece.values()) for piece in pieces] == [10, 10, 7]
    writes = {"articles": {"x": [1], "y": [2]}}
    assert list(chunks(writes, 1)) == [{"articles": {"x": [1]}}, {"articles": {"y": [2]}}]
