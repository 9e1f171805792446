"""The JSON Schemas and the Python models describe the same records."""

from __future__ import annotations

import dataclasses
import types
import typing

import fastjsonschema
import jsonschema
import orjson
import pytest
from referencing import Registry, Resource

import schemas
from agents.dedup import DedupConfig
from agents.dedup.fingerprint import shipped_features
from schemas.models import (
    Article,
    DeadLetter,
    DedupVerdict,
    Entity,
    RawArticle,
    Story,
    StoryEntity,
)

_JSON_TYPES = {str: "string", int: "integer", float: "number", bool: "boolean",
               list: "array", dict: "object", type(None): "null"}


def _json_types(annotation: object) -> set[str]:
    """JSON types a Python annotation admits (Literal values count as strings/integers)."""
    origin = typing.get_origin(annotation)
    if origin in (typing.Union, types.UnionType):
        return set().union(*(_json_types(arg) for arg in typing.get_args(annotation)))
    if origin is typing.Literal:
        return {_JSON_TYPES[type(value)] for value in typing.get_args(annotation)}
    if origin is not None:
        return {_JSON_TYPES[origin]}
    if dataclasses.is_dataclass(annotation):
        return {"object"}
    return {_JSON_TYPES[annotation]}  # type: ignore[index]


def _schema_types(prop: dict, defs: dict) -> set[str]:
    if "$ref" in prop:
        return _schema_types(defs[prop["$ref"].rsplit("/", 1)[-1]], defs)
    if "const" in prop:
        return {_JSON_TYPES[type(prop["const"])]}
    if "enum" in prop:
        return {_JSON_TYPES[type(value)] for value in prop["enum"]}
    if "oneOf" in prop:
        return set().union(*(_schema_types(option, defs) for option in prop["oneOf"]))
    kind = prop["type"]
    return set(kind) if isinstance(kind, list) else {kind}


def _registry() -> Registry:
    return Registry().with_resources(
        (schemas.load_schema(name)["$id"], Resource.from_contents(schemas.load_schema(name)))
        for name in schemas.SCHEMA_NAMES
    )


CASES = [
    (RawArticle, "raw_article.v1", None),
    (Article, "article.v1", None),
    (DeadLetter, "dead_letter.v1", None),
    (Entity, "enriched_article.v1", "entity"),
    (DedupVerdict, "enriched_article.v1", "dedup"),
    (Story, "story.v1", None),
    (StoryEntity, "story.v1", "story_entity"),
]


@pytest.mark.parametrize(("model", "name", "definition"), CASES)
def test_model_fields_match_schema_properties(model, name, definition):
    schema = schemas.load_schema(name)
    defs = {**schemas.load_schema("enriched_article.v1")["$defs"], **schema.get("$defs", {})}
    target = defs[definition] if definition else schema
    hints = typing.get_type_hints(model)
    fields = {field.name for field in dataclasses.fields(model)}
    assert fields == set(target["properties"])
    for field_name, prop in target["properties"].items():
        assert _json_types(hints[field_name]) <= _schema_types(prop, defs) | {"null"}, field_name
    required = set(target.get("required", ()))
    for field in dataclasses.fields(model):
        has_default = field.default is not dataclasses.MISSING or (
            field.default_factory is not dataclasses.MISSING
        )
        if field.name in required and name != "article.v1":
            assert not has_default or field.name == "schema_version", field.name


# Fields added after v1 was published, optional so that older records stay valid.
OPTIONAL_ENRICHED_FIELDS = {"topic_scores"}
#: Fields of the article in flight that the public record leaves out.
INTERNAL_FIELDS = {"ingested_at", "dedup_features"}


def test_enriched_record_has_exactly_the_public_fields():
    enriched = schemas.load_schema("enriched_article.v1")
    in_flight = {field.name for field in dataclasses.fields(Article)}
    assert set(enriched["properties"]) == in_flight - INTERNAL_FIELDS
    assert set(enriched["required"]) == set(enriched["properties"]) - OPTIONAL_ENRICHED_FIELDS


