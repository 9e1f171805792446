"""Title, authors and date from an HTML page's own markup (meta tags, JSON-LD, <h1>, <time>).

Cheaper than trafilatura's metadata pass (no date guessing from the text) and enough for news
pages, which nearly always declare these in Open Graph / schema.org markup.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from lxml import etree

from .bylines import parse_byline
from .normalize import normalize_line
from .visible_text import visible_text

_DATE_META = (
    "article:published_time", "og:published_time", "datepublished", "pubdate", "publishdate",
    "publish-date", "date", "dc.date", "dc.date.issued", "dcterms.created", "sailthru.date",
    "parsely-pub-date", "article.published", "published_time",
)
_TITLE_META = ("og:title", "twitter:title", "headline", "dc.title")
_AUTHOR_META = (
    "author", "article:author", "dc.creator", "parsely-author", "byl", "sailthru.author",
)
_SITE_SUFFIX = re.compile(r"\s+[|–—-]\s+[^|–—-]{2,40}$")
_ARTICLE_TYPES = re.compile(r"Article|Posting|Report|NewsArticle|BlogPosting", re.IGNORECASE)
#: schema.org's NewsArticle and its kinds (Reportage-, Analysis-, Opinion-, Review- ...).
_NEWS_TYPES = re.compile(r"NewsArticle\b")


@dataclass(slots=True)
class PageMetadata:
    """What the page says about itself."""

    title: str | None = None
    authors: list[str] = field(default_factory=list)
    published_at: str | None = None
    #: The outlet's own tags: <meta name="keywords">, article:tag, JSON-LD keywords.
    source_tags: list[str] = field(default_factory=list)
    #: "news" when the page declares itself a schema.org NewsArticle (or a kind of one),
    #: else "other" (blog posts, guides, listicles, reviews, how-tos).
    page_type: str = "other"
    #: The article's text as the page declares it (the longest JSON-LD articleBody), which
    #: holds the body on pages that render it by script.
    declared_body: str | None = None


def page_metadata(tree: etree._Element) -> PageMetadata:
    """Metadata from markup, JSON-LD first (most specific), then meta tags, then visible cues."""
    meta = _meta_tags(tree)
    found = PageMetadata()
    tags: list[str] = []
    for item in _json_ld_articles(tree):
        found.title = found.title or _text(item.get("headline"))
        found.published_at = found.published_at or _text(item.get("datePublished"))
        found.authors = found.authors or _ld_authors(item.get("author"))
        tags.extend(_tag_list(item.get("keywords")))
        body = _declared_text(item.get("articleBody"))
        if body and len(body) > len(found.declared_body or ""):
            found.declared_body = body
        if _NEWS_TYPES.search(str(item.get("@type"))):
            found.page_type = "news"
    for node in tree.xpath('//meta[@property="article:tag" or @name="article:tag"]'):
        tags.extend(_tag_list(node.get("content")))
    tags.extend(_tag_list(meta.get("keywords")))
    found.source_tags = unique_tags(tags)
    found.title = found.title or next((meta[k] for k in _TITLE_META if meta.get(k)), None)
    if not found.title:
        found.title = _first_text(tree, "//h1") or _strip_site(_first_text(tree, "//title"))
    found.published_at = found.published_at or next(
        (meta[k] for k in _DATE_META if meta.get(k)), None
    ) or _first_attr(tree, "//time[@datetime]", "datetime")
    if not found.authors:
        names = [meta[k] for k in _AUTHOR_META if meta.get(k) and "/" not in meta[k]]
        found.authors = _split_names(names[0]) if names else _byline_authors(tree)
    if found.title:
        found.title = normalize_line(found.title)
    return found


def _meta_tags(tree: etree._Element) -> dict[str, str]:
    values: dict[str, str] = {}
    for node in tree.iterfind(".//meta"):
        key = (node.get("property") or node.get("name") or node.get("itemprop") or "").lower()
        content = (node.get("content") or "").strip()
        if key and content and key not in values:
            values[key] = content
    return values


def _json_ld_articles(tree: etree._Element) -> Iterator[dict[str, Any]]:
    for node in tree.xpath('//script[@type="application/ld+json"]'):
        try:
            data = json.loads(node.text or "")
        except (json.JSONDecodeError, TypeError):
            continue
        for item in _walk_ld(data):
            if _ARTICLE_TYPES.search(str(item.get("@type"))):
                yield item


def _walk_ld(data: Any) -> Iterator[dict[str, Any]]:
    if isinstance(data, list):
        for item in data:
            yield from _walk_ld(item)
    elif isinstance(data, dict):
        yield data
        if isinstance(data.get("@graph"), list):
            yield from _walk_ld(data["@graph"])


#: An HTML tag: `<p>`, `</p>`, `<br/>`, `<a href="...">` (not "a < b" in plain text).
_TAG = re.compile(r"</?[A-Za-z][A-Za-z0-9]*(?:\s[^<>]*)?/?>")


def _declared_text(value: Any) -> str | None:
    """A JSON-LD articleBody as text: plain text as it is, markup (escaped once more or not)
    as a reader sees it, a line per block."""
    if not isinstance(value, str) or not value.strip():
        return None
    if "&lt;" in value:
        value = html.unescape(value)
    if _TAG.search(value) is None:
        return value
    return visible_text(value) or None


def _ld_authors(value: Any) -> list[str]:
    items = value if isinstance(value, list) else [value]
    names = []
    for item in items:
        name = item.get("name") if isinstance(item, dict) else item
        if isinstance(name, str) and name.strip() and "/" not in name:
            names.extend(_split_names(name))
    return names


def _tag_list(value: Any) -> list[str]:
    """Tags from a JSON-LD or meta value: a comma-separated string or a list of strings."""
    if isinstance(value, str):
        return [part for part in (normalize_line(p) for p in re.split(r"[,;]", value)) if part]
    if isinstance(value, list):
        return [tag for item in value for tag in _tag_list(item)]
    return []


def unique_tags(tags: list[str]) -> list[str]:
    """Tags in their first order, each once (case-insensitively)."""
    seen: set[str] = set()
    out = []
    for tag in tags:
        key = tag.casefold()
        if key not in seen:
            seen.add(key)
            out.append(tag)
    return out


def _split_names(value: str) -> list[str]:
    parts = re.split(r"\s*(?:,|;|&|\band\b)\s*", value)
    return [normalize_line(p) for p in parts if p.strip()]


def _byline_authors(tree: etree._Element) -> list[str]:
    for node in tree.xpath('//*[@rel="author" or contains(@class, "byline")][1]'):
        text = " ".join(" ".join(node.itertext()).split())
        line = text if text.lower().startswith("by") else f"By {text}"
        if text and (names := parse_byline(line)):
            return names
    return []


def _text(value: Any) -> str | None:
    return value.strip() if isinstance(value, str) and value.strip() else None


def _first_text(tree: etree._Element, path: str) -> str | None:
    for node in tree.xpath(path)[:1]:
        text = " ".join(" ".join(node.itertext()).split())
        return text or None
    return None


def _first_attr(tree: etree._Element, path: str, attribute: str) -> str | None:
    for node in tree.xpath(path)[:1]:
        return node.get(attribute) or None
    return None


def _strip_site(title: str | None) -> str | None:
    return _SITE_SUFFIX.sub("", title) if title else None
