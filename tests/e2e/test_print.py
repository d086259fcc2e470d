"""Printing a case page and a report page: the content only, headed by the site and page.

Chromium renders each page for print (print media, and a real PDF through its print path);
what only makes sense on a screen (header, navigation, forms, the language switch) is gone,
the title and text remain, links to other sites print their address, and the print header
that names the network appears.
"""

from __future__ import annotations

from datetime import date

import pytest
from flask import Flask
from playwright.sync_api import Page, expect

from tests.builders import make_publication, make_published
from tests.e2e.support import SCREENSHOTS, screenshot
from tracker.extensions import db
from tracker.publications.models import PublicationKind

pytestmark = pytest.mark.e2e


@pytest.fixture
def seeded(live_app: Flask) -> dict[str, object]:
    with live_app.app_context():
        case = make_published(
            title="Pritisak na zaposlene u domu zdravlja",
            summary="Zaposlenima je rečeno da dovedu po deset birača.",
            category="pressure-employees-voters",
            occurred_on=date(2026, 3, 14),
        )
        report = make_publication(
            title="Izveštaj o pritiscima na zaposlene",
            kind=PublicationKind.REPORT,
            body="Pregled slučajeva. Izvor: [Agencija](https://example.org/izvor).",
            external_url="https://example.org/izvestaj",
            cites=(case,),
        )
        db.session.commit()
        return {"ref": case.reference, "report": report.id}


def printed(page: Page, path: str, name: str) -> bytes:
    """Open `path`, switch to print media, check what every printed page must show and hide,
    save a screenshot of the print layout, and return the PDF chromium prints."""
    page.goto(path + "?lang=sr-Latn")
    page.emulate_media(media="print")
    expect(page.locator("h1")).to_be_visible()
    for hidden in (".site-header", ".site-footer", "nav", "form", ".languages"):
        for element in page.locator(hidden).all():
            expect(element).to_be_hidden()
    expect(page.locator(".print-header")).to_be_visible()
    expect(page.locator(".print-header")).to_contain_text("Mreža za integritet")
    screenshot(page, f"print-{name}")
    pdf = page.pdf(format="A4")
    SCREENSHOTS.mkdir(exist_ok=True)
    (SCREENSHOTS / f"print-{name}.pdf").write_bytes(pdf)
    return pdf


def test_case_and_report_pages_print_their_content_only(
    page: Page, seeded: dict[str, object]
) -> None:
    pdf = printed(page, f"/findings/{seeded['ref']}", "case")
    expect(page.locator("main")).to_contain_text("dovedu po deset birača")
    assert pdf.startswith(b"%PDF")

    pdf = printed(page, f"/publications/{seeded['report']}", "report")
    expect(page.locator("main")).to_contain_text("Pregled slučajeva")
    expect(page.locator("main")).to_contain_text("Pritisak na zaposlene u domu zdravlja")
    # a link to another site prints its address after its text
    after = page.locator("a[href='https://example.org/izvor']").evaluate(
        "a => getComputedStyle(a, '::after').content"
    )
    assert "https://example.org/izvor" in after
    assert pdf.startswith(b"%PDF")
