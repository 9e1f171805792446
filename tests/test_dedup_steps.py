"""The pure steps behind `Deduplicator.judge`, and the compact forms of what the stores hold."""

from __future__ import annotations

import numpy as np
import orjson
import pytest

from agents.dedup import DedupConfig, Deduplicator, memory_state
from agents.dedup import signatures as sig
from agents.dedup.decide import Candidates, ExactCandidate, NearCandidate, decide
from agents.dedup.encoding import key_period, pack_vector, timed_key, unpack_vector
from agents.dedup.features import raw_terms
from agents.dedup.fingerprint import FEATURES_VERSION, fingerprint, shipped_features
from agents.dedup.index import StreamIdf, insert, lookup
from agents.dedup.records import ArticleRecord, StoryRecord, StorySummary
from agents.identity import content_hash
from agents.intake import decode_article
from schemas.models import Article, Entity

CONFIG = DedupConfig()

STORY = (
    "The ferry operator Brightwave cancelled all crossings between Port Alder and the island "
    "of Kessin on Friday after a gearbox failure on its only vessel. Passengers were offered "
    "refunds, and the operator said a replacement ship would arrive from Dunmore on Monday. "
    "Island shopkeepers said deliveries of fresh food would run short over the weekend. "
    "Brightwave apologised and promised free tickets to everyone whose trip was cancelled."
)
OTHER = (
    "A chess club in the town of Marrow celebrated its hundredth anniversary with a tournament "
    "that drew players from eleven countries. The oldest entrant, aged ninety, won two games. "
    "Organisers said the club would open a junior section in the autumn."
)


def article(article_id: str, text: str, *, title: str | None = None,
            at: str = "2024-05-07T10:00:00Z") -> Article:
    return Article(id=article_id, source="test", title=title, text=text,
                   content_hash=content_hash(text), published_at=at, ingested_at=at)


def test_fingerprint_needs_no_state_and_names_every_key() -> None:
    first = fingerprint(article("a1", STORY, title="Ferry crossings cancelled"), CONFIG)
    again = fingerprint(article("a1", STORY, title="Ferry crossings cancelled"), CONFIG)
    assert first.bands == again.bands and first.story_keys == again.story_keys
    assert len(first.bands) == CONFIG.bands
    assert first.signature is not None and len(first.signature) == CONFIG.num_perm
    assert int(first.signature.max()) < 2**CONFIG.signature_bits
    assert len(first.periods) in (2, 3) and len(first.story_keys) == CONFIG.candidate_keys
    assert abs(sum(weight * weight for weight in first.vector.values()) - 1.0) < 1e-9


def test_shipped_text_features_give_the_fingerprint_the_judge_would_compute() -> None:
    """The tag stage's features, through the wire form, make the same fingerprint; with the
    keywords the judge orders added after them. Features made under other signature
    settings, or by another version of the code, are not used."""
    def tagged(item: Article) -> Article:
        item.entities = [Entity(name="Brightwave", type="ORG", mentions=3,
                                surface_forms=["Brightwave"])]
        item.keywords = ["Brightwave", "gearbox failure", "Kessin"]
        return item

    local = fingerprint(tagged(article("a1", STORY, title="Ferry crossings cancelled")), CONFIG)
    carried = tagged(article("a1", STORY, title="Ferry crossings cancelled"))
    carried.dedup_features = shipped_features(carried, CONFIG)
    wire = decode_article(orjson.dumps(carried), max_bytes=1 << 20)
    wire.keywords = ["Brightwave", "gearbox failure", "Kessin"]
    shipped = fingerprint(wire, CONFIG)
    for name in ("bands", "terms", "vector", "story_keys", "facts", "named_forms"):
        assert getattr(shipped, name) == getattr(local, name), name
    assert np.array_equal(shipped.signature, local.signature)
    assert any(term.startswith("k:") for term in raw_terms(wire))

    other = DedupConfig(bands=16, rows=8)
    assert fingerprint(wire, other).bands == fingerprint(tagged(article("a1", STORY)), other).bands
    wire.dedup_features = {**shipped_features(carried, CONFIG), "bands": ["forged"]}
    assert fingerprint(wire, CONFIG).bands == ("forged",)  # the shipped ones are used...
    wire.dedup_features["made_with"] = wire.dedup_features["made_with"].replace(
        f"{FEATURES_VERSION}:", f"{FEATURES_VERSION + 1}:", 1)
    assert fingerprint(wire, CONFIG).bands == local.bands  # ...unless another version made them


def test_an_article_without_words_has_no_signature_or_bands() -> None:
    fp = fingerprint(article("e1", "  ...  "), CONFIG)
    assert fp.signature is None and fp.bands == ()


def test_judge_is_the_composition_of_the_steps() -> None:
    stream = [
        article("a1", STORY, title="Ferry crossings cancelled"),
        article("b1", OTHER, title="Chess club turns 100"),
        article("a2", STORY.replace("Friday", "Saturday"), title="Ferry crossings cancelled"),
        article("a3", STORY),
    ]
    composed_state = memory_state()
    composed = []
    for item in stream:
        idf = StreamIdf(composed_state.doc_freqs, 1715076000.0, CONFIG)
        fp = fingerprint(item, CONFIG, idf)
        decision = decide(fp, lookup(composed_state, fp, CONFIG), CONFIG)
        insert(composed_state, fp, decision, CONFIG)
        composed.append(decision.verdict)
    dedup = Deduplicator(config=CONFIG)
    assert [dedup.judge(item) for item in stream] == composed
    assert dedup.state == composed_state
    assert [verdict.status for verdict in composed] == [
        "unique", "unique", "near_duplicate", "duplicate"]


