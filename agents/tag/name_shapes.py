"""Label repairs from the shape of a name itself, where the small model guesses from spelling.

The last word of a multi-word name says what kind of thing it is ("... Authority", "... Labs",
"... University" are organisations); a name that starts with a common given name and has no
such head is a person ("Francisco Trincão"); a plural possessive inside a name does not end it
("the Dock Workers' Alliance"); a lone capitalised word at the start of a sentence that the
same text also writes in lower case is an ordinary word ("Port officials said", "port").
"""

from __future__ import annotations

import re

from spacy.lang.en.stop_words import STOP_WORDS
from spacy.tokens import Doc

from schemas.models import EntityType

Spans = dict[tuple[int, int], EntityType]

ORG_HEAD_WORDS = frozenset(
    {"Authority", "Authorities", "Agency", "Association", "Alliance", "Union", "Unions",
     "Council", "Ministry", "Department", "Commission", "Committee", "Federation", "Labs",
     "Lab", "Laboratories", "Inc", "Inc.", "Ltd", "Ltd.", "Limited", "LLC", "PLC", "Plc",
     "plc", "AG", "SA", "NV", "GmbH", "Corp", "Corp.", "Group", "University", "College",
     "Institute", "Bank", "Corporation", "Company", "Co", "Co.", "Party", "Club", "FC",
     "United", "Airlines", "Airways", "Motors", "Holdings", "Industries", "Systems",
     "Technologies", "Partners", "Foundation", "Trust", "Society", "Bureau", "Office",
     "Service", "Services", "Court", "Assembly", "Parliament", "Senate", "Congress", "Army",
     "Navy", "Police", "Guard", "Front", "Movement", "Organisation", "Organization", "Board",
     "Network", "Press", "News", "Times", "Post", "Journal", "Herald", "Telegraph", "Fund",
     "Exchange", "Forum", "Consortium", "Syndicate", "Coalition", "Brigade", "Guild"}
)
# Places whose names end like an organisation's: they stay places.
PLACES_WITH_ORG_HEADS = frozenset({"Soviet Union", "West Bank", "Gold Coast"})
# Words that end place names: a given name before them does not make a person.
PLACE_HEAD_WORDS = frozenset(
    {"River", "Valley", "Station", "Street", "Square", "Bridge", "Island", "Islands", "Lake",
     "Mountain", "Mountains", "Park", "Airport", "Stadium", "Hall", "Road", "Avenue", "Bay",
     "Beach", "Canyon", "Springs", "Falls", "County", "City", "Town", "Harbour", "Harbor",
     "Port", "Sea", "Ocean", "Coast", "Hill", "Hills", "Heights", "Forest", "Memorial"}
)
# Given names common in international news, written from general knowledge.
_GIVEN_NAMES = """Aaron Abdul Abdullah Adam Adrian Ahmed Ahmad Alan Albert Alberto Alejandro
    Aleksandr Alex Alexander Alexandre Alexei Alfred Ali Alice Alicia Alistair Amanda Amir
    Ana Anders Andrea Andreas Andrei Andrew Andrzej Andy Angela Angel Ángel Anna Anne
    Anthony Antoine Antonio António Arthur Barbara Ben Benjamin Bernard Bill Bob Boris Brian
    Bruno Carl Carla Carlos Caroline Catherine Charles Charlie Chris Christian Christine
    Christopher Claire Claudia Daniel Daniele Dario David Denis Diego Dmitry Dominic Donald
    Edward Elena Elizabeth Emily Emma Emmanuel Enrique Eric Erik Fatima Felipe Fernando
    Filipe Francesco Francisco Francois François Frank Franz Gabriel Gary George Georgi
    Gerhard Giorgio Giovanni Giuseppe Gonzalo Gordon Graham Hans Harry Hassan Heinz Helen
    Henrik Henry Hugo Hussein Ian Igor Ingrid Isabel Ivan Jack Jacob Jacques James Jan Jane
    Javier Jean Jens Jessica Jim Joao João Joe Johan Johannes John Jonathan Jorge José Jose
    Josef Joseph Juan Julia Julian Julie Jürgen Karen Karl Kate Katarzyna Kevin Klaus Laura
    Lars Leo Leonardo Lisa Louis Luca Lucas Luis Luís Luke Magnus Manuel Marco Marcos Maria
    María Marie Mario Mark Martin Mary Mateus Matthew Maurice Max Michael Michel Miguel
    Mikhail Mohamed Mohammed Muhammad Nathan Nicolas Nikolai Nuno Olga Oliver Omar Pablo
    Paolo Patrick Paul Paulo Pedro Peter Philip Philippe Pierre Piotr Rafael Raúl Ricardo
    Richard Robert Roberto Rodrigo Roman Rui Ryan Salvador Samuel Sarah Sebastian Sergei
    Sergio Simon Sofia Stefan Stephen Steve Steven Susan Svetlana Thomas Tim Timothy Tom
    Tomás Tomasz Tony Ursula Valentina Vasco Viktor Vincent Vladimir William Wolfgang Yusuf
    Yuri"""
