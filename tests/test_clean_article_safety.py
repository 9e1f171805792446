"""Issue #10: the cleaner never silently loses the article, and reads metadata from text dumps.

All texts are written for these tests (invented outlets, people and places).
"""

from __future__ import annotations

from agents.clean import Cleaner
from agents.clean.lines import strip_furniture
from agents.pipeline import Pipeline
from schemas.models import RawArticle

LEAD = ("The harbour authority of Norrvik said on Monday that the old stone pier would close "
        "for repairs next month, after divers found deep cracks below the waterline.")
SECOND = ("Ferries will dock at the north terminal while the work goes on, and the timetable "
          "will not change, a spokeswoman for the authority told reporters.")
THIRD = ("The repairs are expected to take six weeks and to cost about two million crowns, "
         "which the port will pay from its maintenance budget.")
FOURTH = ("Local fishermen, who moor their boats along the pier, will be offered free berths "
          "in the marina until the pier reopens in the spring.")


def clean(text: str, **given: object):
    return Cleaner().clean(RawArticle(text=text, **given))  # type: ignore[arg-type]


def paragraphs(text: str, **given: object) -> list[str]:
    return clean(text, **given).text.split("\n\n")


def test_lead_paragraph_before_an_advertisement_line_is_kept() -> None:
    document = clean("\n".join([LEAD, "Advertisement", SECOND, THIRD]))
    assert document.text.split("\n\n") == [LEAD, SECOND, THIRD]
    assert ("boilerplate", "Advertisement") in document.removed


def test_every_removed_line_has_a_named_reason() -> None:
    dump = "\n".join(["Home | Ports | Ferries | Weather", "Sign up for our newsletter", LEAD,
                      "Advertisement", SECOND, THIRD, "Share on Facebook"])
    document = clean(dump)
    body = set(document.text.split("\n\n"))
    dropped = {line for _, line in document.removed}
    assert {line for line in dump.split("\n")} == body | dropped
    assert all(reason for reason, _ in document.removed)


def test_social_follow_prompt_inside_the_body_is_dropped() -> None:
    prompt = "Follow our coverage of the pier repairs on the @norrvik_harbour_news channel."
    assert paragraphs("\n".join([LEAD, SECOND, prompt, THIRD, FOURTH])) == [
        LEAD, SECOND, THIRD, FOURTH]


def test_teaser_block_inside_the_body_is_dropped() -> None:
    teaser = "Lighthouse keepers recall the storm that moved the breakwater"
    standfirst = ("Two retired keepers tell the Norrvik Courier what the night of the great "
                  "storm sounded like from the top of the tower.")
    dump = "\n".join([LEAD, SECOND, "Other Topics of Interest", teaser, teaser, standfirst,
                      THIRD, FOURTH])
    assert paragraphs(dump) == [LEAD, SECOND, THIRD, FOURTH]


def test_trailing_related_article_teaser_is_dropped() -> None:
    dump = "\n".join([LEAD, SECOND, THIRD, FOURTH,
                      "Ferry crews train for winter rescues in the fjord",
                      "Crews from three ports spent a week practising rescues in icy water.",
                      "Norrvik Courier"])
    assert paragraphs(dump) == [LEAD, SECOND, THIRD, FOURTH]


def test_section_headings_of_a_roundup_are_kept() -> None:
    heading = "Museum ship gets a new coat of paint"
    museum = ("Volunteers began repainting the museum ship Ansgar on Saturday, the first full "
              "repaint since the ship was towed to the harbour thirty years ago.")
    museum_more = ("The work will take most of the summer, and visitors can watch the painters "
                   "from a platform that the museum has built beside the hull.")
    dump = "\n".join([LEAD, SECOND, heading, museum, museum_more])
    assert paragraphs(dump) == [LEAD, SECOND, heading, museum, museum_more]


