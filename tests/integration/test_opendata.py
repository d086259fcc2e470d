"""Open data and feeds: published records only, public fields only, safe CSV, conditional."""

from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from tests.builders import make_case, make_published, make_user
from tracker.accounts.models import Role
from tracker.actors.models import ActorKind, ActorRole
from tracker.cases.categories import load_categories
from tracker.cases.drafts import ActorEntry
from tracker.cases.lifecycle import apply
from tracker.cases.models import Case, Category, PointPrecision
from tracker.extensions import db
from tracker.review import publishing
from tracker.workflow import Action


def publish(title: str, precision: PointPrecision = PointPrecision.ROUNDED) -> Case:
    load_categories()
    member, coordinator = make_user(), make_user(Role.COORDINATOR)
    case = make_case(member, title=title, source_notes="SECRET SOURCE", lat=43.89123, lon=20.34987)
    apply(case, member, Action.SUBMIT)
    apply(case, coordinator, Action.TAKE)
    apply(case, coordinator, Action.VERIFY, checklist=["sources", "evidence", "safety"])
    category = db.session.scalar(sa.select(Category).where(Category.slug == "other"))
    choice = publishing.PublicationChoice("Public summary.", category, precision, set())
    publishing.publish(case, coordinator, choice)
    return case


def test_only_published_cases_and_only_public_fields(app: Flask, client: FlaskClient) -> None:
    shown = publish('=HYPERLINK("http://evil")')
    hidden = make_case(make_user(), title="Still a draft")
    db.session.commit()
    response = client.get("/data/cases.csv")
    assert response.status_code == 200 and response.is_streamed
    text = response.get_data(as_text=True)
    rows = list(csv.DictReader(io.StringIO(text)))
    assert [r["reference"] for r in rows] == [shown.reference]
    assert rows[0]["title"] == '\'=HYPERLINK("http://evil")'  # neutralised
    assert rows[0]["lat"] == "43.89" and rows[0]["lon"] == "20.35"  # rounded, as chosen
    assert hidden.reference not in text and "SECRET SOURCE" not in text
    assert response.headers["X-Licence"] == "CC BY 4.0"


def test_exports_name_each_cases_actors(app: Flask, client: FlaskClient) -> None:
    named = make_published(title="Named actors", actors=[
        ActorEntry("Beta office", ActorKind.INSTITUTION, ActorRole.MENTIONED),
        ActorEntry("Alpha mayor", ActorKind.OFFICIAL, ActorRole.RESPONSIBLE),
    ])  # fmt: skip
    formula = make_published(title="A formula", actors=[
        ActorEntry("=HYPERLINK(1)", ActorKind.OFFICIAL, ActorRole.RESPONSIBLE)])  # fmt: skip
    unnamed = make_published(title="Nobody named")
    db.session.commit()
    text = client.get("/data/cases.csv").text
    rows = {r["reference"]: r for r in csv.DictReader(io.StringIO(text))}
    assert rows[named.reference]["actors"] == (
        "Alpha mayor (official, responsible); Beta office (institution, mentioned)"
    )
    assert rows[formula.reference]["actors"] == "'=HYPERLINK(1) (official, responsible)"
    assert rows[unnamed.reference]["actors"] == ""
    cases = {c["reference"]: c for c in json.loads(client.get("/data/cases.json").text)["cases"]}
    assert [(a["name"], a["kind"], a["role"]) for a in cases[named.reference]["actors"]] == [
        ("Alpha mayor", "official", "responsible"), ("Beta office", "institution", "mentioned")
    ]  # fmt: skip
    assert cases[unnamed.reference]["actors"] == []
    geo = json.loads(client.get("/data/cases.geojson").text)
    properties = {f["properties"]["reference"]: f["properties"] for f in geo["features"]}
    assert properties[named.reference]["actors"] == cases[named.reference]["actors"]


def test_json_geojson_and_feed(app: Flask, client: FlaskClient) -> None:
    case = publish("Published finding", PointPrecision.MUNICIPALITY)
    db.session.commit()
    data = json.loads(client.get("/data/cases.json").get_data(as_text=True))
    assert data["licence"] == "CC BY 4.0" and data["cases"][0]["reference"] == case.reference
    assert data["cases"][0]["occurred"] == "2026-03-14"
    geo = json.loads(client.get("/data/cases.geojson").get_data(as_text=True))
    [feature] = geo["features"]
    seat = case.municipality
    assert feature["geometry"]["coordinates"] == [seat.lon, seat.lat]  # municipality precision
    assert "SECRET" not in json.dumps(data) + json.dumps(geo)
    feed = client.get("/feeds/cases.atom")
    assert feed.mimetype == "application/atom+xml"
    root = ET.fromstring(feed.data)
    ns = {"a": "http://www.w3.org/2005/Atom"}
    titles = [t.text for t in root.findall("a:entry/a:title", ns)]
    assert titles == [f"{case.reference}: Published finding"]


