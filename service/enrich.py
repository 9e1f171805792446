"""`newsflow enrich`: the pipeline offline, JSONL in and out, with the agents' very cores.

Rejected lines go to the dead-letter file as dead-letter records (topic = the input's name,
offset = the 1-based line number), so a backfill loses nothing and says why: by default
`<output>.dead-letter.jsonl`. Paths are checked before anything is opened, so a run never
truncates its own input.
"""

from __future__ import annotations

import os
import sys
from collections import Counter
from collections.abc import Iterator
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, BinaryIO

import orjson
from tqdm import tqdm

from agents.dead_letter import dead_letter
from agents.errors import Rejected
from agents.identity import utc_now
from agents.intake import decode_article, decode_object, raw_article_from_dict
from agents.pipeline import Pipeline
from schemas.models import Article, DeadLetter, Stage, Story
from service.errors import OperatorError
from service.settings import STAGE_NAMES, Settings

#: Suffix of the default dead-letter file, next to the output.
DEAD_LETTER_SUFFIX = ".dead-letter.jsonl"


def parse_stages(text: str) -> tuple[str, ...]:
    """`clean,tag,dedup` (any non-empty subset) in pipeline order."""
    chosen = {part.strip().lower() for part in text.split(",") if part.strip()}
    unknown = chosen - set(STAGE_NAMES)
    if unknown or not chosen:
        raise ValueError(f"expected a subset of {','.join(STAGE_NAMES)}, got {text!r}")
    return tuple(stage for stage in STAGE_NAMES if stage in chosen)


@dataclass(slots=True)
class EnrichSummary:
    """What a run did, for the summary on stderr."""

    lines: int = 0
    blank: int = 0
    written: int = 0
    stories: int = 0
    verdicts: Counter[str] = field(default_factory=Counter)
    rejections: Counter[str] = field(default_factory=Counter)
    #: Where rejected lines went; None when they were not kept.
    dead_letter_path: str | None = None

    def format(self) -> str:
        blank = f" ({self.blank} blank, skipped)" if self.blank else ""
        parts = [f"{self.lines} lines read{blank}, {self.written} articles written"]
        if self.verdicts:
            parts.append(f"verdicts: {_counts(self.verdicts)}")
        if self.stories:
            parts.append(f"{self.stories} story records written")
        rejected = sum(self.rejections.values())
        part = f"{rejected} rejected" + (f": {_counts(self.rejections)}" if rejected else "")
        if self.dead_letter_path is not None:
            part += f"; dead letters in {self.dead_letter_path}"
        elif rejected:
            part += ("; NOT KEPT: the output is stdout, so there is no default dead-letter "
                     "file; pass --dead-letter PATH to keep them")
        parts.append(part)
        return "; ".join(parts)


def _counts(counter: Counter[str]) -> str:
    return ", ".join(f"{name} {count}" for name, count in sorted(counter.items()))


def run_enrich(
    settings: Settings,
    *,
    input_path: str,
    output_path: str,
    dead_letter_path: str | None,
    stages: tuple[str, ...],
    batch_size: int = 64,
    stories_path: str | None = None,
) -> EnrichSummary:
    """Read raw-article JSONL (or article JSONL when `clean` is not among `stages`), run the
    stages, write enriched JSONL (or articles in flight when `dedup` is not run), and with
    `stories_path` one story record (story.v1) per story change, as the story feed has.

    `dead_letter_path` None means `<output>.dead-letter.jsonl` (not kept when the output is
    stdout, which the summary says). Raises OperatorError for unusable paths."""
    if dead_letter_path is None and output_path != "-":
        dead_letter_path = output_path + DEAD_LETTER_SUFFIX
    check_paths(input_path, output_path, dead_letter_path)
    pipeline = Pipeline(max_payload_bytes=settings.max_payload_bytes,
                        dedup_config=settings.dedup_config())
    summary = EnrichSummary(dead_letter_path=dead_letter_path)
    with ExitStack() as stack:
        source = _open(stack, input_path, "rb", sys.stdin.buffer)
        sink = _open(stack, output_path, "wb", sys.stdout.buffer)
        rejects = _open(stack, dead_letter_path, "wb", None) if dead_letter_path else None
        topic = "stdin" if input_path == "-" else input_path
        stories = _open(stack, stories_path, "wb", None) if stories_path else None
        writer = _Writer(sink, rejects, summary, topic, enriched="dedup" in stages,
                         stories=stories)
        lines = _numbered_lines(source, summary)
        if sys.stderr.isatty():
            lines = tqdm(lines, unit=" lines", file=sys.stderr)
        batch: list[tuple[int, bytes, Article]] = []
        for number, line in lines:
            try:
                article = _first_stage(pipeline, line, stages)
            except Rejected as rejection:
                writer.reject(rejection, "clean" if "clean" in stages else "intake", line, number)
                continue
            batch.append((number, line, article))
            if len(batch) >= batch_size:
                _finish(pipeline, batch, stages, writer)
                batch = []
        _finish(pipeline, batch, stages, writer)
    return summary


