"""Key phrases of an article, ranked by the article alone: entity names, named plans and
events, content phrases.

Candidates are entity names (in canonical form) and runs of content words between stop words
and punctuation, split where capitalisation changes so "the Harbour Shield Plan unveiled"
yields the name alone. No part-of-speech tagger runs (it would cost a third of the stage), so
noun phrases come from cheaper signals: a phrase's last word is its head and is never one of
the common news verbs below, and a multi-word phrase seen only in the headline (which is
telegraphic: "ships queue", "derby drama") must recur in the body to count. Phrases are scored
by frequency, headline/lead position, length and whether they name something.

Named plans, laws, operations and events ("the victory plan") are written in lower case as
often as not: a phrase whose head names such a thing takes the capitalised form the article
gives it (headline, other mentions, the outlet's tags) and counts as a name. The outlet's own
tags (`metadata["source_tags"]`) are strong candidates: a tag the article mentions (or whose
every word it uses) ranks as a name, under the entity's canonical name when it is one; a tag
the text never mentions ("News Feed") is left out of the keywords (it stays in the metadata).

Nothing here depends on other articles, so an article's keywords are the same on every
deployment layout. What only the stream knows (a phrase every article shares says little; a
plan another article capitalised) is added by the judge, which reads the stream in one order
(`agents/dedup/keywords.py`).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from spacy.lang.en.stop_words import STOP_WORDS

from agents.named_things import is_capitalised, is_named_thing
from agents.tag.canonical import TITLES, clean_name
from agents.tag.entities import Mention
from schemas.models import Entity

# Words that are not stop words to spaCy but are never key phrases in news.
_FILLER_WORDS = """said says say saying told tells added adding according reported reports report
    announced asked stated noted claimed believes believed think thinks thought expected
    including include includes included also just like well really still already yet
    year years month months week weeks day days time times today yesterday tomorrow
    monday tuesday wednesday thursday friday saturday sunday morning evening night
    january february march april may june july august september october november december
    jan feb mar apr jun jul aug sep sept oct nov dec
    mr mrs ms dr new old good great big small large lot lots number part way ways thing things
    people man woman men women many much several few less least more most first second third
    last next later early earlier late latest recent recently percent per cent told make made
    making get got getting go going went come came coming take took taken want wanted need
    needed use used using see seen saw know known show showed shown set put give gave given
    dozen dozens hundreds thousands millions billions thirty twice"""
NEWS_FILLER = frozenset(_FILLER_WORDS.split())
# Verbs of news prose that are rarely the head noun of a phrase ("strike", "talks", "cut" and
# other noun-verbs are left out on purpose): a phrase never ends with one, nor starts with
# one in its present-tense forms ("leaves ships" is "ships").
_VERBS = """accept admit agree allow appear approve arrive beat become begin believe blame
    bring build buy cancel capture carry cause celebrate change choose close confirm consider
    continue create decide declare defend deliver deny describe destroy develop die discover
    draw drive drop earn edge emerge encourage end enter escape expand explain extend fail
    fear find finish follow force gain grow happen help hire hit hope identify improve
    increase insist intend introduce invest join keep kill launch lead leave lift limit
    live lose manage meet miss open order pass pay plunge praise prepare present prevent
    promise protect prove provide publish pull raise reach receive recover reduce refuse
    reject release remain remove replace require respond reveal rise run save score seek
    seem sell send serve set shut sign slam slide slip soar spend stand start stay stop strand
    struggle suffer suggest support surge survive suspend swing threaten tumble turn unveil
    urge vow wait walk warn welcome win wins worry"""
_IRREGULAR = """began begun beaten became bought brought built chose chosen drew drawn drove
    driven fell fallen found grew grown held kept led left lost met paid ran rose risen sold
    sent spent stood struck swung threw thrown took won"""


# -ing forms that news uses as nouns ("public spending", "the meeting") stay possible heads.
_ING_NOUNS = """meeting spending building opening closing funding warning finding ending saving
    ruling hearing training offering shooting landing"""
ING_NOUNS = frozenset(_ING_NOUNS.split())


def _doubles_final_consonant(base: str) -> bool:
    """run -> running, stop -> stopped: short verbs ending consonant-vowel-consonant."""
    vowels = "aeiou"
    return (
        len(base) <= 4
        and base[-1] not in vowels + "wxy"
        and base[-2] in vowels
        and base[-3] not in vowels
    )


def _verb_forms(bases: str) -> tuple[frozenset[str], frozenset[str]]:
    """(present and -ing forms, past forms) of regular verbs."""
    present: set[str] = set()
    past: set[str] = set()
    for base in bases.split():
        if _doubles_final_consonant(base):
            base_ = base + base[-1]
            present.add(base_ + "ing")
            past.add(base_ + "ed")
        present.add(base)
        present.add(base + ("es" if base.endswith(("s", "sh", "ch", "x")) else "s"))
        ing = (base[:-1] if base.endswith("e") and not base.endswith("ee") else base) + "ing"
        if ing not in ING_NOUNS:
            present.add(ing)
        if base.endswith("e"):
            past.add(base + "d")
        elif base.endswith("y") and base[-2] not in "aeiou":
            past.add(base[:-1] + "ied")
        else:
            past.add(base + "ed")
    return frozenset(present), frozenset(past)


# Comparatives describe a noun and never head one: "home storage cheaper" is "home storage".
_GRADED = "cheap safe high low big large small strong weak fast slow easy hard long short"


def _comparatives(adjectives: str) -> frozenset[str]:
    forms: set[str] = set()
    for adjective in adjectives.split():
        stem = adjective[:-1] if adjective.endswith("e") else adjective
        if adjective in {"big"}:
            stem = adjective + adjective[-1]
        forms.update({f"{stem}er", f"{stem}est"})
    return frozenset(forms)


PRESENT_VERBS, _PAST = _verb_forms(_VERBS)
NOT_HEADS = PRESENT_VERBS | _PAST | frozenset(_IRREGULAR.split()) | _comparatives(_GRADED)
# Words, hyphenated compounds and O'Brien-like names; a possessive "'s" is left out.
WORD = re.compile(r"[^\W\d_](?:[\w-]*[^\W_])?(?:['’][^\W\d_]{2,}(?:[\w-]*[^\W_])?)?")
SENTENCE_OPENERS = frozenset('.!?:"“')
SPACES = re.compile(r"\s+")
MAX_COMMON_WORDS = 3
MAX_NAME_WORDS = 5
TITLE_BONUS = 2.0
LEAD_BONUS = 1.0
ENTITY_BOOST = 1.5
DEFAULT_LIMIT = 10
SOURCE_TAG_BONUS = 4.0
MAX_TAG_WORDS = 8


@dataclass(slots=True)
class _Candidate:
    forms: Counter[str]
    count: int = 0
    bonus: float = 0.0
    entity: bool = False
    words: int = 1
    in_body: bool = False
    named_form: str | None = None  # the capitalised form of a named plan, law, event...

    def display(self) -> str:
        return self.named_form or self.forms.most_common(1)[0][0]


def _is_content(word: str, lower: str) -> bool:
    return lower not in STOP_WORDS and lower not in NEWS_FILLER and len(word) > 1


def _mention_ends(mentions: Sequence[Mention]) -> list[tuple[int, int]]:
    return sorted((m.start, m.end) for m in mentions)


def _runs(text: str, mentions: Sequence[Mention]) -> Iterator[tuple[list[re.Match[str]], bool]]:
    """Runs of adjacent content words outside entity mentions, of one capitalisation class,
    separated by nothing but a space or a hyphen."""
    taken = _mention_ends(mentions)
    next_taken = 0
    run: list[re.Match[str]] = []
    capitalised = False
    for match in WORD.finditer(text):
        start = match.start()
        while next_taken < len(taken) and taken[next_taken][1] <= start:
            next_taken += 1
        inside = next_taken < len(taken) and taken[next_taken][0] <= start
        word = match.group()
        content = not inside and _is_content(word, word.lower())
        # A sentence's first word outside any name is an ordinary word ("Dock workers").
        is_cap = word[0].isupper() and not (content and _sentence_initial(text, start))
        joined = bool(run) and text[run[-1].end() : start] in {" ", "-"}
        if run and (not content or not joined or is_cap != capitalised):
            yield run, capitalised
            run = []
        if content:
            if not run:
                capitalised = is_cap
            run.append(match)
    if run:
        yield run, capitalised


def _noun_phrase(run: list[re.Match[str]]) -> list[re.Match[str]]:
    """The run without verbs or adverbs at its edges: what is left ends in a likely noun."""
    start, end = 0, len(run)
    while start < end and (run[start].group().lower() in PRESENT_VERBS
                           or run[start].group().endswith("ly")):
        start += 1
    while end > start and (run[end - 1].group().lower() in NOT_HEADS
                           or run[end - 1].group().endswith("ly")):
        end -= 1
    return run[start:end]


def _sentence_initial(text: str, start: int) -> bool:
    """Whether the word at `start` opens a sentence or a line."""
    i = start - 1
    while i >= 0 and text[i] in " \t\r\n":
        if text[i] == "\n":
            return True
        i -= 1
    return i < 0 or text[i] in SENTENCE_OPENERS


def _confirm_headline_phrases(candidates: dict[str, _Candidate], body: str) -> None:
    """A headline-only phrase whose last word the body also uses is a noun phrase after all
    ("tram line plan" beside "the plans"); "ships queue" with no queue in the body is not."""
    body_words: set[str] | None = None
    for key, candidate in candidates.items():
        if candidate.in_body or candidate.entity or candidate.words < 2:
            continue
        if body_words is None:
            body_words = {word.lower() for word in WORD.findall(body)}
        head = key.rsplit(" ", 1)[-1]
        if head in body_words or f"{head}s" in body_words or head.removesuffix("s") in body_words:
            candidate.in_body = True


class KeywordExtractor:
    """Ranks an article's key phrases from the article alone (no state: any process, any
    order, the same result)."""

    def __init__(self, limit: int = DEFAULT_LIMIT):
        self.limit = limit

    def extract(
        self,
        text: str,
        mentions: Sequence[Mention],
        entities: Sequence[Entity],
        title_end: int = 0,
        lead_end: int = 0,
        source_tags: Sequence[str] = (),
    ) -> list[str]:
        """Best phrases first. `text` is headline and body; offsets as in canonical.py;
        `source_tags` are the outlet's own tags for the article."""
        canonical = {form: e.name for e in entities for form in e.surface_forms}
        candidates: dict[str, _Candidate] = {}

        def add(form: str, start_char: int, words: int, entity: bool) -> None:
            key = form.lower()
            candidate = candidates.setdefault(key, _Candidate(Counter(), words=words))
            candidate.forms[form] += 1
            candidate.count += 1
            candidate.entity = candidate.entity or entity
            if start_char < title_end:
                candidate.bonus += TITLE_BONUS
            else:
                candidate.in_body = True
                if start_char < lead_end:
                    candidate.bonus += LEAD_BONUS

        for mention in mentions:
            surface = mention.text.strip()
            name = canonical.get(surface) or clean_name(surface, mention.type)
            if name:
                add(name, mention.start, len(name.split()), entity=True)
        for run, capitalised in _runs(text, mentions):
            phrase = _noun_phrase(run)
            words = len(phrase)
            if not words:
                continue
            first = phrase[0].start()
            if words == 1 and capitalised and phrase[0].group() in TITLES:
                continue  # a lone title is an ordinary word
            if words > (MAX_NAME_WORDS if capitalised else MAX_COMMON_WORDS):
                continue
            form = text[first : phrase[-1].end()]
            if not capitalised and form[0].isupper() and not form[:2].isupper():
                form = form[0].lower() + form[1:]  # "Dock workers" opening a sentence
            if capitalised or words > 1 or len(form) > 3:
                add(form, first, words, entity=False)

        _confirm_headline_phrases(candidates, text[title_end:])
        self._name_things(candidates)
        self._add_source_tags(candidates, source_tags, entities, text)
        return self._rank(candidates)

    @staticmethod
    def _name_things(candidates: dict[str, _Candidate]) -> None:
        """Named plans, laws and events the article capitalises take that form and count as
        names."""
        for key, candidate in candidates.items():
            if not candidate.in_body or not is_named_thing(key):
                continue  # a title-case headline alone capitalises every word
            capitalised = [form for form in candidate.forms.elements() if is_capitalised(form)]
            if capitalised:
                candidate.named_form = Counter(capitalised).most_common(1)[0][0]
                candidate.entity = True

    @staticmethod
    def _add_source_tags(candidates: dict[str, _Candidate], tags: Sequence[str],
                         entities: Sequence[Entity], text: str) -> None:
        """The outlet's tags, grounded in the text, as strong candidates."""
        if not tags:
            return
        canonical = {form.lower(): e.name for e in entities for form in (e.name,
                                                                          *e.surface_forms)}
        text_words: set[str] | None = None
        for tag in tags:
            tag = SPACES.sub(" ", tag).strip() if isinstance(tag, str) else ""
            if not tag or len(tag.split()) > MAX_TAG_WORDS:
                continue
            name = canonical.get(tag.lower(), tag)
            key = name.lower()
            candidate = candidates.get(key)
            if candidate is None:
                if text_words is None:
                    text_words = {word.lower() for word in WORD.findall(text)}
                words = [w.lower() for w in WORD.findall(name)]
                content = [w for w in words if w not in STOP_WORDS]
                if not content or not all(w in text_words for w in content):
                    continue  # never mentioned: not a keyword of this text
                candidate = candidates[key] = _Candidate(Counter({name: 1}), count=1,
                                                         words=len(name.split()), in_body=True)
            if is_capitalised(name):
                candidate.named_form = name
            candidate.entity = True
            candidate.in_body = True
            candidate.bonus += SOURCE_TAG_BONUS

    def _rank(self, candidates: dict[str, _Candidate]) -> list[str]:
        scored: list[tuple[float, str, str]] = []
        for key, candidate in candidates.items():
            weight = (candidate.count + candidate.bonus) * (1.0 + 0.5 * (candidate.words - 1))
            if candidate.entity:
                weight *= ENTITY_BOOST
            scored.append((weight, key, candidate.display()))
        scored.sort(key=lambda item: (-item[0], item[1]))
        chosen: list[str] = []
        chosen_keys: list[str] = []
        for _, key, form in scored:
            candidate = candidates[key]
            lone_word = candidate.words == 1 and not candidate.entity and form.islower()
            if lone_word and candidate.count < 2:
                continue  # a common word said once is rarely what the story is about
            if candidate.words > 1 and not candidate.entity and not candidate.in_body:
                continue  # headline-only word pairs are often subject and verb: "ships queue"
            padded = f" {key} "
            if any(padded in f" {other} " or f" {other} " in padded for other in chosen_keys):
                continue  # "plan" adds nothing once "harbour shield plan" is in
            chosen.append(form)
            chosen_keys.append(key)
            if len(chosen) >= self.limit:
                break
        return chosen
