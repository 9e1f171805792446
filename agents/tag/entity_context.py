"""Label repairs from the context a name stands in, where the small model is weakest on news.

Sports pages name teams after their towns: "Leeds 2 Hull 1", "Chicago 70 58 .547", "Kent beat
Essex". A place name followed by a score, or beside a result verb, is a team (ORG). In results
tables every capitalised name directly followed by a score is one. Lone generic table words
("Total", "Attendance") are never names.
"""

from __future__ import annotations

import re

import numpy as np
from spacy.attrs import IDX
from spacy.tokens import Doc

from agents.tag.gazetteer import COUNTRIES
from schemas.models import EntityType

# National sides are reported under their country's name, which stays a place.
COUNTRY_NAMES = frozenset(COUNTRIES) | {c.upper() for c in COUNTRIES}

Spans = dict[tuple[int, int], EntityType]

SCORE = re.compile(r"^\d{1,3}$")
NUMERIC = re.compile(r"^[\d.,/:-]+$")
RESULT_VERBS = frozenset(
    {"beat", "beats", "defeated", "defeat", "v", "vs", "vs.", "drew", "thrashed", "edged",
     "routed", "overcame", "trounced", "downed", "outplayed"}
)
GENERIC_TABLE_WORDS = frozenset(
    {"Total", "Totals", "Extras", "Attendance", "Points", "Division", "Round", "Group",
     "Result", "Results", "Score", "Scores", "Halftime", "Week", "Game", "Games", "Men",
     "Women", "Overall", "Average", "Avg", "Pct", "Scorer", "Scorers", "Notes", "Next",
     "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday", "January",
     "February", "March", "April", "May", "June", "July", "August", "September", "October",
     "November", "December", "Profit", "Revenue", "Sales", "Net", "Shares", "Death"}
)
FIXTURE_LINKS = frozenset({"at", "AT", "v", "vs", "vs.", "V", "VS"})
FIXTURE_LINK_WORD = re.compile(r"(?<!\S)(?:at|AT|v|vs\.?|V|VS)(?!\S)")
NUMERIC_WORD = re.compile(r"(?<!\S)[\d.,/:-]*\d[\d.,/:-]*(?!\S)")
PLACE_NOUNS = frozenset(
    {"city", "town", "village", "region", "province", "district", "outskirts", "suburb",
     "capital", "port", "island", "state", "county"}
)
TABLE_NUMERIC_SHARE = 0.3
PREFILTER_SLACK = 0.5  # the text test only screens lines out: it must never be stricter
TABLE_MIN_TEAMS = 2
STANDINGS_NUMERIC_SHARE = 0.5
STANDINGS_MIN_NUMBERS = 3


def _followed_by_score(doc: Doc, end: int) -> bool:
    if end >= len(doc) or not SCORE.match(doc[end].text):
        return False
    after = doc[end + 1].text if end + 1 < len(doc) else ""
    return after not in {"%", "percent", "per", "pct", "km", "miles", "people", "million", "bn"}


def _beside_result_verb(doc: Doc, start: int, end: int) -> bool:
    before = doc[start - 1].lower_ if start > 0 else ""
    after = doc[end].lower_ if end < len(doc) else ""
    return before in RESULT_VERBS or after in RESULT_VERBS


def _person_name_words(doc: Doc, spans: Spans) -> set[str]:
    return {
        token.text
        for (start, end), label in spans.items()
        if label == "PERSON" and end - start > 1
        for token in doc[start:end]
    }


def _lone_word_not_a_known_person(
    doc: Doc, start: int, end: int, label: EntityType, person_words: set[str]
) -> bool:
    """A one-word 'person' that no full name in the text accounts for (a club, say)."""
    return label == "PERSON" and end - start == 1 and doc[start].text not in person_words


def teams_named_after_places(doc: Doc, spans: Spans, fixed: set[tuple[int, int]]) -> None:
    """Names that stand where a team does ("Leeds 2", "Kent beat") become ORG, unless they
    are countries (national sides stay places) or known people."""
    person_words = _person_name_words(doc, spans)
    for (start, end), label in spans.items():
        country = doc[start:end].text in COUNTRY_NAMES
        candidate = label == "LOC" or _lone_word_not_a_known_person(
            doc, start, end, label, person_words
        )
        if candidate and not country and (
            _followed_by_score(doc, end) or _beside_result_verb(doc, start, end)
        ):
            spans[(start, end)] = "ORG"
            fixed.add((start, end))


Lines = list[tuple[int, int, str]]


