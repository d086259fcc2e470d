"""Issue 3's browser test: a member documents a case with two files and a link, in chromium.

The member signs in, starts a case from the navigation with the municipality typed without
diacritics, saves the draft, uploads two files at once (one request per file, each with its
progress bar), checks the receipt's SHA-256 against the files' real hashes, adds a link,
reloads, submits; a second member then gets 404 for the case and for its evidence.
"""

from __future__ import annotations

import hashlib
import io
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from axe_playwright_python.sync_playwright import Axe
from flask import Flask
from PIL import Image
from playwright.sync_api import Locator, Page, Request, expect

from tests.e2e.support import Account, Problems, screenshot, sign_in
from tracker.accounts.models import Role
from tracker.cases.models import Case, CaseStatus
from tracker.extensions import db

pytestmark = pytest.mark.e2e

BLOCKING = {"serious", "critical"}
EDIT_URL = re.compile(r"/cases/(IN-\d{4}-\d+)/edit$")
LINK = "https://example.org/article"


def make_files(tmp_path: Path) -> dict[str, bytes]:
    """A small PDF and a PNG made with Pillow, written to tmp_path; name -> content."""
    pdf = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << >>\n%%EOF\n"
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), (200, 30, 30)).save(buffer, "PNG")
    contents = {"zapisnik.pdf": pdf, "fotografija.png": buffer.getvalue()}
    for name, data in contents.items():
        (tmp_path / name).write_bytes(data)
    return contents


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def assert_accessible(axe: Axe, page: Page) -> None:
    violations: list[dict[str, Any]] = axe.run(page).response["violations"]
    found = [
        f"{v['id']} ({v['impact']}): {[n['target'] for n in v['nodes']]}"
        for v in violations
        if v["impact"] in BLOCKING
    ]
    assert not found, f"axe on {page.url}:\n" + "\n".join(found)


def evidence_item(page: Page, text: str) -> Locator:
    """The case page's evidence entry that mentions `text` (a file name or an address)."""
    return page.locator("[data-testid=evidence-item]").filter(has_text=text)