def test_a_full_article_validates_in_both_forms():
    article = Article(
        id="a1", url="https://example.test/a", source="example.test", title="T", text="Body.",
        content_hash="0" * 32, ingested_at="2025-01-01T00:00:00Z", language="en",
        entities=[Entity(name="Oslo", type="LOC", mentions=2, surface_forms=["Oslo"])],
        keywords=["oslo"], topics=["politics"], topic_scores={"politics": 0.91},
        dedup=DedupVerdict(status="unique", duplicate_of=None, similarity=None, story_id="a1"),
    )
    article.dedup_features = shipped_features(article, DedupConfig())
    in_flight = orjson.loads(orjson.dumps(article))
    assert in_flight["dedup_features"]["bands"] and "dedup_features" not in article.to_enriched()
    enriched = orjson.loads(orjson.dumps(article.to_enriched()))
    registry = _registry()
    for document, name in ((in_flight, "article.v1"), (enriched, "enriched_article.v1")):
        jsonschema.Draft202012Validator(schemas.load_schema(name), registry=registry).validate(
            document
        )
        schemas.validator(name)(document)  # the compiled validator the service uses agrees
    assert Article.from_dict(in_flight) == article


def test_a_record_from_before_topic_scores_still_validates():
    article = Article(id="a1", source="example.test", text="Body.", content_hash="0" * 32,
                      ingested_at="2025-01-01T00:00:00Z", topics=["sport"],
                      dedup=DedupVerdict(status="unique", duplicate_of=None, similarity=None,
                                         story_id="a1"))
    for document, name in ((orjson.loads(orjson.dumps(article)), "article.v1"),
                           (orjson.loads(orjson.dumps(article.to_enriched())),
                            "enriched_article.v1")):
        del document["topic_scores"]
        schemas.validator(name)(document)
        document["topic_scores"] = {"sport": 1.5}
        with pytest.raises(fastjsonschema.JsonSchemaValueException):
            schemas.validator(name)(document)


def test_every_schema_is_a_valid_draft_2020_12_schema():
    for name in schemas.SCHEMA_NAMES:
        jsonschema.Draft202012Validator.check_schema(schemas.load_schema(name))


def test_a_story_validates_and_round_trips():
    story = Story(
        story_id="a1", headline="Fire at the mill", first_seen="2025-01-01T00:00:00Z",
        last_seen="2025-01-02T00:00:00Z", article_count=3, sources=["a.test", "b.test"],
        entities=[StoryEntity(name="Oslo", type="LOC", articles=2)], keywords=["mill fire"],
        article_ids=["a1", "b2", "c3"],
    )
    document = orjson.loads(orjson.dumps(story))
    jsonschema.Draft202012Validator(schemas.load_schema("story.v1"),
                                    registry=_registry()).validate(document)
    schemas.validator("story.v1")(document)
    assert Story.from_dict(document) == story


#: Dates a scraper might send; the raw schema and the service must agree on each.
DATES = [
    "2025-03-04", "2025-03-04T10:30:00Z", "2025-03-04t10:30:00z", "2025-03-04T10:30:00+01:00",
    "2025-03-04T10:30:00.123456-05:30", "2025-03-04T10:30:00", "2024-02-29",
    "yesterday", "2025-02-30", "2025-02-30T10:00:00Z", "2025-03-04 10:30:00", "20250304",
    "2025-03-04T10:30Z", "2025-03-04T25:00:00Z", "2025-03-04T10:30:00+0100", "",
]


@pytest.mark.parametrize("moment", DATES)
def test_the_raw_schema_and_the_service_agree_on_dates(moment):
    """A standard validator checking `format` (RFC 3339) accepts a date exactly when the
    service does (`decode_raw`, which validates with the compiled schema and parses)."""
    pytest.importorskip("rfc3339_validator")  # jsonschema checks date-time only with it
    from agents.errors import Rejected
    from agents.intake import decode_raw

    record = {"url": "https://a.test/x", "text": "Body.", "published_at": moment}
    validator = jsonschema.Draft202012Validator(
        schemas.load_schema("raw_article.v1"), format_checker=jsonschema.FormatChecker())
    standard = validator.is_valid(record)
    try:
        decode_raw(orjson.dumps(record), max_bytes=10_000)
        service = True
    except Rejected:
        service = False
    assert standard == service, moment
