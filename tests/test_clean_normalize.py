"""Normalisation of the clean text: entities, Unicode, invisible characters, whitespace."""

from __future__ import annotations

import unicodedata

from agents.clean import Cleaner
from agents.clean.normalize import decode_entities, join_paragraphs, normalize_line
from schemas.models import RawArticle


def test_entities_are_decoded_including_double_escaped_ones() -> None:
    assert decode_entities("Fish &amp; chips") == "Fish & chips"
    double = "Fish &amp;amp; chips &amp;quot;fresh&amp;quot;"
    assert decode_entities(double) == 'Fish & chips "fresh"'
    assert decode_entities("caf&#233; &#x2014; open") == "café — open"


def test_line_is_nfc_without_zero_width_and_single_spaced() -> None:
    decomposed = "Cafe\u0301   on\u00a0the \u200bcorner\ufeff"
    line = normalize_line(decomposed)
    assert line == "Café on the corner"
    assert unicodedata.is_normalized("NFC", line)


def test_typographic_quotes_are_kept() -> None:
    assert normalize_line("“Yes,” she said, ‘maybe’.") == "“Yes,” she said, ‘maybe’."


def test_paragraphs_are_separated_by_one_blank_line() -> None:
    assert join_paragraphs(["  First  one. ", "", "Second\tone."]) == "First one.\n\nSecond one."


def test_cleaned_text_is_normalised() -> None:
    sentence = ("The ferry operator Kestrel Lines said on Monday that fares &amp;amp; timetables "
                "would stay unchanged for the whole of the coming winter season.")
    text = "\n".join([sentence, "", sentence.replace("Monday", "Friday") + "\u200b"])
    document = Cleaner().clean(RawArticle(text=text))
    assert "&" in document.text and "&amp;" not in document.text
    assert "\u200b" not in document.text
    assert document.text.count("\n\n") == 1
