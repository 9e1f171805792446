"""Text normalisation shared by both modes: entities, Unicode form, invisible characters, spaces."""

from __future__ import annotations

import html
import re
import unicodedata

_ZERO_WIDTH = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u00ad]")
_INLINE_SPACE = re.compile(r"[ \t\f\v\u00a0\u2000-\u200a\u202f\u205f\u3000]+")
_ENTITY = re.compile(r"&(#\d+|#[xX][0-9a-fA-F]+|[A-Za-z][A-Za-z0-9]{1,31});")
_LINE_BREAKS = re.compile(r"\r\n?|[\u2028\u2029\x85]")


def decode_entities(text: str) -> str:
    """Decode HTML entities, repeatedly, so double-escaped ones (`&amp;amp;`) come out right too."""
    for _ in range(3):
        if not _ENTITY.search(text):
            break
        text = html.unescape(text)
    return text


def normalize_line(line: str) -> str:
    """One line: entities decoded, NFC, no invisible characters, runs of spaces made single."""
    line = unicodedata.normalize("NFC", decode_entities(line))
    line = _ZERO_WIDTH.sub("", line)
    return _INLINE_SPACE.sub(" ", line).strip()


def split_lines(text: str) -> list[str]:
    """The text's lines, normalised, with blank lines kept as "" (they mark block boundaries)."""
    return [normalize_line(line) for line in _LINE_BREAKS.sub("\n", text).split("\n")]


def join_paragraphs(paragraphs: list[str]) -> str:
    """Paragraphs separated by one blank line; empty ones and surrounding space dropped."""
    return "\n\n".join(p for p in (normalize_line(p) for p in paragraphs) if p)
