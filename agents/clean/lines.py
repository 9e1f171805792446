"""Line classifier for text dumps: features → score → context smoothing → kept lines.

Each line gets a score from interpretable features (shape of a sentence, length, stop-word share,
punctuation, link/date patterns, repetition, boilerplate cues). A context pass then corrects
single lines by their neighbours: a short line between two body paragraphs is likely body, while
a prose-like line inside a block of teasers ("Read more" followed by headlines and bylines) is not.
Finally the densest run of body lines is found, and lines far outside it must be strong to stay.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

from . import cues
from .bylines import BYLINE
from .dates import CLOCK, RELATIVE_TIME, find_date

_WORD = re.compile(r"\w+", re.UNICODE)
_TERMINAL = re.compile(r"[.!?…:;]['\"’”»)\]]*$|[.!?]\s*\(\w[^)]*\)$")
_OPENING = re.compile(r"^[\"'“‘«(\[¿¡—–-]*[A-Z0-9\u00c0-\u024f\u0370-\u1fff\u3000-\uffff]")
_SYMBOLS = re.compile(r"[|/\\•·»«›‹#_=+*<>~^]")


@dataclass(slots=True)
class Line:
    """One non-blank line with its features and scores."""

    text: str
    index: int
    words: int
    score: float = 0.0
    hard_negative: bool = False
    teaser_header: bool = False
    comments_header: bool = False
    reasons: list[str] = field(default_factory=list)


def line_features(text: str, index: int, repeats: int) -> Line:
    """Score one line on its own (no context)."""
    words = _WORD.findall(text)
    n = len(words)
    line = Line(text=text, index=index, words=n)
    score = 0.0
    lowered = text.lower()
    # Length: body paragraphs are long; labels and menu entries short.
    if n >= 15:
        score += 1.5 + min(n, 80) / 40
    elif n >= 8:
        score += 0.6
    elif n >= 4:
        score -= 0.3
    else:
        score -= 1.2
    # Sentence shape.
    score += 1.0 if _TERMINAL.search(text) else -0.9
    score += 0.2 if _OPENING.match(text) else -0.5
    if n >= 5:
        stop_share = sum(w.lower() in cues.STOP_WORDS for w in words) / n
        score += 1.2 * min(stop_share, 0.4) / 0.4 - 0.6
        capitalised = sum(w[0].isupper() for w in words) / n
        if capitalised > 0.6 and not _TERMINAL.search(text):
            score -= 1.0
            line.reasons.append("title-case")
    if text.isupper() and n >= 2:
        score -= 1.0
    symbols = len(_SYMBOLS.findall(text))
    if symbols and symbols / max(n, 1) > 0.15:
        score -= 1.0 + min(symbols, 5) * 0.2
        line.reasons.append("symbols")
    if repeats > 1:
        score -= 2.0
        line.reasons.append("repeated")
    line.score = score
    _flag_boilerplate(line, lowered)
    return line


def _flag_boilerplate(line: Line, lowered: str) -> None:
    """Mark lines that named patterns identify as furniture, whatever their shape."""
    text, n = line.text, line.words
    checks = (
        ("teaser-header", cues.TEASER_HEADER.match(text) is not None and n <= 8),
        ("comments-header", cues.COMMENTS_HEADER.match(text) is not None and n <= 8),
        ("boilerplate", cues.BOILERPLATE_LINE.match(text) is not None),
        ("copyright", n <= 20 and cues.COPYRIGHT.search(text) is not None),
        ("phrase", n <= 30 and cues.BOILERPLATE_PHRASE.search(text) is not None),
        ("bio", n <= 60 and cues.AUTHOR_BIO.match(text) is not None and line.index > 0),
        ("byline", n <= 25 and BYLINE.match(text) is not None and not _TERMINAL.search(text)),
        ("comment-byline", n <= 8 and cues.COMMENT_BYLINE.match(text) is not None),
        ("bracketed", n <= 25 and cues.BRACKETED.match(text) is not None),
        ("arrows", n <= 12 and cues.ARROWS.search(text) is not None),
        ("link", _mostly_links(text, n)),
        ("time", n <= 12 and (RELATIVE_TIME.search(text) is not None
                              or CLOCK.search(text) is not None)),
        ("date", n <= 12 and find_date(text) is not None),
    )
    for reason, hit in checks:
        if hit:
            line.reasons.append(reason)
            line.hard_negative = True
    line.teaser_header = "teaser-header" in line.reasons
    line.comments_header = "comments-header" in line.reasons
    if line.hard_negative:
        line.score = min(line.score, 0.0) - 3.0


def _mostly_links(text: str, words: int) -> bool:
    """A line that is a link (or a label with one); prose that mentions a URL stays prose."""
    links = len(cues.LINKISH.findall(text))
    return links > 0 and (words <= 8 or links * 6 >= words)


def score_lines(texts: list[str], known: Callable[[str], bool] | None = None) -> list[Line]:
    """Features and context scores for the non-blank lines of a document.

    `known` names lines learned as the source's boilerplate (see `source_memory`): they become
    hard negatives here, so context rules still see them as furniture (a teaser header stays
    a header) instead of the lines vanishing before scoring.
    """
    counts = Counter(text.lower() for text in texts if text)
    lines = [line_features(text, i, counts[text.lower()]) for i, text in enumerate(texts) if text]
    if known is not None:
        for line in lines:
            if known(line.text):
                line.reasons.append("learned")
                line.hard_negative = True
                line.score = min(line.score, 0.0) - 3.0
    _smooth_gaps(lines)
    _penalise_between_furniture(lines)
    _lift_numbered_runs(lines)
    _mark_teaser_blocks(lines)
    return lines


_ENUMERATOR = re.compile(r"^(\d{1,3})(?:[.)ºª°:]|[a-z]{1,2}\b)?\s+\S", re.IGNORECASE)
_NUMBERED_RUN = 3
_NUMBERED_GAP = 3
_NUMBERED_SCORE = 1.0


def _lift_numbered_runs(lines: list[Line]) -> None:
    """Items numbered 1, 2, 3 ... in a row (rankings, standings rows, schedules, listicles) are
    content even though none of them is shaped like a sentence.

    A run needs consecutive numbers, each within a few lines of the previous one (an item may
    carry a link or a note line of its own), and text after the number, so that pagination
    ("1 2 3 Next") is not a run.
    """
    run: list[tuple[int, int]] = []  # (position in lines, number)

    def close() -> None:
        if len(run) >= _NUMBERED_RUN:
            for position, _ in run:
                item = lines[position]
                if not item.hard_negative and item.score < _NUMBERED_SCORE:
                    item.score = _NUMBERED_SCORE
                    item.reasons.append("numbered-run")
        run.clear()

    for position, line in enumerate(lines):
        match = _ENUMERATOR.match(line.text)
        if match is None or line.words < 2:
            continue
        number = int(match.group(1))
        if run and number == run[-1][1] + 1 and position - run[-1][0] <= _NUMBERED_GAP:
            run.append((position, number))
            continue
        close()
        run.append((position, number))
    close()


_STRONG = 2.0


def _smooth_gaps(lines: list[Line]) -> None:
    """A line without hard negatives between two strong body lines is lifted toward body."""
    raw = [line.score for line in lines]
    for i in range(1, len(lines) - 1):
        line = lines[i]
        if line.reasons or raw[i] >= _STRONG:
            continue
        if raw[i - 1] >= _STRONG and raw[i + 1] >= _STRONG:
            line.score = max(raw[i] + 2.5, 0.5)
            line.reasons.append("between-body")


_META = frozenset({"time", "date", "byline", "comment-byline"})


def _penalise_between_furniture(lines: list[Line]) -> None:
    """Prose framed on both sides by furniture, one side a time/date/byline, is a teaser or
    a comment ("NAME says:" / "2 days ago" / text / "Reply"), not part of the article."""
    flags = [line.hard_negative for line in lines]
    meta = [not _META.isdisjoint(line.reasons) for line in lines]
    for i in range(1, len(lines) - 1):
        if flags[i] or not (flags[i - 1] and flags[i + 1]) or not (meta[i - 1] or meta[i + 1]):
            continue
        lines[i].score -= 3.0
        lines[i].reasons.append("between-furniture")


def _mark_teaser_blocks(lines: list[Line]) -> None:
    """After a teaser header, lines are teasers until body resumes with two strong lines in a row.

    Headers before the body (two strong lines in a row) are navigation ("Latest", "Popular"
    menus), not teaser lists. Lines lifted only by their neighbours ("between-body") do not
    count toward leaving: teaser lists alternate headline and summary, and a headline between
    two summaries looks like a short body line.

    A comment thread is left only after a longer run of body, and not at all once timestamps or
    comment bylines were seen in it: a long comment is prose too, and an article does not
    resume under a thread of dated comments.

    A run that mixes bylines/relative times with short headlines is a teaser list even without
    a header; it is handled by the same rule because those lines are hard negatives already.
    """
    run_to_leave = 0
    body_seen = in_thread = False
    thread_meta = 0
    for i, line in enumerate(lines):
        if body_seen and (line.teaser_header or line.comments_header):
            run_to_leave = max(run_to_leave, 4 if line.comments_header else 2)
            in_thread = in_thread or line.comments_header
            continue
        body_seen = body_seen or (i > 0 and _strong(lines[i - 1]) and _strong(line))
        if not run_to_leave:
            continue
        if in_thread and not _META.isdisjoint(line.reasons):
            thread_meta += 1
        ahead = lines[i : i + run_to_leave]
        leaving = len(ahead) == run_to_leave and all(
            _strong(other) and "between-body" not in other.reasons for other in ahead
        )
        if leaving and not (in_thread and thread_meta >= 2):
            run_to_leave, in_thread, thread_meta = 0, False, 0
            continue
        line.score -= 3.0
        line.reasons.append("teaser-block")


def _strong(line: Line) -> bool:
    return line.score >= _STRONG and not line.hard_negative


def select_body(lines: list[Line], threshold: float = 0.0) -> list[Line]:
    """Body lines: those above threshold inside the densest region, strong ones outside it."""
    if not lines:
        return []
    start, end = _densest_region(lines)
    kept = []
    for i, line in enumerate(lines):
        if start <= i <= end:
            keep = line.score > threshold
        else:
            # Outside the main region only runs of strong prose survive (a second part of the
            # article after a large insert); single strong lines there are teaser summaries.
            neighbours = lines[max(i - 1, 0) : i] + lines[i + 1 : i + 2]
            keep = "teaser-block" not in line.reasons and line.score > threshold + _STRONG and any(
                other.score > threshold + _STRONG for other in neighbours
            )
        if keep:
            kept.append(line)
    return kept


_SOFT_FLOOR = -1.5


def _densest_region(lines: list[Line]) -> tuple[int, int]:
    """Maximum-sum run of clipped scores (Kadane): where the article body sits."""
    best, best_span = float("-inf"), (0, -1)
    total, start = 0.0, 0
    for i, line in enumerate(lines):
        # Short labels between paragraphs (listicle headings, "See it now" links) cost less
        # than named furniture, so one article interleaved with them stays one region.
        value = max(-4.0 if line.hard_negative else _SOFT_FLOOR, min(line.score, 5.0))
        if total <= 0:
            total, start = value, i
        else:
            total += value
        if total > best:
            best, best_span = total, (start, i)
    return best_span


#: Reasons strong enough to drop a line the HTML extractor already judged to be body. Links,
#: brackets and inline phrases are left out: inside an article they are usually content.
_FURNITURE = frozenset(
    {"teaser-header", "boilerplate", "copyright", "byline", "bio", "time", "date"}
)


def strip_furniture(texts: list[str], known: Callable[[str], bool] | None = None) -> list[str]:
    """For already-extracted text: drop only short lines named as furniture, teaser blocks
    and lines learned as the source's boilerplate (`known`), whatever their length.

    The HTML extractor has found the body; shape alone is no reason to drop its lines here.
    """
    kept: list[Line] = []
    for line in score_lines(texts, known):
        furniture = line.words <= 12 and not _FURNITURE.isdisjoint(line.reasons)
        if not furniture and not {"teaser-block", "learned"} & set(line.reasons):
            kept.append(line)
    return [line.text for line in kept]

