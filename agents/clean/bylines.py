"""Bylines: who wrote the article ("By Jane Doe and John Smith | Staff Writers, Oct 13, 2024")."""

from __future__ import annotations

import re

from .dates import CLOCK, RELATIVE_TIME, find_date

BYLINE = re.compile(r"^(?:written\s+)?by[:\s]\s*(?P<rest>\S.*)$", re.IGNORECASE)
_CUT = re.compile(r"\s(?:[|•·—–]|-\s)|\b(?:updated|published|posted|last)\b|\d", re.IGNORECASE)
_SPLIT = re.compile(r"\s*(?:,|;|&|\band\b|\bund\b|\bet\b|\by\b|\be\b)\s*")
#: Job titles and desk names that follow a name in a byline, sometimes glued to it.
_ROLE = re.compile(
    r"(?:\s*(?:senior|chief|staff|special|contributing|political|business|foreign|guest|"
    r"deputy|managing|news|sports|science|associate|assistant|executive)?\s*"
    r"(?:writers?|reporters?|correspondents?|editors?|contributors?|columnists?|journalists?|"
    r"producers?|photographers?|staff|desk|team|analysts?))+$",
    re.IGNORECASE,
)
_PARTICLES = frozenset(
    {"de", "da", "del", "der", "van", "von", "la", "le", "di", "du", "bin", "al"}
)
_NAME_TOKEN = re.compile(r"^(?:[A-Z][\w'’.-]*|[A-Z]\.)$")
_NOT_A_NAME = frozenset({
    "the", "news", "press", "associated", "agency", "reuters", "afp", "staff", "online", "media",
    "times", "post", "daily", "service", "wire", "editorial", "board", "team", "view", "admin",
})


def parse_byline(line: str) -> list[str] | None:
    """The author names of a byline ("By A and B ..."), or None when the line is not one."""
    match = BYLINE.match(line.strip())
    if match is None:
        return None
    rest = match.group("rest")
    cut = [m.start() for m in (_CUT.search(rest), find_date(rest), RELATIVE_TIME.search(rest),
                                CLOCK.search(rest)) if m]
    names_part = rest[: min(cut)] if cut else rest
    names = [name for piece in _SPLIT.split(names_part) if (name := _clean_name(piece))]
    return names or None


def _clean_name(piece: str) -> str | None:
    piece = _ROLE.sub("", piece.strip(" .,:;()[]")).strip(" .,:;")
    tokens = piece.split()
    if not 2 <= len(tokens) <= 5:
        return None
    if any(token.lower().strip(".") in _NOT_A_NAME for token in tokens):
        return None
    if not all(_NAME_TOKEN.match(t) or t.lower() in _PARTICLES for t in tokens):
        return None
    return " ".join(tokens)
