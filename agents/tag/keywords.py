"""Key phrases of an article, ranked: entity names, named plans and events, content phrases.

Candidates are entity names (in canonical form) and runs of content words between stop words,
split where capitalisation changes so "the Harbour Shield Plan unveiled" yields the name alone.
They are scored by frequency, headline/lead position, length and inverse document frequency;
the document-frequency store is pluggable so the stream can share it across workers.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, MutableMapping, Sequence
from dataclasses import dataclass
from typing import Protocol

from spacy.lang.en.stop_words import STOP_WORDS
from spacy.tokens import Doc

from agents.tag.canonical import TITLES, clean_name
from agents.tag.entities import Mention
from schemas.models import Entity

# Words that are not stop words to spaCy but are never key phrases in news.
_FILLER_WORDS = """said says say saying told tells added adding according reported reports report
    announced asked stated noted claimed believes believed think thinks thought expected
    including include includes included also just like well really still already yet
    year years month months week weeks day days time times today yesterday tomorrow
    monday tuesday wednesday thursday friday saturday sunday morning evening night
    january february march april may june july august september october november december
    jan feb mar apr jun jul aug sep sept oct nov dec
    mr mrs ms dr new old good great big small large lot lots number part way ways thing things
    people man woman men women many much several few less least more most first second third
    last next later early earlier late latest recent recently percent per cent told make made
    making get got getting go going went come came coming take took taken want wanted need
    needed use used using see seen saw know known show showed shown set put give gave given"""
NEWS_FILLER = frozenset(_FILLER_WORDS.split())
NOUN_TAGS = frozenset({"NN", "NNS", "NNP", "NNPS"})
PHRASE_TAGS = NOUN_TAGS | {"JJ", "JJR", "JJS", "VBN", "FW"}
MAX_COMMON_WORDS = 3
MAX_NAME_WORDS = 5
TITLE_BONUS = 2.0
LEAD_BONUS = 1.0
ENTITY_BOOST = 1.5
DEFAULT_LIMIT = 10


class DocumentFrequency(Protocol):
    """How many articles contained a phrase, and how many articles there were."""

    def documents(self) -> int: ...

    def frequency(self, phrase: str) -> int: ...

    def observe(self, phrases: Iterable[str]) -> None: ...


class MappingDocumentFrequency:
    """Document frequencies kept in any mutable str->int mapping (a dict, a Faust table).

    The article count lives in the same mapping under a key no phrase can take.
    """

    DOCUMENTS_KEY = "\x00documents"

    def __init__(self, table: MutableMapping[str, int] | None = None) -> None:
        self.table: MutableMapping[str, int] = table if table is not None else Counter()

    def documents(self) -> int:
        return int(self.table.get(self.DOCUMENTS_KEY, 0))

    def frequency(self, phrase: str) -> int:
        return int(self.table.get(phrase, 0))

    def observe(self, phrases: Iterable[str]) -> None:
        for phrase in set(phrases):
            self.table[phrase] = self.table.get(phrase, 0) + 1
        self.table[self.DOCUMENTS_KEY] = self.documents() + 1


@dataclass(slots=True)
class _Candidate:
    forms: Counter[str]
    count: int = 0
    bonus: float = 0.0
    entity: bool = False
    words: int = 1


def _is_content(token_text: str, lower: str) -> bool:
    return (
        any(c.isalpha() for c in token_text)
        and lower not in STOP_WORDS
        and lower not in NEWS_FILLER
        and not token_text.startswith(("'", "’"))
        and len(token_text) > 1
    )


def _runs(doc: Doc, taken: list[bool]) -> Iterable[tuple[int, int]]:
    """Maximal runs of content tokens of one capitalisation class, outside entity mentions.

    With part-of-speech tags the runs are noun phrases (adjectives and nouns ending in a noun);
    without them, stop words alone delimit the runs.
    """
    tagged = doc.has_annotation("TAG")
    start = None
    capitalised = False
    for i, token in enumerate([*doc, None]):
        if token is None:
            content, is_cap = False, False
        else:
            text = token.text
            content = not taken[i] and not token.is_space and _is_content(text, token.lower_)
            if content and tagged:
                content = token.tag_ in PHRASE_TAGS
            is_cap = text[:1].isupper()
        if start is not None and (not content or is_cap != capitalised):
            end = i
            while tagged and end > start and doc[end - 1].tag_ not in NOUN_TAGS:
                end -= 1
            if end > start:
                yield start, end
            start = None
        if content and start is None:
            start, capitalised = i, is_cap


def _sentence_initial(doc: Doc, i: int) -> bool:
    return i == 0 or doc[i - 1].is_space or doc[i - 1].text in {".", "!", "?", ":", "\"", "“"}


class KeywordExtractor:
    """Ranks an article's key phrases; updates the document frequencies as articles pass."""

    def __init__(self, frequencies: DocumentFrequency | None = None, limit: int = DEFAULT_LIMIT):
        self.frequencies: DocumentFrequency = frequencies or MappingDocumentFrequency()
        self.limit = limit

    def extract(
        self,
        doc: Doc,
        mentions: Sequence[Mention],
        entities: Sequence[Entity],
        title_end: int = 0,
        lead_end: int = 0,
    ) -> list[str]:
        """Best phrases first. `doc` covers headline and body; offsets as in canonical.py."""
        canonical = {form: e.name for e in entities for form in e.surface_forms}
        candidates: dict[str, _Candidate] = {}

        def add(form: str, start_char: int, words: int, entity: bool) -> None:
            key = form.lower()
            candidate = candidates.setdefault(key, _Candidate(Counter(), words=words))
            candidate.forms[form] += 1
            candidate.count += 1
            candidate.entity = candidate.entity or entity
            if start_char < title_end:
                candidate.bonus += TITLE_BONUS
            elif start_char < lead_end:
                candidate.bonus += LEAD_BONUS

        taken = [False] * len(doc)
        for mention in mentions:
            for i in range(mention.token_start, mention.token_end):
                taken[i] = True
            surface = mention.text.strip()
            name = canonical.get(surface) or clean_name(surface, mention.type)
            if name:
                add(name, mention.start, len(name.split()), entity=True)
        for start, end in _runs(doc, taken):
            words = end - start
            capitalised = doc[start].text[:1].isupper()
            lone = words == 1 and capitalised
            if lone and (_sentence_initial(doc, start) or doc[start].text in TITLES):
                continue  # a lone sentence-initial capital or a title is an ordinary word
            if words > (MAX_NAME_WORDS if capitalised else MAX_COMMON_WORDS):
                continue
            span = doc[start:end]
            if capitalised or words > 1 or len(span.text) > 3:
                add(span.text, span.start_char, words, entity=False)

        self.frequencies.observe(candidates)
        return self._rank(candidates)

    def _rank(self, candidates: dict[str, _Candidate]) -> list[str]:
        documents = max(self.frequencies.documents(), 1)
        scored: list[tuple[float, str, str]] = []
        for key, candidate in candidates.items():
            frequency = self.frequencies.frequency(key)
            idf = 1.0 + math.log((documents + 1) / (frequency + 1))
            weight = (candidate.count + candidate.bonus) * (1.0 + 0.5 * (candidate.words - 1))
            if candidate.entity:
                weight *= ENTITY_BOOST
            form = candidate.forms.most_common(1)[0][0]
            scored.append((weight * idf, key, form))
        scored.sort(key=lambda item: (-item[0], item[1]))
        chosen: list[str] = []
        chosen_keys: list[str] = []
        for _, key, form in scored:
            candidate = candidates[key]
            lone_word = candidate.words == 1 and not candidate.entity and form.islower()
            if lone_word and candidate.count < 2:
                continue  # a common word said once is rarely what the story is about
            padded = f" {key} "
            if any(padded in f" {other} " or f" {other} " in padded for other in chosen_keys):
                continue  # "plan" adds nothing once "harbour shield plan" is in
            chosen.append(form)
            chosen_keys.append(key)
            if len(chosen) >= self.limit:
                break
        return chosen
