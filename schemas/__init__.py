"""Versioned JSON Schemas of Newsflow's records, their compiled validators, and their models."""

from __future__ import annotations

import json
from collections.abc import Callable
from functools import cache
from importlib import resources
from typing import Any

import fastjsonschema

from schemas.formats import FORMATS
from schemas.models import (
    Article,
    DeadLetter,
    DedupVerdict,
    Entity,
    RawArticle,
    Story,
    StoryEntity,
)

__all__ = [
    "SCHEMA_NAMES",
    "Article",
    "DeadLetter",
    "DedupVerdict",
    "Entity",
    "RawArticle",
    "Story",
    "StoryEntity",
    "load_schema",
    "validator",
]

#: Every record Newsflow reads or writes, as `<name>.v<version>.json` files in this package.
SCHEMA_NAMES = ("raw_article.v1", "article.v1", "enriched_article.v1", "dead_letter.v1",
                "story.v1")
_URN_PREFIX = "urn:newsflow:schema:"


@cache
def load_schema(name: str) -> dict[str, Any]:
    """The schema document `name` (for example "raw_article.v1")."""
    text = resources.files(__package__).joinpath(f"{name}.json").read_text(encoding="utf-8")
    return json.loads(text)


def _resolve_urn(uri: str) -> dict[str, Any]:
    """Resolve `urn:newsflow:schema:<record>:v<n>` to the schema file of that record."""
    record, version = uri.removeprefix(_URN_PREFIX).split("#", 1)[0].rsplit(":", 1)
    return load_schema(f"{record}.{version}")


@cache
def validator(name: str) -> Callable[[Any], Any]:
    """A compiled validator for schema `name`; raises fastjsonschema.JsonSchemaValueException.

    Formats are checked with `schemas.formats` (RFC 3339 dates), as the schemas declare."""
    return fastjsonschema.compile(
        load_schema(name), handlers={"urn": _resolve_urn}, formats=FORMATS, use_formats=True
    )
