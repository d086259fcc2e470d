"""The map page and its data: counts, shared filters, bad input, 304s, bounded payloads, plans."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient

from tests.builders import municipality
from tests.integration.explore_support import (
    CACAK,
    MARKER,
    MAYOR,
    NIS,
    mayor_id,
    seed_bulk,
    seed_small,
)
from tracker.explore import grid, mapdata
from tracker.extensions import db
from tracker.public.models import Finding
from tracker.public.search import Filters

SERBIA = "18.8,41.85,23.01,46.19"


def data(client: FlaskClient, **args: Any) -> Any:
    response = client.get("/map/data.json", query_string=args)
    assert response.status_code == 200, response.text
    assert response.mimetype == "application/json"
    return response.get_json()


def test_page_has_leaflet_filters_and_district_table(client: FlaskClient) -> None:
    seed_small()
    page = client.get("/map")
    assert page.status_code == 200
    html = page.text
    assert "/vendor/leaflet/leaflet.js" in html and "/static/js/map.js" in html
    assert 'data-testid="findings-map"' in html and "<script>" not in html
    assert 'name="q"' in html and 'name="district"' in html and 'name="actor"' in html
    assert f'<option value="{mayor_id()}">{MAYOR}</option>' in html
    assert 'data-nav="map"' in html and 'data-nav="statistics"' in html
    cacak = municipality(CACAK)
    link = f'/findings/?district={cacak.district_code}">2</a>'
    assert link in html, "the district table links its count to the filtered list"
    assert f'/findings/?district={municipality(NIS).district_code}">1</a>' in html
    assert page.headers["ETag"] and page.headers["Cache-Control"].startswith("public")


def test_zoomed_out_bubbles_per_municipality_at_the_seat(client: FlaskClient) -> None:
    seed_small()
    body = data(client, zoom=7, bbox=SERBIA)
    assert body["level"] == "municipality" and body["total"] == 3
    bubbles = {row["code"]: row for row in body["municipalities"]}
    cacak = municipality(CACAK)
    assert set(bubbles) == {CACAK, NIS}
    assert bubbles[CACAK]["n"] == 2 and bubbles[NIS]["n"] == 1
    assert (bubbles[CACAK]["lat"], bubbles[CACAK]["lon"]) == (cacak.lat, cacak.lon)
    districts = {row["code"]: row for row in body["districts"]}
    assert len(districts) == 30, "every district, so the choropleth shades every outline"
    assert districts[cacak.district_code]["n"] == 2
    assert districts[cacak.district_code]["c"] == len(body["classes"])  # the darkest class
    assert districts[municipality(NIS).district_code]["c"] >= 1
    assert {(row["c"], row["s"]) for row in body["districts"] if row["n"] == 0} == {(0, 0)}
    assert districts[cacak.district_code]["s"] == body["classes"][-1][2] == grid.STEPS
    assert sum(row["n"] for row in body["districts"]) == 3


def test_zoomed_in_points_and_clusters(client: FlaskClient) -> None:
    seeded = seed_small()
    cacak = municipality(CACAK)
    box = f"{cacak.lon - 0.3},{cacak.lat - 0.2},{cacak.lon + 0.3},{cacak.lat + 0.2}"
    body = data(client, zoom=12, bbox=box)
    assert body["level"] == "grid" and body["inside"] == 2
    refs = {p["ref"] for p in body["points"]}
    assert refs == {c.reference for c in seeded.published[:2]}
    assert all(set(p) == {"lat", "lon", "ref", "t"} for p in body["points"])
    # Everything at once: one coarse cell for the whole country is a cluster.
    whole = data(client, zoom=9, bbox="-180,-90,180,90")
    assert whole["inside"] == 3
    assert sum(c["n"] for c in whole["clusters"]) + len(whole["points"]) == 3


def test_filters_are_the_lists(client: FlaskClient) -> None:
    seed_small()
    body = data(client, zoom=7, bbox=SERBIA, category="public-procurement")
    assert [(r["code"], r["n"]) for r in body["municipalities"]] == [(NIS, 1)]
    assert data(client, zoom=7, bbox=SERBIA, q="absentword")["total"] == 0
    assert data(client, zoom=7, bbox=SERBIA, q="skoli")["total"] == 1  # "školi", folded
    dated = data(client, zoom=12, bbox=SERBIA, **{"from": "2026-01", "to": "2026"})
    assert dated["inside"] == 2
    mayor = data(client, zoom=7, bbox=SERBIA, actor=str(mayor_id()))
    assert [(r["code"], r["n"]) for r in mayor["municipalities"]] == [(CACAK, 1)]
    page = client.get("/map", query_string={"category": "public-procurement"})
    assert (
        f'/findings/?category=public-procurement&amp;district={municipality(NIS).district_code}"'
        in page.text
    )


@pytest.mark.parametrize(
    "args, field",
    [
        ({"zoom": "abc", "bbox": SERBIA}, "zoom"),
        ({"zoom": "19", "bbox": SERBIA}, "zoom"),
        ({"zoom": "-1", "bbox": SERBIA}, "zoom"),
        ({"bbox": SERBIA}, "zoom"),
        ({"zoom": "7"}, "bbox"),
        ({"zoom": "7", "bbox": "1,2,3"}, "bbox"),
        ({"zoom": "7", "bbox": "nan,41,22,46"}, "bbox"),
        ({"zoom": "7", "bbox": "23,41,19,46"}, "bbox"),
        ({"zoom": "7", "bbox": "19,41,23,95"}, "bbox"),
        ({"zoom": "7", "bbox": "1e999,41,22,46"}, "bbox"),
        ({"zoom": "7", "bbox": SERBIA, "from": "yesterday"}, "from"),
        ({"zoom": "7", "bbox": SERBIA, "municipality": "00000"}, "municipality"),
    ],
)
def test_nonsense_gets_a_400_in_json(client: FlaskClient, args: dict[str, str], field: str) -> None:
    response = client.get("/map/data.json", query_string=args)
    assert response.status_code == 400
    assert field in response.get_json()["errors"]


def test_bad_filters_on_the_page_keep_what_was_typed(client: FlaskClient) -> None:
    response = client.get(
        "/map",
        query_string={"q": "tender", "from": "14.3.2026", "category": "no-such"},
        headers={"Accept-Language": "en"},
    )
    assert response.status_code == 400
    html = response.text
    assert 'value="14.3.2026"' in html and 'value="tender"' in html
    assert '<option value="no-such" selected>' in html
    assert "Write the date as YYYY-MM-DD, YYYY-MM or YYYY." in html
    assert "There is no such category." in html
    assert 'data-testid="findings-map"' not in html


def test_conditional_requests_get_304(client: FlaskClient) -> None:
    seed_small()
    for url in (
        "/map",
        f"/map/data.json?zoom=7&bbox={SERBIA}",
        f"/map/data.json?zoom=11&bbox={SERBIA}",
    ):
        first = client.get(url)
        tag = first.headers["ETag"]
        again = client.get(url, headers={"If-None-Match": tag})
        assert again.status_code == 304 and again.data == b"", url
    # Another view on the same grid shares the validator; another language does not.
    a = client.get("/map/data.json?zoom=11&bbox=20.0,43.0,20.5,43.5").headers["ETag"]
    b = client.get("/map/data.json?zoom=11&bbox=20.001,43.001,20.499,43.499").headers["ETag"]
    c = client.get("/map/data.json?zoom=11&bbox=20.0,43.0,20.5,43.5&lang=sr-Cyrl").headers["ETag"]
    assert a == b != c
    out = client.get(f"/map/data.json?zoom=5&bbox={SERBIA}").headers["ETag"]
    assert client.get("/map/data.json?zoom=8&bbox=20,43,21,44").headers["ETag"] == out


def test_payload_stays_small_with_thousands_of_findings(client: FlaskClient) -> None:
    seed_small()
    seed_bulk(3000)
    total = db.session.scalar(sa.select(sa.func.count()).select_from(Finding))
    assert total == 3003
    out = client.get(f"/map/data.json?zoom=6&bbox={SERBIA}")
    body = out.get_json()
    assert len(body["municipalities"]) <= 202 and len(out.data) < 40_000
    assert body["total"] == 3003
    for zoom, box in ((9, SERBIA), (12, SERBIA), (18, "-180,-90,180,90"), (10, "20,43,21,44")):
        response = client.get(f"/map/data.json?zoom={zoom}&bbox={box}")
        body = response.get_json()
        assert len(body["clusters"]) <= grid.MAX_CELLS, (zoom, box)
        assert len(body["points"]) <= mapdata.MAX_POINTS, (zoom, box)
        assert len(response.data) < 150_000, (zoom, box, len(response.data))
        assert sum(c["n"] for c in body["clusters"]) + len(body["points"]) == body["inside"]
    assert json.loads(client.get(f"/map/data.json?zoom=9&bbox={SERBIA}").data)["inside"] == 3003


def test_nothing_unpublished_or_confidential(client: FlaskClient) -> None:
    seeded = seed_small()
    seed_bulk(50)
    urls = ["/map", "/map?q=secret", "/statistics", "/statistics?q=secret"]
    urls += [f"/map/data.json?zoom={z}&bbox={SERBIA}" for z in (6, 9, 12, 15)]
    for url in urls:
        text = client.get(url).get_data(as_text=True)
        assert MARKER not in text and seeded.hidden.reference not in text, url
        assert "SECRET" not in text, url


@pytest.fixture
def analysed(db_url: str) -> Iterator[None]:
    """After the test (its tables emptied), analyse again: later tests must not plan with
    the seeded statistics."""
    yield
    engine = sa.create_engine(db_url)
    with engine.begin() as conn:
        conn.exec_driver_sql("ANALYZE")
    engine.dispose()


def _plan(statement: sa.Select[Any]) -> str:
    bind = db.session.get_bind()
    compiled = statement.compile(bind, compile_kwargs={"literal_binds": True})
    if bind.dialect.name == "sqlite":
        rows = db.session.execute(sa.text(f"EXPLAIN QUERY PLAN {compiled}"))
        return "\n".join(str(row[-1]) for row in rows)
    db.session.execute(sa.text("SET LOCAL enable_seqscan = off"))
    return "\n".join(row[0] for row in db.session.execute(sa.text(f"EXPLAIN {compiled}")))


@pytest.mark.parametrize(
    "filters",
    [
        Filters(),
        Filters(category_id=1),
        Filters(district_code=3),
        Filters(municipality_id=5, category_id=2),
        Filters(actor_id=1),
        Filters(text="tender"),
        Filters(date_from=date(2025, 1, 1)),
        Filters(date_to=date(2026, 12, 31), category_id=1),
    ],
    ids=["none", "category", "district", "municipality+category", "actor", "text", "from", "to"],
)
def test_map_queries_use_indexes(app: Flask, analysed: None, filters: Filters) -> None:
    seed_bulk(1000)
    db.session.execute(sa.text("ANALYZE"))  # plan with the seeded rows' statistics
    db.session.commit()
    view = grid.Viewport(10, 19, 42, 23, 46)
    statements = [mapdata.cells_statement(filters, grid.grid_for(view))]
    if not filters.empty:  # unfiltered, the bubbles come from the stored counts
        statements.append(mapdata.municipalities_statement(filters))
    for statement in statements:
        plan = _plan(statement)
        assert "SCAN finding\n" not in plan + "\n" and "SCAN finding USING" not in plan, plan
        assert "Seq Scan on finding" not in plan, plan
    db.session.rollback()
