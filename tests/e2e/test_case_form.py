"""The case form with JavaScript (static/js/case-form.js), and still without it.

Autosave (the 15 s interval, fast-forwarded with Playwright's clock), the municipality
combobox fed by the script-blind lookup, the Markdown preview, duplicate hints, the map pin
on the district outlines (no tile server), axe with the listbox open, CSP and console clean.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
import sqlalchemy as sa
from axe_playwright_python.sync_playwright import Axe
from flask import Flask
from playwright.sync_api import Page, Request, expect

from tests.builders import make_case
from tests.e2e.support import PHONE, Account, Problems, screenshot, sign_in
from tracker.accounts.models import Role, User
from tracker.cases.categories import load_categories
from tracker.cases.models import Case
from tracker.extensions import db

pytestmark = pytest.mark.e2e

BLOCKING = {"serious", "critical"}
EDIT_URL = re.compile(r"/cases/(IN-\d{4}-\d{5})/edit$")
COORDINATE = re.compile(r"^-?\d{1,3}\.\d{5}$")
TITLE = "Direktor doma zdravlja smenjen bez konkursa"
HIDE_THE_TAB = """
Object.defineProperty(document, "visibilityState", {value: "hidden", configurable: true});
document.dispatchEvent(new Event("visibilitychange"));
"""


def blocking_violations(page: Page) -> list[str]:
    """axe's serious and critical violations on the page as it is now (listbox open or not)."""
    violations = Axe().run(page).response["violations"]
    return [
        f"{v['id']} ({v['impact']}): {[node['target'] for node in v['nodes']]}"
        for v in violations
        if v["impact"] in BLOCKING
    ]


@pytest.fixture
def member(live_app: Flask, make_account: Callable[[Role], Account]) -> Account:
    """A member, the default categories, and an earlier draft of theirs in Čačak."""
    account = make_account(Role.MEMBER)
    with live_app.app_context():
        load_categories()
        user = db.session.scalar(sa.select(User).where(User.email == account.email))
        make_case(reporter=user, title=TITLE)
        db.session.commit()
    return account


def stored_case(app: Flask, reference: str) -> dict[str, Any]:
    with app.app_context():
        case = db.session.scalar(sa.select(Case).where(Case.reference == reference))
        assert case is not None, reference
        return {
            "description": case.description,
            "municipality": case.municipality.name_latin if case.municipality else None,
            "lat": case.lat,
            "lon": case.lon,
            "reporter": case.reporter.email,
        }


