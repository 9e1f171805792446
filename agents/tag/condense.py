"""Leave out the sentences that cannot hold a name before the NER model reads a text.

The model is most of the tag stage's cost and reads every token. English names are
capitalised, so a sentence whose only capital is its first letter, on a word the same text
also writes in lower case ("The", "Analysts", "However"), names nothing: about a sixth of news
prose. Only the other sentences go to the model, each whole; a `Layout` maps offsets in the
condensed text back to the original.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass

from spacy.lang.en.stop_words import STOP_WORDS

# A sentence: up to and including its end punctuation (and a closing quote), or a line. The
# period of an initial ("A. Smith", "U.S.") and a decimal point ("4.4") do not end one.
# (Cutting at commas too would leave out half as much again, but the model then reads names
# without the words around them and labels about 1% of mentions differently.)
SEGMENT = re.compile(
    r"(?:[^\n.!?]|(?<=\b[A-Za-z])\.|(?<=\d)\.(?=\d))*(?:[.!?]+[\"”’']?|\n|$)"
)
MIN_WORDS = 4  # shorter pieces save little and are often headings or fragments
WORD = re.compile(r"[^\W\d_][\w'’-]*")
LOWER_WORD = re.compile(r"(?<![\w'’-])[a-z][a-z-]+")
CAPITAL = re.compile(r"[A-Z]|[^\x00-\x7f]")  # any capital or any non-ASCII letter (unsure)


@dataclass(slots=True)
class Layout:
    """Where each kept piece of the condensed text came from in the original."""

    condensed_starts: list[int]
    original_starts: list[int]

    def to_original(self, position: int, end: bool = False) -> int:
        """Original offset of a condensed one (an `end` offset maps with the piece before)."""
        index = bisect_right(self.condensed_starts, position - 1 if end else position) - 1
        index = max(index, 0)
        return self.original_starts[index] + position - self.condensed_starts[index]


def _names_nothing(segment: str, lower_words: set[str]) -> bool:
    words = WORD.findall(segment)
    if len(words) < MIN_WORDS:
        return False
    first = words[0]
    if not first[1:].islower() and len(first) > 1:
        return False  # "US", "UN": an acronym that looks like a stop word is still a name
    if first.lower() not in STOP_WORDS and first.lower() not in lower_words:
        return False
    rest_start = segment.find(first) + len(first)
    return CAPITAL.search(segment, rest_start) is None


def condense(text: str) -> tuple[str, Layout]:
    """The text without the sentences that name nothing, and the offsets' layout."""
    lower_words: set[str] | None = None
    pieces: list[str] = []
    condensed_starts: list[int] = []
    original_starts: list[int] = []
    length = 0
    kept_until = -1  # original end of the last kept piece, to merge neighbours
    for match in SEGMENT.finditer(text):
        segment = match.group()
        if not segment:
            continue
        if lower_words is None:
            lower_words = set(LOWER_WORD.findall(text))
        if _names_nothing(segment, lower_words):
            continue
        if match.start() != kept_until:
            if pieces:  # keep the left-out text's line break, or at least a word break
                pieces.append("\n" if "\n" in text[kept_until : match.start()] else " ")
                length += 1
            condensed_starts.append(length)
            original_starts.append(match.start())
        pieces.append(segment)
        length += len(segment)
        kept_until = match.end()
    if not condensed_starts:
        condensed_starts, original_starts = [0], [0]
    return "".join(pieces), Layout(condensed_starts, original_starts)
