"""Repeated copies of the body: pages that hold their article twice or three times (a desktop
and a mobile copy, a tab and its print view), which an extractor returns one after another.

HTML mode only: text mode already reads a line that recurs on the page as furniture, and
dropping the copy there would hide that (measured: text mode on Zyte dev 0.942 -> 0.938).
"""

from __future__ import annotations

from .normalize import count_words

#: A repeat this long is a copy of the article, not a recurring part of it. Real articles
#: repeat short runs (a meal plan's daily block, a recipe card's steps, a pull quote); measured
#: on both dev sets, no run of 5 lines and 200 words repeats in a body that holds one copy.
COPY_LINES = 5
COPY_WORDS = 200


def drop_repeated_copies(lines: list[str]) -> tuple[list[str], list[tuple[str, str]]]:
    """The lines (normalised, as `split_lines` gives them) without runs that repeat an
    earlier run word for word (at least `COPY_LINES` lines and `COPY_WORDS` words), and the
    dropped lines as ("repeated-copy", line)."""
    keys = [line.casefold() for line in lines]
    first_seen: dict[str, int] = {}
    kept: list[str] = []
    removed: list[tuple[str, str]] = []
    position = 0
    while position < len(lines):
        earlier = first_seen.get(keys[position])
        if earlier is not None:
            length = _run_length(keys, earlier, position)
            run = lines[position:position + length]
            if length >= COPY_LINES and sum(map(count_words, run)) >= COPY_WORDS:
                removed.extend(("repeated-copy", line) for line in run)
                position += length
                continue
        if keys[position]:
            first_seen.setdefault(keys[position], position)
        kept.append(lines[position])
        position += 1
    return kept, removed


def _run_length(keys: list[str], earlier: int, position: int) -> int:
    """How many lines from `position` repeat those from `earlier` (the copy ends where the
    original run would reach it)."""
    length = 0
    while (position + length < len(keys) and earlier + length < position
           and keys[earlier + length] == keys[position + length]):
        length += 1
    return length
