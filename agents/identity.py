"""Stable identities: canonical URLs, outlet names, article ids and content hashes."""

from __future__ import annotations

import re
import unicodedata
from datetime import UTC, datetime
from hashlib import blake2b
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

#: Query parameters that say how a reader arrived, not which page they read.
_TRACKING_PARAMS = re.compile(
    r"^(utm_\w+|fbclid|gclid|dclid|msclkid|mc_cid|mc_eid|ocid|cmpid|icid|ito|smid|ref|ref_src|"
    r"referrer|share|source|s_cid|cid|_ga|igshid|at_medium|at_campaign)$",
    re.IGNORECASE,
)
_NON_WORD = re.compile(r"[\W_]+", re.UNICODE)


def canonical_url(url: str) -> str:
    """The URL without what varies between copies of one link: case, www., fragment, trackers."""
    parts = urlsplit(url.strip())
    host = (parts.hostname or "").lower().removeprefix("www.")
    if parts.port and parts.port not in (80, 443):
        host = f"{host}:{parts.port}"
    query = sorted(
        (key, value)
        for key, value in parse_qsl(parts.query, keep_blank_values=True)
        if not _TRACKING_PARAMS.match(key)
    )
    path = parts.path.rstrip("/") or "/"
    return urlunsplit(("https" if parts.scheme in ("http", "https") else parts.scheme,
                       host, path, urlencode(query), ""))


def source_from_url(url: str | None) -> str | None:
    """The outlet a URL belongs to: its host without `www.`."""
    if not url:
        return None
    host = (urlsplit(url.strip()).hostname or "").lower().removeprefix("www.")
    return host or None


def article_id(*, url: str | None, scraper_id: str | None, source: str) -> str:
    """A stable id: the same page (or the same scraper id of one outlet) always gets the same."""
    basis = canonical_url(url) if url else f"id:{source}:{scraper_id}"
    return blake2b(basis.encode("utf-8"), digest_size=10).hexdigest()


def normalize_for_hash(text: str) -> str:
    """Text reduced to what makes two copies the same: words, case-folded, single-spaced."""
    folded = unicodedata.normalize("NFKC", text).casefold()
    return " ".join(_NON_WORD.sub(" ", folded).split())


def content_hash(text: str) -> str:
    """128-bit hash of the normalised text: equal for copies that differ only in form."""
    return blake2b(normalize_for_hash(text).encode("utf-8"), digest_size=16).hexdigest()


def normalize_timestamp(value: str) -> str:
    """An ISO 8601 date stays a date; a date-time becomes RFC 3339 in UTC (naive means UTC).

    Raises ValueError for anything that is not ISO 8601.
    """
    value = value.strip()
    if len(value) == 10:
        return datetime.strptime(value, "%Y-%m-%d").date().isoformat()
    moment = datetime.fromisoformat(value.upper())  # RFC 3339 allows a lower-case t and z
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")


def utc_now() -> str:
    """The current time, RFC 3339 in UTC, to the millisecond."""
    return datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def utc_from_seconds(seconds: float) -> str:
    """A message timestamp (Faust gives seconds since the epoch) as RFC 3339 in UTC."""
    moment = datetime.fromtimestamp(seconds, UTC)
    return moment.isoformat(timespec="milliseconds").replace("+00:00", "Z")
