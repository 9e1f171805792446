"""Text mode: the line classifier keeps the article and drops each kind of page furniture."""

from __future__ import annotations

import pytest

from agents.clean import CleanedDocument, Cleaner
from schemas.models import RawArticle

BODY = [
    "The city council of Vellmar Bay voted on Tuesday to build a tram line along the old harbour "
    "road, ending a debate that had run for almost a decade.",
    "Supporters said the line would cut commuting times for thousands of dock workers, while "
    "shop owners on the route worried about two years of construction in front of their doors.",
    "Mayor Ilse Brandauer called the vote a turning point for the district and promised that the "
    "first trams would run before the end of the next council term.",
    "Construction is expected to begin in the spring, once the final contracts have been signed "
    "with the engineering firm that won the tender last month.",
]


def page(*furniture_after_second: str, header: tuple[str, ...] = (), footer: tuple[str, ...] = ()
         ) -> str:
    """A text dump: header lines, body with furniture in the middle, footer lines."""
    lines = [*header, BODY[0], BODY[1], *furniture_after_second, BODY[2], BODY[3], *footer]
    return "\n".join(lines)


def clean(text: str, **given: object) -> CleanedDocument:
    return Cleaner().clean(RawArticle(text=text, **given))  # type: ignore[arg-type]


def assert_body_only(document: CleanedDocument) -> None:
    assert document.text.split("\n\n") == BODY


NAV = ("Home", "World", "Business", "Sport", "Culture", "Opinion")


@pytest.mark.parametrize(
    "furniture",
    [
        ("JOIN US ON TELEGRAM",),
        ("Advertisement",),
        ("Featured",),
        ("Sponsored content",),
        ("Sign up for our newsletter to get the best of the Bay every morning",),
        ("Share this article",),
        ("Share on Facebook",),
        ("Tags: transport, city council, Vellmar Bay",),
        ("(Photo: Northwind Wire)",),
        ("Image: Vellmar Bay city archive",),
        ("Tram depot on the harbour road. Getty Images",),
        ("© 2031 Vellmar Bay Courier. All rights reserved.",),
        ("« Previous: Ferry fares rise again",),
        ("Next »",),
    ],
)
def test_single_furniture_line_inside_the_body_is_dropped(furniture: tuple[str, ...]) -> None:
    assert_body_only(clean(page(*furniture, header=NAV)))


def test_menu_lines_before_the_article_are_dropped() -> None:
    assert_body_only(clean(page(header=(*NAV, "Subscribe", "Log in"))))


@pytest.mark.parametrize(
    "header", ["Read Next", "Read more", "Related", "Other Topics of Interest"]
)
def test_teaser_block_after_a_teaser_header_is_dropped(header: str) -> None:
    teasers = (
        header,
        "Harbour seals return to the northern piers",
        "By Petra Okafor",
        "14h ago",
        "Residents were surprised to find the animals sunning themselves on the old jetty.",
        "Night market to open on the waterfront",
        "By Tomas Lindqvist",
        "2d ago",
    )
    assert_body_only(clean(page(header=NAV, footer=teasers)))


def test_newsletter_share_and_correction_footer_is_dropped() -> None:
    footer = (
        "Sign up for our newsletter",
        "Share this article",
        "To suggest a correction or clarification, write to the standards desk.",
        "Ruth Castellano is a senior reporter who covers transport and city hall for the Courier.",
    )
    assert_body_only(clean(page(header=NAV, footer=footer)))


def test_byline_gives_authors_and_date_and_is_not_body() -> None:
    header = (*NAV, "Council backs harbour tram after decade of debate",
              "by Ruth Castellano and Emeka Varga October 13, 2031 9:04 PM 2 min read")
    document = clean(page(header=header))
    assert_body_only(document)
    assert document.authors == ["Ruth Castellano", "Emeka Varga"]
    assert document.published_at == "2031-10-13"
    assert document.title == "Council backs harbour tram after decade of debate"


def test_given_metadata_wins_over_the_page() -> None:
    header = (*NAV, "Council backs harbour tram after decade of debate", "By Ruth Castellano")
    document = clean(page(header=header), title="Given title", authors=["Given Author"],
                     published_at="2031-01-02T03:04:05+01:00")
    assert document.title == "Given title"
    assert document.authors == ["Given Author"]
    assert document.published_at == "2031-01-02T02:04:05Z"