def test_case_form_enhanced(
    live_app: Flask, new_page: Callable[..., Page], member: Account, problems: Problems
) -> None:
    page = new_page()
    page.clock.install()  # time flows as usual; fast_forward skips to the next autosave
    sign_in(page, member)
    page.goto("/cases/new")
    form = page.locator("form.case-form")
    earlier = form.get_attribute("data-autosave")
    assert earlier == "/cases/autosave"

    page.locator("#title").fill(f"{TITLE} u Čačku")
    page.locator("#description").fill("Direktor je **bold** smenjen.\n\n- prvo\n- drugo")
    page.locator("#when").fill("14.03.2026")

    # The municipality: an ARIA combobox instead of the datalist.
    town = page.locator("#municipality")
    assert town.get_attribute("list") is None
    expect(town).to_have_attribute("role", "combobox")
    expect(town).to_have_attribute("aria-expanded", "false")
    town.press_sequentially("cacak", delay=20)
    listbox = page.get_by_role("listbox")
    cacak = listbox.get_by_role("option", name=re.compile(r"^Čačak\b"))
    expect(cacak).to_be_visible()
    expect(town).to_have_attribute("aria-expanded", "true")
    expect(town).to_have_attribute("aria-controls", "municipality-listbox")
    town.press("ArrowDown")
    first = listbox.get_by_role("option").first
    expect(first).to_have_attribute("aria-selected", "true")
    expect(town).to_have_attribute("aria-activedescendant", first.get_attribute("id") or "")
    found = blocking_violations(page)
    assert not found, "axe with the listbox open:\n" + "\n".join(found)
    screenshot(page, "case-form-listbox")
    cacak.click()
    expect(town).to_have_value("Čačak")
    expect(listbox).to_be_hidden()
    expect(town).to_have_attribute("aria-expanded", "false")

    # Cyrillic finds it too; Escape closes, Enter picks.
    town.fill("")
    town.press_sequentially("Чачак", delay=20)
    expect(cacak).to_be_visible()
    town.press("Escape")
    expect(listbox).to_be_hidden()
    town.press("ArrowDown")
    expect(listbox).to_be_visible()
    town.press("Enter")
    expect(town).to_have_value("Čačak")
    assert page.url.endswith("/cases/new"), "Enter in the list must not send the form"

    # Leaving the field shows the member's earlier case as a likely duplicate.
    page.locator("#place").focus()
    hints = page.locator("aside.js-similar")
    expect(hints).to_be_visible()
    expect(hints.get_by_role("link")).to_have_count(1)
    expect(hints.get_by_role("link")).to_contain_text(TITLE)

    # The map: district outlines, no tiles; a click sets the point.
    holder = page.locator(".map-picker")
    expect(holder).to_be_visible()
    expect(holder.locator(".leaflet-overlay-pane path").first).to_be_attached()
    assert holder.locator(".leaflet-tile").count() == 0
    box = holder.bounding_box()
    assert box is not None and box["height"] > 200
    holder.click(position={"x": box["width"] * 0.45, "y": box["height"] * 0.5})
    lat, lon = page.locator("#lat"), page.locator("#lon")
    expect(lat).to_have_value(COORDINATE)
    expect(lon).to_have_value(COORDINATE)
    assert 41 < float(lat.input_value()) < 47 and 18 < float(lon.input_value()) < 24
    marker = holder.locator(".leaflet-marker-icon")
    expect(marker).to_be_visible()
    # Typing coordinates moves the pin.
    before = marker.bounding_box()
    lat.fill("44.50000")
    after = marker.bounding_box()
    assert before and after and after["y"] < before["y"], "a pin farther north sits higher"
    point = (lat.input_value(), lon.input_value())

    # The preview: sanitised HTML from the server, shown on demand.
    toggle = page.locator(".js-preview-toggle")
    expect(toggle).to_be_visible()
    toggle.click()
    expect(toggle).to_have_attribute("aria-expanded", "true")
    expect(page.locator(".js-preview strong")).to_have_text("bold")
    expect(page.locator(".js-preview li")).to_have_count(2)

    # Autosave: after 15 s the draft exists and the page edits it.
    page.clock.fast_forward(16_000)
    page.wait_for_url(EDIT_URL)
    match = EDIT_URL.search(page.url)
    assert match
    reference = match.group(1)
    expect(page.locator(".autosave-status")).to_have_text(re.compile(r"\d\d:\d\d$"))
    assert form.get_attribute("action") == f"/cases/{reference}/edit"
    assert form.get_attribute("data-autosave") == f"/cases/{reference}/autosave"
    version = page.locator("input[name=version]").input_value()
    assert version.isdigit()
    stored = stored_case(live_app, reference)
    assert stored["reporter"] == member.email
    assert "**bold**" in stored["description"]
    assert stored["municipality"] == "Čačak"
    assert (f"{stored['lat']:.5f}", f"{stored['lon']:.5f}") == point

    # The new draft is never offered as its own duplicate.
    page.locator("#title").fill(f"{TITLE} u Čačku, drugi put")
    page.locator("#place").focus()
    expect(hints.get_by_role("link")).to_have_count(1)
    expect(hints.get_by_role("link")).not_to_contain_text(reference)

    # A second change is saved to the same draft, with the next version.
    page.locator("#place").fill("Dom zdravlja")
    page.clock.fast_forward(16_000)
    expect(page.locator("input[name=version]")).not_to_have_value(version)
    page.locator("#description").focus()
    screenshot(page, "case-form-enhanced")
    found = blocking_violations(page)
    assert not found, "axe on the form:\n" + "\n".join(found)
    problems.check(page)

    # Reload: the text, the municipality and the point are still there.
    page.reload()
    expect(page.locator("#description")).to_have_value(re.compile(r"\*\*bold\*\*"))
    expect(town).to_have_value("Čačak")
    expect(page.locator("#place")).to_have_value("Dom zdravlja")
    assert (float(lat.input_value()), float(lon.input_value())) == tuple(map(float, point))
    expect(marker).to_be_visible()
    problems.check(page)

    # At phone width nothing scrolls sideways.
    page.set_viewport_size(PHONE)
    page.reload()
    expect(page.locator(".map-picker .leaflet-marker-icon")).to_be_visible()
    assert not page.evaluate("document.scrollingElement.scrollWidth > window.innerWidth")
    screenshot(page, "case-form-phone")
    problems.check(page)


