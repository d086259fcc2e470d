"""JSON Schemas (OpenAPI 3.1) of every API record, written from what the records hold.

Objects are closed (`additionalProperties: false`) so a field the API adds without saying
so fails the tests that check real responses against these schemas.
"""

from __future__ import annotations

from typing import Any

from tracker.actors.models import ActorKind, ActorRole
from tracker.cases.models import DatePrecision, PointPrecision
from tracker.geo.models import MunicipalityKind
from tracker.public.window import WINDOW
from tracker.publications.models import PublicationKind

Schema = dict[str, Any]


def ref(name: str) -> Schema:
    return {"$ref": f"#/components/schemas/{name}"}


def nullable(schema: Schema) -> Schema:
    return {"oneOf": [schema, {"type": "null"}]}


def text(description: str = "", fmt: str | None = None, null: bool = False) -> Schema:
    schema: Schema = {"type": ["string", "null"] if null else "string"}
    if description:
        schema["description"] = description
    if fmt:
        schema["format"] = fmt
    return schema


def integer(description: str = "") -> Schema:
    return {"type": "integer", "description": description} if description else {"type": "integer"}


def enum(values: list[str], description: str = "") -> Schema:
    schema: Schema = {"type": "string", "enum": values}
    return {**schema, "description": description} if description else schema


def values(kind: type) -> list[str]:
    return [member.value for member in kind]  # type: ignore[attr-defined]


def closed(properties: dict[str, Schema], optional: tuple[str, ...] = ()) -> Schema:
    """An object with exactly these properties (all required but the optional ones)."""
    required = [name for name in properties if name not in optional]
    return {
        "type": "object",
        "properties": properties,
        "required": required,
        "additionalProperties": False,
    }


def array(items: Schema) -> Schema:
    return {"type": "array", "items": items}


def page_of(item: str) -> Schema:
    return closed({"data": array(ref(item)), "links": ref("Links"), "meta": ref("Meta")})


URL = text("Absolute URL", "uri")
PAGE_URL = text("Absolute URL of the public page (null while the site has none)", "uri", True)
DATE = text("Date (YYYY-MM-DD)", "date", True)
MOMENT = text("Time (ISO 8601, UTC)", "date-time", True)
COUNT = integer("Published cases")

MUNICIPALITY = {
    "code": text("Official code (RZS)"), "names": ref("Names"),
    "kind": enum(values(MunicipalityKind)), "district": ref("District"),
    "seat": text("The seat"), "point": ref("Point"), "kosovo_metohija": {"type": "boolean"},
    "count": COUNT, "url": PAGE_URL, "api_url": URL,
}  # fmt: skip
CASE = {
    "reference": text("Reference number, e.g. IN-2026-00042"), "title": text(),
    "summary": text("The public summary written at publication"),
    "status": enum(["published"]),
    "occurred": text("When it happened at its precision: YYYY-MM-DD, YYYY-MM or YYYY", null=True),
    "occurred_precision": enum(values(DatePrecision)),
    "municipality": nullable(ref("MunicipalityRef")), "district": nullable(ref("District")),
    "category": nullable(ref("CategoryRef")),
    "point": nullable(ref("Point")), "actors": array(ref("ActorRole")),
    "published_at": MOMENT, "url": URL, "api_url": URL,
}  # fmt: skip
ACTOR = {
    "id": integer(), "name": text(), "kind": enum(values(ActorKind)), "count": COUNT,
    "url": PAGE_URL, "api_url": URL,
}  # fmt: skip
PUBLICATION = {
    "id": integer(), "kind": enum(values(PublicationKind)), "title": text(), "date": DATE,
    "external_url": text("", "uri", True), "signatories": array(text("Organisation")),
    "pdf_url": text("The report's PDF, when it has one", "uri", True),
    "url": PAGE_URL, "api_url": URL,
}  # fmt: skip
BY_CATEGORY = array(closed({"category": nullable(ref("CategoryRef")), "count": COUNT}))
CASES_LINK = closed({"cases": text("The cases, filtered, in this API", "uri")})

SCHEMAS: dict[str, Schema] = {
    "Names": closed({"sr-Latn": text(), "sr-Cyrl": text(), "en": text()}),
    "Point": closed({"lat": {"type": "number"}, "lon": {"type": "number"}}),
    "District": closed({"code": integer(), "names": ref("Names")}),
    "MunicipalityRef": closed({"code": text(), "names": ref("Names")}),
    "CategoryRef": closed({"slug": text(), "names": ref("Names")}),
    "ActorRole": closed(
        {
            "id": integer(),
            "name": text(),
            "kind": enum(values(ActorKind)),
            "role": enum(values(ActorRole)),
        }
    ),
    "Links": closed({"next": text("The next page, or null on the last", "uri", True)}),
    "Meta": closed(
        {
            "total": integer("How many records match, in all pages"),
            "total_exact": {
                "type": "boolean",
                "description": "False when `total` is a lower bound (a filtered list of "
                f"cases counts at most its newest {WINDOW:,} matches)",
            },
            "licence": text(),
            "page": integer("Text searches: this page's number"),
            "ranked_window": {
                "type": "boolean",
                "description": "Text searches: ranking was limited to the newest matches",
            },
        },
        optional=("page", "ranked_window"),
    ),
    "Case": closed(CASE),
    "CaseDetail": closed(
        {
            **CASE,
            "status": enum(["published", "retracted"]),
            "retraction": nullable(closed({"date": MOMENT, "reason": text()})),
            "point_precision": enum(values(PointPrecision)),
            "publications": array(
                closed(
                    {
                        "id": integer(),
                        "title": text(),
                        "kind": enum(values(PublicationKind)),
                        "date": DATE,
                        "url": PAGE_URL,
                        "api_url": URL,
                    }
                )
            ),
            "corrections": array(closed({"date": MOMENT, "note": text()})),
        }
    ),
    "CaseList": page_of("Case"),
    "Municipality": closed(MUNICIPALITY),
    "MunicipalityDetail": closed({**MUNICIPALITY, "by_category": BY_CATEGORY, "links": CASES_LINK}),
    "MunicipalityList": page_of("Municipality"),
    "Category": closed(
        {
            "slug": text(),
            "names": ref("Names"),
            "description": text(null=True),
            "count": COUNT,
            "cases_url": text("Its cases in this API", "uri"),
        }
    ),
    "CategoryList": page_of("Category"),
    "Actor": closed(ACTOR),
    "ActorDetail": closed(
        {
            **ACTOR,
            "municipality": nullable(ref("MunicipalityRef")),
            "by_category": BY_CATEGORY,
            "by_municipality": array(
                closed({"municipality": ref("MunicipalityRef"), "count": COUNT})
            ),
            "links": CASES_LINK,
        }
    ),
    "ActorList": page_of("Actor"),
    "Publication": closed(PUBLICATION),
    "PublicationDetail": closed(
        {
            **PUBLICATION,
            "body": text("Markdown"),
            "cases": array(
                closed(
                    {
                        "reference": text(),
                        "title": text(),
                        "status": enum(["published", "retracted"]),
                        "note": text("Why the publication cites it"),
                        "url": URL,
                        "api_url": URL,
                    }
                )
            ),
        }
    ),
    "PublicationList": page_of("Publication"),
    "Errors": closed(
        {
            "errors": {
                "type": "object",
                "additionalProperties": {"type": "string"},
                "description": "A message per parameter, in the requested language",
            },
            "status": integer(),
        }
    ),
    "Error": closed({"error": text(), "message": text(), "status": integer()}),
}
