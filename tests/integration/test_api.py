"""The JSON API: published records only, public fields only, filters, pages, errors, caching."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient
from flask_babel import force_locale, gettext

from tests.builders import make_published, make_user
from tests.integration.confidential_support import MARKER, Seeded, publication, seed
from tracker.accounts.models import Role
from tracker.actors.models import Actor
from tracker.api import actors as api_actors
from tracker.api import publications as api_publications
from tracker.extensions import db
from tracker.public import search, window
from tracker.publications.models import PublicationKind, PublicationStatus
from tracker.review import publishing


@pytest.fixture
def seeded(app: Flask) -> Seeded:
    return seed()


def get(client: FlaskClient, url: str, status: int = 200, **kw: Any) -> Any:
    response = client.get(url, **kw)
    assert response.status_code == status, response.text
    assert response.mimetype == "application/json"
    return response.get_json()


def refs(body: dict[str, Any]) -> list[str]:
    return [row["reference"] for row in body["data"]]


def actor_id(name: str) -> int:
    found = db.session.scalar(sa.select(Actor.id).where(Actor.name == name))
    assert found is not None
    return found


def walk(client: FlaskClient, url: str) -> tuple[list[dict[str, Any]], int]:
    """Follow links.next from `url` to the end; every row, and how many pages."""
    rows, pages = [], 0
    next_url: str | None = url
    while next_url:
        body = get(client, next_url)
        rows += body["data"]
        pages += 1
        next_url = body["links"]["next"]
        assert pages < 50
    return rows, pages


def test_cases_list_public_fields(client: FlaskClient, seeded: Seeded) -> None:
    body = get(client, "/api/v1/cases")
    assert refs(body) == [seeded.other.reference, seeded.shown.reference]  # newest first
    assert body["links"] == {"next": None}
    assert body["meta"] == {"total": 2, "total_exact": True, "licence": "CC BY 4.0"}
    shown = body["data"][1]
    assert (
        shown["title"] == "Čačak hospital jobs" and shown["summary"] == "Jobs given by party card."
    )
    assert shown["occurred"] == "2026-03-14" and shown["occurred_precision"] == "day"
    assert shown["municipality"]["code"] == "71242"
    assert shown["municipality"]["names"]["sr-Cyrl"] == "Чачак"
    assert shown["category"]["slug"] == "partisan-employment"
    assert shown["point"] == {"lat": 43.89, "lon": 20.35}  # rounded, as the coordinator chose
    assert shown["actors"] == [{"id": actor_id("Mayor of Čačak"), "name": "Mayor of Čačak",
                                "kind": "official", "role": "responsible"}]  # fmt: skip
    assert shown["url"] == f"http://localhost/findings/{seeded.shown.reference}"
    assert shown["api_url"] == f"http://localhost/api/v1/cases/{seeded.shown.reference}"
    assert "source_notes" not in shown and "description" not in shown


@pytest.mark.parametrize(
    ("query", "which"),
    [
        ("municipality=89010", "other"),
        ("category=partisan-employment", "shown"),
        ("q=Cacak", "shown"),
        ("q=Чачак", "shown"),
        ("q=čačak+hospital", "shown"),
        ("from=2026", "shown"),
        ("to=2025-12", "other"),
        ("from=2025-11-01&to=2025-11-30", "other"),
        ("actor=ACTOR", "other"),
        ("district=DISTRICT", "shown"),
    ],
)
def test_cases_filters(client: FlaskClient, seeded: Seeded, query: str, which: str) -> None:
    query = query.replace("ACTOR", str(actor_id("City Hall")))
    query = query.replace("DISTRICT", str(seeded.shown.municipality.district_code))
    body = get(client, f"/api/v1/cases?{query}")
    assert refs(body) == [getattr(seeded, which).reference]
    assert body["meta"]["total"] == 1


def test_pages_walk_every_case_once(
    client: FlaskClient, seeded: Seeded, monkeypatch: pytest.MonkeyPatch
) -> None:
    for n in range(5):
        make_published(title=f"Common word {n}", occurred_on=date(2026, 1, 1 + n))
    db.session.commit()
    monkeypatch.setattr(search, "PAGE_SIZE", 2)
    rows, pages = walk(client, "/api/v1/cases")
    assert len(rows) == 7 and len({r["reference"] for r in rows}) == 7 and pages == 4
    dated, _ = walk(client, "/api/v1/cases?from=2025&municipality=71242")
    assert len(dated) == 6 and len({r["reference"] for r in dated}) == 6
    assert [r["occurred"] for r in dated] == sorted((r["occurred"] for r in dated), reverse=True)
    found, pages = walk(client, "/api/v1/cases?q=common+word")
    assert len({r["reference"] for r in found}) == 5 and pages == 3
    first = get(client, "/api/v1/cases?q=common+word")
    assert first["meta"]["page"] == 1 and first["meta"]["total"] == 5
    assert "page=2" in first["links"]["next"] and "q=common+word" in first["links"]["next"]


def test_bad_parameters_answer_400_in_the_users_language(
    app: Flask, client: FlaskClient, seeded: Seeded
) -> None:
    url = "/api/v1/cases?municipality=00000&from=yesterday&cursor=nonsense&page=0&lang=en"
    body = get(client, url, 400)
    assert body["status"] == 400
    assert set(body["errors"]) == {"municipality", "from", "cursor", "page"}
    assert body["errors"]["municipality"] == "There is no such municipality."
    cyrillic = get(client, "/api/v1/cases?category=nope&lang=sr-Cyrl", 400)
    with app.test_request_context(), force_locale("sr_Cyrl"):
        assert cyrillic["errors"] == {"category": gettext("There is no such category.")}
    assert get(client, "/api/v1/cases?q=" + "x" * 201, 400)["errors"].keys() == {"q"}
    assert get(client, "/api/v1/actors?cursor=abc", 400)["errors"].keys() == {"cursor"}
    assert get(client, "/api/v1/publications?kind=poem&page=x", 400)["errors"].keys() == {
        "kind",
        "page",
    }


def test_unknown_and_unpublished_answer_404_json(client: FlaskClient, seeded: Seeded) -> None:
    for url in (
        f"/api/v1/cases/{seeded.draft.reference}",
        "/api/v1/cases/IN-1999-99999",
        "/api/v1/municipalities/00000",
        f"/api/v1/actors/{actor_id(f'{MARKER} actor')}",
        "/api/v1/actors/999999",
        f"/api/v1/publications/{seeded.hidden_statement.id}",
        "/api/v1/no-such-thing",
    ):
        body = get(client, url, 404)
        assert body["status"] == 404 and body["error"]
    response = client.post("/api/v1/cases")
    assert response.status_code == 405 and response.is_json


def test_signed_in_users_see_no_more(
    app: Flask, client: FlaskClient, seeded: Seeded, login_as: Any
) -> None:
    login_as(Role.ADMIN)
    get(client, f"/api/v1/cases/{seeded.draft.reference}", 404)
    assert refs(get(client, "/api/v1/cases")) == [seeded.other.reference, seeded.shown.reference]


def test_conditional_requests_and_cors(client: FlaskClient, seeded: Seeded) -> None:
    first = client.get("/api/v1/cases")
    tag = first.headers["ETag"]
    assert first.headers["Access-Control-Allow-Origin"] == "*"
    assert first.cache_control.public and first.last_modified is not None
    again = client.get("/api/v1/cases", headers={"If-None-Match": tag})
    assert again.status_code == 304 and again.headers["Access-Control-Allow-Origin"] == "*"
    other_query = client.get("/api/v1/cases?q=cacak", headers={"If-None-Match": tag})
    assert other_query.status_code == 200
    for url in ("/api/v1/municipalities", "/api/v1/categories", "/api/v1/actors",
                "/api/v1/publications", f"/api/v1/cases/{seeded.shown.reference}"):  # fmt: skip
        etag = client.get(url).headers["ETag"]
        assert client.get(url, headers={"If-None-Match": etag}).status_code == 304
    make_published(title="Something new")
    db.session.commit()
    assert client.get("/api/v1/cases", headers={"If-None-Match": tag}).status_code == 200
    missing = client.get("/api/v1/nothing")
    assert missing.headers["Access-Control-Allow-Origin"] == "*"
    preflight = client.options("/api/v1/cases", headers={"Origin": "https://example.org"})
    assert preflight.headers["Access-Control-Allow-Origin"] == "*"
    assert "If-None-Match" in preflight.headers["Access-Control-Allow-Headers"]


def test_case_detail_with_publications_and_retraction(client: FlaskClient, seeded: Seeded) -> None:
    url = f"/api/v1/cases/{seeded.shown.reference}"
    body = get(client, url)
    assert body["status"] == "published" and body["retraction"] is None
    assert body["point_precision"] == "rounded" and body["point"] == {"lat": 43.89, "lon": 20.35}
    assert [p["id"] for p in body["publications"]] == [seeded.statement.id]
    assert body["publications"][0]["kind"] == "statement"
    assert body["publications"][0]["date"] == "2026-04-01"
    assert body["actors"][0]["name"] == "Mayor of Čačak"
    publishing.retract(seeded.shown, make_user(Role.COORDINATOR), "Could not be confirmed.")
    db.session.commit()
    body = get(client, url)
    assert body["status"] == "retracted"
    assert body["retraction"]["reason"] == "Could not be confirmed." and body["retraction"]["date"]
    assert refs(get(client, "/api/v1/cases")) == [seeded.other.reference]


def test_municipalities_and_categories_with_counts(client: FlaskClient, seeded: Seeded) -> None:
    listed = get(client, "/api/v1/municipalities")
    counts = {m["code"]: m["count"] for m in listed["data"]}
    assert counts["71242"] == 1 and counts["89010"] == 1
    assert sum(counts.values()) == 2 and listed["meta"]["total"] == len(counts) > 100
    cacak = get(client, "/api/v1/municipalities/71242")
    assert cacak["names"]["sr-Latn"] == "Čačak" and cacak["count"] == 1
    assert cacak["by_category"] == [
        {"category": {"slug": "partisan-employment", "names": cacak["by_category"][0]["category"]
                      ["names"]}, "count": 1}
    ]  # fmt: skip
    assert cacak["links"]["cases"].endswith("/api/v1/cases?municipality=71242")
    categories = {c["slug"]: c["count"] for c in get(client, "/api/v1/categories")["data"]}
    assert categories["partisan-employment"] == 1 and categories["public-procurement"] == 1
    assert categories["other"] == 0 and len(categories) == 12


def test_actors_only_when_named_in_published_cases(
    client: FlaskClient, seeded: Seeded, monkeypatch: pytest.MonkeyPatch
) -> None:
    body = get(client, "/api/v1/actors")
    assert sorted(a["name"] for a in body["data"]) == ["City Hall", "Mayor of Čačak"]
    assert body["meta"]["total"] == 2 and all(a["count"] == 1 for a in body["data"])
    for query in ("cacak", "ČAČAK", "Чачак"):
        found = get(client, f"/api/v1/actors?q={query}")["data"]
        assert [a["name"] for a in found] == ["Mayor of Čačak"]
    assert get(client, "/api/v1/actors?q=marker")["data"] == []
    mayor = get(client, f"/api/v1/actors/{actor_id('Mayor of Čačak')}")
    assert mayor["count"] == 1 and mayor["kind"] == "official"
    assert mayor["by_municipality"][0]["municipality"]["code"] == "71242"
    assert mayor["by_category"][0]["category"]["slug"] == "partisan-employment"
    monkeypatch.setattr(api_actors, "PAGE_SIZE", 1)
    rows, pages = walk(client, "/api/v1/actors")
    assert len(rows) == 2 and pages == 2


def test_publications_published_only_and_their_public_cases(
    client: FlaskClient, seeded: Seeded, monkeypatch: pytest.MonkeyPatch
) -> None:
    body = get(client, "/api/v1/publications")
    assert [p["id"] for p in body["data"]] == [seeded.statement.id]
    assert body["data"][0]["signatories"] == ["Open Council"]
    detail = get(client, f"/api/v1/publications/{seeded.statement.id}")
    assert [c["reference"] for c in detail["cases"]] == [seeded.shown.reference]
    assert detail["cases"][0]["note"] == "Cites Čačak hospital jobs"
    assert detail["body"] == "What the network says."
    report = publication("Yearly report", PublicationStatus.PUBLISHED, seeded.other,
                         kind=PublicationKind.REPORT, published_on=date(2026, 5, 1))  # fmt: skip
    db.session.commit()
    reports = get(client, "/api/v1/publications?kind=report")["data"]
    assert [p["id"] for p in reports] == [report.id]
    monkeypatch.setattr(api_publications, "PAGE_SIZE", 1)
    rows, pages = walk(client, "/api/v1/publications")
    assert [p["id"] for p in rows] == [report.id, seeded.statement.id] and pages == 2


def every_response(client: FlaskClient, seeded: Seeded) -> list[str]:
    """Every API response reachable from the lists, and the direct addresses of hidden ones."""
    bodies: list[str] = []

    def fetch(url: str) -> Any:
        response = client.get(url)
        bodies.append(response.get_data(as_text=True))
        return response.get_json()

    for row in fetch("/api/v1/cases")["data"] + fetch("/api/v1/cases?q=marker")["data"]:
        fetch(row["api_url"])
    for row in fetch("/api/v1/actors")["data"] + fetch("/api/v1/publications")["data"]:
        fetch(row["api_url"])
    for row in fetch("/api/v1/municipalities")["data"][:3] + fetch("/api/v1/categories")["data"]:
        fetch(row.get("api_url") or row["cases_url"])
    fetch("/api/v1/municipalities/71242")
    fetch(f"/api/v1/cases/{seeded.draft.reference}")
    fetch(f"/api/v1/publications/{seeded.hidden_statement.id}")
    fetch(f"/api/v1/actors/{actor_id(f'{MARKER} actor')}")
    fetch("/api/v1/openapi.json")
    return bodies


def test_nothing_unpublished_or_confidential(client: FlaskClient, seeded: Seeded) -> None:
    bodies = every_response(client, seeded)
    assert len(bodies) > 15
    for body in bodies:
        assert MARKER not in body and "SECRET" not in body
        assert seeded.draft.reference not in body
    everything = json.dumps(bodies)
    assert seeded.shown.reference in everything and seeded.statement.title in everything


def test_totals_over_many_matches_say_they_are_a_lower_bound(
    client: FlaskClient, seeded: Seeded, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(window, "WINDOW", 1)
    body = get(client, "/api/v1/cases?from=2020")
    assert len(body["data"]) == 2
    assert body["meta"]["total"] == 1 and body["meta"]["total_exact"] is False
    exact = get(client, "/api/v1/cases?category=partisan-employment")["meta"]
    assert exact["total"] == 1 and exact["total_exact"] is True