GIVEN_NAMES = frozenset(_GIVEN_NAMES.split())
APOSTROPHES = frozenset({"'", "’"})
SENTENCE_OPENERS = frozenset({".", "!", "?", ":", '"', "“", "-", "--", "—"})
LOWER_WORD = re.compile(r"(?<![\w'’-])[a-z][a-z-]+")


def extend_to_org_heads(doc: Doc, spans: Spans) -> None:
    """"Fjordkraft" + "Labs": a name followed by capitalised organisation heads takes them in;
    an organisation's name takes in a leading "Port of", "Bank of" ("Port of Oslo Authority")."""
    for (start, end), label in list(spans.items()):
        stop = end
        while stop < len(doc) and doc[stop].text in ORG_HEAD_WORDS and doc[stop].is_title:
            stop += 1
        begin = start
        if doc[stop - 1].text in ORG_HEAD_WORDS and _of_before(doc, start):
            begin = start - 2
        if (begin, stop) == (start, end):
            continue
        if any(k[0] < stop and begin < k[1] for k in spans if k != (start, end)):
            continue
        del spans[(start, end)]
        spans[(begin, stop)] = label


def _of_before(doc: Doc, start: int) -> bool:
    """"Port of" right before `start`, the capitalised word being no sentence opener."""
    if start < 2 or doc[start - 1].text != "of":
        return False
    head = doc[start - 2]
    opener = head.i == 0 or doc[head.i - 1].is_space or doc[head.i - 1].text in SENTENCE_OPENERS
    return head.is_title and head.is_alpha and (not opener or head.lower_ not in STOP_WORDS)


def join_plural_possessives(doc: Doc, spans: Spans) -> None:
    """"Dock Workers" ' "Alliance": a plural possessive inside a name does not end it."""
    by_start = {start: end for start, end in spans}
    for (start, end) in sorted(spans):
        if (start, end) not in spans or end + 1 >= len(doc):
            continue
        apostrophe, after = doc[end], doc[end + 1]
        glued = not doc[end - 1].whitespace_ and bool(apostrophe.whitespace_)
        if apostrophe.text not in APOSTROPHES or not glued or not doc[end - 1].text.endswith("s"):
            continue
        if not after.is_title:
            continue
        right_end = by_start.get(end + 1)
        if right_end is None and after.text not in ORG_HEAD_WORDS:
            continue
        new_end = right_end if right_end is not None else end + 2
        spans.pop((end + 1, new_end), None)
        del spans[(start, end)]
        spans[(start, new_end)] = "ORG"
        by_start[start] = new_end


def orgs_by_head_word(doc: Doc, spans: Spans, fixed: set[tuple[int, int]]) -> None:
    """Multi-word names ending in an organisational head ("Port of Rotterdam Authority")."""
    for (start, end), label in spans.items():
        if label == "ORG" or end - start < 2 or (start, end) in fixed:
            continue
        if doc[end - 1].text in ORG_HEAD_WORDS and doc[start:end].text not in PLACES_WITH_ORG_HEADS:
            spans[(start, end)] = "ORG"


def people_by_given_name(doc: Doc, spans: Spans, fixed: set[tuple[int, int]]) -> None:
    """"Francisco Trincão": two or three capitalised words led by a common given name."""
    for (start, end), label in spans.items():
        if label == "PERSON" or not 2 <= end - start <= 3 or (start, end) in fixed:
            continue
        words = doc[start:end]
        last = words[-1].text
        if words[0].text not in GIVEN_NAMES or last in ORG_HEAD_WORDS or last in PLACE_HEAD_WORDS:
            continue
        if all(t.text[:1].isupper() and t.is_alpha for t in words):
            spans[(start, end)] = "PERSON"


def drop_capitalised_common_words(
    doc: Doc, spans: Spans, fixed: set[tuple[int, int]], text: str
) -> None:
    """A lone sentence-initial word that the text also writes in lower case is not a name."""
    lower_words: set[str] | None = None
    for start, end in list(spans):
        if end - start != 1 or (start, end) in fixed or spans[(start, end)] == "PERSON":
            continue
        token = doc[start]
        initial = start == 0 or doc[start - 1].is_space or doc[start - 1].text in SENTENCE_OPENERS
        if not initial or not token.is_title:
            continue
        if lower_words is None:
            lower_words = set(LOWER_WORD.findall(text))
        if token.lower_ in lower_words:
            del spans[(start, end)]
