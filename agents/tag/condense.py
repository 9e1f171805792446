"""Leave out the sentences that cannot hold a name before the NER model reads a text.

The model is most of the tag stage's cost and reads every token. English names are
capitalised, so a sentence whose only capital is its first letter, on a word the same text
also writes in lower case ("The", "Analysts", "However"), names nothing: about a sixth of news
prose. Only the other sentences go to the model; a `Layout` maps offsets in the condensed text
back to the original.

A long sentence goes in as windows: every word that could be (part of) a name, with
`CONTEXT_WORDS` words either side, and its last word (the full stop tells the model that the
next sentence starts there); the lower-case stretches between them are left out. The model's
view of a token reaches four tokens either side (four convolution layers of window 1) and its
decision reads that token, the one before it and the entity's first one, so with four words of
margin (four tokens at least) it reads the words of a name as it would in the whole sentence.
On CoNLL-2003 dev 10 of 5,698 mentions change (F1 0.8196 -> 0.8192), and the model reads about
a quarter fewer tokens (a third fewer on long news prose, where the tag stage is 1.3-1.4 times
as fast).
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
CONTEXT_WORDS = 4  # words kept either side of a possible name: as far as the model sees
WINDOWED_MIN_WORDS = 12  # shorter sentences (headlines, table rows) always go in whole
END_WORDS = 1  # kept at the end of a windowed sentence: its full stop marks where the next starts
SPACE_WORD = re.compile(r"\S+")
PRONOUN_I = frozenset({"I", "I'm", "I’m", "I've", "I’ve", "I'd", "I’d", "I'll", "I’ll"})
EDGE_PUNCTUATION = "\"'“”‘’()[]«»,;:.!?-–—"
WORD = re.compile(r"[^\W\d_][\w'’-]*")
LOWER_WORD = re.compile(r"(?<![\w'’-])[a-z][a-z-]+")
#: Any capital or any non-ASCII letter: "al-Qaeda", "iPhone", "Zürich" may be names (unsure).
CAPITAL = re.compile(r"[A-Z]|[^\x00-\x7f]")


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


def _possible_name(word: str, index: int, lower_words: set[str]) -> bool:
    if not CAPITAL.search(word):
        return False
    bare = word.strip(EDGE_PUNCTUATION)
    if bare in PRONOUN_I:
        return False
    # "The", "Analysts": capitalised only because a sentence starts there
    return not (
        index == 0
        and bare[1:].islower()
        and (bare.lower() in STOP_WORDS or bare.lower() in lower_words)
    )


def _windows(segment: str, lower_words: set[str]) -> list[tuple[int, int]]:
    """Character ranges of `segment` to keep: all of it, or windows around possible names
    and its last words (so the model still sees where the sentence ends)."""
    words = [(m.start(), m.end()) for m in SPACE_WORD.finditer(segment)]
    if len(words) < WINDOWED_MIN_WORDS:
        return [(0, len(segment))]
    spans: list[list[int]] = []  # word ranges [from, to) to keep, in order
    for index, (start, end) in enumerate(words):
        if not _possible_name(segment[start:end], index, lower_words):
            continue
        first, last = max(index - CONTEXT_WORDS, 0), index + CONTEXT_WORDS + 1
        if spans and first <= spans[-1][1]:  # no word left out in between: one window
            spans[-1][1] = last
        else:
            spans.append([first, last])
    if not spans:
        return []  # capitals only on "I" and a sentence-initial common word: no name
    tail = len(words) - END_WORDS
    if tail <= spans[-1][1]:
        spans[-1][1] = len(words)
    else:
        spans.append([tail, len(words)])
    ranges = [(words[first][0], words[last - 1][1]) for first, last in spans]
    ranges[-1] = (ranges[-1][0], len(segment))  # the end punctuation or line break too
    if spans[0][0] == 0:
        ranges[0] = (0, ranges[0][1])  # the leading space, so neighbours merge
    return ranges


def condense(text: str) -> tuple[str, Layout]:
    """The text without the sentences and stretches that name nothing, and the layout."""
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
        for window_start, window_end in _windows(segment, lower_words):
            start, end = match.start() + window_start, match.start() + window_end
            if start != kept_until:
                if pieces:  # keep the left-out text's line break, or at least a word break
                    pieces.append("\n" if "\n" in text[kept_until:start] else " ")
                    length += 1
                condensed_starts.append(length)
                original_starts.append(start)
            pieces.append(text[start:end])
            length += end - start
            kept_until = end
    if not condensed_starts:
        condensed_starts, original_starts = [0], [0]
    return "".join(pieces), Layout(condensed_starts, original_starts)
