"""Line classifier for text dumps: features → score → context smoothing → kept lines.

Each line gets a score from interpretable features (shape of a sentence, length, stop-word share,
punctuation, link/date patterns, repetition, boilerplate cues). A context pass then corrects
single lines by their neighbours: a short line between two body paragraphs is likely body, while
a prose-like line inside a block of teasers ("Read more" followed by headlines and bylines) is not.
Finally the densest run of body lines is found, and lines far outside it must be strong to stay.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

from . import cues
from .bylines import BYLINE, parse_byline
from .dates import CLOCK, DATE_PATTERNS, RELATIVE_TIME, find_date
from .normalize import count_words, mostly_unspaced

_WORD = re.compile(r"\w+", re.UNICODE)
_TERMINAL = re.compile(
    r"[.!?…:;。！？：；]['\"’”»)\]」』）]*$|[.!?]\s*\(\w[^)]*\)$"
)
#: A sentence end inside a line ("... said. The ..."): the line holds two sentences or more.
_INNER_SENTENCE_END = re.compile(r"[.!?]['\"’”)]*\s+['\"“‘(]?[A-Z0-9\u00c0-\u024f]|[。！？]\S")
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
    unspaced = mostly_unspaced(text)
    n = count_words(text) if unspaced else len(words)
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
    if n >= 5 and not unspaced:  # function words and capitals exist only in spaced scripts
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


#: Prompts and teaser links are short: a longer line that mentions a newsletter is prose.
_PROMPT_WORDS = 25


def _flag_boilerplate(line: Line, lowered: str) -> None:
    """Mark lines that named patterns identify as furniture, whatever their shape."""
    text, n = line.text, line.words
    checks = (
        ("teaser-header", n <= 8 and cues.TEASER_HEADER.match(text) is not None),
        ("comments-header", n <= 8 and cues.COMMENTS_HEADER.match(text) is not None),
        ("boilerplate", cues.BOILERPLATE_LINE.match(text) is not None),
        ("copyright", n <= 20 and cues.COPYRIGHT.search(text) is not None),
        ("social-prompt", n <= _PROMPT_WORDS and cues.SOCIAL_PROMPT.search(text) is not None),
        ("newsletter-prompt", n <= _PROMPT_WORDS
         and cues.NEWSLETTER_PROMPT.found(text, lowered)),
        ("credits", n <= _PROMPT_WORDS * 2 and cues.CREDITS.match(text) is not None),
        ("support-appeal", n <= _PROMPT_WORDS * 3
         and cues.SUPPORT_APPEAL.found(text, lowered)),
        ("inline-teaser", n <= _PROMPT_WORDS and cues.INLINE_TEASER.match(text) is not None),
        ("cookie-notice", (n <= _PROMPT_WORDS * 2 and cues.COOKIE_NOTICE.found(text, lowered))
         or cues.COOKIE_CONSENT.match(text) is not None),
        ("form-message", n <= _PROMPT_WORDS and cues.FORM_MESSAGE.found(text, lowered)),
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
    """After a teaser header, the lines that read like teasers are teasers; after a comments
    header, the thread runs until the article clearly resumes.

    Teasers are headlines (short, no sentence punctuation), the one-sentence standfirst under
    a headline, and their bylines and times. A teaser list ends at the first line that is
    article again: a paragraph of two sentences or more, or a sentence that no headline
    introduces (a lone "Featured" label inside the body is only a label). So a heading that
    merely starts like a teaser header ("Popular types of loans") costs the article at most
    one headline and its first sentence, never the rest.

    Headers before the body (two strong lines in a row) are navigation ("Latest", "Popular"
    menus), not teaser lists.

    A comment thread is left only after a run of four strong lines, and not at all once
    timestamps or comment bylines were seen in it: a long comment is prose too, and an article
    does not resume under a thread of dated comments.
    """
    body_seen = False
    i = 0
    while i < len(lines):
        line = lines[i]
        if body_seen and line.comments_header:
            i = _mark_thread(lines, i + 1)
            continue
        if body_seen and line.teaser_header:
            i = _mark_teasers(lines, i + 1)
            continue
        body_seen = body_seen or (i > 0 and _strong(lines[i - 1]) and _strong(line))
        i += 1
    _mark_trailing_teasers(lines)


def _headline_shaped(line: Line) -> bool:
    return (not line.hard_negative and 2 <= line.words <= 20
            and not _TERMINAL.search(line.text) and not _ENUMERATOR.match(line.text))


def _prose(line: Line) -> bool:
    return not line.hard_negative and line.words >= 8 and _TERMINAL.search(line.text) is not None


def _several_sentences(line: Line) -> bool:
    return _prose(line) and _INNER_SENTENCE_END.search(line.text) is not None


def _mark_teasers(lines: list[Line], start: int) -> int:
    """Mark the teaser list that starts at `start`; return the index of the first line after."""
    end = start
    introduced = False  # a teaser list opens with a headline; a sentence means body resumes
    while end < len(lines):
        line = lines[end]
        if line.teaser_header or line.comments_header:
            break
        if line.hard_negative or "repeated" in line.reasons or _headline_shaped(line):
            introduced = True
        elif introduced and _prose(line) and not _several_sentences(line) and line.words <= 45:
            introduced = False
        else:
            break
        end += 1
    for line in lines[start:end]:
        line.score -= 3.0
        line.reasons.append("teaser-block")
    return end


def _mark_thread(lines: list[Line], start: int) -> int:
    """Mark a comment thread from `start`; return the index where the article resumes."""
    thread_meta = 0
    for i in range(start, len(lines)):
        line = lines[i]
        if line.teaser_header or line.comments_header:
            return i
        if not _META.isdisjoint(line.reasons):
            thread_meta += 1
        ahead = lines[i : i + 4]
        leaving = len(ahead) == 4 and all(
            _strong(other) and "between-body" not in other.reasons for other in ahead
        )
        if leaving and thread_meta < 2:
            return i
        line.score -= 3.0
        line.reasons.append("teaser-block")
    return len(lines)


_OUTLET_NAME_WORDS = 5


def _mark_trailing_teasers(lines: list[Line]) -> None:
    """A related story at the very end: its headline, a one-sentence summary, then the name of
    the outlet that ran it (a short label). Peeled off the end as long as the pattern holds."""
    end = len(lines)
    while end > 0 and lines[end - 1].hard_negative:
        end -= 1
    while end >= 3:
        headline, summary, outlet = lines[end - 3], lines[end - 2], lines[end - 1]
        short_label = (not outlet.hard_negative and outlet.words <= _OUTLET_NAME_WORDS
                       and not _TERMINAL.search(outlet.text))
        if not (short_label and _headline_shaped(headline) and _prose(summary)
                and not _several_sentences(summary)):
            return
        for line in (headline, summary, outlet):
            line.score -= 3.0
            line.reasons.append("teaser-block")
        end -= 3
        while end > 0 and lines[end - 1].hard_negative:
            end -= 1


def _strong(line: Line) -> bool:
    return line.score >= _STRONG and not line.hard_negative


#: Furniture inserted into the text of an article (an ad label, a prompt, a teaser link): one
#: such line between text is a gap, not the end of the article.
_INSERTS = frozenset({"boilerplate", "bracketed", "social-prompt", "newsletter-prompt",
                      "inline-teaser", "learned", "link", "repeated", "form-message",
                      "support-appeal"})
#: Why a line inside the article region may be dropped: named furniture, never shape alone.
_NAMED = frozenset({
    "teaser-header", "comments-header", "boilerplate", "copyright", "phrase", "bio", "byline",
    "comment-byline", "bracketed", "arrows", "link", "time", "date", "learned", "teaser-block",
    "between-furniture", "repeated", "symbols", "author-block", "tag-line", "social-prompt",
    "newsletter-prompt", "credits", "inline-teaser", "cookie-notice", "form-message",
    "support-appeal",
})


@dataclass(slots=True)
class Selection:
    """The body lines of a text dump, and every other line with the reason it was left out."""

    kept: list[Line]
    removed: list[tuple[str, str]]


def removal_reason(line: Line) -> str | None:
    """The first named reason the line is furniture, or None when it has none."""
    return next((reason for reason in line.reasons if reason in _NAMED), None)


def select_body(lines: list[Line], threshold: float = 0.0) -> Selection:
    """Body lines: inside the densest region the lines above the threshold and the section
    headings; outside it only runs of strong prose (a second part of the article after a
    large insert); single strong lines there are teaser summaries. Every other line is
    returned with the reason it was left out."""
    if not lines:
        return Selection([], [])
    start, end = _densest_region(lines)
    kept: list[Line] = []
    removed: list[tuple[str, str]] = []
    for i, line in enumerate(lines):
        reason = removal_reason(line)
        if start <= i <= end:
            # A low line without a named reason stays when a paragraph follows it: the
            # heading of a section (a roundup's next story, a listicle's next item).
            heading = reason is None and i + 1 < len(lines) and _prose(lines[i + 1])
            keep = (line.score > threshold or heading) and "teaser-block" not in line.reasons
        else:
            neighbours = lines[max(i - 1, 0) : i] + lines[i + 1 : i + 2]
            keep = "teaser-block" not in line.reasons and line.score > threshold + _STRONG and any(
                other.score > threshold + _STRONG for other in neighbours
            )
            reason = reason or "outside-article"
        if keep:
            kept.append(line)
        else:
            removed.append((reason or "low-score", line.text))
    return Selection(kept, removed)


_SOFT_FLOOR = -1.5
#: Lines that recur in the dump weigh little: a listicle repeats its per-item furniture.
_REPEATED_VALUE = -0.5


def _densest_region(lines: list[Line]) -> tuple[int, int]:
    """Maximum-sum run of clipped scores (Kadane): where the article body sits.

    A single line of named furniture between text (an ad label, a caption credit) is a gap
    that weighs nothing: it is dropped for its own reason and must not cut the lead off the
    rest of the article. Runs of furniture and any other furniture (headers, bylines, dates,
    credits) weigh against it.
    """
    best, best_span = float("-inf"), (0, -1)
    total, start = 0.0, 0
    for i, line in enumerate(lines):
        # Short labels between paragraphs (listicle headings, "See it now" links) cost less
        # than named furniture, so one article interleaved with them stays one region.
        if line.hard_negative:
            gap = set(line.reasons) <= _INSERTS and not any(
                other.hard_negative for other in lines[max(i - 1, 0) : i] + lines[i + 1 : i + 2])
            value = 0.0 if gap else -4.0
        elif "repeated" in line.reasons:
            value = _REPEATED_VALUE  # a template line of every item ("Where to buy"), a menu
        else:
            value = max(_SOFT_FLOOR, min(line.score, 5.0))
        if total <= 0 and value > 0:
            total, start = value, i
        elif total > 0:
            total += value
        if total > best:
            best, best_span = total, (start, i)
    return best_span


#: A date or time line is furniture when little else is on it ("Updated 3 May 2025 10:40").
_STAMP_REST_WORDS = 3
#: A teaser header the extractor kept is a label ("Related", "More stories") or an inline
#: teaser ("Read more: <headline>"); longer ones are section headings ("Popular cities to
#: visit in May").
_HEADER_WORDS = 3
_INLINE_TEASER = re.compile(
    r"^(?:read (?:more|next|also)|also read|see also|related(?: \w+)?|more)\s*:", re.IGNORECASE
)
#: Below this share of the extractor's words kept, the line rules are not trusted on a page.
SAFE_SHARE = 0.6


@dataclass(slots=True)
class Filtered:
    """Lines kept from an extractor's text, the removed ones with their reasons, and whether
    the safety check overruled the rules (then only short named furniture was removed)."""

    kept: list[str]
    removed: list[tuple[str, str]]
    overruled: bool = False


def _furniture_reason(text: str, words: int, index: int) -> str | None:
    """Why a line of extracted text is page furniture, or None: the named prompts, then the
    named furniture of short lines held to what it means inside an article (a byline names
    people, a stamp is mostly a date, a teaser header is a label). Checked lazily in that
    order: the first reason that holds is the line's."""
    lowered = text.lower()
    for reason, cue, most in _PROMPT_CHECKS:
        if words <= most and cue.found(text, lowered):
            return reason
    if words > _FURNITURE_WORDS:
        return None
    if (words <= 8 and cues.TEASER_HEADER.match(text)
            and (words <= _HEADER_WORDS or _INLINE_TEASER.match(text))):
        return "teaser-header"  # longer ones ("Popular types of marketing videos") are headings
    if cues.BOILERPLATE_LINE.match(text):
        return "boilerplate"
    if cues.COPYRIGHT.search(text):
        return "copyright"
    if index > 0 and cues.AUTHOR_BIO.match(text):
        return "bio"
    if BYLINE.match(text) and not _TERMINAL.search(text) and parse_byline(text) is not None:
        return "byline"  # "By function", "By audience": headings
    timed = RELATIVE_TIME.search(text) or CLOCK.search(text)
    dated = timed is None and find_date(text)
    if (timed or dated) and _rest_words(text) <= _STAMP_REST_WORDS:
        return "time" if timed else "date"  # else a sentence that mentions a date
    return None


