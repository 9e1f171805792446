"""Everything the dedup stage derives from one article before it looks at any state.

A `Fingerprint` can be computed anywhere (a stateless worker, the partition that owns the
article id) and shipped: it names every store key the article will be looked up under.
The only outside input is the IDF used to pick and weight the article's terms, which any
partition can estimate from the share of the stream it sees.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from agents.dedup import signatures as sig
from agents.dedup.clock import event_time
from agents.dedup.config import DedupConfig
from agents.dedup.encoding import periods_around, term_id
from agents.dedup.features import lead, lead_terms, weighted_vector
from agents.dedup.keywords import capitalised_named
from agents.dedup.summary import ArticleFacts, article_facts
from schemas.models import Article

TermIdf = Callable[[int], float]


def no_idf(term: int) -> float:
    """The cold-start prior before the stream has taught anything: every term alike."""
    return 1.0


@dataclass(frozen=True, slots=True)
class Fingerprint:
    """An article's keys and signals, free of state."""

    article_id: str
    #: Event time (seconds since the epoch) and the periods whose keys can hold matches.
    at: float
    periods: tuple[int, ...]
    content_hash: str
    #: b-bit MinHash values (None for an article without words) and its LSH bucket names.
    signature: np.ndarray | None
    bands: tuple[str, ...]
    #: Boosted term frequency of every term id (document frequencies count these).
    terms: dict[int, float]
    #: The unit TF-IDF vector of the heaviest terms, for comparing with story centroids.
    vector: dict[int, float]
    #: The heaviest terms, under which candidate stories are looked up and this one listed.
    story_keys: tuple[int, ...]
    #: What the article adds to its story's summary.
    facts: ArticleFacts
    #: Its keywords that are capitalised named things, by lower-cased key: the forms later
    #: articles that write them in lower case take (`dedup.keywords`).
    named_forms: dict[str, str]


def fingerprint(article: Article, config: DedupConfig, idf: TermIdf = no_idf) -> Fingerprint:
    """Fingerprint an article: hashes, signature, band names, term vector, story keys."""
    at = event_time(article)
    full = sig.signature(article.text, config)
    head = lead(article)
    terms: dict[int, float] = {}
    for term, weight in lead_terms(head).items():
        key = term_id(term)
        terms[key] = max(weight, terms.get(key, 0.0))
    vector = weighted_vector(terms, idf, config.article_terms)
    return Fingerprint(
        article_id=article.id,
        at=at,
        periods=tuple(periods_around(at, config.window_days)),
        content_hash=article.content_hash,
        signature=None if full is None else sig.low_bits(full, config),
        bands=() if full is None else tuple(sig.band_keys(full, config)),
        terms=terms,
        vector=vector,
        story_keys=tuple(vector)[: config.candidate_keys],
        facts=article_facts(article, head, config),
        named_forms=capitalised_named(article.keywords),
    )
