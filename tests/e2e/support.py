"""Helpers for the browser tests: accounts, signing in, console and CSP checks, screenshots."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from playwright.sync_api import ConsoleMessage, Page

from tests.builders import DEFAULT_PASSWORD
from tracker.accounts.models import Role

SCREENSHOTS = Path(__file__).parent / "screenshots"
PHONE = {"width": 375, "height": 740}
# Records Content-Security-Policy violations; an init script is not itself subject to the CSP.
CSP_LISTENER = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__cspViolations.push(`${e.violatedDirective} blocked ${e.blockedURI || "inline"}`);
});
"""


@dataclass(frozen=True)
class Account:
    email: str
    name: str
    role: Role
    password: str = DEFAULT_PASSWORD


@dataclass
class Problems:
    """What the browser reported while a test ran: console errors, page errors, CSP."""

    console: list[str] = field(default_factory=list)

    def record(self, message: ConsoleMessage) -> None:
        if message.type == "error":
            self.console.append(f"{message.text} ({message.location.get('url', '')})")

    def check(self, page: Page, allow: tuple[str, ...] = ()) -> None:
        """Fail if the current page logged an error or violated the CSP; then start afresh.

        `allow`: substrings of errors a test expects (the page's own 4xx status, say).
        """
        csp = page.evaluate("window.__cspViolations || []")
        reported = [*self.console, *(f"CSP: {v}" for v in csp)]
        found = [p for p in reported if not any(a in p for a in allow)]
        self.console = []
        page.evaluate("window.__cspViolations = []")
        assert not found, f"the browser reported problems on {page.url}:\n" + "\n".join(found)


def sign_in(page: Page, account: Account) -> None:
    """Sign in through the real form, finding the fields by their labels (in any language)."""
    page.goto("/login")
    form = page.locator("main form")
    form.get_by_label(_label_text(page, "email"), exact=True).fill(account.email)
    form.get_by_label(_label_text(page, "password"), exact=True).fill(account.password)
    with page.expect_navigation():
        form.locator("button[type=submit]").click()
    errors = page.locator("main .error").all_inner_texts()
    assert urlsplit(page.url).path == "/", f"signing in as {account.email} failed: {errors}"


def _label_text(page: Page, field_id: str) -> str:
    """The visible text of the label for a form field (so the test needs no translations)."""
    return page.locator(f"label[for={field_id}]").inner_text().strip()


def screenshot(page: Page, name: str) -> Path:
    """Save a full-page screenshot to tests/e2e/screenshots/ (git-ignored) and return its path."""
    SCREENSHOTS.mkdir(exist_ok=True)
    path = SCREENSHOTS / f"{re.sub(r'[^A-Za-z0-9_.-]+', '-', name)}.png"
    page.screenshot(path=str(path), full_page=True)
    return path