def test_member_documents_a_case_with_files_and_a_link(
    live_app: Flask,
    new_page: Callable[..., Page],
    make_account: Callable[[Role], Account],
    problems: Problems,
    tmp_path: Path,
) -> None:
    axe = Axe()
    contents = make_files(tmp_path)
    page = new_page()
    sign_in(page, make_account(Role.MEMBER))

    # 1. The form, from the navigation; the municipality typed without diacritics.
    page.locator("nav#site-nav [data-nav=new-case]").click()
    page.wait_for_url(re.compile(r"/cases/new$"))
    page.locator("#title").fill("Pritisak na zaposlene u domu zdravlja")
    page.locator("#description").fill("Direktor je **sazvao** sastanak i pretio otkazima.")
    town = page.locator("#municipality")
    town.press_sequentially("cacak", delay=20)
    if page.locator("[role=listbox]").is_visible():  # an autocomplete may offer names
        town.press("Escape")
    page.locator("#when").fill("14.03.2026")
    with page.expect_navigation():
        page.locator("button[name=action][value=save]").click()
    match = EDIT_URL.search(page.url)
    assert match, f"saving the draft went to {page.url}"
    reference = match.group(1)
    expect(town).to_have_value("Čačak")
    expect(page.locator("#when")).to_have_value("14.03.2026")
    screenshot(page, "member-flow-1-form")
    problems.check(page)

    # 2. The case page, then "Add evidence": two files at once, one JSON request per file.
    page.locator(f"main a[href='/cases/{reference}']").click()
    page.wait_for_url(re.compile(rf"/cases/{reference}$"))
    draft_badge = page.locator("main > p.muted > .badge").inner_text()
    page.locator("[data-testid=add-evidence]").click()
    page.wait_for_url(re.compile(rf"/cases/{reference}/evidence/add$"))
    assert_accessible(axe, page)
    screenshot(page, "member-flow-2-add-evidence")
    uploads: list[Request] = []
    page.on(
        "request",
        lambda r: uploads.append(r) if r.method == "POST" and "/evidence/files" in r.url else None,
    )
    files_form = page.locator("form[data-evidence-upload]")
    files_form.locator("input[type=file]").set_input_files([tmp_path / n for n in contents])
    files_form.locator("[type=submit]").click()
    page.wait_for_url(re.compile(rf"/cases/{reference}/evidence/receipt\?items=\d+,\d+$"))
    assert len(uploads) == 2, "each file goes in its own request"
    for request in uploads:
        assert request.headers.get("accept") == "application/json"
        response = request.response()
        assert response is not None and response.status == 201, response
    rows = page.locator("[data-testid=receipt-item]")
    expect(rows).to_have_count(2)
    for name, data in contents.items():
        row = rows.filter(has=page.locator(".receipt-name", has_text=name))
        expect(row).to_have_count(1)
        expect(row.locator("code.hash").first).to_have_text(sha256(data))
    assert_accessible(axe, page)
    screenshot(page, "member-flow-3-receipt")
    problems.check(page)

    # ... and a link, through the link form.
    page.locator(f"main a[href='/cases/{reference}/evidence/add']").click()
    link_form = page.locator(f"form[action='/cases/{reference}/evidence/link']")
    link_form.locator("input[name='link-url']").fill(LINK)
    with page.expect_navigation():
        link_form.locator("[type=submit]").click()
    expect(page.locator("[data-testid=receipt-item] .receipt-name")).to_have_text(LINK)
    page.locator(f"main a[href='/cases/{reference}#evidence']").click()
    page.wait_for_url(re.compile(rf"/cases/{reference}#evidence$"))
    expect(evidence_item(page, LINK).locator("a.evidence-url")).to_have_attribute("href", LINK)
    problems.check(page)

    # 3. After a reload the files (with their hashes) and the link are all still there.
    page.reload()
    expect(page.locator("[data-testid=evidence-item]")).to_have_count(3)
    for name, data in contents.items():
        expect(evidence_item(page, name).locator("code.hash").first).to_have_text(sha256(data))
    expect(evidence_item(page, LINK)).to_have_count(1)
    expect(page.locator(".prose strong")).to_have_text("sazvao")
    assert_accessible(axe, page)
    screenshot(page, "member-flow-4-case-draft")
    # The author may download a file (the URL the second member will try).
    download = evidence_item(page, "zapisnik.pdf").locator("a[download]").first
    download_url = download.get_attribute("href")
    assert download_url and re.fullmatch(r"/evidence/\d+/download", download_url)
    answer = page.request.get(download_url)
    assert answer.status == 200 and sha256(answer.body()) == sha256(contents["zapisnik.pdf"])

    with page.expect_navigation():
        page.locator(f"form[action='/cases/{reference}/submit'] button[type=submit]").click()
    assert page.url.endswith(f"/cases/{reference}"), page.url
    badge = page.locator("main > p.muted > .badge")
    expect(badge).not_to_have_text(draft_badge)
    expect(page.locator(f"form[action='/cases/{reference}/submit']")).to_have_count(0)
    screenshot(page, "member-flow-5-case-submitted")
    problems.check(page)
    with live_app.app_context():
        case = db.session.scalar(sa.select(Case).where(Case.reference == reference))
        assert case is not None
        assert case.status is CaseStatus.SUBMITTED
        assert case.municipality is not None and case.municipality.name_latin == "Čačak"
        assert case.occurred_on is not None and case.occurred_on.isoformat() == "2026-03-14"

    # 4. A second member cannot open the case, nor download its evidence.
    stranger = new_page()
    sign_in(stranger, make_account(Role.MEMBER))
    for url in (f"/cases/{reference}", download_url):
        response = stranger.goto(url)
        assert response is not None and response.status == 404, (url, response)
    problems.check(stranger, allow=("404",))
