"""What an article says, as a small weighted term vector for story grouping.

Terms come from the title and text (stemmed words, capitalised words and numbers weigh
more because names, places and dates tell one event from another of the same kind), plus
the tagger's entities (people weigh most: two events of one kind often share the
organisation and differ in who) and keywords when the article has them, plus the year of
every full date the text writes out (a dateline says when the news happened). Weights are
TF-IDF with document frequencies learned from the stream itself.
"""

from __future__ import annotations

import math
import re
from collections import defaultdict
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import TypeVar

from schemas.models import Article, Entity

K = TypeVar("K", str, int)

_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)?", re.UNICODE)
_ENDERS = frozenset(".!?:;\"“”")

#: Function words and newsroom filler: frequent everywhere, evidence of nothing.
_STOPWORD_TEXT = """
    a about above after again against all also am an and any are as at be because been
    before being below between both but by can could did do does doing down during each few
    for from further had has have having he her here hers herself him himself his how i if
    in into is it its itself just me more most my myself no nor not now of off on once only
    or other our ours ourselves out over own same she should so some such than that the
    their theirs them themselves then there these they this those through to too under
    until up very was we were what when where which while who whom why will with would you
    your yours yourself yourselves said says say told according new one two three four five
    six seven eight nine ten first last year years day days week weeks month months time
    people man men woman women monday tuesday wednesday thursday friday saturday sunday
    today yesterday tomorrow morning night mr mrs ms dr may might must shall us well back
    like get got make made many much even still yet per via since around among within
    without another get going go went come came take took see seen news report reports
    reported reuters ap afp cnn bbc published updated editor image photo video copyright
    http https www com html"""
STOPWORDS = frozenset(_STOPWORD_TEXT.split())

#: Extra weight of a word written with a capital inside a sentence (a name), of a number
#: (a date, an age, a toll), of a tagger entity and of a tagger keyword.
PROPER_BOOST = 2.0
NUMBER_BOOST = 1.5
ENTITY_BOOST = 2.5
KEYWORD_BOOST = 1.5
#: Entity weight by type, on top of ENTITY_BOOST (other types 1.0): a person names the
#: event; an organisation (a company, a team, a ministry) is often the recurring actor of
#: many events of one kind, so it tells them apart less.
ENTITY_TYPE_WEIGHT = {"PERSON": 1.5, "ORG": 0.8}
#: Weight of the `d:<year>` term of the full dates written in the text ("June 13, 2013",
#: "26 September 2013", "27/09/2013", "2013-09-27") of an article without a publication
#: time: reports of one event carry the same dateline year, reports of its namesake from
#: another year do not. Heavy enough to outweigh the vocabulary two events of one kind
#: share; in a stream where most articles carry this year's dates, IDF brings it down by
#: itself. `stories` also reads these terms as the years an article or a story is from.
DATE_WEIGHT = 6.0
YEAR_PREFIX = "d:"


def keyword_key(keyword: str) -> str:
    """The term of a tagger keyword (`dedup.keywords` looks its IDF up under the same)."""
    return "k:" + keyword.casefold()
#: Words of the title and of the lede say what the article is about.
TITLE_WEIGHT = 2.0
LEDE_WORDS = 80
LEDE_WEIGHT = 1.5
#: Sections (see `sections`): a heading has at most this many words, and a break counts
#: only after a lead of this many words (a one-sentence item of a roundup is a lead).
HEADING_WORDS = 12
LEAD_MIN_WORDS = 12
_SEPARATOR = re.compile(r"^(?:[*•·■◆—–=_~#-]\s*){3,}$")
_OPENERS = frozenset("0123456789\"“‘'")
_SENTENCE_ENDS = frozenset(".!?:;,\"“”'’…")


_MONTH = (r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?"
          r"|aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?")
_YEAR = r"((?:19|20)\d\d)"
_DAY = r"\d{1,2}(?:st|nd|rd|th)?"
_FULL_DATE = re.compile(
    rf"\b(?:{_MONTH}\s+{_DAY}\s*,?\s*{_YEAR}"
    rf"|{_DAY}\s+{_MONTH}\s*,?\s*{_YEAR}"
    rf"|(?P<a>\d{{1,2}})\s*(?P<sep>[/.-])\s*(?P<b>\d{{1,2}})\s*(?P=sep)\s*"
    rf"(?P<short>(?:19|20)?\d\d)"
    rf"|{_YEAR}\s*(?P<iso>[.-])\s*\d{{1,2}}\s*(?P=iso)\s*\d{{1,2}})\b",
    re.IGNORECASE,
)


