"""Text mode: a scraper's dump of a whole page → body paragraphs, title, authors, date, tags."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from .bylines import BYLINE, parse_byline
from .cues import STOP_WORDS
from .dates import find_date, parse_date
from .lines import Line, removal_reason, score_lines, select_body
from .normalize import count_words, split_lines
from .page_metadata import unique_tags

_ENDS_LIKE_SENTENCE = re.compile(r"[.:;!?。！？]['\"’”]?$")
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
    #: The outlet's own tags, from a tag line at the top or a "Tags:" line.
    source_tags: list[str] = field(default_factory=list)
    #: Every line left out of the body, with its reason.
    removed: list[tuple[str, str]] = field(default_factory=list)
    #: Why the line rules were overruled (None when they were trusted).
    overruled: str | None = None


def extract_from_text(
    text: str, threshold: float = 0.0, known: Callable[[str], bool] | None = None
) -> TextExtraction:
    """Classify the dump's lines and recover title, authors, date and tags from the header
    lines and the author block.

    `known` tells lines learned as the source's boilerplate (see `source_memory`).
    """
    candidates = [line for line in unwrap(split_lines(text)) if line]
    lines, stamped = _split_date_stamps(candidates)
    scored = score_lines(lines, known)
    tags = _mark_tag_lines(scored)
    block_author = _mark_author_block(scored)
    selection = select_body(scored, threshold)
    body, removed, overruled = selection.kept, selection.removed, None
    if not body and (prose := [line for line in scored if _unnamed_prose(line)]):
        body, removed = prose, [(r, t) for r, t in removed if t not in {x.text for x in prose}]
        overruled = "no line was body by the rules, but the dump holds prose paragraphs"
    first = body[0].index if body else (scored[-1].index + 1 if scored else 0)
    header = [line for line in scored if line.index < first]
    title = _title(header)
    paragraphs = [line.text for line in body if line.text != title]
    authors = _authors(scored, first) or block_author
    return TextExtraction(
        paragraphs, title, authors, stamped or _date(scored, first), candidates,
        tags, removed, overruled,
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


_STAMP_LABEL = re.compile(r"^\W*(?:date|dated|published|posted|updated|on)?\W*$", re.IGNORECASE)
_STAMP_LOOKAHEAD = 8
_LEAD_WORDS = 8


def _split_date_stamps(lines: list[str]) -> tuple[list[str], str | None]:
    """A scraper's date stamp glued to the lead (" date 2024-10-14 The council ..."): the date
    is the article's, the rest of the line is the lead paragraph."""
    out = list(lines)
    for i, line in enumerate(lines[:_STAMP_LOOKAHEAD]):
        match = find_date(line)
        if match is None or not _STAMP_LABEL.match(line[: match.start()]):
            continue
        rest = line[match.end():].lstrip(" -–—|:,")
        if count_words(rest) >= _LEAD_WORDS and (found := parse_date(line)):
            out[i] = rest
            return out, found
    return out, None


_TAG_ITEM = re.compile(r"^[\w'’&.\- ]{1,40}$")
_TAG_PREFIX = re.compile(r"^(?:tags?|topics?|keywords|filed under)\s*:\s*", re.IGNORECASE)
_MIN_TAGS = 3
_TAG_LINE_LOOKAHEAD = 5


def _mark_tag_lines(lines: list[Line]) -> list[str]:
    """The outlet's tags: a "Tags: a, b, c" line anywhere, or a bare tag line near the top
    ("News Feed, Jane Doe, Norway, Sweden, Harbour Plan"). The lines leave the body."""
    tags: list[str] = []
    for line in lines:
        prefixed = _TAG_PREFIX.match(line.text)
        if prefixed is None and line.index >= _TAG_LINE_LOOKAHEAD:
            continue
        found = _tag_items(line.text[prefixed.end():] if prefixed else line.text,
                           1 if prefixed else _MIN_TAGS)
        if found:
            tags.extend(found)
            line.reasons.insert(0, "tag-line")
            line.hard_negative = True
            line.score = min(line.score, 0.0) - 3.0
    return unique_tags(tags)


_TAG_LABEL = re.compile(r"^(?:tags?|topics?|keywords|filed under)\s*:?$", re.IGNORECASE)


def take_tag_lines(paragraphs: list[str]) -> tuple[list[str], list[str], list[tuple[str, str]]]:
    """Tag lines in an extractor's text: "Tags: a, b, c", or a "Tags" label over a line of
    tags. Returns the other lines, the tags, and the removed lines with their reason."""
    kept: list[str] = []
    tags: list[str] = []
    removed: list[tuple[str, str]] = []
    label = False
    for text in paragraphs:
        prefixed = _TAG_PREFIX.match(text)
        items = _tag_items(text[prefixed.end():], 1) if prefixed else (
            _tag_items(text, 2) if label else None)
        if items:
            tags.extend(items)
            removed.append(("tag-line", text))
        elif _TAG_LABEL.match(text):
            removed.append(("tag-line", text))
        else:
            kept.append(text)
        label = _TAG_LABEL.match(text) is not None
    return kept, unique_tags(tags), removed


def _tag_items(text: str, minimum: int) -> list[str] | None:
    if _ENDS_LIKE_SENTENCE.search(text) or (minimum > 2 and "|" in text):
        return None  # a bare line split by bars is a menu, not tags
    items = [item.strip() for item in re.split(r"\s*[,;|]\s*", text) if item.strip()]
    if len(items) < minimum or not all(_TAG_ITEM.match(item) for item in items):
        return None
    if any(len(item.split()) > 5 or (not item[:1].isupper() and not item[:1].isdigit())
           for item in items) and minimum > 2:
        return None  # a bare line of tags is a list of names and labels, not lowercase prose
    return items


_NAME_LINE = re.compile(r"^(?:[A-Z][\w'’.-]*\s?){1,4}$")
_BIO_NAME = re.compile(r"^((?:[A-Z][\w'’.-]+\s){1,4})(?:is|was|has been)\s")


def _mark_author_block(lines: list[Line]) -> list[str]:
    """The author block at the foot: the name on a line or two, then a bio sentence opening
    with that name ("Jane Doe is a freelance journalist ..."). The block leaves the body and
    the name is the article's author."""
    for position in range(len(lines) - 1, 0, -1):
        bio = lines[position]
        match = _BIO_NAME.match(bio.text)
        if "bio" not in bio.reasons or match is None:
            continue
        name = match.group(1).strip()
        name_tokens = set(name.split())
        for line in lines[max(position - 2, 0):position]:
            if _NAME_LINE.match(line.text) and set(line.text.split()) <= name_tokens:
                line.reasons.insert(0, "author-block")
                line.hard_negative = True
                line.score = min(line.score, 0.0) - 3.0
        return [name] if len(name.split()) >= 2 else []
    return []


def _unnamed_prose(line: Line) -> bool:
    return removal_reason(line) is None and line.words >= 15 and bool(
        _ENDS_LIKE_SENTENCE.search(line.text))


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