def _rest_words(text: str) -> int:
    for pattern in (*DATE_PATTERNS, RELATIVE_TIME, CLOCK):
        text = pattern.sub(" ", text)
    return len(_WORD.findall(text))


#: Named furniture other than prompts is short in extracted text.
_FURNITURE_WORDS = 12
#: Prompts, credits and notices, with the most words each may have.
_PROMPT_CHECKS = (
    ("social-prompt", cues.Cue(cues.SOCIAL_PROMPT), _PROMPT_WORDS),
    ("newsletter-prompt", cues.NEWSLETTER_PROMPT, _PROMPT_WORDS),
    ("credits", cues.Cue(cues.CREDITS), 2 * _PROMPT_WORDS),
    ("support-appeal", cues.SUPPORT_APPEAL, 3 * _PROMPT_WORDS),
    ("inline-teaser", cues.Cue(cues.INLINE_TEASER), _PROMPT_WORDS),
    ("cookie-notice", cues.COOKIE_NOTICE, 2 * _PROMPT_WORDS),
    ("form-message", cues.FORM_MESSAGE, _PROMPT_WORDS),
    ("cookie-notice", cues.Cue(cues.COOKIE_CONSENT), math.inf),  # a consent banner is long
)


def strip_furniture(texts: list[str], known: Callable[[str], bool] | None = None) -> Filtered:
    """For already-extracted text: drop short lines named as furniture and lines learned as
    the source's boilerplate (`known`), whatever their length.

    The HTML extractor has found the body; shape alone is no reason to drop its lines here.
    Nor are teaser blocks: in an extractor's text (which has dropped the link lists) a
    "teaser list" is, measured on both dev sets, far more often a guide's headings and short
    sections than teasers. When the learned lines would leave less than `SAFE_SHARE` of the
    extractor's text, the memory is wrong about this page: they are kept, only the short
    named furniture goes.
    """
    kept: list[Line] = []
    learned: list[Line] = []
    removed: list[tuple[str, str]] = []
    for index, text in enumerate(texts):
        if not text:
            continue
        line = Line(text=text, index=index, words=count_words(text))
        if known is not None and known(text):
            learned.append(line)
        elif reason := _furniture_reason(text, line.words, index):
            removed.append((reason, text))
        else:
            kept.append(line)
    learned_words = sum(line.words for line in learned)
    if learned and learned_words > (1 - SAFE_SHARE) * (learned_words + sum(x.words for x in kept)):
        kept = sorted([*kept, *learned], key=lambda line: line.index)
        return Filtered([line.text for line in kept], removed, overruled=True)
    return Filtered([line.text for line in kept],
                    removed + [("learned", line.text) for line in learned])