def date_years(text: str) -> set[str]:
    """Years of the full dates (day, month and year) written in `text`: "June 13, 2013",
    "26 September 2013", "27/09/2013", "04 / 28 / 09", "2013-09-27", "2012. 08. 08"."""
    years: set[str] = set()
    for match in _FULL_DATE.finditer(text):
        short = match.group("short")
        if short is None:
            years.update(group for group in match.groups() if group and len(group) == 4
                         and group[:2] in ("19", "20"))
            continue
        first, second = int(match.group("a")), int(match.group("b"))
        if not (1 <= min(first, second) <= 12 and max(first, second) <= 31) or (
                len(short) == 2 and match.group("sep") == "-"):
            continue  # not a day and a month, or a score like 3-1-25
        years.add(short if len(short) == 4 else ("20" if int(short) < 50 else "19") + short)
    return years


def stem(word: str) -> str:
    """A crude English suffix stripper: enough to merge arrest/arrested/arrests."""
    for suffix, replacement, keep in (
        ("ies", "y", 3),
        ("ied", "y", 3),
        ("ing", "", 4),
        ("ed", "", 4),
        ("es", "", 4),
        ("s", "", 3),
    ):
        if word.endswith(suffix) and len(word) - len(suffix) >= keep:
            if suffix == "s" and word.endswith(("ss", "us", "is")):
                return word
            return word[: len(word) - len(suffix)] + replacement
    return word


def _text_terms(text: str, weight: float, counts: defaultdict[str, float], boosts: dict[str, float],
                lede: int = 0) -> None:
    """Add the words of `text` to `counts` (weighted) and note which look like names/numbers."""
    position = 0
    for line in text.splitlines():
        previous_end = 0
        for match in _WORD.finditer(line):
            token = match.group()
            position += 1
            term = _term(token)
            if term is not None:
                first = token[0]
                if first.isdigit():
                    boosts[term] = NUMBER_BOOST
                elif first.isupper() and not _at_sentence_start(line, previous_end,
                                                                match.start()):
                    boosts[term] = PROPER_BOOST
                counts[term] += weight * LEDE_WEIGHT if position <= lede else weight
            previous_end = match.end()


def _at_sentence_start(line: str, previous_end: int, start: int) -> bool:
    """Whether a word starting at `start` opens a sentence: the line's first word, or one
    after a sentence's end (asked only of capitalised words, the rare case)."""
    if previous_end == 0:
        return True
    gap = line[previous_end:start].rstrip()
    return bool(gap) and gap[-1] in _ENDERS


@lru_cache(maxsize=65_536)
def _term(token: str) -> str | None:
    """The index term of a token, or None for function words and fragments."""
    lower = token.casefold()
    if lower in STOPWORDS:
        return None
    if token.isdigit():
        return token if len(token) >= 2 else None
    if len(lower) < 3 or lower.isdigit():
        return None
    term = stem(lower.replace("’", "'").split("'")[0])
    return None if len(term) < 3 or term in STOPWORDS else term


@dataclass(frozen=True, slots=True)
class Lead:
    """What an article leads with: its title, the text of its first section (all of it when
    it has one section), and the tagger's entities and keywords that the lead names."""

    title: str | None
    text: str
    entities: list[Entity]
    keywords: list[str]
    #: Whether the article has later sections (a roundup of several events).
    sectioned: bool
    #: Whether the full dates its text writes say when it is from: only when it has no
    #: publication time (a scraper's text dump with a dateline); with one, they are
    #: narrative (the date of an earlier ruling, a match last spring).
    text_dates: bool


def lead(article: Article) -> Lead:
    """The part of an article that says which story it belongs to.

    An article with several sections (an evening roundup) belongs to the story of its
    first section; later sections are other stories it touches, and counting their words,
    names and dates would pull the lead's story towards those stories (and chain them
    together). An article with one section is all lead.
    """
    parts = sections(article.text)
    text_dates = not article.published_at
    if len(parts) == 1:
        return Lead(article.title, article.text, article.entities, article.keywords, False,
                    text_dates)
    first = parts[0]
    named = f"{article.title or ''}\n{first}".casefold()
    entities = [entity for entity in article.entities
                if any(form.casefold() in named for form in entity.surface_forms or [entity.name])]
    keywords = [keyword for keyword in article.keywords if keyword.casefold() in named]
    return Lead(article.title, first, entities, keywords, True, text_dates)


def sections(text: str) -> list[str]:
    """The text cut before each section heading and at each separator line, once the lead
    (the first section) holds a sentence of prose and `LEAD_MIN_WORDS` words.

    A heading is a paragraph of its own (blank lines around it, as the clean stage writes
    them) of at most `HEADING_WORDS` words that does not end like a sentence, followed by
    prose; a separator is a line of `*`, `-`, `•` and the like. Datelines and bylines before
    the first sentence are not headings.
    """
    lines = text.splitlines()
    parts: list[str] = []
    current: list[str] = []
    words = 0
    prose = False
    for index, line in enumerate(lines):
        stripped = line.strip()
        blank_before = index == 0 or not lines[index - 1].strip()
        blank_after = index + 1 >= len(lines) or not lines[index + 1].strip()
        separator = bool(_SEPARATOR.match(stripped))
        heading = (blank_before and blank_after and _is_heading(stripped)
                   and _has_body_after(lines, index))
        if (separator or heading) and (parts or (prose and words >= LEAD_MIN_WORDS)):
            parts.append("\n".join(current).strip())
            current, words = [], 0
            if separator:
                continue
        current.append(line)
        words += len(stripped.split())
        prose = prose or _is_prose(stripped)
    parts.append("\n".join(current).strip())
    return [part for part in parts if part] or [text]


