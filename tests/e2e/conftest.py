"""Browser fixtures: a live server with real CSRF, Debian's chromium through Playwright.

The browser is Debian's `chromium` (never a Playwright download). When it is missing the
browser tests fail, so a machine that cannot run them never reports a green suite.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from playwright.sync_api import Browser, Page, Playwright, sync_playwright
from werkzeug.serving import make_server

from tests.builders import make_user
from tests.e2e.support import CSP_LISTENER, Account, Problems
from tracker.accounts.models import Role
from tracker.extensions import db

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-background-networking",
    "--disable-gpu",
    "--disable-component-update",
    "--no-first-run",
]


@pytest.fixture
def live_app(make_app: Callable[..., Flask]) -> Flask:
    """The application the live server serves, with CSRF on as in production."""
    return make_app(WTF_CSRF_ENABLED=True)


@pytest.fixture
def live_server(live_app: Flask) -> Iterator[str]:
    """Serve `live_app` on a free local port in a daemon thread; yields the base URL."""
    server = make_server("127.0.0.1", 0, live_app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="live-server", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


@pytest.fixture(scope="session")
def playwright() -> Iterator[Playwright]:
    with sync_playwright() as pw:
        yield pw


@pytest.fixture(scope="session")
def browser(playwright: Playwright) -> Iterator[Browser]:
    """Debian's chromium, headless; a missing binary fails the run instead of skipping it."""
    if not CHROMIUM.exists():
        pytest.fail(
            f"{CHROMIUM} not found: browser tests need Debian's chromium "
            "(run `apt-get install chromium`); they are never skipped.",
            pytrace=False,
        )
    browser = playwright.chromium.launch(
        executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
    )
    yield browser
    browser.close()


@pytest.fixture
def problems() -> Problems:
    return Problems()


@pytest.fixture
def new_page(
    browser: Browser, live_server: str, problems: Problems
) -> Iterator[Callable[..., Page]]:
    """Open pages in fresh browser contexts (own cookies) on the live server; all closed after."""
    contexts = []

    def open_page(**options: Any) -> Page:
        # A Serbian browser by default; tests switch language through the site itself.
        options = {"locale": "sr-RS", "base_url": live_server, **options}
        context = browser.new_context(**options)
        contexts.append(context)
        context.set_default_timeout(10_000)
        context.add_init_script(CSP_LISTENER)
        page = context.new_page()
        page.on("console", problems.record)
        page.on("pageerror", lambda error: problems.console.append(f"page error: {error}"))
        return page

    yield open_page
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_page: Callable[..., Page]) -> Page:
    """A page in a fresh context for this test (desktop size)."""
    return new_page()


@pytest.fixture
def make_account(live_app: Flask) -> Callable[[Role], Account]:
    """Create an active account of a role in the live server's database (committed)."""

    def make(role: Role) -> Account:
        with live_app.app_context():
            user = make_user(role)
            account = Account(user.email, user.name, role)
            db.session.commit()
        return account

    return make
