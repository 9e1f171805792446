"""Text mode: a scraper's dump of a whole page → body paragraphs, title, authors, date."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from .bylines import BYLINE, parse_byline
from .cues import STOP_WORDS
from .dates import parse_date
from .lines import Line, score_lines, select_body
from .normalize import split_lines

_ENDS_LIKE_SENTENCE = re.compile(r"[.:;!?]['\"’”]?$")
_LOOKBACK = 12


@dataclass(slots=True)
class TextExtraction:
    """What the line classifier found in a text dump."""

    paragraphs: list[str]
    title: str | None
    authors: list[str]
    published_at: str | None
    #: Every non-blank line of the dump before classification: what a source memory learns from.
    candidates: list[str] = field(default_factory=list)


def extract_from_text(
    text: str, threshold: float = 0.0, known: Callable[[str], bool] | None = None
) -> TextExtraction:
    """Classify the dump's lines and recover title, authors and date from the header lines.

    `known` tells lines learned as the source's boilerplate (see `source_memory`).
    """
    candidates = [line for line in unwrap(split_lines(text)) if line]
    lines = score_lines(candidates, known)
    body = select_body(lines, threshold)
    first = body[0].index if body else (lines[-1].index + 1 if lines else 0)
    header = [line for line in lines if line.index < first]
    title = _title(header)
    paragraphs = [line.text for line in body if line.text != title]
    return TextExtraction(
        paragraphs, title, _authors(lines, first), _date(lines, first), candidates
    )


def unwrap(lines: list[str]) -> list[str]:
    """Join hard-wrapped paragraphs (text broken at a width or at <br>) back into one line.

    A line continues the previous one when that is long, stops without sentence punctuation and
    either ends in a function word or comma, or the next line starts in lowercase.
    """
    out: list[str] = []
    for line in lines:
        previous = out[-1] if out else ""
        if line and previous and _continues(previous, line):
            out[-1] = f"{previous} {line}"
        else:
            out.append(line)
    return out


def _continues(previous: str, line: str) -> bool:
    if len(previous) < 40 or _ENDS_LIKE_SENTENCE.search(previous) or len(line.split()) < 2:
        return False
    if BYLINE.match(line):
        return False
    last_word = previous.rsplit(None, 1)[-1].lower()
    return line[0].islower() or previous.endswith(",") or last_word in STOP_WORDS


def _title(header: list[Line]) -> str | None:
    """The headline: a mid-length unpunctuated line just before the body, best above a byline."""
    best: tuple[float, str] | None = None
    recent = header[-_LOOKBACK:]
    for position, line in enumerate(recent):
        if line.hard_negative or "repeated" in line.reasons or not 4 <= line.words <= 25:
            continue
        if line.text.endswith(".") or line.text[:1].islower():
            continue
        distance = len(recent) - position
        value = 1.0 - 0.05 * distance
        below = recent[position + 1 : position + 5]
        if any({"byline", "date", "time"} & set(other.reasons) for other in below):
            value += 1.0
        if best is None or value > best[0]:
            best = (value, line.text)
    return best[1] if best else None


def _authors(lines: list[Line], first_body: int) -> list[str]:
    """Authors from the first byline near the top (or the body's start), else none."""
    for line in lines:
        near_top = line.index <= first_body + 3
        if near_top and "byline" in line.reasons and (names := parse_byline(line.text)):
            return names
    return []


def _date(lines: list[Line], first_body: int) -> str | None:
    """The first printed date among the lines before the body (dateline, byline)."""
    for line in lines:
        if line.index > first_body + 3:
            break
        if {"date", "byline"} & set(line.reasons) and (found := parse_date(line.text)):
            return found
    return None
