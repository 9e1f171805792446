"""HTML mode: trafilatura's extraction, checked, retried for recall, and tidied line by line."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import trafilatura
from trafilatura.utils import load_html

from .config import CleanConfig
from .lines import strip_furniture
from .normalize import split_lines
from .page_metadata import page_metadata


@dataclass(slots=True)
class HtmlExtraction:
    """Body paragraphs and page metadata from one HTML page."""

    paragraphs: list[str]
    title: str | None
    authors: list[str]
    published_at: str | None
    #: The extractor's lines before the furniture filter: what a source memory learns from.
    candidates: list[str] = field(default_factory=list)


def extract_from_html(
    page: str,
    config: CleanConfig,
    url: str | None = None,
    known: Callable[[str], bool] | None = None,
) -> HtmlExtraction:
    """Body and metadata of an HTML page (empty paragraphs if nothing is found).

    `known` tells lines learned as the source's boilerplate (see `source_memory`).
    """
    tree = load_html(page)
    if tree is None:
        return HtmlExtraction([], None, [], None)
    meta = page_metadata(tree)
    text = _extract_body(page, url)
    candidates = [line for line in split_lines(text) if line]
    paragraphs = candidates
    if config.line_cleanup_in_html_mode:
        paragraphs = strip_furniture(paragraphs, known)
    elif known is not None:
        paragraphs = [line for line in paragraphs if not known(line)]
    paragraphs = _without_leading_title(paragraphs, meta.title)
    return HtmlExtraction(paragraphs, meta.title, meta.authors, meta.published_at, candidates)


#: Below this many words the fast extraction is unsure: a news body is rarely that short,
#: while a wrong main-content pick often is. Only then do the fallback extractors run.
UNSURE_WORDS = 60


def _extract_body(page: str, url: str | None) -> str:
    """trafilatura's fast pass; its full pass with fallback extractors when that looks unsure.

    The page goes in as a string: given a parsed tree, trafilatura copies it, which costs
    more than parsing again.
    """
    options = {"url": url, "include_comments": False, "favor_precision": True}
    text = trafilatura.extract(page, fast=True, **options) or ""
    if len(text.split()) >= UNSURE_WORDS:
        return text
    fuller = trafilatura.extract(page, **options) or ""
    return fuller if len(fuller.split()) > len(text.split()) else text


def _without_leading_title(paragraphs: list[str], title: str | None) -> list[str]:
    """The headline is metadata, not body: drop it when the extractor kept it as a first line."""
    if paragraphs and title and _comparable(paragraphs[0]) == _comparable(title):
        return paragraphs[1:]
    return paragraphs


def _comparable(text: str) -> str:
    return " ".join(text.casefold().split()).strip(" .")
