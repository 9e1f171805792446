"""HTML mode: the article body without navigation, ads, related links or footer; page metadata."""

from __future__ import annotations

from agents.clean import Cleaner, html_mode
from agents.clean.html_mode import SURE_WORDS
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
