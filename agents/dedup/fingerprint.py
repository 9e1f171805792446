"""Everything the dedup stage derives from one article before it looks at any state.

A `Fingerprint` can be computed anywhere (a stateless worker, the partition that owns the
article id) and shipped: it names every store key the article will be looked up under.
The only outside input is the IDF used to pick and weight the article's terms, which any
partition can estimate from the share of the stream it sees.

Its costly part, the MinHash signature and the terms of the lead's words, entities and
dates (`TextFeatures`), needs nothing but the tagged article: the tag stage computes it
and ships it on articles.tagged (`Article.dedup_features`), so that the judge, the one
ordered consumer, does not. The judge adds what depends on the stream (the keyword terms,
in the order it gives the keywords, and the IDF weights), and computes the whole when the
article carries no features, or features made under other settings.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from agents.dedup import signatures as sig
from agents.dedup.clock import event_time
from agents.dedup.config import DedupConfig
from agents.dedup.encoding import periods_around, term_id
from agents.dedup.features import (
    Lead,
    add_keyword_terms,
    lead,
    lead_text_terms,
    weighted_vector,
)
from agents.dedup.keywords import capitalised_named
from agents.dedup.summary import ArticleFacts, article_facts
from schemas.models import Article

TermIdf = Callable[[int], float]
#: Bump when what `text_features` computes changes: shipped features of another version are
#: not used.
FEATURES_VERSION = 1


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


@dataclass(frozen=True, slots=True)
class TextFeatures:
    """The part of a fingerprint that only reads the tagged article: its costly part."""

    #: b-bit MinHash values (None for an article without words) and its LSH bucket names.
    signature: np.ndarray | None
    bands: tuple[str, ...]
    #: The lead's terms from its words, entities and dates (`features.lead_text_terms`).
    lead_terms: dict[str, float]


def text_features(article: Article, config: DedupConfig, head: Lead | None = None
                  ) -> TextFeatures:
    """The signature, band names and lead terms of a tagged article."""
    full = sig.signature(article.text, config)
    return TextFeatures(
        signature=None if full is None else sig.low_bits(full, config),
        bands=() if full is None else tuple(sig.band_keys(full, config)),
        lead_terms=lead_text_terms(lead(article) if head is None else head),
    )


def shipped_features(article: Article, config: DedupConfig) -> dict[str, Any]:
    """The article's text features as the tag stage ships them (`Article.dedup_features`),
    marked with the settings they were made under."""
    features = text_features(article, config)
    return {
        "made_with": _made_with(config),
        "signature": None if features.signature is None
        else sig.encode(features.signature, config),
        "bands": list(features.bands),
        "lead_terms": features.lead_terms,
    }


def _shipped(article: Article, config: DedupConfig) -> TextFeatures | None:
    """The features the article carries, if they were made under these settings."""
    shipped = article.dedup_features
    if not shipped or shipped.get("made_with") != _made_with(config):
        return None
    signature = shipped["signature"]
    return TextFeatures(
        signature=None if signature is None else sig.decode(signature, config),
        bands=tuple(shipped["bands"]),
        lead_terms=shipped["lead_terms"],
    )


def _made_with(config: DedupConfig) -> str:
    """What the text features depend on besides the article: the code's version and the
    signature settings."""
    return (f"{FEATURES_VERSION}:{config.num_perm}:{config.seed}:{config.bands}x{config.rows}:"
            f"{config.shingle_size}:{config.signature_bits}")


def fingerprint(article: Article, config: DedupConfig, idf: TermIdf = no_idf) -> Fingerprint:
    """Fingerprint an article: hashes, signature, band names, term vector, story keys (the
    text features the tag stage shipped with it, or computed here)."""
    at = event_time(article)
    head = lead(article)
    features = _shipped(article, config) or text_features(article, config, head)
    lead_terms = dict(features.lead_terms)
    add_keyword_terms(lead_terms, head.keywords)
    terms: dict[int, float] = {}
    for term, weight in lead_terms.items():
        key = term_id(term)
        terms[key] = max(weight, terms.get(key, 0.0))
    vector = weighted_vector(terms, idf, config.article_terms)
    return Fingerprint(
        article_id=article.id,
        at=at,
        periods=tuple(periods_around(at, config.window_days)),
        content_hash=article.content_hash,
        signature=features.signature,
        bands=features.bands,
        terms=terms,
        vector=vector,
        story_keys=tuple(vector)[: config.candidate_keys],
        facts=article_facts(article, head, config),
        named_forms=capitalised_named(article.keywords),
    )
