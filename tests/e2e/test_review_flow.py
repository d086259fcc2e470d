"""Issue 4's browser test: from a member's submission to a published finding a visitor reads."""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask import Flask
from PIL import Image
from playwright.sync_api import Page

from tests.builders import make_case
from tests.e2e.support import Account, Problems, screenshot, sign_in
from tests.evidence_support import photo
from tracker.accounts.models import Role, User
from tracker.cases.categories import load_categories
from tracker.cases.models import Case, CaseStatus
from tracker.extensions import db

pytestmark = pytest.mark.e2e


@pytest.fixture
def live_app(make_app: Callable[..., Flask]) -> Flask:
    """As in production: CSRF on, and publication needs a second coordinator."""
    return make_app(WTF_CSRF_ENABLED=True, PUBLISH_NEEDS_SECOND_APPROVAL=True)


def test_submission_to_publication(
    live_app: Flask,
    new_page: Callable[..., Page],
    make_account: Callable[[Role], Account],
    problems: Problems,
    tmp_path: Path,
) -> None:
    member_account = make_account(Role.MEMBER)
    a_account, b_account = make_account(Role.COORDINATOR), make_account(Role.COORDINATOR)
    with live_app.app_context():
        load_categories()
        member = db.session.scalar(sa.select(User).where(User.email == member_account.email))
        case = make_case(member, title="Pritisak na birače", source_notes="IZVOR: Marko, vozač")
        reference = case.reference
        db.session.commit()
    picture = tmp_path / "skup.jpg"
    picture.write_bytes(photo())

    # The member adds a photo (allowed for public use) and submits.
    m = new_page()
    sign_in(m, member_account)
    m.goto(f"/cases/{reference}/evidence/add")
    m.locator("form[data-evidence-upload] input[type=file]").set_input_files(str(picture))
    m.locator("form[data-evidence-upload] input[name='file-public']").check()
    m.locator("form[data-evidence-upload] [type=submit]").click()
    m.wait_for_url(re.compile(r"/evidence/receipt"))
    m.goto(f"/cases/{reference}")
    m.locator(f"form[action='/cases/{reference}/submit'] button").click()
    m.wait_for_url(re.compile(rf"/cases/{reference}$"))

    # Coordinator A takes it and asks a question.
    a = new_page()
    sign_in(a, a_account)
    a.goto("/review/")
    a.locator(f"a[href='/review/{reference}']").click()
    a.locator(f"form[action='/review/{reference}/take'] button").click()
    a.fill("#text-ask", "Kog datuma je bio skup?")
    a.locator(f"form[action='/review/{reference}/ask'] button").click()
    a.wait_for_url(re.compile(rf"/review/{reference}$"))

    # The member sees the question and answers.
    m.goto(f"/cases/{reference}")
    assert "Kog datuma je bio skup?" in m.locator("main").inner_text()
    m.fill("#message", "Četrnaestog marta.")
    m.locator(f"form[action='/cases/{reference}/answer'] button").click()
    m.wait_for_url(re.compile(rf"/cases/{reference}$"))

    # A verifies with the checklist, fills the publication form and approves.
    a.goto(f"/review/{reference}")
    for name in ("sources", "evidence", "safety"):
        a.locator(f"form.verify input[name={name}]").check()
    a.locator("form.verify button[type=submit]").click()
    a.wait_for_url(re.compile(rf"/review/{reference}$"))
    screenshot(a, "review-case-verified")
    a.fill("form.publish textarea[name=summary]", "Mreža je utvrdila pritisak na birače.")
    a.locator("form.publish select[name=category]").select_option(index=2)
    a.locator("form.publish input[name=evidence]").first.check()
    a.locator("form.publish button[type=submit]").click()
    a.wait_for_url(re.compile(rf"/review/{reference}$"))
    with live_app.app_context():
        waiting = db.session.scalar(sa.select(Case).where(Case.reference == reference))
        assert waiting is not None and waiting.status is CaseStatus.VERIFIED
    problems.check(a)

    # Coordinator B approves: published.
    b = new_page()
    sign_in(b, b_account)
    b.goto(f"/review/{reference}")
    b.locator("form.publish button[type=submit]").click()
    b.wait_for_url(re.compile(rf"/review/{reference}$"))
    with live_app.app_context():
        published = db.session.scalar(sa.select(Case).where(Case.reference == reference))
        assert published is not None and published.status is CaseStatus.PUBLISHED
    problems.check(b)

    # A visitor reads the finding: summary and the photo, nothing confidential, no EXIF.
    visitor = new_page()
    visitor.goto(f"/findings/{reference}")
    text = visitor.locator("main").inner_text()
    assert "Mreža je utvrdila pritisak na birače." in text
    for private in ("IZVOR: Marko", member_account.name, member_account.email, "Četrnaestog"):
        assert private not in text
    screenshot(visitor, "public-finding")
    with visitor.expect_download() as download_info:
        visitor.locator("[data-testid=public-photo]").click()
    image = Image.open(io.BytesIO(Path(download_info.value.path()).read_bytes()))
    assert not image.getexif() and "exif" not in image.info and "comment" not in image.info
    problems.check(visitor)