def test_author_block_at_the_end_gives_the_author() -> None:
    bio = ("Ingrid Solvik is a freelance journalist and author who has written about the "
           "northern ports for two decades.")
    document = clean("\n".join([LEAD, SECOND, THIRD, "Ingrid", "Solvik", bio]))
    assert document.text.split("\n\n") == [LEAD, SECOND, THIRD]
    assert document.authors == ["Ingrid Solvik"]
    assert {reason for reason, _ in document.removed} >= {"author-block", "bio"}


def test_date_stamp_glued_to_the_lead_becomes_the_date() -> None:
    document = clean("\n".join([f" date 2031-10-14 {LEAD}", SECOND, THIRD]))
    assert document.published_at == "2031-10-14"
    assert document.text.split("\n\n") == [LEAD, SECOND, THIRD]


def test_tag_line_at_the_top_becomes_source_tags() -> None:
    tag_line = "News Feed, Ingrid Solvik, Norway, Sweden, Norway, Harbour Renewal Plan"
    document = clean("\n".join([tag_line, LEAD, SECOND, THIRD]))
    assert document.text.split("\n\n") == [LEAD, SECOND, THIRD]
    assert document.source_tags == ["News Feed", "Ingrid Solvik", "Norway", "Sweden",
                                    "Harbour Renewal Plan"]


def test_source_tags_reach_the_article_metadata() -> None:
    tag_line = "News Feed, Norway, Harbour Renewal Plan"
    raw = RawArticle(url="https://courier.example/pier", text="\n".join([tag_line, LEAD, SECOND]),
                     metadata={"feed": "ports"})
    article = Pipeline().clean_raw(raw, "2031-10-14T08:00:00Z")
    assert article.metadata == {"feed": "ports",
                                "source_tags": ["News Feed", "Norway", "Harbour Renewal Plan"]}


def test_html_keywords_become_source_tags_in_order_without_repeats() -> None:
    page = ("<html><head><meta name='keywords' content='ports, Norrvik, ferries'>"
            "<meta property='article:tag' content='Harbour Renewal Plan'>"
            "<meta property='article:tag' content='ports'>"
            '<script type="application/ld+json">{"@type": "NewsArticle", "headline": "Pier '
            'closes", "keywords": ["Norrvik", "repairs"]}</script></head><body><article>'
            f"<p>{LEAD}</p><p>{SECOND}</p><p>{THIRD}</p></article></body></html>")
    document = Cleaner().clean(RawArticle(html=page))
    assert document.source_tags == ["Norrvik", "repairs", "Harbour Renewal Plan", "ports",
                                    "ferries"]


def test_listicle_numbered_headings_and_short_sections_are_kept() -> None:
    intro = ("Norrvik has more to offer than its harbour, and a long weekend is enough to see "
             "the best of it if you plan the days well.")
    items = [
        ("1. Walk the old pier at dawn", "The light on the water is best before the ferries "
         "start running."),
        ("2. Eat at the fish market", "Stalls open at seven and the soup is ready by nine."),
        ("3. Climb the lighthouse", "The stairs are steep, but the view reaches the islands."),
        ("4. Take the island ferry", "A return ticket costs less than a coffee in the capital."),
    ]
    dump = "\n".join(["Home | Travel | Guides", intro, *(line for item in items for line in item)])
    assert paragraphs(dump) == [intro, *(line for item in items for line in item)]


def test_a_guide_whose_headings_read_like_teaser_headers_keeps_its_sections() -> None:
    sections = []
    for name in ("Popular routes for beginners", "Latest changes to the ferry timetable"):
        sections += [name, f"{LEAD} {SECOND}", THIRD]
    kept = strip_furniture([LEAD, *sections]).kept
    assert kept == [LEAD, *sections]