def line_bounds(doc: Doc, text: str) -> Lines:
    """Token range and text of each line of `doc`, whose text is `text`. Found from the
    newlines, since walking the tokens in Python costs more than the rules that use lines."""
    starts = doc.to_array(IDX)
    bounds: list[tuple[int, int, str]] = []
    token_start, char_start = 0, 0
    cut = text.find("\n")
    while cut >= 0:
        newline_token = int(np.searchsorted(starts, cut, side="right")) - 1
        if newline_token > token_start:
            bounds.append((token_start, newline_token, text[char_start:cut]))
        token_start = max(token_start, newline_token + 1)
        char_start = cut + 1
        cut = text.find("\n", char_start)
    if token_start < len(doc):
        bounds.append((token_start, len(doc), text[char_start:]))
    return bounds


def _might_be_table_row(line: str) -> bool:
    """Cheap test on the text before the token-level one: enough numbers to be a score line."""
    words = line.split()
    numbers = len(NUMERIC_WORD.findall(line))
    return bool(words) and numbers >= PREFILTER_SLACK * TABLE_NUMERIC_SHARE * len(words)


def _might_be_fixture_list(line: str) -> bool:
    return len(FIXTURE_LINK_WORD.findall(line)) >= 2


def _name_runs(doc: Doc, start: int, end: int) -> list[tuple[int, int]]:
    """Runs of capitalised tokens that stand right before a score within one line."""
    runs: list[tuple[int, int]] = []
    i = start
    while i < end:
        if doc[i].text[:1].isupper() and doc[i].is_alpha:
            j = i
            while j < end and (doc[j].text[:1].isupper() or doc[j].text in {"'s", "&"}):
                j += 1
            if j < end and _followed_by_score(doc, j):
                runs.append((i, j))
            i = j
        else:
            i += 1
    return runs


def _standings_row(
    doc: Doc, start: int, end: int, numeric: int, runs: list[tuple[int, int]]
) -> bool:
    """A league-table row: one name at the start, then a row of figures."""
    if len(runs) != 1 or runs[0][0] != start or numeric < STANDINGS_NUMERIC_SHARE * (end - start):
        return False
    figures = doc[runs[0][1] : min(end, runs[0][1] + STANDINGS_MIN_NUMBERS)]
    return len(figures) == STANDINGS_MIN_NUMBERS and all(NUMERIC.match(t.text) for t in figures)


def acronyms_in_brackets(doc: Doc, spans: Spans) -> None:
    """"Central Narcotics Bureau ( CNB )": the bracketed acronym names the same thing."""
    for (start, end), label in list(spans.items()):
        if end + 2 >= len(doc) or doc[end].text != "(" or doc[end + 2].text != ")":
            continue
        acronym = doc[end + 1].text
        initials = "".join(t.text[0] for t in doc[start:end] if t.text[:1].isupper())
        plausible = acronym.isupper() and len(acronym) > 1 and acronym[0] == initials[:1]
        if plausible and not any(k[0] <= end + 1 < k[1] for k in spans):
            spans[(end + 1, end + 2)] = label


def teams_in_results_tables(
    doc: Doc, spans: Spans, fixed: set[tuple[int, int]], lines: Lines
) -> None:
    """In score lines ("Leeds 2 Hull 1"), names directly before a score are teams."""
    person_words = _person_name_words(doc, spans)
    for start, end, line in lines:
        if not _might_be_table_row(line):
            continue
        numeric = sum(1 for t in doc[start:end] if NUMERIC.match(t.text))
        if numeric < TABLE_NUMERIC_SHARE * (end - start):
            continue
        runs = _name_runs(doc, start, end)
        if len(runs) < TABLE_MIN_TEAMS and not _standings_row(doc, start, end, numeric, runs):
            continue
        for run_start, run_end in runs:
            words = doc[run_start:run_end]
            if run_end - run_start == 1 and words.text in GENERIC_TABLE_WORDS:
                continue
            if words[0].text.endswith(".") and len(words[0].text) <= 3:
                continue  # "R. Smith 12" is a player
            if all(len(t.text) <= 2 for t in words):
                continue  # column headings such as "W D L"
            if words.text in COUNTRY_NAMES:
                continue
            overlapping = [k for k in spans if k[0] < run_end and run_start < k[1]]
            if any(
                spans[k] == "PERSON"
                and not _lone_word_not_a_known_person(doc, *k, spans[k], person_words)
                for k in overlapping
            ):
                continue
            for key in overlapping:
                del spans[key]
            spans[(run_start, run_end)] = "ORG"
            fixed.add((run_start, run_end))


