"""Restore ordinary casing in ALL-CAPS lines (headlines, datelines) before NER.

The small NER model reads capital letters as a strong name signal, so a shouted headline yields
spurious or missing entities. Each shouted word takes the casing the same word has elsewhere in
the document; words never seen lower-cased elsewhere stay capitalised as names. The result has
exactly the input's length, so character offsets remain valid for the original text.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict

from spacy.lang.en.stop_words import STOP_WORDS

from agents.tag.gazetteer import (
    CITIES_AND_REGIONS,
    COUNTRIES,
    DEMONYM_TO_PLACE,
    ORGANISATIONS,
    PLACE_ALIASES,
)

WORD = re.compile(r"[^\W\d_][\w'’.-]*[\w]|[^\W\d_]")
SENTENCE_END = re.compile(r"[.!?:;\"“”]\s*$")
SHOUTING_SHARE = 0.8

UNSEEN_AS_LOWER = True
# Words of well-known place names keep their capital even when the text never shows it.
KNOWN_NAMES: frozenset[str] = frozenset(
    word.lower()
    for name in (*COUNTRIES, *CITIES_AND_REGIONS, *DEMONYM_TO_PLACE)
    for word in name.split()
    if word.lower() not in STOP_WORDS
)
KNOWN_ACRONYMS: frozenset[str] = frozenset(
    {alias for alias in PLACE_ALIASES if alias.isupper()}
    | {acronym for acronyms in ORGANISATIONS.values() for acronym in acronyms if acronym.isupper()}
)


SHOUTED_WORD = re.compile(r"[^\W\d_a-z]{2}")


def _is_shouting(line: str) -> bool:
    if not SHOUTED_WORD.search(line):
        return False  # no two capitals in a row: nothing here is shouted (the common case)
    words = [w for w in WORD.findall(line) if any(c.isalpha() for c in w)]
    cased = [w for w in words if len(w) > 1]
    if not cased:
        return False
    upper = sum(1 for w in cased if w.isupper())
    return upper / len(cased) >= SHOUTING_SHARE and upper >= 1


def _casing_evidence(lines: list[str], shouting: list[bool]) -> dict[str, Counter[str]]:
    """How each word is written mid-sentence in the document's normally cased lines."""
    evidence: dict[str, Counter[str]] = defaultdict(Counter)
    for line, loud in zip(lines, shouting, strict=True):
        if loud:
            continue
        for match in WORD.finditer(line):
            if match.start() == 0 or SENTENCE_END.search(line[: match.start()]):
                continue  # sentence-initial capitals say nothing about the word
            word = match.group()
            evidence[word.lower()][word] += 1
    return evidence


INFLECTIONS = ("s", "es", "ed", "d", "ing")


def _lower_by_inflection(lower: str, evidence: dict[str, Counter[str]]) -> bool:
    """'spreads' is a common word when the text writes 'spread' in lower case."""
    for suffix in INFLECTIONS:
        base = lower.removesuffix(suffix)
        seen = evidence.get(base) if base != lower and len(base) > 2 else None
        if seen:
            return seen.most_common(1)[0][0].islower()
    return False


def _recase(word: str, first: bool, evidence: dict[str, Counter[str]]) -> str:
    lower = word.lower()
    seen = evidence.get(lower)
    if not seen and not first and _lower_by_inflection(lower, evidence):
        form = lower
    elif seen:
        form = seen.most_common(1)[0][0]
        if first and form.islower():
            form = form[0].upper() + form[1:]
    elif word in KNOWN_ACRONYMS:
        form = word
    elif (lower in STOP_WORDS or UNSEEN_AS_LOWER) and not first and lower not in KNOWN_NAMES:
        form = lower
    else:
        form = word[0] + word[1:].lower()
    return form if len(form) == len(word) else word


def truecase(text: str) -> str:
    """`text` with its ALL-CAPS lines re-cased; every other character is left untouched."""
    if not any(c.isupper() for c in text):
        return text
    lines = text.split("\n")
    shouting = [_is_shouting(line) for line in lines]
    if not any(shouting):
        return text
    evidence = _casing_evidence(lines, shouting)
    out: list[str] = []
    for line, loud in zip(lines, shouting, strict=True):
        if not loud:
            out.append(line)
            continue
        pieces: list[str] = []
        cursor = 0
        for index, match in enumerate(WORD.finditer(line)):
            pieces.append(line[cursor : match.start()])
            pieces.append(_recase(match.group(), index == 0, evidence))
            cursor = match.end()
        pieces.append(line[cursor:])
        out.append("".join(pieces))
    return "\n".join(out)
