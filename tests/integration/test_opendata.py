"""Open data and feeds: published records only, public fields only, safe CSV, conditional."""

from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET

import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient

from tests.builders import make_case, make_user
from tracker.accounts.models import Role
from tracker.cases.categories import load_categories
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
