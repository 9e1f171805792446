"""Bylines and printed dates."""

from __future__ import annotations

import pytest

from agents.clean.bylines import parse_byline
from agents.clean.dates import parse_date, to_iso


@pytest.mark.parametrize(
    ("line", "names"),
    [
        ("By Jane Doe and John Smith", ["Jane Doe", "John Smith"]),
        ("by Ana Ruiz and Bo Chen October 13, 2031 9:04 PM 2 min read", ["Ana Ruiz", "Bo Chen"]),
        ("By Oren VaskStaff Writer", ["Oren Vask"]),
        ("By Lise de la Mare, Kofi Adjei & Wen Li | Correspondents", ["Lise de la Mare",
                                                                        "Kofi Adjei", "Wen Li"]),
        ("By the Associated Newsroom", None),
        ("Bypass reopens after repairs", None),
    ],
)
def test_byline_names(line: str, names: list[str] | None) -> None:
    assert parse_byline(line) == names


@pytest.mark.parametrize(
    ("text", "iso"),
    [
        ("Oct. 13, 2031 9:04 PM", "2031-10-13"),
        ("Updated 4 March 2031", "2031-03-04"),
        ("Posted 2031-03-04T10:15:00+01:00", "2031-03-04T09:15:00Z"),
        ("no date here", None),
    ],
)
def test_printed_dates(text: str, iso: str | None) -> None:
    assert parse_date(text) == iso


def test_metadata_date_in_either_form() -> None:
    assert to_iso("2031-03-04") == "2031-03-04"
    assert to_iso("March 4, 2031") == "2031-03-04"
    assert to_iso("sometime") is None
