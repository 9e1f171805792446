"""Reading evaluation corpora (JSONL) into Articles, and making edited copies of them."""

from __future__ import annotations

import random
import re
from collections.abc import Iterator
from hashlib import blake2b
from pathlib import Path

import orjson

from agents.identity import content_hash
from schemas.models import Article

#: Evaluation streams have no clock of their own: every article arrives "now".
STREAM_TIME = "2024-01-01T00:00:00Z"

_SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[A-Z\"“])")

#: Lines a site might wrap around an article it republishes (our own wording).
BOILERPLATE = (
    "Sign up for our morning briefing to get stories like this in your inbox.",
    "Follow us on social media for the latest updates.",
    "This article was republished from a partner site with permission.",
    "All rights reserved. Reproduction without written permission is prohibited.",
    "Share this story with your friends and family.",
)
#: Word swaps for rewording a sentence the way an editor would.
_REWORDINGS = {
    "said": "stated", "says": "states", "big": "large", "show": "indicate", "shows": "indicates",
    "help": "assist", "buy": "purchase", "start": "begin", "end": "finish", "but": "however",
    "also": "as well", "about": "around", "more": "additional", "get": "obtain", "use": "employ",
    "make": "create", "new": "fresh", "told": "informed", "very": "highly", "would": "could",
}


def read_records(path: str | Path) -> list[dict]:
    """Every JSON object of a JSONL file, in file order."""
    with open(path, "rb") as lines:
        return [orjson.loads(line) for line in lines if line.strip()]


def to_article(record: dict, *, ingested_at: str = STREAM_TIME) -> Article:
    """An Article as the clean stage would hand it on, from an `{id, title, text}` record."""
    text = record["text"]
    return Article(
        id=str(record["id"]),
        source=record.get("source") or "eval",
        title=record.get("title"),
        text=text,
        published_at=record.get("published") or record.get("published_at"),
        content_hash=content_hash(text),
        ingested_at=ingested_at,
    )


def sentences(text: str) -> list[str]:
    """Sentences of a text, split at line breaks and sentence ends."""
    parts: list[str] = []
    for line in text.splitlines():
        parts.extend(part for part in _SENTENCE.split(line.strip()) if part)
    return parts


def edited_copy(text: str, rng: random.Random) -> tuple[str, list[str]]:
    """A lightly edited copy: one to three of drop / reword / add boilerplate / reformat.

    A sentence is only dropped from texts of 12 or more sentences, so that the edit stays
    light relative to the whole. Returns the copy and the names of the edits made.
    """
    parts = sentences(text)
    edits = rng.sample(["drop", "reword", "boilerplate", "reformat"], k=rng.randint(1, 3))
    if "drop" in edits and len(parts) >= 12:
        del parts[rng.randrange(1, len(parts))]
    elif "drop" in edits:
        edits.remove("drop")
    if "reword" in edits:
        index = rng.randrange(len(parts))
        words = parts[index].split()
        swapped = [_REWORDINGS.get(word, word) for word in words]
        if swapped == words and len(words) > 3:
            position = rng.randrange(len(words) - 1)
            swapped[position], swapped[position + 1] = swapped[position + 1], swapped[position]
        parts[index] = " ".join(swapped)
    if "boilerplate" in edits:
        parts.append(rng.choice(BOILERPLATE))
    joiner = "\n"
    if "reformat" in edits:
        joiner = "\n\n"
        parts = [part.upper() if i == 0 else part for i, part in enumerate(parts)]
    return joiner.join(parts), edits


def synthetic_articles(records: list[dict], count: int, seed: int = 7) -> Iterator[Article]:
    """`count` distinct articles made of sentences drawn from a corpus: load for benchmarks."""
    rng = random.Random(seed)
    pool = [sentence for record in records for sentence in sentences(record["text"])]
    for number in range(count):
        text = " ".join(rng.choice(pool) for _ in range(rng.randint(8, 20)))
        # Ids shaped like the pipeline's (20 hex digits), so that state is sized honestly.
        article_id = blake2b(f"synthetic-{number}".encode(), digest_size=10).hexdigest()
        yield to_article({"id": article_id, "title": rng.choice(pool), "text": text})
