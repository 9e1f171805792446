"""The extraction metric and harness, on a two-page gold file we write ourselves."""

from __future__ import annotations

import json
from pathlib import Path

from agents.clean.evaluate import evaluate_extraction, precision_recall, shingles
from agents.clean.visible_text import visible_text


def test_shingles_are_lowercased_four_token_windows() -> None:
    assert shingles("A b, C d e") == {("a", "b", "c", "d"), ("b", "c", "d", "e")}
    assert shingles("Too short") == {("too", "short")}


def test_precision_recall_and_empty_conventions() -> None:
    assert precision_recall("one two three four five", "one two three four") == (0.5, 1.0)
    assert precision_recall("", "") == (1.0, 1.0)
    assert precision_recall("", "gold words are here") == (1.0, 0.0)
    assert precision_recall("predicted words are here", "") == (0.0, 1.0)


def test_visible_text_is_one_block_per_line_without_scripts() -> None:
    html = ("<html><head><title>T</title><style>p{}</style></head><body><div>Menu</div>"
            "<p>First <b>bold</b> words.</p><script>var x;</script><p>Second.</p></body></html>")
    assert visible_text(html) == "Menu\nFirst bold words.\nSecond."


def test_evaluate_extraction_scores_html_and_text_mode(tmp_path: Path) -> None:
    body = ("Rangers at the Selbu wetlands counted more cranes this spring than in any year since "
            "records began, and said the new footpaths had kept walkers away from the nests.")
    second = body.replace("cranes", "geese").replace("spring", "autumn")
    html = f"<html><body><nav><a href='/'>Home</a></nav><article><p>{body}</p><p>{second}</p>" \
           "</article><footer>© 2031 Wetland Post</footer></body></html>"
    gold = tmp_path / "gold.jsonl"
    gold.write_text(json.dumps({"id": "a", "html": html, "body": f"{body}\n\n{second}"}) + "\n")
    for text_mode in (False, True):
        report = evaluate_extraction(str(gold), text_mode=text_mode, compare_trafilatura=True)
        assert report.newsflow.pages == 1
        assert report.newsflow.recall == 1.0
        assert report.trafilatura is not None
        assert "F1=" in report.format()


def test_word_scores_are_bag_of_words_with_wcxb_conventions() -> None:
    from agents.clean.evaluate import word_scores

    precision, recall, f1 = word_scores("the cat the cat sat", "The cat sat on the mat")
    assert (precision, recall) == (0.8, 4 / 6)
    assert abs(f1 - 2 * 0.8 * (4 / 6) / (0.8 + 4 / 6)) < 1e-12
    assert word_scores("", "") == (1.0, 1.0, 1.0)
    assert word_scores("words", "") == (0.0, 0.0, 0.0)
    assert word_scores("", "gold words") == (0.0, 0.0, 0.0)


def test_gzipped_gold_files_are_read(tmp_path: Path) -> None:
    import gzip

    from agents.clean.evaluate import load_gold

    path = tmp_path / "gold.jsonl.gz"
    with gzip.open(path, "wt", encoding="utf-8") as handle:
        handle.write(json.dumps({"id": "a", "html": "<p>x</p>", "body": "x"}) + "\n")
    assert load_gold(str(path)) == [{"id": "a", "html": "<p>x</p>", "body": "x"}]


def test_report_lists_catastrophic_lost_and_worst_pages() -> None:
    from agents.clean.evaluate import ExtractionReport, PageScore, Score

    def page(name: str, f1: float, words: int) -> PageScore:
        return PageScore(name, f"https://x.example/{name}", 1.0, f1, 1.0, f1, f1, words)

    ours = [page("lost", 0.0, 0), page("cut", 0.2, 30), page("fine", 0.95, 900),
            page("short", 0.0, 0)]
    theirs = [page("lost", 0.9, 800), page("cut", 0.8, 700), page("fine", 0.9, 950),
              page("short", 0.5, 40)]
    score = Score("newsflow", 1.0, 0.5, 4, 1.0)
    report = ExtractionReport("gold.jsonl", False, score, Score("trafilatura", 1, 1, 4, 1.0),
                              per_document=ours, reference=theirs)
    assert [p.id for p in report.empty_pages] == ["lost", "short"]
    assert [p.id for p in report.lost_articles] == ["lost"]
    assert [pair[0].id for pair in report.catastrophic] == ["lost", "cut"]
    assert [pair[0].id for pair in report.worst()] == ["lost", "cut", "short"]
    text = report.format()
    assert "catastrophic (WCXB F1 < 0.3 where trafilatura >= 0.7): 2" in text
    assert "where trafilatura finds >= 100 words: 1" in text


def test_half_and_limit_select_pages(tmp_path: Path) -> None:
    rows = [{"id": str(i), "html": f"<p>Page number {i} of the set.</p>",
             "body": f"Page number {i} of the set."} for i in range(5)]
    gold = tmp_path / "gold.jsonl"
    gold.write_text("".join(json.dumps(row) + "\n" for row in rows))
    first = evaluate_extraction(str(gold), half=1)
    second = evaluate_extraction(str(gold), half=2, limit=1)
    assert [p.id for p in first.per_document] == ["0", "2", "4"]
    assert [p.id for p in second.per_document] == ["1"]