def _first_stage(pipeline: Pipeline, line: bytes, stages: tuple[str, ...]) -> Article:
    """Clean a raw article, or take an article that is clean already."""
    ingested_at = utc_now()
    if "clean" in stages:
        return pipeline.clean(line, ingested_at=ingested_at)
    data = decode_object(line, max_bytes=pipeline.max_payload_bytes)
    if "content_hash" in data:  # an article from an earlier run or an internal topic
        data.setdefault("ingested_at", ingested_at)
        data.pop("dedup", None)
        return decode_article(orjson.dumps(data), max_bytes=pipeline.max_payload_bytes)
    raw = raw_article_from_dict(data)
    if not raw.text:
        raise Rejected("missing_body", "without the clean stage a record needs `text`")
    return pipeline.adopt(raw, ingested_at)


def _finish(
    pipeline: Pipeline,
    batch: list[tuple[int, bytes, Article]],
    stages: tuple[str, ...],
    writer: _Writer,
) -> None:
    """Tag and dedup one batch, in input order, and write the results."""
    if not batch:
        return
    outcomes: list[Rejected | None] = [None] * len(batch)
    if "tag" in stages:
        outcomes = pipeline.tag([article for _, _, article in batch])
    for (number, line, article), rejection in zip(batch, outcomes, strict=True):
        if rejection is not None:
            writer.reject(rejection, "tag", line, number)
            continue
        if "dedup" in stages:
            try:
                pipeline.dedup(article)
            except Exception as error:
                writer.reject(Rejected("processing_error", f"dedup failed: {error!r}"),
                              "dedup", line, number)
                continue
        writer.write(article)
        if "dedup" in stages:
            writer.story(pipeline.story_update())


class _Writer:
    """Writes articles and dead-letter records, and counts them."""

    def __init__(self, sink: BinaryIO, rejects: BinaryIO | None, summary: EnrichSummary,
                 topic: str, *, enriched: bool, stories: BinaryIO | None = None) -> None:
        self._sink = sink
        self._stories = stories
        self._rejects = rejects
        self._summary = summary
        self._topic = topic
        self._enriched = enriched

    def write(self, article: Article) -> None:
        record = article.to_enriched() if self._enriched else article
        self._sink.write(orjson.dumps(record, option=orjson.OPT_APPEND_NEWLINE))
        self._summary.written += 1
        if article.dedup is not None:
            self._summary.verdicts[article.dedup.status] += 1

    def story(self, story: Story | None) -> None:
        """One story record per change (none for a replay, which changes no story)."""
        if self._stories is None or story is None:
            return
        self._stories.write(orjson.dumps(story, option=orjson.OPT_APPEND_NEWLINE))
        self._summary.stories += 1

    def reject(self, rejection: Rejected, stage: Stage, line: bytes, number: int) -> None:
        self._summary.rejections[rejection.code] += 1
        if self._rejects is None:
            return
        record: DeadLetter = dead_letter(
            rejection, stage=stage, payload=line, topic=self._topic, offset=number
        )
        self._rejects.write(orjson.dumps(record, option=orjson.OPT_APPEND_NEWLINE))


def _open(stack: ExitStack, path: str | None, mode: str, standard: IO[bytes] | None) -> BinaryIO:
    if path in (None, "-"):
        assert standard is not None
        return standard  # type: ignore[return-value]
    return stack.enter_context(open(path, mode))  # type: ignore[return-value]


def _numbered_lines(source: BinaryIO, summary: EnrichSummary) -> Iterator[tuple[int, bytes]]:
    """Non-blank lines with their 1-based numbers, without the line break; every line is
    counted in `summary`, blank ones also as blank."""
    for number, line in enumerate(source, start=1):
        summary.lines += 1
        stripped = line.rstrip(b"\r\n")
        if stripped.strip():
            yield number, stripped
        else:
            summary.blank += 1


def check_paths(input_path: str, output_path: str, dead_letter_path: str | None) -> None:
    """Refuse paths that cannot work, before anything is opened (opening the output
    truncates it): a missing input, a missing output folder, or two roles on one file."""
    if input_path != "-":
        source = Path(input_path)
        if not source.exists():
            raise OperatorError(f"--input {input_path}: no such file")
        if source.is_dir():
            raise OperatorError(f"--input {input_path}: is a folder, not a JSONL file")
    roles = {"--output": output_path, "--dead-letter": dead_letter_path}
    for option, path in roles.items():
        if path is None or path == "-":
            continue
        target = Path(path)
        if target.is_dir():
            raise OperatorError(f"{option} {path}: is a folder, not a file")
        if not target.parent.is_dir():
            raise OperatorError(f"{option} {path}: folder {target.parent} does not exist")
        if input_path != "-" and _same_file(target, Path(input_path)):
            raise OperatorError(
                f"{option} {path} is the input file: writing it would destroy the input; "
                "write to another file"
            )
    if (output_path != "-" and dead_letter_path not in (None, "-")
            and _same_file(Path(output_path), Path(dead_letter_path))):
        raise OperatorError(f"--dead-letter {dead_letter_path} is the output file; pick another")
    if dead_letter_path == "-":
        raise OperatorError("--dead-letter must be a file (stdout is for the articles)")


def _same_file(first: Path, second: Path) -> bool:
    """Whether two paths name one file (through links too), existing or not."""
    if first.exists() and second.exists():
        return os.path.samefile(first, second)
    return first.resolve() == second.resolve()