def test_feed_is_valid_atom_and_announces_retractions(app: Flask, client: FlaskClient) -> None:
    kept, withdrawn = publish("Still standing"), publish("Withdrawn later")
    publishing.retract(withdrawn, make_user(Role.COORDINATOR), "The source recanted.")
    db.session.commit()
    ns = {"a": "http://www.w3.org/2005/Atom"}
    root = ET.fromstring(client.get("/feeds/cases.atom?lang=en").data)
    # RFC 4287 4.1.1: a feed whose entries name no author names one itself
    assert root.findtext("a:author/a:name", namespaces=ns) == "Integrity network"
    first, second = root.findall("a:entry", ns)
    title = first.findtext("a:title", namespaces=ns)
    assert title == f"Retracted: {withdrawn.reference}: Withdrawn later"
    summary = first.findtext("a:summary", namespaces=ns) or ""
    assert "retracted this finding on" in summary and "The source recanted." in summary
    assert first.findtext("a:updated", namespaces=ns) == withdrawn.retracted_at.isoformat()
    assert root.findtext("a:updated", namespaces=ns) == withdrawn.retracted_at.isoformat()
    assert second.findtext("a:title", namespaces=ns) == f"{kept.reference}: Still standing"


def test_feed_validators_differ_by_language(app: Flask, client: FlaskClient) -> None:
    publish("In two languages")
    db.session.commit()
    english = client.get("/feeds/cases.atom?lang=en")
    assert "Latest findings" in english.text
    serbian = client.get("/feeds/cases.atom?lang=sr-Latn", headers={
        "If-None-Match": english.headers["ETag"]})  # fmt: skip
    assert serbian.status_code == 200 and "Latest findings" not in serbian.text


def test_feed_escapes_markup(app: Flask, client: FlaskClient) -> None:
    publish("<script>alert(1)</script> & more")
    db.session.commit()
    body = client.get("/feeds/cases.atom").get_data(as_text=True)
    assert "<script>" not in body
    ET.fromstring(body)  # still well-formed XML


def test_conditional_requests_answer_304(app: Flask, client: FlaskClient) -> None:
    publish("Cached")
    db.session.commit()
    first = client.get("/data/cases.json")
    etag = first.headers["ETag"]
    assert "public" in first.headers["Cache-Control"] and first.headers["Last-Modified"]
    first.close()
    again = client.get("/data/cases.json", headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.data == b""
    publish("Another")
    db.session.commit()
    changed = client.get("/data/cases.json", headers={"If-None-Match": etag})
    assert changed.status_code == 200
    changed.close()


@pytest.mark.parametrize("path", ["/municipalities/", "/municipalities/lookup?q=cac"])
def test_municipality_index_and_lookup_are_conditional(
    app: Flask, client: FlaskClient, path: str
) -> None:
    def text(response: TestResponse) -> str:
        if response.is_json:
            return json.dumps(response.get_json(), ensure_ascii=False)
        return response.text

    first = client.get(path)
    assert first.status_code == 200 and "Čačak" in text(first)
    again = client.get(path, headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304
    other = client.get(path.replace("cac", "nov") if "?" in path else path + "?q=nov",
                       headers={"If-None-Match": first.headers["ETag"]})  # fmt: skip
    assert other.status_code == 200 and "Novi Sad" in text(other)


def test_municipality_page_lists_its_published_findings(app: Flask, client: FlaskClient) -> None:
    shown = publish("Published in Čačak")
    draft = make_case(make_user(), title="Draft in Čačak")
    db.session.commit()
    page = client.get(f"/municipalities/{shown.municipality.code}?lang=en").text
    assert "Published in Čačak" in page and "Draft in Čačak" not in page
    assert f"/findings/{shown.reference}" in page and draft.reference not in page
    assert "<td>1</td>" in page and "1 published finding" in page  # one, in its category
    empty = client.get("/municipalities/79022?lang=en").text
    assert "Nothing has been published about this municipality yet." in empty
