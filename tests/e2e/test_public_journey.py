"""A visitor's way through the public portal, in a real browser.

They search in Latin without diacritics for a case written in Cyrillic, see it on the map and
open it from there, follow it to the statement that cites it, and come back. axe reports no
serious or critical violation on the home, list, case, map, statistics and publication pages.
"""

from __future__ import annotations

from datetime import date

import pytest
from axe_playwright_python.sync_playwright import Axe
from flask import Flask
from playwright.sync_api import Page, expect

from tests.builders import make_case, make_publication, make_published, make_user, municipality
from tests.e2e.support import Problems, screenshot
from tracker.extensions import db
from tracker.publications.models import PublicationStatus

pytestmark = pytest.mark.e2e

TITLE = "Притисак на уреднике локалне телевизије у Чачку"
BLOCKING = {"serious", "critical"}


@pytest.fixture
def seeded(live_app: Flask) -> dict[str, object]:
    with live_app.app_context():
        written = make_published(
            title=TITLE,
            summary="Директор телевизије је сменио два уредника.",
            category="media-capture",
            occurred_on=date(2026, 2, 10),
        )
        make_published(title="Tender na Voždovcu", municipality=municipality("70106"))
        hidden = make_case(make_user(), title="Нацрт који нико не сме да види")
        statement = make_publication(title="Saopštenje o pritisku na medije", cites=(written,))
        make_publication(
            title="Nacrt saopštenja", status=PublicationStatus.DRAFT, cites=(written, hidden)
        )
        db.session.commit()
        return {"ref": written.reference, "statement": statement.id, "hidden": hidden.reference}


def assert_accessible(page: Page, problems: Problems) -> None:
    violations = Axe().run(page).response["violations"]
    found = [
        f"{v['id']} ({v['impact']}): {[n['target'] for n in v['nodes']][:3]}"
        for v in violations
        if v["impact"] in BLOCKING
    ]
    assert not found, f"axe on {page.url}:\n" + "\n".join(found)
    problems.check(page)


def test_search_map_case_statement_and_back(
    page: Page, problems: Problems, seeded: dict[str, object]
) -> None:
    ref = str(seeded["ref"])
    page.goto("/")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    assert_accessible(page, problems)
    screenshot(page, "journey-home")

    # Latin, no diacritics, for a case written in Cyrillic
    page.locator("#home-q").fill("Cacku urednike")
    with page.expect_navigation():
        page.locator("form[role=search] button[type=submit]").click()
    results = page.locator("[data-testid=findings] .card-title a")
    expect(results).to_have_count(1)
    expect(results.first).to_have_text(TITLE)
    expect(page.locator("[data-testid=result-count]")).to_contain_text("1")
    assert str(seeded["hidden"]) not in page.content()
    assert_accessible(page, problems)
    screenshot(page, "journey-search")

    # the same search on the map: one bubble, then the finding, then its page
    with page.expect_navigation():
        page.locator("[data-testid=list-to-map]").click()
    expect(page.locator("[data-testid=findings-map]")).to_have_attribute(
        "data-districts-ready", "true"
    )
    bubble = page.locator(".map-bubble")
    expect(bubble).to_have_count(1)
    assert_accessible(page, problems)
    bubble.click()
    point = page.locator(f".map-point[aria-label^='{ref}']")
    expect(point).to_have_count(1)
    point.click()
    link = page.locator(".leaflet-popup a.map-popup-title")
    expect(link).to_have_text(TITLE)
    # a pan the popup caused has loaded and redrawn (the map is aria-busy until then)
    expect(page.locator(".findings-map")).not_to_have_attribute("aria-busy", "true")
    expect(link).to_have_text(TITLE)
    screenshot(page, "journey-map")
    with page.expect_navigation():
        link.click()
    assert page.url.endswith(f"/findings/{ref}")
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    assert_accessible(page, problems)
    screenshot(page, "journey-case")

    # to the statement that cites it; the draft that also cites it stays invisible
    citing = page.locator("[data-testid=citing] a")
    expect(citing).to_have_count(1)
    expect(citing).to_have_text("Saopštenje o pritisku na medije")
    with page.expect_navigation():
        citing.click()
    assert page.url.endswith(f"/publications/{seeded['statement']}")
    cited = page.locator("[data-testid=cited] .card")
    expect(cited).to_have_count(1)
    expect(cited).to_contain_text(ref)
    assert str(seeded["hidden"]) not in page.content()
    assert_accessible(page, problems)
    screenshot(page, "journey-statement")

    # and back to the case, by its link and by the browser's back button
    with page.expect_navigation():
        cited.locator("a").first.click()
    assert page.url.endswith(f"/findings/{ref}")
    page.go_back()
    assert page.url.endswith(f"/publications/{seeded['statement']}")
    page.go_back()
    assert page.url.endswith(f"/findings/{ref}")
    problems.check(page)

    page.goto("/statistics")
    expect(page.locator("svg.chart[role=img]").first).to_be_visible()
    assert_accessible(page, problems)
    page.goto("/publications/")
    assert_accessible(page, problems)
    page.goto("/actors/")
    assert_accessible(page, problems)
