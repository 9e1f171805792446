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
#: Form controls hide their labels from a text dump; one holding more words than this is
#: malformed markup that swallowed the page, and its text is shown.
_CONTROLS = frozenset({"button", "select", "option"})
_CONTROL_WORDS = 50


def visible_text(html: str) -> str:
    """Text of every visible element, a line per block element, scripts and styles left out."""
    try:
        root = lxml.html.document_fromstring(html)
    except (etree.ParserError, ValueError):
        return ""
    parts: list[str] = []
    _walk(root, parts)
    return "\n".join(_lines(parts))


def visible_lines(element: etree._Element) -> list[str]:
    """The lines a reader sees inside one element of a page (its tail left out)."""
    parts = [element.text] if element.text else []
    for child in element:
        _walk(child, parts)
    return _lines(parts)


def _lines(parts: list[str]) -> list[str]:
    lines = ("\t".join(" ".join(cell.split()) for cell in line.split("\t") if cell.strip())
             for line in "".join(parts).split("\n"))
    return [line for line in lines if line]


def _walk(element: etree._Element, parts: list[str]) -> None:
    tag = element.tag if isinstance(element.tag, str) else ""
    tag = tag.rsplit("}", 1)[-1].lower()
    if tag in _CONTROLS and len(element.text_content().split()) > _CONTROL_WORDS:
        tag = "div"  # an unclosed <button> the parser wrapped the rest of the page in
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


#: Elements whose text a reader does not see inside a block of the page.
HIDDEN_TEXT = ("script", "style", "noscript", "template")


def block_words(element: etree._Element, text: str | None = None) -> int:
    """Words a reader sees in one block of a page (`text`: its `text_content()`, when the
    caller has it already): its text without that of its scripts and styles."""
    words = len((element.text_content() if text is None else text).split())
    return words - sum(len((hidden.text or "").split()) for hidden in element.iter(*HIDDEN_TEXT))


def visible_words(root: etree._Element, enough: int | None = None) -> int:
    """About how many words a reader sees on a parsed page: all text but scripts and styles.

    Cheap (lxml gathers the text in C), for judging whether an extraction covers the page.
    Scripts without spaces between words are counted as such when the page's text opens in
    one (counting them costs more, and few pages need it). With `enough`, a page whose text
    including its scripts has at most that many words is not measured further (the caller
    only needs to know it is no longer): the count returned is then that upper bound.
    """
    from .normalize import count_words

    tokens = root.text_content().split()
    sample = " ".join(tokens[:_SAMPLE_WORDS])
    unspaced = not sample.isascii() and count_words(sample) > 2 * len(tokens[:_SAMPLE_WORDS])
    if enough is not None and not unspaced and len(tokens) <= enough:
        return len(tokens)
    hidden = " ".join(root.xpath("//script/text()|//style/text()"))
    if unspaced:
        return max(count_words(" ".join(tokens)) - count_words(hidden), 0)
    return max(len(tokens) - len(hidden.split()), 0)


_SAMPLE_WORDS = 500
