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
