"""Issue 3's browser test: a member documents a case with evidence, in Debian chromium."""

from __future__ import annotations

import hashlib
import io
import re
from collections.abc import Callable
from pathlib import Path

import pytest
import sqlalchemy as sa
from axe_playwright_python.sync_playwright import Axe
from flask import Flask
from PIL import Image
from playwright.sync_api import Page, expect

from tests.e2e.support import Account, Problems, screenshot, sign_in
from tracker.accounts.models import Role
from tracker.cases.models import Case, CaseStatus
from tracker.evidence.models import Evidence
from tracker.extensions import db

pytestmark = pytest.mark.e2e
SERIOUS = {"serious", "critical"}


def files(tmp_path: Path) -> tuple[Path, Path]:
    pdf = tmp_path / "zapisnik.pdf"
    pdf.write_bytes(b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << >>\n%%EOF\n")
    png = tmp_path / "fotografija.png"
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), (200, 30, 30)).save(buffer, "PNG")
    png.write_bytes(buffer.getvalue())
    return pdf, png


def no_serious_violations(page: Page) -> None:
    results = Axe().run(page)
    serious = [v for v in results.response["violations"] if v.get("impact") in SERIOUS]
    assert not serious, [(v["id"], [n["target"] for n in v["nodes"]]) for v in serious]


def test_member_documents_a_case_with_evidence(
    live_app: Flask,
    new_page: Callable[..., Page],
    make_account: Callable[[Role], Account],
    problems: Problems,
    tmp_path: Path,
) -> None:
    member = make_account(Role.MEMBER)
    page = new_page()
    sign_in(page, member)

    # The form: municipality typed without diacritics, saved as a draft.
    page.locator("nav#site-nav [data-nav=new-case]").click()
    page.fill("input[name=title]", "Pritisak na zaposlene u domu zdravlja")
    page.fill("textarea[name=description]", "Direktor je **sazvao** sastanak.")
    page.fill("input[name=when]", "14.03.2026")
    page.fill("input[name=municipality]", "cacak")
    expect(page.locator("#municipality-listbox li").first).to_contain_text("Čačak")
    page.keyboard.press("Escape")
    page.locator("button[name=action][value=save]").click()
    page.wait_for_url(re.compile(r"/cases/IN-\d{4}-\d{5}/edit$"))
    expect(page.locator("input[name=municipality]")).to_have_value("Čačak")
    reference = page.url.rsplit("/", 2)[-2]
    screenshot(page, "case-form")
    problems.check(page)

    # Two files at once with per-file progress, then the receipt with their real SHA-256.
    page.goto(f"/cases/{reference}")
    no_serious_violations(page)
    page.goto(f"/cases/{reference}/evidence/add")
    no_serious_violations(page)
    pdf, png = files(tmp_path)
    page.locator("form[data-evidence-upload] input[type=file]").set_input_files(
        [str(pdf), str(png)]
    )
    page.locator("form[data-evidence-upload] [type=submit]").click()
    page.wait_for_url(re.compile(r"/evidence/receipt\?items="))
    receipt = page.locator("main").inner_text()
    for path in (pdf, png):
        assert path.name in receipt
        assert hashlib.sha256(path.read_bytes()).hexdigest() in receipt
    no_serious_violations(page)
    screenshot(page, "receipt")
    problems.check(page)

    # A link, then everything is still there after a reload.
    page.goto(f"/cases/{reference}/evidence/add")
    page.fill("input[name='link-url']", "https://example.org/article")
    page.locator("form[action$='/evidence/link'] [type=submit]").click()
    page.goto(f"/cases/{reference}")
    page.reload()
    text = page.locator("main").inner_text()
    assert "https://example.org/article" in text
    assert hashlib.sha256(pdf.read_bytes()).hexdigest() in text
    assert "sazvao" in text

    # Submit for review.
    page.locator(f"form[action='/cases/{reference}/submit'] button").click()
    page.wait_for_url(re.compile(rf"/cases/{reference}$"))
    screenshot(page, "case-submitted")
    problems.check(page)
    with live_app.app_context():
        case = db.session.scalar(sa.select(Case).where(Case.reference == reference))
        assert case is not None and case.status is CaseStatus.SUBMITTED
        assert case.municipality is not None and case.municipality.name_latin == "Čačak"
        evidence_id = db.session.scalars(
            sa.select(Evidence.id).where(Evidence.case_id == case.id, Evidence.sha256.isnot(None))
        ).first()

    # Another member cannot open it, nor its evidence.
    stranger = new_page()
    sign_in(stranger, make_account(Role.MEMBER))
    assert stranger.goto(f"/cases/{reference}").status == 404
    assert stranger.goto(f"/evidence/{evidence_id}/download").status == 404
    problems.check(stranger, allow=("404",))


def test_autosave_keeps_the_text_when_the_tab_is_closed(
    new_page: Callable[..., Page], make_account: Callable[[Role], Account], problems: Problems
) -> None:
    member = make_account(Role.MEMBER)
    page = new_page()
    sign_in(page, member)
    page.goto("/cases/new")
    page.fill("input[name=title]", "Tekst koji ne sme da se izgubi")
    page.fill("textarea[name=description]", "Pola rečenice")
    # Leaving the tab hidden saves at once (the interval would too, after 15 s).
    page.evaluate("document.querySelector('form.case-form').saveNow()")
    page.wait_for_url(re.compile(r"/cases/IN-\d{4}-\d{5}/edit$"))
    edit_url = page.url
    page.context.close()
    again = new_page()
    sign_in(again, member)
    again.goto(edit_url)
    expect(again.locator("textarea[name=description]")).to_have_value("Pola rečenice")
    # The preview shows sanitised Markdown.
    again.fill("textarea[name=description]", "**podebljano** <script>x()</script>")
    again.locator(".js-preview-toggle").click()
    expect(again.locator(".js-preview strong")).to_have_text("podebljano")
    assert again.locator(".js-preview script").count() == 0
    # The map places a point and fills the fields.
    again.locator(".map-picker").click(position={"x": 200, "y": 150})
    assert again.locator("input[name=lat]").input_value() != ""
    problems.check(again)
