"""Text normalisation shared by both modes: entities, Unicode form, invisible characters, spaces."""

from __future__ import annotations

import html
import re
import unicodedata

_ZERO_WIDTH = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u00ad]")
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
    if "&" in line:
        line = decode_entities(line)
    if not line.isascii():
        line = _ZERO_WIDTH.sub("", unicodedata.normalize("NFC", line))
    return " ".join(line.split())  # runs of any Unicode space


def split_lines(text: str) -> list[str]:
    """The text's lines, normalised, with blank lines kept as "" (they mark block boundaries)."""
    return [normalize_line(line) for line in _LINE_BREAKS.sub("\n", text).split("\n")]


def join_paragraphs(paragraphs: list[str]) -> str:
    """Paragraphs separated by one blank line; empty ones and surrounding space dropped."""
    return "\n\n".join(p for p in (normalize_line(p) for p in paragraphs) if p)


#: Scripts written without spaces between words (kana, CJK ideographs, Thai, Lao, Khmer).
NO_SPACE_SCRIPT = "\u0e00-\u0eff\u1780-\u17ff\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_UNSPACED_RUN = re.compile(f"[{NO_SPACE_SCRIPT}]+")
_LETTERS = re.compile(r"[^\W\d_]+")
#: Characters of an unspaced script per word, on average (Chinese words are 1-2 characters).
_CHARS_PER_WORD = 2


def count_words(text: str) -> int:
    """Words in any script: spaced words, plus one word per two characters of scripts that
    do not separate words by spaces, so a Chinese paragraph is long, not one "word"."""
    if text.isascii():
        return len(text.split())
    runs = _UNSPACED_RUN.findall(text)
    if not runs:
        return len(text.split())
    unspaced = sum(map(len, runs))
    return len(_UNSPACED_RUN.sub(" ", text).split()) + -(-unspaced // _CHARS_PER_WORD)


def mostly_unspaced(text: str) -> bool:
    """Whether most of the text's letters are in a script without spaces between words."""
    if text.isascii() or _UNSPACED_RUN.search(text) is None:
        return False
    unspaced = sum(map(len, _UNSPACED_RUN.findall(text)))
    return unspaced * 2 >= sum(map(len, _LETTERS.findall(text)))
