"""Lookups and inserts of the dedup stores, each by key: the only code that touches state.

Every function reads or writes one store (plus, for lookups that must resolve ids, the
`articles` store), so a sharded deployment can run each where its store's partition lives.
Keys that only matter for a window of event time carry their period (`encoding.timed_key`);
an article reads the periods around its own time and writes into its own period.
"""

from __future__ import annotations

from dataclasses import replace

from agents.dedup import signatures as sig
from agents.dedup import summary
from agents.dedup.config import DedupConfig
from agents.dedup.decide import Candidates, Decision, ExactCandidate, NearCandidate
from agents.dedup.encoding import period, term_key, timed_key
from agents.dedup.features import smoothed_idf
from agents.dedup.fingerprint import Fingerprint
from agents.dedup.keywords import keyword_term, lower_case_named
from agents.dedup.records import ArticleRecord, Reading, StoryRecord, StorySummary
from agents.dedup.state import DedupState, Store

#: The doc_freqs prefix that counts articles (term keys are 6 base64 characters).
TOTAL = "*"
#: How far `duplicate_of` links are followed to reach an original (they are at most 2 deep).
_MAX_HOPS = 8


class StreamIdf:
    """IDF from the articles counted in the current and the previous period of event time.

    Any partition's counts will do: IDF from a random share of the stream estimates the
    whole stream's. Each term is looked up once per instance.
    """

    __slots__ = ("_cache", "_doc_freqs", "_suffixes", "_total")

    def __init__(self, doc_freqs: Store, at: float, config: DedupConfig) -> None:
        current = period(at, config.window_days)
        self._doc_freqs = doc_freqs
        self._suffixes = tuple(timed_key("", number) for number in (current - 1, current))
        self._total = self._count(TOTAL)
        self._cache: dict[int, float] = {}

    def _count(self, prefix: str) -> int:
        get = self._doc_freqs.get
        return sum(int(get(prefix + suffix) or 0) for suffix in self._suffixes)

    def __call__(self, term: int) -> float:
        value = self._cache.get(term)
        if value is None:
            value = self._cache[term] = smoothed_idf(self._count(term_key(term)), self._total)
        return value


def lookup_named_forms(named_forms: Store, keywords: list[str], at: float,
                       config: DedupConfig) -> dict[str, str]:
    """Lower-cased key -> capitalised form, of the article's lower-case named things that an
    article of the current or the previous period capitalised (the latest form wins)."""
    current = period(at, config.window_days)
    found: dict[str, str] = {}
    for keyword in lower_case_named(keywords):
        key = term_key(keyword_term(keyword))
        for number in (current, current - 1):
            form = named_forms.get(timed_key(key, number))
            if form is not None:
                found[keyword] = form
                break
    return found


def load_article(articles: Store, article_id: str) -> ArticleRecord | None:
    """The stored record of an article id, if it is (still) indexed."""
    value = articles.get(article_id)
    return None if value is None else ArticleRecord.from_json(article_id, value)


def lookup_exact(hashes: Store, articles: Store, fp: Fingerprint) -> ExactCandidate | None:
    """The earliest article with the same normalised text in the periods around this one."""
    best: ExactCandidate | None = None
    for number in fp.periods:
        earlier = hashes.get(timed_key(_content_key(fp), number))
        if earlier is None:
            continue
        record = load_article(articles, earlier)
        if record is None:
            continue
        if best is None or (record.at, earlier) < (best.at, best.article_id):
            best = ExactCandidate(earlier, record.at, record.story_id)
    return best


def lookup_near(bands: Store, articles: Store, fp: Fingerprint,
                config: DedupConfig) -> list[NearCandidate]:
    """Indexed articles sharing one of the article's LSH buckets, with their originals."""
    found: list[NearCandidate] = []
    seen: set[str] = set()
    for prefix in fp.bands:
        for number in fp.periods:
            for other in bands.get(timed_key(prefix, number)) or ():
                if other in seen:
                    continue
                seen.add(other)
                record = load_article(articles, other)
                if record is None or record.signature is None:
                    continue
                original_id, story_id = _original(articles, other, record)
                found.append(NearCandidate(other, record.at, sig.decode(record.signature, config),
                                           original_id, story_id))
    return found


def lookup_stories(story_keys: Store, stories: Store, fp: Fingerprint) -> dict[str, StoryRecord]:
    """Stories listed under the article's heaviest terms in the periods around it."""
    found: dict[str, StoryRecord] = {}
    for term in fp.story_keys:
        name = term_key(term)
        for number in fp.periods:
            for story_id in story_keys.get(timed_key(name, number)) or ():
                if story_id in found:
                    continue
                value = stories.get(story_id)
                if value is not None:
                    found[story_id] = StoryRecord.from_json(value)
    return found