def teams_in_fixture_lists(
    doc: Doc, spans: Spans, fixed: set[tuple[int, int]], lines: Lines
) -> None:
    """"Chicago at Toronto Minnesota at Milwaukee": a line of names linked by 'at' or 'v'
    lists fixtures, so its place names are teams."""
    for start, end, line in lines:
        if not _might_be_fixture_list(line):
            continue
        tokens = doc[start:end]
        links = sum(1 for t in tokens if t.text in FIXTURE_LINKS)
        names = sum(1 for t in tokens if t.text[:1].isupper() and t.text not in FIXTURE_LINKS)
        if links < 2 or links + names < 0.9 * len(tokens):
            continue
        for key, label in spans.items():
            inside = start <= key[0] and key[1] <= end
            if inside and label == "LOC" and doc[key[0] : key[1]].text not in COUNTRY_NAMES:
                spans[key] = "ORG"
                fixed.add(key)


def places_by_description(doc: Doc, spans: Spans, fixed: set[tuple[int, int]]) -> None:
    """"the city of Arbil", "near Chuman": what follows is a place, whatever the model said."""
    for (start, end), label in spans.items():
        if label == "LOC" or (start, end) in fixed or start < 1:
            continue
        before = doc[start - 1].lower_
        described = before == "of" and start >= 2 and doc[start - 2].lower_ in PLACE_NOUNS
        if described or before in {"near", "outside"}:
            spans[(start, end)] = "LOC"


def drop_generic_words(doc: Doc, spans: Spans) -> None:
    for key in [k for k in spans if k[1] - k[0] == 1 and doc[k[0]].text in GENERIC_TABLE_WORDS]:
        del spans[key]


SPORTS_WORDS = re.compile(
    r"\b(?:match|matches|goal|goals|league|season|coach|striker|derby|tournament|fixture|"
    r"defender|midfielder|goalkeeper|innings|wicket|playoffs?|title race)\b",
    re.IGNORECASE,
)
SCORELINE = re.compile(r"(?<![\d.])\d{1,3}-\d{1,3}(?![\d.])")
# Words around a name that only a team stands beside, once the text is about sport.
TEAM_BEFORE = frozenset(
    {("win", "over"), ("victory", "over"), ("defeat", "to"), ("defeat", "by"), ("lost", "to"),
     ("loss", "to"), ("draw", "with"), ("drew", "with"), ("beaten", "by"), ("travel", "to"),
     ("travels", "to"), ("hosts",), ("host",), ("hosted",), ("against",), ("edge",),
     ("edged",), ("stun",), ("stunned",), ("thrash",), ("hammered",), ("face",), ("faces",)}
)
TEAM_AFTER = frozenset(
    {"edge", "edges", "host", "hosts", "travel", "travels", "stun", "stuns", "thrash",
     "thrashes", "hammer", "crush", "remain", "remains", "lead", "leads", "trail", "trails"}
)
TEAM_MEMBERS = frozenset(
    {"coach", "manager", "striker", "goalkeeper", "keeper", "defender", "midfielder",
     "players", "squad", "fans", "supporters", "captain", "substitutes", "forward", "winger",
     "defence", "defense", "attack", "bench", "stadium", "side", "team"}
)


def is_about_sport(text: str) -> bool:
    """A scoreline and the vocabulary of a match: the text reports a game."""
    return bool(SCORELINE.search(text)) and len(SPORTS_WORDS.findall(text)) >= 2


def _team_context(doc: Doc, start: int, end: int) -> bool:
    before = tuple(t.lower_ for t in doc[max(0, start - 2) : start])
    after = doc[end].lower_ if end < len(doc) else ""
    if before[-1:] in TEAM_BEFORE or before in TEAM_BEFORE or after in TEAM_AFTER:
        return True
    possessive = after in {"'s", "’s"} and end + 1 < len(doc)
    return possessive and doc[end + 1].lower_ in TEAM_MEMBERS


def teams_by_sports_context(
    doc: Doc, spans: Spans, fixed: set[tuple[int, int]], text: str
) -> None:
    """In a match report, a place or lone 'person' standing where a team does is a team:
    "X edge Y", "a win over Y", "X's coach"."""
    if not is_about_sport(text):
        return
    person_words = _person_name_words(doc, spans)
    for (start, end), label in spans.items():
        if label in {"ORG", "MISC"} or doc[start:end].text in COUNTRY_NAMES:
            continue
        candidate = label == "LOC" or _lone_word_not_a_known_person(
            doc, start, end, label, person_words
        )
        if candidate and _team_context(doc, start, end):
            spans[(start, end)] = "ORG"
            fixed.add((start, end))
