"""The OpenAPI 3.1 document of /api/v1/, written by hand next to the code it describes.

tests/integration/test_openapi.py keeps it truthful: every route is described and every
description is a route, the document is valid, and real responses match their schemas.
"""

from __future__ import annotations

from typing import Any

from flask import current_app

from tracker.api.params import MAX_NAME, MAX_PAGE
from tracker.api.schemas import SCHEMAS, Schema, ref, values
from tracker.public.filters import MAX_TEXT
from tracker.publications.models import PublicationKind


def _query(name: str, description: str, schema: Schema | None = None) -> Schema:
    return {
        "name": name,
        "in": "query",
        "required": False,
        "description": description,
        "schema": schema or {"type": "string"},
    }


def _path(name: str, description: str, schema: Schema | None = None) -> Schema:
    return {
        "name": name,
        "in": "path",
        "required": True,
        "description": description,
        "schema": schema or {"type": "string"},
    }


PAGE = {"type": "integer", "minimum": 1, "maximum": MAX_PAGE}
PARAMETERS: dict[str, Schema] = {
    "lang": _query("lang", "Language of error messages: sr-Latn (default), sr-Cyrl or en "
                   "(Accept-Language works too)", {"type": "string",
                                                   "enum": ["sr-Latn", "sr-Cyrl", "en"]}),
    "q": _query("q", "Free text over public fields, any script, diacritics ignored; results "
                "are ranked by relevance and paged with `page`", {"type": "string",
                                                                  "maxLength": MAX_TEXT}),
    "municipality": _query("municipality", "Municipality's official code, e.g. 71242"),
    "district": _query("district", "District code", {"type": "integer"}),
    "category": _query("category", "Category slug, e.g. police-abuse"),
    "actor": _query("actor", "Actor id", {"type": "integer"}),
    "from": _query("from", "Happened on or after: YYYY-MM-DD, YYYY-MM or YYYY (then the list "
                   "is ordered by the incident date)"),
    "to": _query("to", "Happened on or before: YYYY-MM-DD, YYYY-MM or YYYY"),
    "cursor": _query("cursor", "Where the next page starts when browsing without `q`: take it "
                     "from `links.next`"),
    "page": _query("page", "Page number (text searches with `q`)", PAGE),
}  # fmt: skip


def _params(*names: str) -> list[Schema]:
    return [{"$ref": f"#/components/parameters/{name}"} for name in (*names, "lang")]


def _json(description: str, schema: str) -> Schema:
    return {"description": description, "content": {"application/json": {"schema": ref(schema)}}}


def _operation(
    summary: str, schema: str, parameters: list[Schema], missing: bool = False
) -> Schema:
    """A GET answering `schema`; 404 when `missing` can happen, 400 when it takes values."""
    responses: dict[str, Schema] = {
        "200": _json(summary, schema),
        "304": {"description": "Not modified: the copy named by If-None-Match is current"},
    }
    if missing:
        responses["404"] = _json("No such public record", "Error")
    elif len(parameters) > 1:
        responses["400"] = _json("A parameter could not be understood", "Errors")
    operation = {"summary": summary, "parameters": parameters, "responses": responses}
    return {"get": operation}


REFERENCE = _path("reference", "Case reference number, e.g. IN-2026-00042")
CODE = _path("code", "Municipality's official code")
ACTOR_ID = _path("actor_id", "Actor id", {"type": "integer"})
PUBLICATION_ID = _path("publication_id", "Publication id", {"type": "integer"})
FILTERS = ("q", "municipality", "district", "category", "actor", "from", "to", "cursor", "page")
NAME = _query("q", "Part of the actor's name, any script, diacritics ignored",
              {"type": "string", "maxLength": MAX_NAME})  # fmt: skip
PLACE_NAME = _query("q", "Part of the municipality's name, either script, diacritics ignored",
                    {"type": "string", "maxLength": MAX_NAME})  # fmt: skip
KIND = _query("kind", "Only this kind", {"type": "string", "enum": values(PublicationKind)})

PATHS: dict[str, Schema] = {
    "/cases": _operation("Published cases, newest first (by incident date with from/to)",
                         "CaseList", _params(*FILTERS)),
    "/cases/{reference}": _operation("A published or retracted case", "CaseDetail",
                                     [REFERENCE, *_params()], missing=True),
    "/municipalities": _operation("The municipalities (all in one page) with their published "
                                  "cases counted", "MunicipalityList",
                                  [PLACE_NAME, *_params("district")]),
    "/municipalities/{code}": _operation("A municipality, its cases counted by category",
                                         "MunicipalityDetail", [CODE, *_params()], True),
    "/categories": _operation("The categories with their published cases counted",
                              "CategoryList", _params()),
    "/actors": _operation("Actors named in published cases, by id",
                          "ActorList", [NAME, *_params("cursor")]),
    "/actors/{actor_id}": _operation("An actor named in published cases", "ActorDetail",
                                     [ACTOR_ID, *_params()], missing=True),
    "/publications": _operation("Published statements and reports, newest first",
                                "PublicationList", [KIND, *_params("page")]),
    "/publications/{publication_id}": _operation("A published publication and its public cases",
                                                 "PublicationDetail",
                                                 [PUBLICATION_ID, *_params()], missing=True),
    "/openapi.json": {"get": {"summary": "This document", "parameters": [], "responses": {
        "200": {"description": "OpenAPI 3.1",
                "content": {"application/json": {"schema": {"type": "object"}}}},
        "304": {"description": "Not modified"},
    }}},
}  # fmt: skip


def document(server: str) -> dict[str, Any]:
    """The OpenAPI document, with `server` (this API's absolute base URL) as its server."""
    licence = current_app.config["DATA_LICENCE"]
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Integrity network: published findings",
            "version": "1",
            "description": (
                "Read-only open data: published cases of state capture at the local level in "
                "Serbia, municipalities, categories, actors and the network's publications. "
                "Public fields only. Responses carry ETag and Last-Modified and answer "
                "conditional requests with 304; any origin may read them."
            ),
            "license": {"name": licence},
        },
        "servers": [{"url": server}],
        "paths": PATHS,
        "components": {"schemas": SCHEMAS, "parameters": PARAMETERS},
    }
