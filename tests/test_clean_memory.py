"""Per-source boilerplate memory: recurring prose of one outlet is learned and dropped."""

from __future__ import annotations

import json

from agents.clean import Cleaner, SourceMemory, SourceMemoryConfig
from schemas.models import RawArticle

SOURCE = "harbourledger.example"
#: Prose-shaped furniture that this invented outlet prints under every story.
RECURRING = [
    "Follow our coverage of the dock strike on the live page, which our reporters update "
    "through the day.",
    "The Harbour Ledger is funded by its readers and never takes money from the companies it "
    "writes about.",
]
SUBJECTS = [
    ("ferry operator", "Vellmar", "Ansgar Holt", "timetable"),
    ("fish market", "Ostrand", "Mirela Kovic", "auction hall"),
    ("shipyard", "Kelby", "Tobias Wrenn", "dry dock"),
    ("port authority", "Saltmere", "Hedda Lund", "container terminal"),
    ("pilot service", "Norrvik", "Oskar Brandt", "tugboat fleet"),
    ("customs office", "Fjellby", "Lotte Amsel", "inspection yard"),
]
#: A real sentence that two different stories happen to share.
SHARED_QUOTE = (
    "The union said it would not comment on the negotiations until its members had voted on "
    "the latest offer."
)


def body(subject: tuple[str, str, str, str]) -> list[str]:
    company, town, person, place = subject
    return [
        f"The {company} in {town} announced on Monday that it would rebuild its {place} over "
        f"the coming winter, after years of complaints from the people who depend on it.",
        f"{person}, who has run the {company} since it was reorganised, said the work would "
        f"be paid for from reserves rather than from higher charges for the {place}.",
        f"Residents of {town} welcomed the plan but asked the {company} to publish a timetable "
        f"so that businesses near the {place} could prepare for the disruption.",
    ]


def article(index: int, extra: tuple[str, ...] = ()) -> str:
    lines = body(SUBJECTS[index])
    return "\n".join([lines[0], lines[1], *extra, lines[2], *RECURRING])


def clean(cleaner: Cleaner, index: int, *, source: str = SOURCE, extra: tuple[str, ...] = (),
          url: str | None = None) -> str:
    raw = RawArticle(text=article(index, extra), source=source,
                     url=url or f"https://{source}/story/{index}")
    return cleaner.clean(raw).text


def test_the_line_classifier_alone_keeps_the_recurring_prose() -> None:
    text = Cleaner().clean(RawArticle(text=article(0), source=SOURCE)).text
    assert all(line in text for line in RECURRING)


def test_recurring_prose_of_a_source_is_dropped_once_learned_and_body_repeats_are_kept() -> None:
    cleaner = Cleaner(memory=SourceMemory())
    first = clean(cleaner, 0, extra=(SHARED_QUOTE,))
    assert all(line in first for line in RECURRING)
    for index in (1, 2):
        clean(cleaner, index)
    later = clean(cleaner, 3, extra=(SHARED_QUOTE,))
    assert not any(line in later for line in RECURRING)
    assert later.split("\n\n") == [*body(SUBJECTS[3])[:2], SHARED_QUOTE, body(SUBJECTS[3])[2]]


def test_html_mode_drops_learned_lines_too() -> None:
    cleaner = Cleaner(memory=SourceMemory())
    texts = []
    for index in range(5):
        paragraphs = [*body(SUBJECTS[index]), *RECURRING]
        html = ("<html><head><title>Story</title></head><body><article>"
                + "".join(f"<p>{p}</p>" for p in paragraphs) + "</article></body></html>")
        raw = RawArticle(html=html, source=SOURCE, url=f"https://{SOURCE}/{index}")
        texts.append(cleaner.clean(raw).text)
    assert RECURRING[0] in texts[0]
    assert RECURRING[0] not in texts[4]
    assert body(SUBJECTS[4])[1] in texts[4]


def test_replayed_articles_do_not_count_twice() -> None:
    memory = SourceMemory()
    cleaner = Cleaner(memory=memory)
    for _ in range(4):
        clean(cleaner, 0, url="https://harbourledger.example/same")
    assert not memory.is_boilerplate(SOURCE, RECURRING[0])
    assert memory.store[SOURCE]["n"] == 1


def test_updates_of_one_story_do_not_make_its_body_boilerplate() -> None:
    memory = SourceMemory()
    cleaner = Cleaner(memory=memory)
    for update in range(5):
        clean(cleaner, 0, url=f"https://harbourledger.example/story/0?update={update}")
    assert not memory.is_boilerplate(SOURCE, body(SUBJECTS[0])[0])


def test_learning_of_one_source_does_not_affect_another() -> None:
    memory = SourceMemory()
    cleaner = Cleaner(memory=memory)
    for index in range(4):
        clean(cleaner, index)
    assert memory.is_boilerplate(SOURCE, RECURRING[0])
    assert not memory.is_boilerplate("otherpaper.example", RECURRING[0])
    assert RECURRING[0] in clean(cleaner, 4, source="otherpaper.example")


def spelled(n: int) -> str:
    """A number as letters (fingerprints fold digits, so numbered lines would be one line)."""
    return "".join("abcdefghij"[int(digit)] for digit in str(n))


def test_memory_stays_bounded_and_json_serialisable() -> None:
    config = SourceMemoryConfig(max_lines=40, max_recent_keys=10)
    memory = SourceMemory(config=config)
    for n in range(200):
        lines = [f"Line {word} of article {spelled(n)} about topic {word}" for word in "abcdefgh"]
        memory.learn(SOURCE, f"key-{n}", [*lines, "Always the same closing line of the outlet"])
    assert memory.size(SOURCE) <= 40
    assert len(memory.store[SOURCE]["recent"]) == 10
    assert memory.is_boilerplate(SOURCE, "Always the same closing line of the outlet")
    reloaded = SourceMemory(json.loads(json.dumps(memory.store)), config)
    assert reloaded.is_boilerplate(SOURCE, "Always the same closing line of the outlet")


def test_lines_a_source_stopped_printing_expire() -> None:
    memory = SourceMemory()
    old = "Our offices are closed for the summer holidays and will reopen in the autumn."
    for n in range(5):
        memory.learn(SOURCE, f"early-{n}", [old, f"Story {spelled(n)} is told in a long line "
                                                 f"of prose that only this article holds."])
    assert memory.is_boilerplate(SOURCE, old)
    for n in range(120):
        memory.learn(SOURCE, f"late-{n}", [f"Another story {spelled(n)} in its own words."])
    assert not memory.is_boilerplate(SOURCE, old)


def test_without_a_source_or_memory_nothing_is_learned() -> None:
    memory = SourceMemory()
    cleaner = Cleaner(memory=memory)
    for index in range(4):
        cleaner.clean(RawArticle(text=article(index), url=f"https://x.example/{index}"))
    assert memory.store == {}
