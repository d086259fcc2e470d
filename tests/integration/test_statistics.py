"""The statistics page: SVG charts and tables with the right numbers, filters, 400s, 304s."""

from __future__ import annotations

import re

import sqlalchemy as sa
from flask.testing import FlaskClient

from tests.builders import municipality
from tests.integration.explore_support import CACAK, NIS, count_findings, seed_bulk, seed_small
from tracker.cases.models import Category
from tracker.extensions import db
from tracker.public import index
from tracker.public.models import FindingCount


def table(html: str, name: str) -> dict[str, int]:
    """The rows of one of the page's tables: label → count."""
    found = re.search(
        rf'<table class="stat-table" data-testid="table-{name}">(.*?)</table>', html, re.S
    )
    assert found, f"no table {name}"
    rows = re.findall(r'<th scope="row">([^<]+)</th><td class="num">(?:<a [^>]+>)?(\d+)', found[1])
    return {label: int(n) for label, n in rows}


def category_id(slug: str) -> int:
    return db.session.scalar(sa.select(Category.id).where(Category.slug == slug)) or 0


def test_charts_and_tables_give_the_same_right_numbers(client: FlaskClient) -> None:
    seed_small()
    response = client.get("/statistics", headers={"Accept-Language": "en"})
    assert response.status_code == 200
    html = response.text
    assert html.count('role="img"') == 4 and "<script" not in html.split("<main")[1]
    for ident in ("categories", "months", "districts", "municipalities"):
        assert f'aria-labelledby="chart-{ident}-title chart-{ident}-desc"' in html
        assert (
            f'<title id="chart-{ident}-title">' in html
            and f'<desc id="chart-{ident}-desc">' in html
        )
    assert table(html, "categories") == {
        "Partisan employment and appointments": 1,
        "Other": 1,
        "Public procurement": 1,
    }
    cacak, nis = municipality(CACAK), municipality(NIS)
    assert table(html, "districts") == {cacak.district: 2, nis.district: 1}
    assert table(html, "municipalities") == {"Čačak": 2, "Niš": 1}
    assert table(html, "months") == {"November 2025": 1, "December 2025": 0, "January 2026": 2}
    # The SVG says the same: each bar's value as text.
    chart = html.split('id="chart-municipalities"')[1].split("</svg>")[0]
    assert ">Čačak</text>" in chart and ">2</text>" in chart
    assert f'href="/findings/?municipality={CACAK}">2</a>' in html
    assert 'data-nav="statistics" aria-current="page"' in html


def test_unfiltered_figures_come_from_the_stored_counts(client: FlaskClient) -> None:
    seed_small()
    ident = str(category_id("public-procurement"))
    row = db.session.get(FindingCount, ("category", ident))
    assert row is not None and row.count == 1
    row.count = 41  # only the stored counts could say so
    index.touch()
    db.session.commit()
    html = client.get("/statistics", headers={"Accept-Language": "en"}).text
    assert table(html, "categories")["Public procurement"] == 41
    unknown = client.get("/statistics?district=999", headers={"Accept-Language": "en"})
    assert unknown.status_code == 400 and "There is no such district." in unknown.text
    empty = client.get("/statistics?q=nothingatall", headers={"Accept-Language": "en"}).text
    assert "No published finding matches these filters." in empty


def test_filters_are_the_lists(client: FlaskClient) -> None:
    seed_small()
    seed_bulk(300)
    english = {"Accept-Language": "en"}
    cacak = municipality(CACAK)
    html = client.get(f"/statistics?district={cacak.district_code}", headers=english).text
    assert table(html, "districts") == {
        cacak.district: count_findings(district_code=cacak.district_code)
    }
    procurement = category_id("public-procurement")
    html = client.get("/statistics?category=public-procurement", headers=english).text
    assert table(html, "categories") == {
        "Public procurement": count_findings(category_id=procurement)
    }
    assert sum(table(html, "districts").values()) == count_findings(category_id=procurement)
    html = client.get("/statistics?from=2026-01&to=2026-01-31", headers=english).text
    months = table(html, "months")
    assert list(months) == ["January 2026"] and months["January 2026"] >= 2
    assert "/findings/?from=2026-01&amp;to=2026-01-31&amp;category=" in html


def test_bad_filters_get_400_with_the_values_kept(client: FlaskClient) -> None:
    response = client.get(
        "/statistics",
        query_string={"district": "Šumadija", "to": "2026-13", "q": "x" * 201},
        headers={"Accept-Language": "en"},
    )
    assert response.status_code == 400
    html = response.text
    assert "There is no such district." in html and "The search text is too long." in html
    assert "Write the date as YYYY-MM-DD, YYYY-MM or YYYY." in html
    assert '<option value="Šumadija" selected>Šumadija</option>' in html
    assert 'value="2026-13"' in html and 'value="' + "x" * 201 + '"' in html
    assert 'aria-invalid="true" aria-describedby="filter-to-error"' in html
    assert 'role="img"' not in html


def test_conditional_requests_get_304_until_something_changes(client: FlaskClient) -> None:
    seed_small()
    first = client.get("/statistics?category=other")
    tag = first.headers["ETag"]
    assert first.headers["Last-Modified"] and first.headers["Cache-Control"].startswith("public")
    assert (
        client.get("/statistics?category=other", headers={"If-None-Match": tag}).status_code == 304
    )
    assert client.get("/statistics", headers={"If-None-Match": tag}).status_code == 200
    index.touch()
    db.session.commit()
    assert (
        client.get("/statistics?category=other", headers={"If-None-Match": tag}).status_code == 200
    )


def test_language_changes_the_names(client: FlaskClient) -> None:
    seed_small()
    html = client.get("/statistics?lang=sr-Cyrl").text
    assert table(html, "municipalities") == {"Чачак": 2, "Ниш": 1}
    assert "Javne nabavke" not in html and "Јавне набавке" in html
