"""Label repairs from the context a name stands in, where the small model is weakest on news.

Sports pages name teams after their towns: "Leeds 2 Hull 1", "Chicago 70 58 .547", "Kent beat
Essex". A place name followed by a score, or beside a result verb, is a team (ORG). In results
tables every capitalised name directly followed by a score is one. Lone generic table words
("Total", "Attendance") are never names.
"""

from __future__ import annotations

import re

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
TABLE_NUMERIC_SHARE = 0.3
TABLE_MIN_TEAMS = 2


def _followed_by_score(doc: Doc, end: int) -> bool:
    if end >= len(doc) or not SCORE.match(doc[end].text):
        return False
    after = doc[end + 1].text if end + 1 < len(doc) else ""
    return after not in {"%", "percent", "per", "pct", "km", "miles", "people", "million", "bn"}


def _beside_result_verb(doc: Doc, start: int, end: int) -> bool:
    before = doc[start - 1].lower_ if start > 0 else ""
    after = doc[end].lower_ if end < len(doc) else ""
    return before in RESULT_VERBS or after in RESULT_VERBS


def teams_named_after_places(doc: Doc, spans: Spans, fixed: set[tuple[int, int]]) -> None:
    """Place-labelled names that stand where a team does become ORG."""
    for (start, end), label in spans.items():
        country = doc[start:end].text in COUNTRY_NAMES
        if label == "LOC" and not country and (
            _followed_by_score(doc, end) or _beside_result_verb(doc, start, end)
        ):
            spans[(start, end)] = "ORG"
            fixed.add((start, end))


def _lines(doc: Doc) -> list[tuple[int, int]]:
    bounds: list[tuple[int, int]] = []
    start = 0
    for token in doc:
        if "\n" in token.text:
            if token.i > start:
                bounds.append((start, token.i))
            start = token.i + 1
    if start < len(doc):
        bounds.append((start, len(doc)))
    return bounds


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


def teams_in_results_tables(doc: Doc, spans: Spans, fixed: set[tuple[int, int]]) -> None:
    """In score lines ("Leeds 2 Hull 1"), names directly before a score are teams."""
    for start, end in _lines(doc):
        numeric = sum(1 for t in doc[start:end] if NUMERIC.match(t.text))
        if numeric < TABLE_NUMERIC_SHARE * (end - start):
            continue
        runs = _name_runs(doc, start, end)
        if len(runs) < TABLE_MIN_TEAMS:
            continue
        for run_start, run_end in runs:
            words = doc[run_start:run_end]
            if run_end - run_start == 1 and words.text in GENERIC_TABLE_WORDS:
                continue
            if words[0].text.endswith(".") and len(words[0].text) <= 3:
                continue  # "R. Smith 12" is a player
            if words.text in COUNTRY_NAMES:
                continue
            overlapping = [k for k in spans if k[0] < run_end and run_start < k[1]]
            if any(spans[k] == "PERSON" for k in overlapping):
                continue
            for key in overlapping:
                del spans[key]
            spans[(run_start, run_end)] = "ORG"
            fixed.add((run_start, run_end))


def drop_generic_words(doc: Doc, spans: Spans) -> None:
    for key in [k for k in spans if k[1] - k[0] == 1 and doc[k[0]].text in GENERIC_TABLE_WORDS]:
        del spans[key]
