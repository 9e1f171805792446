"""HTML mode: the article body without navigation, ads, related links or footer; page metadata."""

from __future__ import annotations

import json

from trafilatura.xpaths import BODY_XPATH

from agents.clean import Cleaner, html_mode, shield
from agents.clean.html_mode import SURE_WORDS
from agents.clean.repeats import drop_repeated_copies
from schemas.models import RawArticle

PARAGRAPHS = [
    "Engineers at the Oskarsfjord observatory have finished mounting a new mirror on the northern "
    "telescope, three years after the old one cracked during a winter storm.",
    "The mirror, cast in a foundry near Tarvik, weighs almost four tonnes and had to be carried up "
    "the mountain road on a convoy of specially built trailers.",
    "Director Amaru Quispe said the first images would be released to the public in the autumn, "
    "once the instrument has been calibrated against a set of well known stars.",
    "Astronomers from four universities have already booked most of the observing time for the "
    "coming year, and a waiting list has been opened for the rest.",
]

PAGE = f"""<!doctype html>
<html><head>
<title>New mirror for northern telescope | Fjord Gazette</title>
<meta property="og:title" content="New mirror for northern telescope">
<meta name="author" content="Lena Marsh">
<meta property="article:published_time" content="2031-03-04T10:15:00+01:00">
</head><body>
<nav><ul><li><a href="/">Home</a></li><li><a href="/science">Science</a></li>
<li><a href="/sport">Sport</a></li></ul></nav>
<div class="ad">Advertisement</div>
<article>
<h1>New mirror for northern telescope</h1>
<p class="byline">By Lena Marsh</p>
{"".join(f"<p>{p}</p>" for p in PARAGRAPHS)}
</article>
<aside class="related"><h3>Related</h3><ul>
<li><a href="/a">Comet seen over the fjord for the first time in decades</a></li>
<li><a href="/b">Observatory road closed after landslide</a></li></ul></aside>
<footer><p>© 2031 Fjord Gazette. All rights reserved.</p>
<a href="/privacy">Privacy policy</a> <a href="/terms">Terms of use</a></footer>
</body></html>"""


def test_html_page_gives_body_without_nav_ads_related_or_footer() -> None:
    document = Cleaner().clean(RawArticle(html=PAGE))
    assert document.text.split("\n\n") == PARAGRAPHS


def test_html_page_gives_metadata() -> None:
    document = Cleaner().clean(RawArticle(html=PAGE))
    assert document.title == "New mirror for northern telescope"
    assert document.authors == ["Lena Marsh"]
    assert document.published_at == "2031-03-04T09:15:00Z"


def test_html_is_preferred_over_text() -> None:
    document = Cleaner().clean(RawArticle(html=PAGE, text="Something else entirely."))
    assert document.text.startswith("Engineers at the Oskarsfjord")


def test_html_entities_in_the_body_are_decoded_once_more() -> None:
    page = PAGE.replace("Director Amaru", "Director &amp;amp; founder Amaru")
    document = Cleaner().clean(RawArticle(html=page))
    assert "Director & founder Amaru" in document.text


def test_boilerplate_only_html_gives_empty_text() -> None:
    page = ("<html><body><nav><a href='/'>Home</a> <a href='/x'>World</a></nav>"
            "<div>Advertisement</div><footer>© 2031 Fjord Gazette</footer></body></html>")
    assert Cleaner().clean(RawArticle(html=page)).text == ""