def test_short_line_between_body_paragraphs_is_kept() -> None:
    document = clean(page("She did not say when.", header=NAV))
    assert "She did not say when." in document.text.split("\n\n")


def test_boilerplate_only_page_gives_empty_text() -> None:
    document = clean("\n".join((*NAV, "Advertisement", "Share on Facebook", "Sign up", "Next »")))
    assert document.text == ""


def test_empty_record_gives_empty_document() -> None:
    assert Cleaner().clean(RawArticle(text="  ")) == CleanedDocument("", None, [], None)


def test_comment_thread_after_the_article_is_dropped() -> None:
    thread = (
        "12 Comments",
        "harbourfan77 says:",
        "October 14, 2031 at 6:34 am",
        "About time this city built something useful for the people who actually work here.",
        "Reply",
        "M. Ostrava says:",
        "October 14, 2031 at 7:02 am",
        "The construction will ruin the summer season for every cafe on the waterfront.",
    )
    assert_body_only(clean(page(header=NAV, footer=thread)))


def test_hard_wrapped_paragraphs_are_joined() -> None:
    wrapped = "\n".join([
        "The city council of Vellmar Bay voted on Tuesday to build a tram line along the",
        "old harbour road, ending a debate that had run for almost a decade.",
    ])
    document = clean("\n".join([*NAV, wrapped, *BODY[1:]]))
    assert document.text.split("\n\n") == BODY


def test_bio_of_an_author_named_in_the_byline_is_dropped() -> None:
    bio = ("Ruth Castellano was the Courier's harbour correspondent for six years. She previously "
           "covered the regional parliament.")
    header = (*NAV, "Council backs harbour tram after decade of debate", "By Ruth Castellano")
    document = clean(page(header=header, footer=(bio,)))
    assert_body_only(document)


def test_bio_of_a_given_author_is_dropped_but_other_people_stay() -> None:
    bio = "Emeka Varga covers city hall and transport. Write to him at the standards desk."
    other = "Ilse Brandauer has led the council since the last election."
    document = clean(page(other, header=NAV, footer=(bio,)), authors=["Emeka Varga"])
    assert bio not in document.text
    assert other in document.text


def test_numbered_items_after_the_intro_are_kept_and_pagination_is_not() -> None:
    items = ("1. Vellmar Bay tram, approved in October", "2. Harbour bridge repairs, due in March",
             "3. Ferry terminal extension, still in planning", "4. Cycle lanes on the dock road")
    document = clean(page(header=NAV, footer=(*items, "1 2 3", "2 3 4")))
    paragraphs = document.text.split("\n\n")
    assert paragraphs[: len(BODY)] == BODY
    assert paragraphs[len(BODY):] == list(items)


def test_a_long_comment_under_a_dated_thread_is_not_taken_for_the_article() -> None:
    long_comment = [
        "I have lived on the harbour road for thirty years and I can tell you that nobody asked "
        "the residents what they wanted before this plan was drawn up by the engineers.",
        "The last time the city dug up our street it took three summers instead of one, and the "
        "shops that closed during the works never came back to the neighbourhood.",
        "If the trams really come before the end of the term I will be the first to ride them, "
        "but I would not bet my pension on any promise made during an election year.",
        "Until then I will keep cycling to the docks like I always have, rain or shine, and "
        "I suggest the mayor tries it for a week before making any more speeches.",
    ]
    thread = (
        "Comments",
        "harbourfan77",
        "2 days ago at 07:52 am",
        "About time this city built something useful for the people who actually work here.",
        "dockside_reader",
        "2 days ago at 08:10 am",
        *long_comment,
    )
    assert_body_only(clean(page(header=NAV, footer=thread)))


def test_headline_and_summary_teasers_after_a_teaser_header_are_dropped() -> None:
    teasers = ["Read these next"]
    for town in ("Ostrand", "Kelby", "Saltmere"):
        teasers += [
            f"{town} finally opens its new ferry terminal after six years of delays",
            f"The long-awaited terminal in {town} opened on Saturday with a ceremony attended by "
            f"hundreds of residents and the regional transport minister.",
        ]
    assert_body_only(clean(page(header=NAV, footer=tuple(teasers))))
