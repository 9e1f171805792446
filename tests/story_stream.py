"""A reproducible stream of invented articles with every case the dedup stage tells apart:
several outlets' reports of the same events, wire copies republished verbatim, lightly
edited copies, replays of one record, and unrelated news in between."""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import UTC, datetime, timedelta

from agents.identity import content_hash
from schemas.models import Article

#: Invented events: a headline and the facts an outlet may report, in its own order.
EVENTS = {
    "bridge": (
        "Lakemont shuts Harbor Street bridge",
        [
            "The city council of Lakemont voted to close the Harbor Street bridge.",
            "Engineers found deep cracks in two steel supports of the Harbor Street bridge.",
            "Mayor Elena Varga said the crossing would stay shut for six months.",
            "Commuters were told to use the ferry or the northern ring road.",
            "The council set aside four million dollars for repairs to the bridge.",
            "The Harbor Street bridge opened in 1931 and carries twelve thousand cars a day.",
            "A heritage group asked Lakemont to keep the iron railings of the bridge.",
        ],
    ),
    "bakery": (
        "Orvanne bakery wins national bread prize",
        [
            "A family bakery in the hill town of Orvanne won the national rye bread prize.",
            "The Orvanne bakers beat more than three hundred entries from across the country.",
            "Siblings Mara and Teodor Lind took over the bakery from their grandparents.",
            "The Linds credit a sourdough starter kept alive for forty years.",
            "Judges praised the crust and the sour flavour of the Orvanne loaf.",
            "The prize money will pay for a second oven at the Orvanne bakery.",
        ],
    ),
    "mill fire": (
        "Fire at Norbrook textile mill",
        [
            "Fire crews fought a blaze at the Norbrook textile mill in Castleford overnight.",
            "Two workers at the Norbrook mill were treated for smoke inhalation.",
            "The Castleford fire service said the fire began in a storage room of the mill.",
            "Station manager Priya Okafor said eight engines attended the Norbrook fire.",
            "Residents near the Castleford mill were told to keep their windows closed.",
            "The owners of the Norbrook mill said production would resume next month.",
        ],
    ),
    "election": (
        "Velmora votes in snap election",
        [
            "Voters in Velmora went to the polls in a snap parliamentary election.",
            "Prime Minister Aurel Costin called the Velmora election after losing a budget vote.",
            "Opposition leader Irina Balan promised lower energy prices for Velmora households.",
            "Turnout in Velmora reached sixty-two percent by early evening.",
            "Costin's Unity Party led the final Velmora opinion polls by four points.",
            "Official results of the Velmora vote are expected on Monday morning.",
        ],
    ),
}

FILLER = [
    "Our reporters will follow the story as it develops.",
    "More details are expected later in the day.",
    "Local officials did not answer requests for comment.",
]


def _report(rng: random.Random, event: str) -> tuple[str, str]:
    """One outlet's report of an event: a title and some of its facts in some order."""
    headline, facts = EVENTS[event]
    chosen = rng.sample(facts, k=rng.randint(4, len(facts)))
    text = " ".join([*chosen, rng.choice(FILLER)])
    return headline if rng.random() < 0.5 else f"{headline}, officials say", text


def story_stream(count: int = 40, seed: int = 11) -> list[Article]:
    """`count` articles in arrival order (ingested_at increasing by one second)."""
    rng = random.Random(seed)
    start = datetime(2024, 5, 7, 8, 0, tzinfo=UTC)
    stream: list[Article] = []
    for number in range(count):
        at = (start + timedelta(seconds=number)).isoformat().replace("+00:00", "Z")
        roll = rng.random()
        if stream and roll < 0.15:
            earlier = rng.choice(stream)
            copy = replace(earlier, id=f"copy-{number}", source=f"outlet-{number % 5}",
                           published_at=at, ingested_at=at)
            stream.append(copy)
            continue
        if stream and roll < 0.3:
            earlier = rng.choice(stream)
            sentences = earlier.text.split(". ")
            sentences.pop(rng.randrange(len(sentences)))
            text = ". ".join(sentences)
            stream.append(replace(earlier, id=f"edit-{number}", text=text,
                                  content_hash=content_hash(text), published_at=at,
                                  ingested_at=at))
            continue
        if stream and roll < 0.36:
            stream.append(rng.choice(stream))  # a replay: the very same record again
            continue
        title, text = _report(rng, rng.choice(list(EVENTS)))
        stream.append(Article(id=f"a-{number}", source=f"outlet-{number % 5}", title=title,
                              text=text, content_hash=content_hash(text), published_at=at,
                              ingested_at=at))
    return stream
