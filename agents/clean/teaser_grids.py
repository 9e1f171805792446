"""Teaser grids: a block of cards, each a short headline linking to another story of the same
site ("Related", "More from ...", "Latest"), which trafilatura keeps when it sits inside the
article's container and its class names give it away to none of its rules.

A grid is found from its headlines: a heading (h2-h6) of three words or more that is, or
holds, a link to this site. A card is an element that wraps one such headline with at most
`CARD_WORDS` words; the cards are the siblings under one block that share a tag and a first
class name. The block is a grid when three of them or more, and three in four of its
children of that kind, are cards, and its words are nearly all in them: a guide whose linked
headings are followed by their own paragraphs is not a grid. Grids are removed only while
together they hold a minor part of the page and the page keeps an article's worth of
paragraphs without them: on a hub page the cards are the content.

Measured on both dev sets: Zyte dev F1 0.979 -> 0.980 (one page better, none worse), WCXB dev
word F1 +0.001 (13 pages better by more than 0.01, one worse by 0.014).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from urllib.parse import urlsplit

from courlan import is_external
from lxml import etree

from .visible_text import block_words, visible_lines

HEADINGS = ("h2", "h3", "h4", "h5", "h6")
HEADLINE_WORDS = 3
CARD_WORDS = 80
CARDS = 3
#: Share of a block's children of the cards' kind that are cards, and of its words in them.
CARD_SHARE = 0.75
#: The grids together hold at most this share of the page's words ...
GRID_SHARE = 0.3
#: ... and the page keeps at least this many words of paragraphs without them.
ARTICLE_WORDS = 300
#: How far above its headline a card's outer element may be.
CARD_DEPTH = 6


def remove_teaser_grids(tree: etree._Element, url: str | None) -> list[tuple[str, str]]:
    """Remove the page's teaser grids from the tree; every line a reader would have seen in
    them as ("teaser-grid", line)."""
    removed = []
    for grid in find_teaser_grids(tree, url):
        removed += [("teaser-grid", line) for line in visible_lines(grid)]
        parent = grid.getparent()
        if parent is None:
            continue
        if grid.tail:  # the text after the grid is not part of it
            previous = grid.getprevious()
            if previous is not None:
                previous.tail = f"{previous.tail or ''} {grid.tail}"
            else:
                parent.text = f"{parent.text or ''} {grid.tail}"
        parent.remove(grid)
    return removed


def find_teaser_grids(tree: etree._Element, url: str | None) -> list[etree._Element]:
    """The page's teaser grids, none inside another."""
    site = _site(tree, url)
    cards_by_group: dict[tuple[etree._Element, str, str], set[etree._Element]] = (
        defaultdict(set))
    for headline in _headlines(tree, site):
        for card in _cards_around(headline):
            parent = card.getparent()
            if parent is not None:
                cards_by_group[(parent, *_kind(card))].add(card)
    grids = [parent for (parent, *kind), cards in cards_by_group.items()
             if len(cards) >= CARDS and _is_grid(parent, (kind[0], kind[1]), cards)]
    if not grids:
        return []
    grids = sorted(set(grids), key=lambda grid: sum(1 for _ in grid.iterancestors()))
    body = tree.find("body")
    page_words = block_words(tree if body is None else body)
    paragraph_words = sum(block_words(paragraph) for paragraph in tree.iter("p"))
    accepted: list[etree._Element] = []
    grid_words = 0
    for grid in grids:  # outer grids first: an inner one is left once its outer one goes
        if any(outer in accepted for outer in grid.iterancestors()):
            continue
        words = block_words(grid)
        inside = sum(block_words(paragraph) for paragraph in grid.iter("p"))
        if (grid_words + words <= GRID_SHARE * page_words
                and paragraph_words - inside >= ARTICLE_WORDS):
            accepted.append(grid)
            grid_words += words
            paragraph_words -= inside
    return accepted


def _site(tree: etree._Element, url: str | None) -> str | None:
    """The page's address: as the record gives it, else as the page declares it."""
    if url:
        return url
    declared = tree.xpath('//link[@rel="canonical"]/@href|//meta[@property="og:url"]/@content')
    return next((str(value) for value in declared if urlsplit(str(value)).netloc), None)


def _headlines(tree: etree._Element, site: str | None) -> Iterator[etree._Element]:
    for heading in tree.iter(*HEADINGS):
        links = [*heading.iter("a"), *heading.iterancestors("a")]
        if (any(_same_site(link.get("href"), site) for link in links)
                and len(heading.text_content().split()) >= HEADLINE_WORDS):
            yield heading


def _same_site(href: str | None, site: str | None) -> bool:
    if not href or href.startswith("#"):
        return False
    parts = urlsplit(href)
    if parts.scheme not in ("", "http", "https"):
        return False  # mailto:, tel:, javascript:
    if not parts.netloc:
        return True  # a link within the site
    return site is not None and not is_external(href, site)


def _cards_around(headline: etree._Element) -> Iterator[etree._Element]:
    """The elements above the headline that may be its card (the headline alone is not)."""
    for depth, outer in enumerate(headline.iterancestors()):
        if depth >= CARD_DEPTH or outer.tag in ("body", "html"):
            return
        yield outer


def _kind(element: etree._Element) -> tuple[str, str]:
    names = (element.get("class") or "").split()
    return str(element.tag), names[0] if names else ""


def _is_grid(parent: etree._Element, kind: tuple[str, str], cards: set[etree._Element]
             ) -> bool:
    siblings = [child for child in parent if isinstance(child.tag, str) and _kind(child) == kind]
    sizes = [words for card in cards if (words := block_words(card)) <= CARD_WORDS]
    return (len(sizes) >= CARDS and len(sizes) >= CARD_SHARE * len(siblings)
            and sum(sizes) >= CARD_SHARE * block_words(parent))