def lookup(state: DedupState, fp: Fingerprint, config: DedupConfig) -> Candidates:
    """Every candidate of one article, from all stores."""
    return Candidates(
        exact=lookup_exact(state.hashes, state.articles, fp),
        near=lookup_near(state.bands, state.articles, fp, config),
        stories=lookup_stories(state.story_keys, state.stories, fp),
    )


def insert_article(articles: Store, fp: Fingerprint, decision: Decision,
                   reading: Reading | None = None) -> None:
    """The verdict (and signature) under the article id, with where it was read: replays,
    redeliveries and later lookups read it."""
    record = replace(decision.record, reading=reading)
    articles[fp.article_id] = record.to_json(fp.article_id)


def insert_hash(hashes: Store, fp: Fingerprint, decision: Decision,
                config: DedupConfig) -> None:
    """First article of its period with this text: later copies point at it."""
    if decision.record.status == "duplicate":
        return
    key = timed_key(_content_key(fp), period(fp.at, config.window_days))
    if key not in hashes:
        hashes[key] = fp.article_id


def insert_bands(bands: Store, fp: Fingerprint, decision: Decision,
                 config: DedupConfig) -> None:
    """Make the article findable by later near duplicates."""
    if decision.record.signature is None:
        return
    number = period(fp.at, config.window_days)
    for prefix in fp.bands:
        key = timed_key(prefix, number)
        members = bands.get(key) or []
        if fp.article_id not in members:
            bands[key] = [*members, fp.article_id]


def insert_story(stories: Store, story_keys: Store, fp: Fingerprint, decision: Decision,
                 config: DedupConfig) -> None:
    """Write the started or joined story and list it under the article's heaviest terms."""
    if decision.story is None:
        return
    story_id = decision.verdict.story_id
    stories[story_id] = decision.story.to_json()
    number = period(fp.at, config.window_days)
    for term in fp.story_keys:
        key = timed_key(term_key(term), number)
        listed = [other for other in story_keys.get(key) or () if other != story_id]
        listed.append(story_id)
        story_keys[key] = listed[-config.stories_per_key :]


def count_terms(doc_freqs: Store, fp: Fingerprint, decision: Decision,
                config: DedupConfig) -> None:
    """Learn document frequencies from the stream: unique articles only, one per term."""
    if decision.story is None:
        return
    number = period(fp.at, config.window_days)
    for term in fp.terms:
        key = timed_key(term_key(term), number)
        doc_freqs[key] = int(doc_freqs.get(key) or 0) + 1
    total = timed_key(TOTAL, number)
    doc_freqs[total] = int(doc_freqs.get(total) or 0) + 1


def insert_named_forms(named_forms: Store, fp: Fingerprint, config: DedupConfig) -> None:
    """Remember the capitals the article gives its named things, in its own period."""
    number = period(fp.at, config.window_days)
    for key, form in fp.named_forms.items():
        named_forms[timed_key(term_key(keyword_term(key)), number)] = form


def insert_summary(summaries: Store, fp: Fingerprint, decision: Decision,
                   config: DedupConfig) -> None:
    """Add the article to its story's summary (duplicates too: they are more coverage).

    An article id the summary lists already (a replay whose record was swept while the
    story lived on) changes nothing."""
    story_id = decision.verdict.story_id
    stored = summaries.get(story_id)
    if stored is None:
        summaries[story_id] = summary.started(fp.article_id, fp.at, fp.facts).to_json(story_id)
        return
    current = StorySummary.from_json(story_id, stored)
    if fp.article_id in current.article_ids:
        return
    summaries[story_id] = summary.added(current, fp.article_id, fp.at, fp.facts,
                                        config).to_json(story_id)


def insert(state: DedupState, fp: Fingerprint, decision: Decision, config: DedupConfig,
           reading: Reading | None = None) -> None:
    """Every write one decision makes, store by store (`reading`: where it was read)."""
    insert_article(state.articles, fp, decision, reading)
    insert_hash(state.hashes, fp, decision, config)
    insert_bands(state.bands, fp, decision, config)
    insert_story(state.stories, state.story_keys, fp, decision, config)
    count_terms(state.doc_freqs, fp, decision, config)
    insert_summary(state.summaries, fp, decision, config)
    insert_named_forms(state.named_forms, fp, config)


def _content_key(fp: Fingerprint) -> str:
    """64 bits of the content hash: a chance collision within a window is negligible."""
    return fp.content_hash[:16]


def _original(articles: Store, article_id: str, record: ArticleRecord) -> tuple[str, str]:
    """Follow duplicate_of links to the unique article they lead to, and its story."""
    current, story_id = article_id, record.story_id
    for _ in range(_MAX_HOPS):
        if record.duplicate_of is None:
            return current, story_id
        current = record.duplicate_of
        following = load_article(articles, current)
        if following is None:
            return current, story_id
        record, story_id = following, following.story_id
    return current, story_id
