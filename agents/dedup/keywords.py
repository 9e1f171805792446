"""What the judge adds to an article's keywords: what only the stream, read in one order, knows.

The tag stage ranks an article's key phrases by the article alone, so its ranking is the same
on every deployment layout. Two things need the stream:

- a phrase that many articles of the window carry says less about each of them: it sinks
  below the article's own phrases (IDF over the unique articles judged so far, the same
  counts story grouping uses: `k:` terms of `features.lead_terms`);
- a named plan, law or event that this article writes in lower case ("the victory plan")
  takes the capitals an earlier article gave it ("Victory Plan").

The judge reads every article in one order (arrival time, then id: `reorder.py`), so what it
learns, and therefore the keywords it publishes, is the same offline (`newsflow enrich`),
through one worker or several, and after a restart. Pure: the stores are read and written
by `index`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

from agents.dedup.encoding import term_id
from agents.dedup.features import keyword_key
from agents.named_things import is_capitalised, is_named_thing

#: What IDF leaves to a phrase that every article of the window carried. Small, so stream
#: boilerplate ("... Development Fund" in every story) sinks below each story's own phrases
#: early on; not zero, so the first articles (every phrase in every article) keep the tag
#: stage's order.
IDF_FLOOR = 0.25


def keyword_term(keyword: str) -> int:
    """A keyword's term id, as story grouping and the document frequencies count it."""
    return term_id(keyword_key(keyword))


def rank_weight(rank: int) -> float:
    """The weight of the tag stage's `rank`-th keyword (0 first): harmonic, so the stream's
    IDF moves a phrase a few places, not to the bottom of the list."""
    return 1.0 / (1.0 + rank)


def reranked(keywords: Sequence[str], idf: Callable[[int], float]) -> list[str]:
    """The keywords by rank weight times IDF, ties in the tag stage's order.

    `idf` is the stream's smoothed IDF (`features.smoothed_idf`: log ratio + 1); its 1 is
    replaced by IDF_FLOOR, so that a phrase in every article weighs a quarter of one in none.
    """
    def score(rank: int) -> float:
        return rank_weight(rank) * (idf(keyword_term(keywords[rank])) - 1.0 + IDF_FLOOR)

    return [keywords[rank] for rank in sorted(range(len(keywords)),
                                              key=lambda rank: (-score(rank), rank))]


def lower_case_named(keywords: Sequence[str]) -> list[str]:
    """The keywords that are named things written in lower case: those an earlier
    article's capitals can name."""
    return [keyword for keyword in keywords if keyword.islower() and is_named_thing(keyword)]


def capitalised_named(keywords: Sequence[str]) -> dict[str, str]:
    """Lower-cased key -> form, of the keywords that are capitalised named things."""
    return {keyword.casefold(): keyword for keyword in keywords
            if is_capitalised(keyword) and is_named_thing(keyword.casefold())}


def named(keywords: Sequence[str], forms: Mapping[str, str]) -> list[str]:
    """The keywords with each lower-case named thing in the capitalised form `forms` gives
    it (lower-cased key -> form), once."""
    result: list[str] = []
    for keyword in keywords:
        form = forms.get(keyword, keyword) if keyword.islower() else keyword
        if form not in result:
            result.append(form)
    return result
