"""Dates as pages print them ("Oct. 13, 2024 9:04 PM", "13 October 2024", "2024-10-13")."""

from __future__ import annotations

import re
from datetime import date

from agents.identity import normalize_timestamp

_MONTHS = {
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6, "jul": 7, "aug": 8, "sep": 9,
    "oct": 10, "nov": 11, "dec": 12,
}
_MONTH = (r"(?P<month>Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|"
          r"Aug(?:ust)?|Sept?(?:ember)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?")
_YEAR = r"(?P<year>(?:19|20)\d\d)"
_DAY = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?"
_TIME = r"(?:\s*(?:at\s+)?[0-2]?\d[:.][0-5]\d(?:\s*[ap]\.?m\.?)?(?:\s+[A-Z]{2,4})?)?"

#: Day-first, month-first and ISO forms; each names the groups year/month/day.
DATE_PATTERNS = (
    re.compile(rf"\b{_MONTH}\s+{_DAY},?\s+{_YEAR}\b{_TIME}", re.IGNORECASE),
    re.compile(rf"\b{_DAY}\s+{_MONTH},?\s+{_YEAR}\b{_TIME}", re.IGNORECASE),
    re.compile(r"\b(?P<year>(?:19|20)\d\d)-(?P<month>[01]\d)-(?P<day>[0-3]\d)"
               r"(?P<time>T[0-2]\d:[0-5]\d(?::[0-5]\d(?:\.\d+)?)?(?:Z|[+-][0-2]\d:?[0-5]\d))?"),
)
#: "14h ago", "2 hours ago", "3 min read", "Updated 5 minutes ago": times without a date.
RELATIVE_TIME = re.compile(
    r"\b\d+\s*(?:s|m|h|d|w|sec|secs|min|mins|hr|hrs|seconds?|minutes?|hours?|days?|weeks?|"
    r"months?|years?)\s+(?:ago|read)\b|\b(?:yesterday|just now)\b",
    re.IGNORECASE,
)
CLOCK = re.compile(r"\b[0-2]?\d:[0-5]\d(?:\s*[ap]\.?m\.?)?(?:\s+[A-Z]{2,4})?\b", re.IGNORECASE)


def find_date(text: str) -> re.Match[str] | None:
    """The first printed date in the text, if any."""
    found = [m for pattern in DATE_PATTERNS if (m := pattern.search(text))]
    return min(found, key=lambda m: m.start()) if found else None


def parse_date(text: str) -> str | None:
    """The first printed date as ISO 8601: a full RFC 3339 time when zoned, else the day alone."""
    match = find_date(text)
    if match is None:
        return None
    parts = match.groupdict()
    if parts.get("time"):
        try:
            return normalize_timestamp(match.group(0))
        except ValueError:
            pass
    month_text = parts["month"]
    month = int(month_text) if month_text.isdigit() else _MONTHS.get(month_text[:3].lower())
    try:
        return date(int(parts["year"]), month or 0, int(parts["day"])).isoformat()
    except ValueError:
        return None


def to_iso(value: str | None) -> str | None:
    """A metadata date from anywhere (ISO or printed) as ISO 8601, or None if it is no date."""
    if not value:
        return None
    try:
        return normalize_timestamp(value)
    except ValueError:
        return parse_date(value)