def _page(article_words: int, other_words: int) -> str:
    """A page with one article and, elsewhere, a long run of other text (reader comments)."""
    paragraphs, words, day = [], 0, 0
    while words < article_words:
        day += 1
        text = (f"On day {day} of the hearing the harbour council weighed the plan for the "
                f"new ferry pier, and witness number {day} told members what the work would "
                f"mean for the {day} boats that use the old quay every week.")
        paragraphs.append(f"<p>{text}</p>")
        words += len(text.split())
    comments = "".join(
        f"<div class='comment'><p>Reader {n} thinks the pier is a fine idea and that the "
        f"council should go ahead with it now.</p></div>" for n in range(other_words // 18))
    return (f"<html><body><article><h1>Pier plan</h1>{''.join(paragraphs)}</article>"
            f"<section id='comments'>{comments}</section></body></html>")


def _extractions(monkeypatch, page: str) -> int:
    calls = []
    real = html_mode.trafilatura.extract

    def counted(*args, **kwargs):
        calls.append(kwargs.get("fast", False))
        return real(*args, **kwargs)

    monkeypatch.setattr(html_mode.trafilatura, "extract", counted)
    Cleaner().clean(RawArticle(html=page, url="https://harbour.test/pier"))
    return len(calls)


def test_a_long_fast_pick_is_sure_however_much_else_the_page_holds(monkeypatch) -> None:
    assert _extractions(monkeypatch, _page(SURE_WORDS + 100, 8 * SURE_WORDS)) == 1


def test_a_short_pick_of_a_long_page_gets_the_full_pass(monkeypatch) -> None:
    assert _extractions(monkeypatch, _page(SURE_WORDS // 3, 8 * SURE_WORDS)) == 2


def _sections(count: int) -> list[str]:
    return [f"Section {n} of the guide explains how the harbour council will pay for the "
            f"new ferry pier, which boats may use it in the first year, and what the {n} "
            f"members of the public who wrote in asked the engineers to change."
            for n in range(1, count + 1)]


def test_a_second_copy_of_the_body_is_dropped_with_its_reason() -> None:
    body = _sections(8)
    page = ("<html><body><article><div class='desktop'>"
            + "".join(f"<p>{p}</p>" for p in body) + "</div><div class='mobile'>"
            + "".join(f"<p>{p}</p>" for p in body) + "</div></article></body></html>")
    document = Cleaner().clean(RawArticle(html=page))
    assert document.text.split("\n\n") == body
    assert [line for reason, line in document.removed if reason == "repeated-copy"] == body


def test_short_blocks_an_article_repeats_are_body() -> None:
    """A plan's daily block repeats word for word: it is not a copy of the article."""
    day = ["Breakfast", "Oats with apple and a spoon of honey", "Lunch",
           "Lentil soup with bread", "Dinner", "Baked fish with potatoes and greens"]
    lines = [*_sections(2), *day, *_sections(2)[:1], *day]
    kept, removed = drop_repeated_copies(lines)
    assert kept == lines and removed == []


def test_the_declared_body_replaces_a_teaser_the_markup_shows() -> None:
    """A page that renders its body by script shows in its markup a first section only; its
    JSON-LD articleBody holds the whole."""
    body = _sections(6)
    declared = json.dumps({"@context": "https://schema.org", "@type": "NewsArticle",
                           "headline": "Pier plan", "articleBody": "\n".join(body)})
    page = (f"<html><head><script type='application/ld+json'>{declared}</script></head>"
            f"<body><article><h1>Pier plan</h1><p>{body[0]}</p><p>{body[1]}</p></article>"
            f"<div id='app'></div></body></html>")
    document = Cleaner().clean(RawArticle(html=page))
    assert document.text.split("\n\n") == body


def test_a_declared_summary_does_not_replace_the_body() -> None:
    body = _sections(6)
    declared = json.dumps({"@type": "NewsArticle", "articleBody": body[0]})
    page = (f"<html><head><script type='application/ld+json'>{declared}</script></head>"
            f"<body><article>{''.join(f'<p>{p}</p>' for p in body)}</article></body></html>")
    assert Cleaner().clean(RawArticle(html=page)).text.split("\n\n") == body


def _with_passes(monkeypatch, fast: list[str], full: list[str]) -> str:
    """The cleaned text of an unsure page whose fast and full passes answer these lines."""
    def extract(*_args, **kwargs):
        return "\n".join(fast if kwargs.get("fast") else full)

    monkeypatch.setattr(html_mode.trafilatura, "extract", extract)
    page = _page(SURE_WORDS // 3, 8 * SURE_WORDS)
    return Cleaner().clean(RawArticle(html=page, url="https://harbour.test/pier")).text


def test_a_full_pass_that_adds_a_few_lines_does_not_replace_the_pick(monkeypatch) -> None:
    body = _sections(3)
    teasers = ["Ferry timetable changes for the winter season across the whole fjord region",
               "Harbour master retires after forty years of service at the old quay"]
    assert _with_passes(monkeypatch, body, [*body, *teasers]).split("\n\n") == body


def test_a_full_pass_that_finds_the_article_replaces_the_pick(monkeypatch) -> None:
    assert _with_passes(monkeypatch, _sections(3), _sections(9)).split("\n\n") == _sections(9)


def test_an_article_in_a_block_named_like_furniture_is_kept() -> None:
    """trafilatura's discard rule matches parts of class names ("embed" in "w-embed"): a
    block of the article that reads as text is shielded from it."""
    body = _sections(10)
    paragraphs = [f"<p>{p}</p>" for p in body]
    page = ("<html><body><nav class='menu'><a href='/'>Home</a> <a href='/guides'>Guides</a>"
            "</nav><div class='post-body'>" + "".join(paragraphs[:3])
            + "<div class='rich-text w-embed'>" + "".join(paragraphs[3:7]) + "</div>"
            + "".join(paragraphs[7:]) + "</div></body></html>")
    document = Cleaner().clean(RawArticle(html=page))
    assert document.text.split("\n\n") == body


def test_a_hidden_copy_named_like_furniture_is_not_shielded() -> None:
    """A collapsed block stays hidden even when it reads as text."""
    body = _sections(10)
    hidden = "".join(f"<p>{p} (the long version)</p>" for p in _sections(6))
    page = ("<html><body><div class='post-body'>" + "".join(f"<p>{p}</p>" for p in body)
            + f"<div class='long-bar hidden'>{hidden}</div></div></body></html>")
    assert Cleaner().clean(RawArticle(html=page)).text.split("\n\n") == body


def test_teasers_named_like_furniture_still_go() -> None:
    """Headlines that are links, each with a line of summary: the block does not read as the
    article (a third of its words in links), so the discard rule still drops it."""
    teasers = "".join(
        f"<div><h3><a href='/story/{n}'>Ferry operator number {n} adds a winter crossing"
        f"</a></h3><p>Timetables for the {n} routes change next month, the operator said in"
        f" a short statement to passengers.</p></div>" for n in range(1, 9))
    body = _sections(8)
    page = (f"<html><body><div class='post-body'>{''.join(f'<p>{p}</p>' for p in body)}"
            f"<div class='related-stories'>{teasers}</div></div></body></html>")
    assert Cleaner().clean(RawArticle(html=page)).text.split("\n\n") == body


def test_the_shield_reads_trafilaturas_rules_as_written() -> None:
    """The shield turns trafilatura's searches into tests of one element; a release that
    writes them otherwise must fail here, not switch the shield off unseen."""
    assert shield.DISCARDED_BY_NAME is not None and shield.HIDDEN_OR_COMMENTS is not None
    page = html_mode.load_html(
        "<html><body><div class='sidebar'><p>x</p></div><div class='entry-content'><p>y</p>"
        "</div><article><p>z</p></article><main><p>w</p></main></body></html>")
    assert [bool(shield.DISCARDED_BY_NAME(e)) for e in page.iter("div")] == [True, False]
    listed = html_mode.load_html("<html><body><ol class='steps-slider'><li>x</li></ol>"
                                 "<ul class='plain'><li>y</li></ul></body></html>")
    assert [bool(shield.DISCARDED_BY_NAME(e)) for e in listed.iter("ol", "ul")] == [True, False]
    for search, test in zip(BODY_XPATH, shield.CONTAINER_TESTS, strict=True):
        assert all(test(found) for found in search(page))
    assert any(test(page.find(".//article")) for test in shield.CONTAINER_TESTS)
    assert not any(test(page.find(".//div")) for test in shield.CONTAINER_TESTS)


def test_a_list_of_steps_named_like_furniture_is_kept() -> None:
    steps = "".join(f"<li>{p}</li>" for p in _sections(8))
    page = ("<html><body><div class='entry-content'>"
            + "".join(f"<p>{p}</p>" for p in _sections(12)[8:])
            + f"<ol class='steps-slider'>{steps}</ol></div></body></html>")
    document = Cleaner().clean(RawArticle(html=page))
    assert all(step in document.text for step in _sections(8))


def test_a_declared_body_in_markup_is_read_as_a_reader_sees_it() -> None:
    body = _sections(6)
    markup = "".join(f"<p>{p}</p>" for p in body) + "<script>track()</script>"
    declared = json.dumps({"@type": "NewsArticle", "articleBody": markup}).replace("</", "<\\/")
    page = (f"<html><head><script type='application/ld+json'>{declared}</script></head>"
            f"<body><article><h1>Pier plan</h1><p>{body[0]}</p><p>{body[1]}</p></article>"
            f"<div id='app'></div></body></html>")
    assert Cleaner().clean(RawArticle(html=page)).text.split("\n\n") == body


def _cards(count: int, href: str = "/stories/{n}", summary: str = "", first: int = 1) -> str:
    return "".join(
        f"<div class='card'><h3><a href='{href.format(n=n)}'>Harbour story number {n} of the"
        f" week</a></h3><p>A short summary of harbour story {n}.{summary}</p></div>"
        for n in range(first, first + count))


def _with_grid(paragraphs: list[str], cards: str) -> str:
    return ("<html><body><article class='post-body'>"
            + "".join(f"<p>{p}</p>" for p in paragraphs)
            + f"<section class='more'>{cards}</section></article></body></html>")


def test_a_grid_of_teasers_inside_the_article_is_dropped_with_its_reason() -> None:
    body = _sections(10)
    document = Cleaner().clean(RawArticle(html=_with_grid(body, _cards(5)),
                                          url="https://harbour.test/pier"))
    assert document.text.split("\n\n") == body
    assert [line for reason, line in document.removed if reason == "teaser-grid"] == [
        line for n in range(1, 6) for line in (f"Harbour story number {n} of the week",
                                               f"A short summary of harbour story {n}.")]


def test_headings_that_link_to_the_site_are_not_a_grid_of_their_own_sections() -> None:
    """A guide's steps whose headings link to the site's pages keep their paragraphs."""
    steps = "".join(f"<h3><a href='/permits/{n}'>Step {n} of the permit guide</a></h3>"
                    f"<p>{p}</p><p>{p}</p>" for n, p in enumerate(_sections(4), start=1))
    page = (f"<html><body><article class='post-body'><div class='steps'>{steps}</div>"
            f"{''.join(f'<p>{p}</p>' for p in _sections(30)[6:])}</article></body></html>")
    document = Cleaner().clean(RawArticle(html=page, url="https://harbour.test/permits"))
    assert all(section in document.text for section in _sections(4))
    assert not any(reason == "teaser-grid" for reason, _ in document.removed)


def test_several_grids_together_stay_a_minor_part_of_the_page() -> None:
    """A review of the week, section after section of teasers, is the page: the grids are
    weighed together, not each against the others as if they were the article."""
    summary = " The council heard from the ferry crews and the fishing families" * 5
    sections = "".join(f"<section class='topic'><h2>Topic {t}</h2>"
                       f"{_cards(4, summary=summary, first=4 * t + 1)}</section>"
                       for t in range(6))
    page = (f"<html><body><article class='post-body'><p>{_sections(1)[0]}</p>{sections}"
            f"</article></body></html>")
    document = Cleaner().clean(RawArticle(html=page, url="https://harbour.test/week"))
    kept = [n for n in range(1, 25) if f"Harbour story number {n} of the week" in document.text]
    assert len(kept) >= 16


def test_cards_are_kept_when_they_are_the_page_or_lead_elsewhere() -> None:
    """On a hub page the cards are the content; links to other sites are sources, not
    teasers."""
    hub = Cleaner().clean(RawArticle(html=_with_grid(_sections(1), _cards(8)),
                                     url="https://harbour.test/hub"))
    assert "Harbour story number 8" in hub.text
    sources = Cleaner().clean(RawArticle(
        html=_with_grid(_sections(10), _cards(5, "https://archive.test/{n}")),
        url="https://harbour.test/pier"))
    assert "Harbour story number 5" in sources.text