def _is_prose(line: str) -> bool:
    return bool(line) and (len(line.split()) > HEADING_WORDS or line[-1] in _SENTENCE_ENDS)


def _is_heading(line: str) -> bool:
    count = len(line.split())
    return (0 < count <= HEADING_WORDS and line[0].isupper()
            and line[-1] not in _SENTENCE_ENDS)


def _has_body_after(lines: list[str], index: int) -> bool:
    """Whether the paragraph after line `index` is prose (not another heading): it starts
    like a sentence and has more words than a heading, or a sentence's end."""
    paragraph: list[str] = []
    for line in lines[index + 1 :]:
        stripped = line.strip()
        if stripped:
            paragraph.append(stripped)
        elif paragraph:
            break
    return (bool(paragraph) and (paragraph[0][0].isupper() or paragraph[0][0] in _OPENERS)
            and _is_prose(" ".join(paragraph)))


def raw_terms(article: Article) -> dict[str, float]:
    """Term -> boosted term frequency, before IDF, of what the article leads with."""
    return lead_terms(lead(article))


def lead_terms(head: Lead) -> dict[str, float]:
    """Term -> boosted term frequency, before IDF, of an article's lead."""
    terms = lead_text_terms(head)
    add_keyword_terms(terms, head.keywords)
    return terms


def lead_text_terms(head: Lead) -> dict[str, float]:
    """The lead's terms from its words, entities and dates: all but its keywords, whose
    order the judge sets from the stream (`add_keyword_terms`). Keyword terms have keys of
    their own ("k:..."), so adding them later gives the same terms."""
    counts: defaultdict[str, float] = defaultdict(float)
    boosts: dict[str, float] = {}
    if head.title:
        _text_terms(head.title, TITLE_WEIGHT, counts, boosts)
    _text_terms(head.text, 1.0, counts, boosts, lede=LEDE_WORDS)
    terms = {
        term: (1.0 + math.log(count)) * boosts.get(term, 1.0) for term, count in counts.items()
    }
    for rank, entity in enumerate(head.entities[:20]):
        key = "e:" + entity.name.casefold()
        salience = (1.0 + math.log(max(entity.mentions, 1))) / (1.0 + 0.1 * rank)
        boost = ENTITY_BOOST * ENTITY_TYPE_WEIGHT.get(entity.type, 1.0)
        terms[key] = max(terms.get(key, 0.0), boost * salience)
    if head.text_dates:
        for year in date_years(f"{head.title or ''}\n{head.text}"):
            terms[YEAR_PREFIX + year] = DATE_WEIGHT
    return terms


def add_keyword_terms(terms: dict[str, float], keywords: list[str]) -> None:
    """Add the terms of the lead's first keywords, in their order, to `terms`."""
    for rank, keyword in enumerate(keywords[:20]):
        key = keyword_key(keyword)
        terms[key] = max(terms.get(key, 0.0), KEYWORD_BOOST / (1.0 + 0.1 * rank))


def smoothed_idf(doc_freq: float, total: float) -> float:
    """Smoothed inverse document frequency: 1 for a term in every document, more if rarer.

    With nothing counted yet every term gets log(1) + 1 = 1: the cold start is plain TF and
    sharpens as the stream is counted.
    """
    return math.log((total + 1.0) / (doc_freq + 1.0)) + 1.0


def weighted_vector(terms: dict[K, float], term_idf: Callable[[K], float],
                    keep: int) -> dict[K, float]:
    """The `keep` heaviest TF-IDF terms, L2-normalised (so a dot product is a cosine)."""
    weighted = {term: tf * term_idf(term) for term, tf in terms.items()}
    top = sorted(weighted.items(), key=lambda item: (-item[1], item[0]))[:keep]
    return normalise(dict(top))


def normalise(vector: dict[K, float]) -> dict[K, float]:
    """Scale to unit length; empty stays empty."""
    norm = math.sqrt(sum(value * value for value in vector.values()))
    if norm == 0.0:
        return {}
    return {term: value / norm for term, value in vector.items()}


def cosine(left: Mapping[K, float], right: Mapping[K, float]) -> float:
    """Dot product of two unit vectors."""
    if len(left) > len(right):
        left, right = right, left
    # Only shared terms add to the sum, in the order of `left` as before: the same float.
    return sum(value * right[term] for term, value in left.items() if term in right)
