"""Merge an article's entity mentions into canonical entities.

"President Volodymyr Zelensky", "Zelensky" and "Zelenskyy's" become one PERSON named
"Volodymyr Zelensky"; "Russian forces" counts as a mention of Russia (LOC); "the US" and
"United States" become one place. Entities come out ordered by salience.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

from agents.tag.entities import Mention
from agents.tag.gazetteer import (
    CITIES_AND_REGIONS,
    COUNTRIES,
    DEMONYM_TO_PLACE,
    ORGANISATIONS,
    PLACE_ALIASES,
)
from schemas.models import Entity, EntityType

TITLES: tuple[str, ...] = (
    "President", "Vice President", "Vice-President", "Prime Minister", "Deputy Prime Minister",
    "Foreign Minister", "Defence Minister", "Defense Minister", "Finance Minister", "Minister",
    "Chancellor", "Secretary", "Secretary of State", "Secretary-General", "General", "Gen.",
    "Lieutenant", "Lt.", "Colonel", "Col.", "Major", "Maj.", "Captain", "Capt.", "Admiral",
    "Adm.", "Sergeant", "Sgt.", "Senator", "Sen.", "Representative", "Rep.", "Governor",
    "Gov.", "Mayor", "Judge", "Justice", "Ambassador", "King", "Queen", "Prince", "Princess",
    "Pope", "Sheikh", "Rev.", "Reverend", "Father", "Sir", "Dame", "Lord", "Lady", "Mr", "Mr.",
    "Mrs", "Mrs.", "Ms", "Ms.", "Miss", "Dr", "Dr.", "Prof.", "Professor", "Chairman",
    "Chairwoman", "Chief Executive", "CEO", "Coach", "Commissioner", "Speaker", "Premier",
)
TITLE_PATTERN = re.compile(
    r"^(?:(?:former|then|acting|interim|late)\s+)?(?:"
    + "|".join(re.escape(t) for t in sorted(TITLES, key=len, reverse=True))
    + r")\s+(?=\S)"
)
POSSESSIVE = re.compile(r"(?:['’]s|['’])$")
LEADING_ARTICLE = re.compile(r"^(?:the|The)\s+")
SPACES = re.compile(r"\s+")
# Mention-count bonuses: a name in the headline or the lead paragraph is what the story is about.
# "KYIV" in a dateline is Kyiv: shouted known names get their usual spelling back.
KNOWN_NAMES = {name.upper(): name for name in (*COUNTRIES, *CITIES_AND_REGIONS, *ORGANISATIONS)}
TITLE_WEIGHT = 2.0
LEAD_WEIGHT = 1.0


def clean_name(text: str, entity_type: EntityType) -> str:
    """Surface form without possessive, leading article and (for people) titles."""
    name = SPACES.sub(" ", text).strip(" \t\n,.;:-\"“”'‘’()") or text.strip()
    name = POSSESSIVE.sub("", name)
    name = LEADING_ARTICLE.sub("", name)
    if entity_type == "PERSON":
        while (shorter := TITLE_PATTERN.sub("", name)) != name:
            name = shorter
    if name.isupper():
        name = KNOWN_NAMES.get(name, name)
    return PLACE_ALIASES.get(name, name) if entity_type == "LOC" else name


def _edit_distance(a: str, b: str, limit: int) -> int:
    """Levenshtein distance, abandoned once it exceeds `limit`."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    previous = list(range(len(b) + 1))
    for i, char_a in enumerate(a, 1):
        current = [i]
        for j, char_b in enumerate(b, 1):
            current.append(
                min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (char_a != char_b))
            )
        if min(current) > limit:
            return limit + 1
        previous = current
    return previous[-1]


def same_spelling_variant(a: str, b: str) -> bool:
    """Zelensky/Zelenskyy/Zelenskiy: long words sharing a prefix, at most two edits apart."""
    if a == b:
        return True
    if min(len(a), len(b)) < 5 or a[:4].lower() != b[:4].lower():
        return False
    return _edit_distance(a.lower(), b.lower(), 2) <= 2


def _names_compatible(short: str, long: str) -> bool:
    """A short person name refers to a longer one ending with it (surname, or variant of it)."""
    short_words, long_words = short.split(), long.split()
    if len(short_words) >= len(long_words):
        return False
    tail = long_words[-len(short_words) :]
    return all(same_spelling_variant(s, t) for s, t in zip(short_words, tail, strict=True))


def _first_name_of(short: str, long: str) -> bool:
    """'Mike' for 'Mike Tindall': only used when exactly one full name starts so."""
    return " " not in short and " " in long and long.split()[0] == short


@dataclass(slots=True)
class _Group:
    name: str
    type: EntityType
    forms: Counter[str] = field(default_factory=Counter)
    names: Counter[str] = field(default_factory=Counter)
    types: Counter[EntityType] = field(default_factory=Counter)
    first: int = 0
    salience: float = 0.0


def _is_demonym_as_place(mention: Mention) -> bool:
    """'Russian forces' means Russia; 'Russians' (the people) and 'Russian' alone do not."""
    return (
        mention.type == "MISC"
        and mention.text in DEMONYM_TO_PLACE
        and mention.next_word[:1].islower()
    )