def test_decide_without_candidates_starts_a_story() -> None:
    fp = fingerprint(article("a1", STORY), CONFIG)
    decision = decide(fp, Candidates(), CONFIG)
    assert (decision.verdict.status, decision.verdict.story_id) == ("unique", "a1")
    assert decision.story is not None and decision.story.size == 1


def test_decide_points_an_exact_copy_at_the_earliest_article() -> None:
    fp = fingerprint(article("a9", STORY), CONFIG)
    exact = ExactCandidate("a1", fp.at - 60, "story-a")
    decision = decide(fp, Candidates(exact=exact), CONFIG)
    verdict = decision.verdict
    assert (verdict.status, verdict.duplicate_of, verdict.story_id) == (
        "duplicate", "a1", "story-a")
    assert decision.story is None


def test_decide_points_a_near_copy_at_its_neighbours_original() -> None:
    fp = fingerprint(article("a9", STORY), CONFIG)
    assert fp.signature is not None
    neighbour = NearCandidate("a5", fp.at - 60, fp.signature.copy(), "a1", "story-a")
    unrelated = NearCandidate("z1", fp.at - 60, (fp.signature + 1) % 16, "z1", "z1")
    verdict = decide(fp, Candidates(near=[unrelated, neighbour]), CONFIG).verdict
    assert (verdict.status, verdict.duplicate_of, verdict.story_id) == (
        "near_duplicate", "a1", "story-a")
    assert verdict.similarity == 1.0


def test_decide_ignores_candidates_outside_the_window() -> None:
    fp = fingerprint(article("a9", STORY), CONFIG)
    assert fp.signature is not None
    old = fp.at - 31 * 86_400
    candidates = Candidates(exact=ExactCandidate("a1", old, "a1"),
                            near=[NearCandidate("a1", old, fp.signature.copy(), "a1", "a1")])
    assert decide(fp, candidates, CONFIG).verdict.status == "unique"


@pytest.mark.parametrize("bits", [4, 8, 16])
def test_signatures_round_trip_their_stored_form(bits: int) -> None:
    config = DedupConfig(signature_bits=bits)
    full = sig.signature(STORY, config)
    assert full is not None
    values = sig.low_bits(full, config)
    assert np.array_equal(sig.decode(sig.encode(values, config), config), values)


def test_low_bit_estimates_stay_close_to_the_full_jaccard() -> None:
    edited = STORY.replace("on Monday", "early next week")
    estimates = []
    for bits in (4, 16):
        config = DedupConfig(signature_bits=bits)
        left, right = sig.signature(STORY, config), sig.signature(edited, config)
        assert left is not None and right is not None
        estimates.append(sig.estimate_jaccard(sig.low_bits(left, config),
                                              sig.low_bits(right, config), bits))
    assert abs(estimates[0] - estimates[1]) < 0.12


def test_records_round_trip_their_compact_json() -> None:
    records = [
        ArticleRecord("unique", 1715076000.0, "a1", signature="AAEC"),
        ArticleRecord("unique", 1715076000.0, "story-b", signature="AAEC"),
        ArticleRecord("near_duplicate", 1715076000.0, "a1", "a1", 0.8731, "AAEC"),
        ArticleRecord("duplicate", 1715076000.0, "a1", "a1", 1.0),
    ]
    for record in records:
        assert ArticleRecord.from_json("a1", record.to_json("a1")) == record
    assert records[0].to_json("a1") == ["u", 1715076000, "AAEC"]
    story = StoryRecord("AAAA", 3, 1715076000.0)
    assert StoryRecord.from_json(story.to_json()) == story
    single = StorySummary("Ferry crossings cancelled", 1715076000.0, 1715076000.0, 1,
                          ("test",), ("a1",), (("OBrightwave", 1),))
    assert single.to_json("a1") == [
        "Ferry crossings cancelled", 1715076000, 0, 1, ["test"], [""], ["OBrightwave"]]
    grown = StorySummary("Ferry crossings cancelled", 1715070000.0, 1715076000.0, 3,
                         ("test", "wire"), ("a1", "b2", "c3"),
                         (("OBrightwave", 3), ("LKessin", 1)), (("ferry", 2),))
    for summary in (single, grown):
        assert StorySummary.from_json("a1", summary.to_json("a1")) == summary


def test_packed_vectors_keep_weights_to_a_byte() -> None:
    vector = {7: 0.8, 2**32 - 1: 0.5, 12345: 0.3333}
    unpacked = unpack_vector(pack_vector(vector))
    assert set(unpacked) == set(vector)
    assert all(abs(unpacked[term] - weight) <= 1 / 255 for term, weight in vector.items())


def test_timed_keys_carry_their_period() -> None:
    assert key_period(timed_key("abc", 657)) == 657
    assert key_period(timed_key("x:y", 3)) == 3
    assert key_period("a1") is None
