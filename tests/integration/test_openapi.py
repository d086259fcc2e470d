"""The OpenAPI document is valid, names exactly the API's routes, and real answers fit it."""

from __future__ import annotations

import re
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from openapi_schema_validator import OAS31Validator
from openapi_spec_validator import validate

from tests.integration.confidential_support import Seeded, seed

PREFIX = "/api/v1"


@pytest.fixture
def document(client: FlaskClient) -> dict[str, Any]:
    response = client.get(f"{PREFIX}/openapi.json")
    assert response.status_code == 200 and response.headers["Access-Control-Allow-Origin"] == "*"
    return response.get_json()  # type: ignore[no-any-return]


def api_routes(app: Flask) -> dict[str, set[str]]:
    """Each /api/v1 rule as an OpenAPI path ("/cases/{reference}"), with its methods."""
    found: dict[str, set[str]] = {}
    for rule in app.url_map.iter_rules():
        if rule.rule.startswith(f"{PREFIX}/"):
            path = re.sub(r"<(?:[^:>]+:)?([^>]+)>", r"{\1}", rule.rule[len(PREFIX) :])
            methods = {m.lower() for m in rule.methods or ()} - {"head", "options"}
            found.setdefault(path, set()).update(methods)
    return found


def test_the_document_is_valid_openapi(document: dict[str, Any]) -> None:
    validate(document)
    assert document["openapi"].startswith("3.1")
    assert document["servers"] == [{"url": f"http://localhost{PREFIX}"}]


def test_every_route_is_described_and_every_description_is_a_route(
    app: Flask, document: dict[str, Any]
) -> None:
    described = {path: set(item) for path, item in document["paths"].items()}
    assert api_routes(app) == described


def test_path_parameters_match_the_routes(document: dict[str, Any]) -> None:
    for path, item in document["paths"].items():
        names = set(re.findall(r"{([^}]+)}", path))
        declared = {p["name"] for p in item["get"]["parameters"] if p.get("in") == "path"}
        assert names == declared, path


def schema_of(document: dict[str, Any], path: str, status: str) -> dict[str, Any]:
    response = document["paths"][path]["get"]["responses"][status]
    return {**response["content"]["application/json"]["schema"], **document}


def check(client: FlaskClient, document: dict[str, Any], url: str, path: str) -> Any:
    """Fetch `url` and validate its answer against what the document says `path` answers."""
    response = client.get(f"{PREFIX}{url}")
    status = str(response.status_code)
    assert status in document["paths"][path]["get"]["responses"], (url, status)
    body = response.get_json()
    OAS31Validator(schema_of(document, path, status)).validate(body)
    return body


def test_real_answers_fit_the_schemas(
    app: Flask, client: FlaskClient, document: dict[str, Any]
) -> None:
    seeded: Seeded = seed()
    shown, statement = seeded.shown.reference, seeded.statement.id
    actor = check(client, document, "/actors", "/actors")["data"][0]["id"]
    for url, path in [
        ("/cases", "/cases"),
        ("/cases?q=cacak", "/cases"),
        ("/cases?from=2025", "/cases"),
        ("/cases?municipality=nowhere", "/cases"),
        (f"/cases/{shown}", "/cases/{reference}"),
        (f"/cases/{seeded.draft.reference}", "/cases/{reference}"),
        ("/municipalities", "/municipalities"),
        ("/municipalities/71242", "/municipalities/{code}"),
        ("/municipalities/0", "/municipalities/{code}"),
        ("/categories", "/categories"),
        ("/actors?q=mayor", "/actors"),
        ("/actors?cursor=x", "/actors"),
        (f"/actors/{actor}", "/actors/{actor_id}"),
        ("/publications", "/publications"),
        ("/publications?kind=x", "/publications"),
        (f"/publications/{statement}", "/publications/{publication_id}"),
        ("/publications/999999", "/publications/{publication_id}"),
    ]:
        check(client, document, url, path)