def canonical_entities(
    mentions: Sequence[Mention], title_end: int = 0, lead_end: int = 0
) -> list[Entity]:
    """Entities of one article; characters before `title_end` are the headline and those
    before `lead_end` the headline plus lead paragraph."""
    groups: list[_Group] = []
    by_key: dict[str, _Group] = {}
    for mention in mentions:
        entity_type: EntityType = mention.type
        if _is_demonym_as_place(mention):
            name, entity_type = DEMONYM_TO_PLACE[mention.text], "LOC"
        else:
            name = clean_name(mention.text, entity_type)
        if not name or not any(c.isalpha() for c in name):
            continue
        group = by_key.get(name)
        if group is None:
            group = _Group(name=name, type=entity_type, first=mention.start)
            by_key[name] = group
            groups.append(group)
        group.types[entity_type] += 1
        group.forms[mention.text.strip()] += 1
        group.names[name] += 1
        group.salience += 1.0
        if mention.start < title_end:
            group.salience += TITLE_WEIGHT
        elif mention.start < lead_end:
            group.salience += LEAD_WEIGHT
    for group in groups:
        group.type = group.types.most_common(1)[0][0]  # ties: the first label seen
    merged = _merge_people(_people_by_surname(groups))
    merged = _merge_acronyms(merged)
    merged = _merge_name_prefixes(merged)
    merged.sort(key=lambda g: (-g.salience, g.first))
    return [
        Entity(
            name=group.name,
            type=group.type,
            mentions=sum(group.forms.values()),
            surface_forms=list(group.forms),
        )
        for group in merged
    ]


def _people_by_surname(groups: list[_Group]) -> list[_Group]:
    """A one-word name the model typed otherwise is a person if it is a known person's
    surname or a spelling of it ("Zelenskiy" beside "Volodymyr Zelensky")."""
    surnames = [g.name.split()[-1] for g in groups if g.type == "PERSON" and " " in g.name]
    for group in groups:
        single_word = " " not in group.name and group.name[:1].isupper()
        if group.type in ("ORG", "MISC") and single_word and any(
            same_spelling_variant(group.name, surname) for surname in surnames
        ):
            group.type = "PERSON"
    return groups


def _absorb(target: _Group, source: _Group) -> None:
    target.forms.update(source.forms)
    target.names.update(source.names)
    target.salience += source.salience
    target.first = min(target.first, source.first)


def _merge_people(groups: list[_Group]) -> list[_Group]:
    """Short names into the full names ending with them; spelling variants into one another."""
    people = sorted(
        (g for g in groups if g.type == "PERSON"), key=lambda g: (-len(g.name.split()), g.first)
    )
    absorbed: set[int] = set()
    for i, short in enumerate(people):
        targets = [
            long
            for long in people[:i]
            if id(long) not in absorbed
            and (
                _names_compatible(short.name, long.name)
                or (
                    len(short.name.split()) == len(long.name.split())
                    and all(
                        same_spelling_variant(a, b)
                        for a, b in zip(short.name.split(), long.name.split(), strict=True)
                    )
                )
            )
        ]
        if not targets:
            by_first_name = [
                long
                for long in people[:i]
                if id(long) not in absorbed and _first_name_of(short.name, long.name)
            ]
            targets = by_first_name if len(by_first_name) == 1 else []
        distinct = {t.name for t in targets}
        if len(targets) >= 1 and len(distinct) == 1:
            _absorb(targets[0], short)
            absorbed.add(id(short))
        elif len(targets) > 1:
            # Two different people share the surname: attach to the more prominent one.
            best = max(targets, key=lambda t: (t.salience, -t.first))
            _absorb(best, short)
            absorbed.add(id(short))
    for group in people:
        if id(group) not in absorbed:
            longest = max(len(n.split()) for n in group.names)
            full = [n for n in group.names if len(n.split()) == longest]
            group.name = max(full, key=lambda n: (group.names[n], -full.index(n)))
    return [g for g in groups if id(g) not in absorbed]


def _initials(name: str) -> str:
    return "".join(word[0] for word in name.split() if word[:1].isupper())


def _merge_acronyms(groups: list[_Group]) -> list[_Group]:
    """'UN' into 'United Nations' when both appear: the acronym is the long name's initials."""
    long_by_initials: dict[str, _Group] = {}
    for group in groups:
        if len(group.name.split()) > 1:
            long_by_initials.setdefault(_initials(group.name), group)
    absorbed: set[int] = set()
    for group in groups:
        acronym = group.name.replace(".", "")
        if acronym.isupper() and 1 < len(acronym) <= 6:
            target = long_by_initials.get(acronym)
            if target is not None and target is not group:
                _absorb(target, group)
                absorbed.add(id(group))
    return [g for g in groups if id(g) not in absorbed]


def _merge_name_prefixes(groups: list[_Group]) -> list[_Group]:
    """'China Aviation' into 'China Aviation Oil': an organisation's name cut short, when
    only one longer name of that type starts with it."""
    absorbed: set[int] = set()
    for group in sorted(groups, key=lambda g: -len(g.name)):
        if group.type != "ORG":
            continue
        prefix = group.name + " "
        longer = [
            g
            for g in groups
            if g.type == "ORG" and g.name.startswith(prefix) and id(g) not in absorbed
        ]
        if len(longer) == 1:
            _absorb(longer[0], group)
            absorbed.add(id(group))
    return [g for g in groups if id(g) not in absorbed]
