"""Author bios found through the byline: "Jane Doe is our energy reporter. She ...".

The generic bio pattern in `cues.AUTHOR_BIO` needs a job title; knowing the article's authors
lets any sentence that opens with an author's name and a bio verb go, whatever follows. Bodies
seldom open a sentence with their own author's full name, so the rule is safe without a title.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

_BIO_VERB = (
    r"(?:is|was|has|had|covers|covered|writes|wrote|reports|reported|joined|previously|"
    r"lives|leads|edits|teaches|holds|contributes|serves|works|worked|can be|'s|’s)\b"
)
_MAX_WORDS = 90


def bio_pattern(authors: Iterable[str]) -> re.Pattern[str] | None:
    """A pattern for lines that open with one of the authors' names and a bio verb."""
    names = sorted({" ".join(a.split()) for a in authors if len(a.split()) >= 2}, key=len,
                   reverse=True)
    if not names:
        return None
    alternatives = "|".join(r"\s+".join(map(re.escape, name.split())) for name in names)
    return re.compile(
        rf"^(?:about the authors?:?\s*)?(?:{alternatives})\s*(?:,[^,]{{1,60}},\s*)?{_BIO_VERB}",
        re.IGNORECASE,
    )


def drop_author_bios(paragraphs: list[str], authors: Iterable[str]) -> list[str]:
    """The paragraphs without bios of the given authors (first paragraph always kept)."""
    authors = list(authors)
    surnames = {author.split()[-1].casefold() for author in authors if len(author.split()) >= 2}
    if not any(surname in text[:120].casefold() for text in paragraphs[1:]
               for surname in surnames):
        return paragraphs  # no paragraph opens with an author's name: skip compiling
    pattern = bio_pattern(authors)
    if pattern is None:
        return paragraphs
    return [
        text
        for i, text in enumerate(paragraphs)
        if i == 0 or len(text.split()) > _MAX_WORDS or not pattern.match(text)
    ]
