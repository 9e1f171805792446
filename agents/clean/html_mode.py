"""HTML mode: trafilatura's extraction with a profile per kind of page, checked against the
page and retried when unsure, then tidied line by line."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

import trafilatura
from lxml import etree
from trafilatura.utils import load_html

from .config import CleanConfig
from .lines import strip_furniture
from .normalize import count_words, split_lines
from .page_metadata import page_metadata, unique_tags
from .repeats import drop_repeated_copies
from .shield import shield_article_blocks
from .teaser_grids import remove_teaser_grids
from .text_mode import take_tag_lines
from .visible_text import visible_words


@dataclass(slots=True)
class HtmlExtraction:
    """Body paragraphs and page metadata from one HTML page."""

    paragraphs: list[str]
    title: str | None
    authors: list[str]
    published_at: str | None
    #: The body's lines before any line is removed (the extractor's, or the page's declared
    #: body): what a source memory learns from.
    candidates: list[str] = field(default_factory=list)
    #: The outlet's own tags for the article (keywords meta, article:tag, JSON-LD keywords).
    source_tags: list[str] = field(default_factory=list)
    #: Every line left out, with its reason: teaser grids, repeated copies, furniture, learned
    #: boilerplate, tag lines, the headline.
    removed: list[tuple[str, str]] = field(default_factory=list)
    #: Why the line rules were overruled on this page (None when they were trusted).
    overruled: str | None = None


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
    shield_article_blocks(tree)
    grids = remove_teaser_grids(tree, url)
    text = _extract_body(tree, url, news=meta.page_type == "news")
    removed = grids
    if meta.declared_body and _declared_body_holds_more(meta.declared_body, text):
        declared = meta.declared_body
        removed += [("not-in-declared-body", line) for line in split_lines(text)
                    if line and line not in declared]
        text = declared
    candidates = [line for line in split_lines(text) if line]
    paragraphs, copies = drop_repeated_copies(candidates)
    removed += copies
    overruled = None
    if config.line_cleanup_in_html_mode:
        filtered = strip_furniture(paragraphs, known)
        paragraphs, removed = filtered.kept, removed + filtered.removed
        if filtered.overruled:
            overruled = "the line rules would have kept too little of the extractor's text"
    elif known is not None:
        removed += [("learned", line) for line in paragraphs if known(line)]
        paragraphs = [line for line in paragraphs if not known(line)]
    paragraphs, printed_tags, tag_lines = take_tag_lines(paragraphs)
    removed += tag_lines
    if paragraphs and all(count_words(line) < _LABEL_WORDS for line in paragraphs):
        # Menu labels and nothing else: the extractor found no article on this page.
        removed += [("labels-only", line) for line in paragraphs]
        paragraphs = []
    paragraphs = _without_leading_title(paragraphs, _title_candidates(tree, meta.title), removed)
    return HtmlExtraction(paragraphs, meta.title, meta.authors, meta.published_at, candidates,
                          unique_tags([*meta.source_tags, *printed_tags]), removed, overruled)


#: Lines shorter than this are labels (menu entries, buttons), not text.
_LABEL_WORDS = 4
#: The fast extraction is unsure below this many words (a wrong main-content pick is often
#: that short) or below this share of the words a reader sees on the page (it picked one box
#: of a long page), unless it holds SURE_WORDS: that long a pick is an article, whatever else
#: the page holds (comments, product grids, link lists). Only an unsure pick pays for the full
#: pass with fallback extractors. Measured on both dev sets: no fast pick of more than 520
#: words gained from the full pass, and SURE_WORDS spares it on more than half of the unsure
#: WCXB pages (178 -> 74) with the same scores on both sets.
UNSURE_WORDS = 60
UNSURE_SHARE = 0.25
SURE_WORDS = 600
#: The full pass replaces an unsure fast pick only when it holds this many times its words.
#: A few more lines are what the other modes keep around the same body (captions, teasers,
#: a related-story box), not the article the fast pass missed: measured on both dev sets,
#: the full pass's wins hold two to twenty times the fast pick's words, and its picks of
#: under 1.5 times lost on every page (nine news pages, up to 0.11 F1 each).
FULLER_GAIN = 1.5


def _extract_body(tree: etree._Element, url: str | None, *, news: bool) -> str:
    """trafilatura's fast pass, with the profile of the kind of page; when that looks unsure,
    its full pass (fallback extractors readability and jusText, and its own recall retry),
    which wins when it holds far more text.

    Profiles, measured on both dev sets: a news article (a page that declares itself a
    schema.org NewsArticle) is one body among teasers, promos and sign-up boxes, which
    precision mode leaves out; every other page (guides, listicles, reviews, blog posts) is
    extracted in recall mode, as precision mode cuts their short sections. The full pass
    complements the fast one: on a news page, where precision mode missed the body, recall
    mode finds it (as often as balanced mode, measured on both dev sets, at a third of its
    cost); on other pages balanced mode recovers whole articles that the recall comparisons
    miss. The page goes in parsed (the tree the metadata were read from, with its article
    blocks shielded and its teaser grids removed): trafilatura copies it before changing it,
    which costs a fraction of parsing it again.
    """
    text = trafilatura.extract(tree, url=url, include_comments=False, fast=True,
                               favor_precision=news, favor_recall=not news) or ""
    words = count_words(text)
    if words >= SURE_WORDS or (words >= UNSURE_WORDS and words >= UNSURE_SHARE * visible_words(
            tree, enough=int(words / UNSURE_SHARE))):
        return text
    fuller = trafilatura.extract(tree, url=url, include_comments=False, favor_recall=news) or ""
    return fuller if count_words(fuller) >= FULLER_GAIN * max(words, 1) else text


#: The page's declared article body (JSON-LD articleBody) replaces the extraction when it is
#: this many times longer and holds this share of the extracted words: the page renders its
#: body by script, and the extractor found only what the markup shows (a teaser, a first
#: section). A shorter or different declared body is a summary or another article's.
DECLARED_BODY_RATIO = 2.0
DECLARED_BODY_HOLDS = 0.75


def _declared_body_holds_more(declared: str, extracted: str) -> bool:
    """Whether the declared body is the whole of an article of which the extractor found a
    part."""
    if count_words(declared) < DECLARED_BODY_RATIO * max(1, count_words(extracted)):
        return False
    found = Counter(_WORD.findall(extracted.casefold()))
    declared_words = Counter(_WORD.findall(declared.casefold()))
    shared = sum(min(count, declared_words[word]) for word, count in found.items())
    return shared >= DECLARED_BODY_HOLDS * sum(found.values())


def _title_candidates(tree: etree._Element, title: str | None) -> list[str]:
    """The headline as the page states it: metadata title, first <h1>, <title>."""
    found = [title] if title else []
    for path in (".//h1", ".//title"):
        node = tree.find(path)
        if node is not None:
            found.append(" ".join(node.text_content().split()))
    return [text for text in found if text]


#: Share of words a first line must share with a title to be that title (site names and
#: kickers differ between the <title>, the og:title and the printed headline).
_TITLE_OVERLAP = 0.6
_TITLE_MAX_WORDS = 40


_HEADLINE_LOOKAHEAD = 3
_BARE_URL = re.compile(r"^(?:https?://|www\.)\S+$")


def _without_leading_title(
    paragraphs: list[str], titles: list[str], removed: list[tuple[str, str]]
) -> list[str]:
    """The headline is metadata, not body: drop it when the extractor kept it among the first
    lines (words mostly shared with one of the page's titles; a sentence ending in a full
    stop only when it is the title word for word), with a bare URL line before it."""
    if not paragraphs or not titles:
        return paragraphs
    others = [_words(title) for title in titles]
    for position, line in enumerate(paragraphs[:_HEADLINE_LOOKAHEAD]):
        words = _words(line)
        if not words or len(words) > _TITLE_MAX_WORDS:
            continue
        best = max(len(words & other) / len(words | other) for other in others)
        if best >= _TITLE_OVERLAP and (best == 1.0 or not line.rstrip().endswith(".")):
            before = paragraphs[:position]
            urls = [text for text in before if _BARE_URL.match(text)]
            removed.extend([*(("link", url) for url in urls), ("headline", line)])
            return [text for text in before if text not in urls] + paragraphs[position + 1:]
    return paragraphs


_WORD = re.compile(r"\w+")


def _words(text: str) -> set[str]:
    return set(_WORD.findall(text.casefold()))
