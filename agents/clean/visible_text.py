"""A page's visible text, one block per line, the way a naive scraper dumps it.

Like a browser's innerText, a table row is one line with its cells separated by a tab.

Used to feed text mode realistic input from HTML pages (evaluation), and as the yardstick the
HTML extractor's answer is measured against when deciding whether it looks too thin.
"""

from __future__ import annotations

import lxml.html
from lxml import etree

_INVISIBLE = frozenset(
    {"script", "style", "noscript", "template", "svg", "head", "iframe", "object", "canvas",
     "button", "select", "option", "input", "textarea"}
)
_BLOCK = frozenset(
    {"address", "article", "aside", "blockquote", "body", "br", "dd", "details", "dialog", "div",
     "dl", "dt", "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4",
     "h5", "h6", "header", "hr", "li", "main", "nav", "ol", "p", "pre", "section", "summary",
     "table", "tr", "ul", "html", "caption", "center", "menu"}
)

_CELL = frozenset({"td", "th"})


def visible_text(html: str) -> str:
    """Text of every visible element, a line per block element, scripts and styles left out."""
    try:
        root = lxml.html.document_fromstring(html)
    except (etree.ParserError, ValueError):
        return ""
    parts: list[str] = []
    _walk(root, parts)
    lines = ("\t".join(" ".join(cell.split()) for cell in line.split("\t") if cell.strip())
             for line in "".join(parts).split("\n"))
    return "\n".join(line for line in lines if line)


def _walk(element: etree._Element, parts: list[str]) -> None:
    tag = element.tag if isinstance(element.tag, str) else ""
    tag = tag.rsplit("}", 1)[-1].lower()
    if tag in _INVISIBLE or not isinstance(element.tag, str):
        if element.tail:
            parts.append(element.tail)
        return
    block = tag in _BLOCK
    if block:
        parts.append("\n")
    elif tag in _CELL:
        parts.append("\t")
    if element.text:
        parts.append(element.text)
    for child in element:
        _walk(child, parts)
    if block:
        parts.append("\n")
    if element.tail and (tag not in _CELL or element.tail.strip()):
        parts.append(element.tail)  # source line breaks between cells do not split a row


def visible_words(root: etree._Element) -> int:
    """About how many words a reader sees on a parsed page: all text but scripts and styles.

    Cheap (lxml gathers the text in C), for judging whether an extraction covers the page.
    Scripts without spaces between words are counted as such when the page's text opens in
    one (counting them costs more, and few pages need it).
    """
    from .normalize import count_words

    tokens = root.text_content().split()
    hidden = " ".join(root.xpath("//script/text()|//style/text()"))
    words = len(tokens) - len(hidden.split())
    sample = " ".join(tokens[:_SAMPLE_WORDS])
    if not sample.isascii() and count_words(sample) > 2 * len(tokens[:_SAMPLE_WORDS]):
        words = count_words(" ".join(tokens)) - count_words(hidden)
    return max(words, 0)


_SAMPLE_WORDS = 500
