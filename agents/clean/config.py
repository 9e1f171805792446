"""Knobs of the clean stage, in one place so the agent and the CLI share the same defaults."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(slots=True, frozen=True)
class CleanConfig:
    """How sure the cleaner must be before keeping a line.

    `keep_threshold` is the score (see `lines.score_lines`) above which a text-mode line counts as
    article body; `line_cleanup_in_html_mode` runs the furniture filter over the HTML extractor's
    text as well (off gives trafilatura's answer untouched, apart from normalisation).
    """

    keep_threshold: float = 0.0
    line_cleanup_in_html_mode: bool = True
