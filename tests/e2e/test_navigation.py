"""Signing in through the real form, and what each role sees in the navigation, per language."""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Page

from tests.e2e.support import Account, Problems, screenshot, sign_in
from tracker.accounts.models import Role

pytestmark = pytest.mark.e2e

# The data-nav items of nav#site-nav everyone sees, and those each role sees besides them
# (plus "Sign out" when signed in).
PUBLIC_NAV = {"findings", "actors", "map", "statistics", "publications"}
SIGNED_IN_NAV = {
    Role.MEMBER: {"my-cases", "new-case", "notifications", "account"},
    Role.COORDINATOR: {"my-cases", "new-case", "review", "notifications", "account"},
    Role.ADMIN: {
        "my-cases",
        "new-case",
        "review",
        "admin-users",
        "admin-invitations",
        "admin-audit",
        "admin-organisations",
        "notifications",
        "account",
    },
}
ENGLISH = {
    "findings": "Findings",
    "publications": "Statements and reports",
    "actors": "Actors",
    "map": "Map",
    "statistics": "Statistics",
    "my-cases": "My cases",
    "new-case": "New case",
    "review": "Review queue",
    "notifications": "Notifications",
    "account": "My account",
    "admin-users": "Users",
    "admin-invitations": "Invitations",
    "admin-audit": "Audit trail",
    "admin-organisations": "Organisations",
    "login": "Sign in",
}
LOGOUT_BUTTON = "nav#site-nav form[action='/logout'] button[type=submit]"


def nav_items(page: Page) -> dict[str, str]:
    """The navigation's data-nav items and their text, plus the sign-out button as "logout"."""
    items = {}
    for link in page.locator("nav#site-nav [data-nav]").all():
        items[link.get_attribute("data-nav") or ""] = link.inner_text().strip()
    buttons = page.locator(LOGOUT_BUTTON)
    assert buttons.count() <= 1
    if buttons.count():
        items["logout"] = buttons.inner_text().strip()
    return items


def html_lang(page: Page) -> str:
    return page.locator("html").get_attribute("lang") or ""


def switch_language(page: Page, tag: str) -> None:
    """Click a language in the switcher; the same page comes back in that language."""
    path = urlsplit(page.url).path
    with page.expect_navigation():
        page.locator(f"nav.languages a[hreflang='{tag}']").click()
    assert urlsplit(page.url).path == path
    assert html_lang(page) == tag


def assert_translated(serbian: dict[str, str], english: dict[str, str]) -> None:
    """Every navigation label reads differently in Serbian than in English."""
    same = {key: text for key, text in serbian.items() if english.get(key) == text}
    assert not same, (
        f"not translated to Serbian: {same} (are the catalogues compiled? `make translations`)"
    )


@pytest.mark.parametrize("role", [Role.MEMBER, Role.COORDINATOR, Role.ADMIN], ids=str)
def test_signed_in_navigation_per_role_and_language(
    page: Page, problems: Problems, make_account: Callable[[Role], Account], role: Role
) -> None:
    account = make_account(role)
    sign_in(page, account)

    assert html_lang(page) == "sr-Latn"
    serbian = nav_items(page)
    assert set(serbian) == PUBLIC_NAV | SIGNED_IN_NAV[role] | {"logout"}
    assert page.locator(".whoami").inner_text().count(account.name) == 1
    problems.check(page)
    screenshot(page, f"nav-{role}-sr-Latn")

    switch_language(page, "en")
    english = nav_items(page)
    shown = PUBLIC_NAV | SIGNED_IN_NAV[role]
    assert english == {key: ENGLISH[key] for key in shown} | {"logout": "Sign out"}
    assert_translated(serbian, english)
    problems.check(page)
    screenshot(page, f"nav-{role}-en")

    # The language sticks (a cookie) and signing out works with a real CSRF token.
    page.locator("nav#site-nav [data-nav='account']").click()
    page.wait_for_url("**/account/")
    assert html_lang(page) == "en"
    with page.expect_navigation():
        page.locator(LOGOUT_BUTTON).click()
    assert nav_items(page) == {key: ENGLISH[key] for key in PUBLIC_NAV | {"login"}}
    assert page.locator(".flash--success").inner_text() == "You are signed out."
    problems.check(page)


def test_visitor_navigation_in_each_language(page: Page, problems: Problems) -> None:
    page.goto("/")
    assert html_lang(page) == "sr-Latn"
    serbian = nav_items(page)
    assert set(serbian) == PUBLIC_NAV | {"login"}
    problems.check(page)
    screenshot(page, "nav-visitor-sr-Latn")

    switch_language(page, "en")
    english = nav_items(page)
    assert english == {key: ENGLISH[key] for key in PUBLIC_NAV | {"login"}}
    assert_translated(serbian, english)
    problems.check(page)
    screenshot(page, "nav-visitor-en")

    switch_language(page, "sr-Cyrl")
    cyrillic = nav_items(page)
    assert set(cyrillic) == PUBLIC_NAV | {"login"}
    assert cyrillic != serbian and cyrillic != english
    problems.check(page)


def test_unsupported_browser_language_gets_serbian_latin(
    new_page: Callable[..., Page], problems: Problems
) -> None:
    page = new_page(locale="de-DE")
    page.goto("/login")
    assert html_lang(page) == "sr-Latn"
    assert page.locator("nav.languages a[aria-current='true']").get_attribute("hreflang") == (
        "sr-Latn"
    )
    problems.check(page)
