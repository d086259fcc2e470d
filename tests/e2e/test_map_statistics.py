"""The map and the statistics in a real browser: no tile server, no console errors, axe clean.

The map draws the district outlines shaded by their findings and a bubble per municipality;
a bubble zooms in to the findings, a cluster zooms in further, and a finding's popup leads to
its public page. The statistics page is server-side SVG and tables.
"""

from __future__ import annotations

import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from flask import Flask
from playwright.sync_api import Page, expect

from tests.e2e.support import PHONE, Problems, screenshot
from tests.integration.explore_support import CACAK, seed_bulk, seed_small
from tracker.extensions import db

pytestmark = pytest.mark.e2e

BLOCKING = {"serious", "critical"}
MAP = "[data-testid=findings-map]"


@pytest.fixture
def small(live_app: Flask) -> list[str]:
    """Three published findings (two at Čačak's seat, one in Niš); their references."""
    with live_app.app_context():
        seeded = seed_small()
        refs = [case.reference for case in seeded.published]
        db.session.commit()
    return refs


@pytest.fixture
def many(live_app: Flask, small: list[str]) -> list[str]:
    """The small set and 600 more spread over Serbia."""
    with live_app.app_context():
        seed_bulk(600)
    return small


def assert_accessible(page: Page) -> None:
    violations = Axe().run(page).response["violations"]
    found = [
        f"{v['id']} ({v['impact']}): {[n['target'] for n in v['nodes']]}"
        for v in violations
        if v["impact"] in BLOCKING
    ]
    assert not found, "\n".join(found)


def open_map(page: Page, path: str = "/map") -> None:
    page.goto(path)
    expect(page.locator(MAP)).to_be_visible()
    expect(page.locator(MAP)).to_have_attribute("data-districts-ready", "true")
    expect(page.locator("[data-testid=map-legend] li").first).to_be_visible()


def test_map_shows_districts_and_bubbles_and_leads_to_a_case(
    page: Page, problems: Problems, small: list[str]
) -> None:
    open_map(page)
    # the outlines and the counts arrive separately: wait until the counts shaded them
    expect(page.locator(MAP)).to_have_attribute("data-districts-shaded", "true")
    outlines = page.locator(f"{MAP} .leaflet-overlay-pane path")
    assert outlines.count() >= 25, "the district outlines are the base map"
    shaded = {outlines.nth(i).get_attribute("fill") for i in range(outlines.count())}
    assert len(shaded) >= 2, f"districts with findings are shaded apart: {shaded}"
    bubbles = page.locator(".map-bubble")
    expect(bubbles).to_have_count(2)
    expect(page.locator("[data-testid=map-legend]")).to_contain_text("0")
    expect(page.locator("[data-testid=map-status]")).to_contain_text("3")
    assert_accessible(page)
    problems.check(page)
    screenshot(page, "map-overview")

    page.locator(".map-bubble", has_text="2").click()
    expect(page.locator(".map-point").first).to_be_visible()
    cacak = page.locator(f".map-point[aria-label^='{small[0]}']")
    expect(cacak).to_have_count(1)
    expect(page.locator(f".map-point[aria-label^='{small[1]}']")).to_have_count(1)
    cacak.click()
    link = page.locator(".leaflet-popup a.map-popup-title")
    expect(link).to_have_text("Zapošljavanje po partijskoj liniji")
    popup = page.locator(".leaflet-popup")
    page.wait_for_function("e => getComputedStyle(e).opacity === '1'", arg=popup.element_handle())
    screenshot(page, "map-point-popup")
    problems.check(page)
    with page.expect_navigation():
        link.click()
    assert page.url.endswith(f"/findings/{small[0]}")
    problems.check(page)


def test_clusters_zoom_in_until_a_finding_opens(
    page: Page, problems: Problems, many: list[str]
) -> None:
    open_map(page)
    expect(page.locator(".map-bubble").first).to_be_visible()
    assert page.locator(".map-bubble").count() > 50
    page.locator(".map-bubble").first.click()
    busy = page.locator(".findings-map")
    expect(busy).to_have_attribute("aria-busy", "true")  # zooming in: busy until drawn
    expect(busy).not_to_have_attribute("aria-busy", "true")
    clusters = page.locator(".map-cluster")
    expect(clusters.first).to_be_visible()
    screenshot(page, "map-clusters")
    for _ in range(8):
        if page.locator(".map-point").count():
            break
        status = page.locator("[data-testid=map-status]").inner_text()
        with page.expect_response(re.compile(r"/map/data\.json\?.*zoom=")):
            clusters.first.click()
        expect(page.locator("[data-testid=map-status]")).not_to_have_text(status)
    point = page.locator(".map-point").first
    expect(point).to_be_visible()
    point.click()
    link = page.locator(".leaflet-popup a.map-popup-title")
    expect(link).to_be_visible()
    # opening the popup may pan the map, which loads and redraws it (and reopens the popup):
    # the map is aria-busy from the pan's start until it has drawn; click after, as a person would
    expect(page.locator(".findings-map")).not_to_have_attribute("aria-busy", "true")
    expect(link).to_be_visible()
    with page.expect_navigation():
        link.click()
    assert re.search(r"/findings/[A-Z]{2}-\d{4}-\d+$", page.url), page.url
    problems.check(page)


def test_filters_narrow_the_map_and_keep_the_form(
    page: Page, problems: Problems, small: list[str]
) -> None:
    open_map(page, "/map?category=public-procurement")
    expect(page.locator(".map-bubble")).to_have_count(1)
    expect(page.locator("#filter-category")).to_have_value("public-procurement")
    problems.check(page)
    page.goto(f"/map?municipality={CACAK}&from=someday")
    expect(page.locator("#filter-from")).to_have_value("someday")
    expect(page.locator("#filter-municipality")).to_have_value(CACAK)
    expect(page.locator("#filter-from-error")).to_be_visible()
    problems.check(page, allow=("400",))


def test_statistics_are_svg_charts_and_tables(
    page: Page, new_page: object, problems: Problems, many: list[str]
) -> None:
    page.goto("/statistics")
    charts = page.locator("svg.chart[role=img]")
    expect(charts).to_have_count(4)
    for i in range(4):
        box = charts.nth(i).bounding_box()
        assert box and box["width"] > 300 and box["height"] > 100
    expect(page.locator("[data-testid=table-districts] tbody tr").first).to_be_visible()
    assert_accessible(page)
    problems.check(page)
    screenshot(page, "statistics")


def test_map_and_statistics_on_a_phone(
    new_page: object, problems: Problems, small: list[str]
) -> None:
    page = new_page(viewport=PHONE)  # type: ignore[operator]
    open_map(page)
    expect(page.locator(".map-bubble")).to_have_count(2)
    screenshot(page, "map-phone")
    page.goto("/statistics")
    expect(page.locator("svg.chart[role=img]")).to_have_count(4)
    screenshot(page, "statistics-phone")
    problems.check(page)