def test_a_consent_banners_long_paragraphs_are_dropped_but_prose_about_cookies_stays() -> None:
    banner = [
        "This website uses cookies to improve your experience while you navigate through the "
        "harbour authority's pages. Of these, the cookies that are categorised as necessary "
        "are stored in your browser, as they are essential for the basic working of the site. "
        "We also use third-party cookies that help us analyse how you use this website, and "
        "they are stored only with your consent, which you may withdraw at any time.",
        "Necessary cookies are absolutely essential for the website to function properly. "
        "They ensure the basic functions and the security features of the site, anonymously, "
        "and keep no personal information about the visitors of the harbour's pages at all, "
        "whatever page of the timetable or of the notices they happen to be reading today.",
        "Cookie Duration Description harbour-consent-analytics 11 months This cookie is set by "
        "the consent plugin to remember whether the visitor agreed to the analytics cookies.",
    ]
    about = ("Browser cookies are small files that a site leaves on a reader's computer; the "
             "authority's new ticket pages need them to remember a ferry booking between "
             "visits, a spokeswoman said, and the pages ask before they store any of them.")
    filtered = strip_furniture([LEAD, SECOND, about, THIRD, *banner])
    assert filtered.kept == [LEAD, SECOND, about, THIRD]
    assert [reason for reason, _ in filtered.removed] == ["cookie-notice"] * 3
    assert paragraphs("\n".join([LEAD, SECOND, about, THIRD, *banner])) == [
        LEAD, SECOND, about, THIRD]


def test_appeals_for_readers_money_are_dropped_in_both_modes() -> None:
    appeals = [
        "Enjoyed this piece? We need your help to keep publishing.",
        "The Norrvik Courier is a non-profit newsroom kept alive by reader donations: no "
        "paywall, no adverts. Your monthly donations keep our reporters on the quay.",
        "Support our harbour reporting! Become a patron for the price of a ferry ticket.",
    ]
    assert paragraphs("\n".join([LEAD, SECOND, appeals[0], THIRD, FOURTH, *appeals[1:]])) == [
        LEAD, SECOND, THIRD, FOURTH]
    filtered = strip_furniture([LEAD, SECOND, THIRD, *appeals])
    assert filtered.kept == [LEAD, SECOND, THIRD]
    assert [reason for reason, _ in filtered.removed] == ["support-appeal"] * 3
    # Prose that is about support or donations is not an appeal.
    news = ("Support for the new pier grew after the storm, and donations to the lifeboat "
            "fund doubled, the harbour master said on Tuesday.")
    assert strip_furniture([LEAD, news, SECOND]).kept == [LEAD, news, SECOND]


CHINESE = [
    "诺尔维克港务局星期一表示，由于潜水员在水线以下发现了很深的裂缝，旧石码头将于下个月关闭维修。",
    "维修期间，渡轮将停靠北码头，时刻表不会改变。港务局的一位女发言人对记者说，乘客不必担心。",
    "维修工程预计需要六个星期，费用约为两百万克朗，将由港口的维护预算支付。",
]
JAPANESE = [
    "ノルビク港湾局は月曜日、潜水士が水面下に深いひびを見つけたため、古い石の桟橋を来月から修理のため閉鎖すると発表した。",
    "工事の間、フェリーは北ターミナルに着岸し、時刻表は変わらないと、港湾局の広報担当者が記者団に語った。",
    "修理には六週間かかる見込みで、費用はおよそ二百万クローネ、港の維持予算から支払われる。",
]


def test_multi_paragraph_chinese_and_japanese_articles_are_kept_whole() -> None:
    for body in (CHINESE, JAPANESE):
        dump = "\n".join(["首页 | 新闻 | 港口", *body, "Advertisement"])
        assert paragraphs(dump) == body
        page = ("<html><head><title>港口</title></head><body><nav><a href='/'>首页</a></nav>"
                f"<article>{''.join(f'<p>{p}</p>' for p in body)}</article></body></html>")
        assert Cleaner().clean(RawArticle(html=page)).text.split("\n\n") == body


def test_a_menu_line_split_by_bars_is_not_taken_for_tags() -> None:
    document = clean("\n".join(["Ports | Ferries | Weather | Opinion", LEAD, SECOND, THIRD]))
    assert document.source_tags == []
    assert document.text.split("\n\n") == [LEAD, SECOND, THIRD]
