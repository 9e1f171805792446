"""The `date` and `date-time` formats of the JSON Schemas, checked as RFC 3339 defines them.

The service compiles the schemas with these checkers, so a date the schema accepts is one
the service accepts: any JSON Schema validator that checks formats (RFC 3339) agrees,
except on a moment before year 1 in UTC ("0001-01-01T00:00:00+05:00"), which the service
cannot hold and rejects.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime

_DATE = re.compile(r"\d{4}-\d{2}-\d{2}", re.ASCII)
_DATE_TIME = re.compile(
    r"\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:[Zz]|[+-]\d{2}:\d{2})", re.ASCII
)


def is_date(value: object) -> bool:
    """RFC 3339 `full-date`: YYYY-MM-DD, a real calendar day."""
    if not isinstance(value, str):
        return True
    if not _DATE.fullmatch(value):
        return False
    try:
        date.fromisoformat(value)
    except ValueError:
        return False
    return True


def is_date_time(value: object) -> bool:
    """RFC 3339 `date-time` (an offset or Z required) that exists and can be said in UTC."""
    if not isinstance(value, str):
        return True
    if not _DATE_TIME.fullmatch(value):
        return False
    try:
        datetime.fromisoformat(value.upper()).astimezone(UTC)
    except (ValueError, OverflowError):
        return False
    return True


FORMATS = {"date": is_date, "date-time": is_date_time}
