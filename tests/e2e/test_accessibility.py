"""axe on the main pages, and the layout at phone width; no console errors or CSP violations."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from flask import Flask
from playwright.sync_api import Page, expect

from tests.e2e.support import PHONE, Account, Problems, screenshot, sign_in
from tracker.accounts.models import Role
from tracker.demo import load_demo
from tracker.extensions import db

pytestmark = pytest.mark.e2e

BLOCKING = {"serious", "critical"}
MUNICIPALITY = "/municipalities/71242"  # Čačak
PUBLIC_PAGES = ["/", "/login", "/municipalities/", MUNICIPALITY]
ADMIN_PAGES = ["/account/", "/admin/users", "/admin/invitations"]


@pytest.fixture(scope="module")
def axe() -> Axe:
    return Axe()


@pytest.fixture
def demo(live_app: Flask) -> None:
    """The demo accounts and cases, so pages show real content (published cases, users)."""
    with live_app.app_context():
        load_demo()
        db.session.commit()


def blocking_violations(axe: Axe, page: Page) -> list[dict[str, Any]]:
    """axe's serious and critical violations on the current page."""
    violations = axe.run(page).response["violations"]
    return [v for v in violations if v["impact"] in BLOCKING]


def describe(violations: list[dict[str, Any]]) -> str:
    lines = []
    for v in violations:
        lines.append(f"{v['id']} ({v['impact']}): {v['help']}")
        lines.extend(f"    {node['target']}: {node['html'][:160]}" for node in v["nodes"])
    return "\n".join(lines)


def assert_accessible(
    axe: Axe, page: Page, problems: Problems, allow: tuple[str, ...] = ()
) -> None:
    assert page.locator("html").get_attribute("lang")
    found = blocking_violations(axe, page)
    assert not found, f"axe on {page.url}:\n{describe(found)}"
    problems.check(page, allow)


def open_ok(page: Page, path: str) -> None:
    response = page.goto(path)
    assert response is not None and response.status == 200, f"{path}: {response}"


@pytest.mark.usefixtures("demo")
@pytest.mark.parametrize("path", PUBLIC_PAGES)
def test_public_page_passes_axe(page: Page, problems: Problems, axe: Axe, path: str) -> None:
    open_ok(page, path)
    assert_accessible(axe, page, problems)


@pytest.mark.usefixtures("demo")
def test_signed_in_pages_pass_axe(
    page: Page, problems: Problems, axe: Axe, make_account: Callable[[Role], Account]
) -> None:
    sign_in(page, make_account(Role.ADMIN))
    for path in ADMIN_PAGES:
        open_ok(page, path)
        assert_accessible(axe, page, problems)


def has_horizontal_overflow(page: Page) -> bool:
    return page.evaluate("document.scrollingElement.scrollWidth > window.innerWidth")


@pytest.mark.usefixtures("demo")
def test_phone_width_layout_and_menu(
    new_page: Callable[..., Page],
    problems: Problems,
    axe: Axe,
    make_account: Callable[[Role], Account],
) -> None:
    page = new_page(viewport=PHONE)
    for path in PUBLIC_PAGES:
        open_ok(page, path)
        assert not has_horizontal_overflow(page), f"{path} scrolls sideways at phone width"
        problems.check(page)

    sign_in(page, make_account(Role.ADMIN))
    for path in ADMIN_PAGES:
        open_ok(page, path)
        assert not has_horizontal_overflow(page), f"{path} scrolls sideways at phone width"
        problems.check(page)

    # Below 40rem the script shows a menu button; the navigation starts closed.
    open_ok(page, "/")
    toggle, nav = page.locator("button.nav-toggle"), page.locator("nav#site-nav")
    account = nav.locator("[data-nav='account']")
    expect(toggle).to_be_visible()
    expect(toggle).to_have_attribute("aria-expanded", "false")
    expect(nav).to_be_hidden()
    assert_accessible(axe, page, problems)
    screenshot(page, "phone-menu-closed")

    toggle.click()
    expect(toggle).to_have_attribute("aria-expanded", "true")
    expect(account).to_be_visible()
    expect(nav.locator("[data-nav='admin-users']")).to_be_visible()
    assert not has_horizontal_overflow(page)
    assert_accessible(axe, page, problems)
    screenshot(page, "phone-menu-open")

    toggle.click()
    expect(toggle).to_have_attribute("aria-expanded", "false")
    expect(nav).to_be_hidden()

    # Wider than 40rem the button goes away and the navigation shows, whatever its state.
    page.set_viewport_size({"width": 1024, "height": 740})
    expect(toggle).to_be_hidden()
    expect(account).to_be_visible()
    problems.check(page)


def test_failed_sign_in_passes_axe(
    page: Page, problems: Problems, axe: Axe, make_account: Callable[[Role], Account]
) -> None:
    """The error state: messages tied to their fields, still no serious violations."""
    account = make_account(Role.MEMBER)
    open_ok(page, "/login")
    page.locator("#email").fill(account.email)
    page.locator("#password").fill("not the password")
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()
    password = page.locator("#password")
    expect(password).to_have_attribute("aria-invalid", "true")
    expect(password).to_have_attribute("aria-describedby", "password-error")
    expect(page.locator("#password-error")).to_be_visible()
    assert_accessible(axe, page, problems, allow=("status of 401",))