def test_autosave_stops_on_a_conflict_and_keeps_the_text(
    live_app: Flask, new_page: Callable[..., Page], member: Account, problems: Problems
) -> None:
    page = new_page()
    sign_in(page, member)
    page.goto("/cases/new")
    page.locator("#title").fill("Prvi prozor")
    page.locator("#description").fill("Tekst iz prvog prozora")
    # Hiding the tab (switching away, closing it) saves at once.
    page.evaluate(HIDE_THE_TAB)
    page.wait_for_url(EDIT_URL)
    page.evaluate("delete document.visibilityState")

    # The same member saves the case from another window: this one is now out of date.
    other = new_page()
    sign_in(other, member)
    other.goto(page.url)
    other.locator("#title").fill("Drugi prozor")
    with other.expect_navigation():
        other.locator("button[name=action][value=save]").click()

    saves: list[Request] = []
    page.on("request", lambda r: saves.append(r) if r.url.endswith("/autosave") else None)
    page.locator("#description").fill("Tekst iz prvog prozora, dopunjen")
    page.evaluate("document.querySelector('form.case-form').saveNow()")
    status = page.locator(".autosave-status")
    expect(status).to_have_class(re.compile(r"autosave-status--problem"))
    expect(status).not_to_be_empty()
    expect(page.locator("#description")).to_have_value("Tekst iz prvog prozora, dopunjen")
    # Stopped: later changes are not sent.
    page.locator("#description").fill("Još teksta")
    page.evaluate("document.querySelector('form.case-form').saveNow()")
    page.wait_for_timeout(300)
    assert len(saves) == 1
    expect(page.locator("#description")).to_have_value("Još teksta")
    problems.check(page, allow=("409",))


def test_case_form_without_javascript(
    new_page: Callable[..., Page], member: Account, problems: Problems
) -> None:
    """The plain form: the datalist picker, no map, no script-only buttons."""
    page = new_page(java_script_enabled=False)
    sign_in(page, member)
    page.goto("/cases/new")
    assert page.locator("#municipality").get_attribute("list") == "municipality-options"
    expect(page.locator(".map-picker")).to_be_hidden()
    expect(page.locator(".js-preview-toggle")).to_be_hidden()
    expect(page.locator(".js-locate")).to_be_hidden()
    page.locator("#title").fill("Bez skripte")
    page.locator("#municipality").fill("cacak")
    with page.expect_navigation():
        page.locator("button[name=action][value=save]").click()
    assert EDIT_URL.search(page.url)
    expect(page.locator("#municipality")).to_have_value("Čačak")
    problems.check(page)


def test_use_my_position(
    new_page: Callable[..., Page], member: Account, problems: Problems
) -> None:
    """The browser's position fills the point; a refusal says so and changes nothing."""
    page = new_page(geolocation={"latitude": 43.8914, "longitude": 20.3497})
    sign_in(page, member)
    page.goto("/cases/new")
    locate = page.locator(".js-locate")
    locate.click()  # no permission yet: the browser refuses
    expect(page.locator(".js-locate-status")).not_to_be_empty()
    expect(page.locator("#lat")).to_have_value("")

    page.context.grant_permissions(["geolocation"])
    locate.click()
    expect(page.locator("#lat")).to_have_value("43.89140")
    expect(page.locator("#lon")).to_have_value("20.34970")
    expect(page.locator(".map-picker .leaflet-marker-icon")).to_be_visible()
    problems.check(page)
