"""What visitors see of publications: published ones only, public cases only, figures, feeds."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from datetime import date

from flask import Flask
from flask.testing import FlaskClient

from tests.builders import make_organisation, make_publication, make_user
from tests.integration.publications_support import SECRET, published_case, reviewed_case
from tracker.accounts.models import Role
from tracker.cases.lifecycle import apply
from tracker.extensions import db
from tracker.public import index
from tracker.publications import services
from tracker.publications.models import PublicationKind, PublicationStatus
from tracker.workflow import Action

ATOM = {"a": "http://www.w3.org/2005/Atom"}


def test_list_shows_published_only_newest_first_by_kind(app: Flask, client: FlaskClient) -> None:
    make_publication(
        title="Older appeal", kind=PublicationKind.APPEAL, published_on=date(2026, 1, 5)
    )
    make_publication(
        title="Newer report", kind=PublicationKind.REPORT, published_on=date(2026, 2, 5)
    )
    make_publication(title="Draft statement", status=PublicationStatus.DRAFT)
    db.session.commit()
    page = client.get("/publications/?lang=en").text
    assert page.index("Newer report") < page.index("Older appeal")
    assert "Draft statement" not in page
    reports = client.get("/publications/?kind=report").text
    assert "Newer report" in reports and "Older appeal" not in reports
    anything = client.get("/publications/?kind=nonsense")
    assert anything.status_code == 200 and "Older appeal" in anything.text


def test_list_is_paginated(app: Flask, client: FlaskClient) -> None:
    coordinator = make_user(Role.COORDINATOR)
    for n in range(23):
        make_publication(coordinator, title=f"Statement number {n:02d}")
    db.session.commit()
    first = client.get("/publications/?lang=en").text
    second = client.get("/publications/?lang=en&page=2").text
    assert "Statement number 22" in first and "Statement number 02" not in first
    assert "Statement number 02" in second and "Page 2 of 2" in second


def test_drafts_are_404_for_visitors(app: Flask, client: FlaskClient) -> None:
    draft = make_publication(title="Not yet", status=PublicationStatus.DRAFT)
    db.session.commit()
    assert client.get(f"/publications/{draft.id}").status_code == 404
    assert client.get("/publications/999999").status_code == 404
    assert "Not yet" not in client.get("/feeds/publications.atom").text
    assert "Not yet" not in client.get("/data/publications.json").get_data(as_text=True)


def public_responses(client: FlaskClient, publication_id: int, references: list[str]) -> str:
    """Every public response that could mention a publication or the cases it cites."""
    paths = [
        "/publications/",
        f"/publications/{publication_id}",
        "/feeds/publications.atom",
        "/data/publications.json",
        *(f"/findings/{r}" for r in references),
    ]
    texts = []
    for path in paths:
        response = client.get(path)
        assert response.status_code == 200, path
        texts.append(response.get_data(as_text=True))
    return "\n".join(texts)


def test_a_link_to_an_unpublished_case_reveals_nothing(app: Flask, client: FlaskClient) -> None:
    coordinator = make_user(Role.COORDINATOR)
    shown = published_case("Published and cited")
    hidden = reviewed_case(
        coordinator, title=f"Title {SECRET}", description=f"What happened {SECRET}"
    )
    publication = make_publication(coordinator, title="The statement")
    services.link_case(publication, shown, "Public note", coordinator)
    services.link_case(publication, hidden, f"Note {SECRET}", coordinator)
    db.session.commit()
    everything = public_responses(client, publication.id, [shown.reference])
    assert "Published and cited" in everything and "Public note" in everything
    assert SECRET not in everything
    assert hidden.reference not in everything
    data = json.loads(client.get("/data/publications.json").get_data(as_text=True))
    [row] = data["publications"]
    assert [c["reference"] for c in row["cases"]] == [shown.reference]  # no count of the others
    assert client.get(f"/findings/{hidden.reference}").status_code == 404


def test_linking_an_unpublished_case_changes_nothing_public(app: Flask) -> None:
    coordinator = make_user(Role.COORDINATOR)
    publication = make_publication(coordinator)
    hidden = reviewed_case(coordinator)
    db.session.commit()
    before = index.state()[0]
    services.link_case(publication, hidden, "note", coordinator)
    db.session.commit()
    assert index.state()[0] == before  # not even the version moves
    shown = published_case()
    db.session.commit()
    between = index.state()[0]
    services.link_case(publication, shown, "note", coordinator)
    db.session.commit()
    assert index.state()[0] > between


def test_retracted_cases_show_as_retracted_and_unpublished_publications_nowhere(
    app: Flask, client: FlaskClient
) -> None:
    coordinator = make_user(Role.COORDINATOR)
    case = published_case("Later retracted")
    publication = make_publication(coordinator, cites=(case,), title="Citing statement")
    apply(case, coordinator, Action.RETRACT, reason="We were wrong.")
    db.session.commit()
    page = client.get(f"/publications/{publication.id}?lang=en").text
    assert "Later retracted" in page and "Retracted" in page
    assert f"/findings/{case.reference}" in page
    publication.status = PublicationStatus.DRAFT
    db.session.commit()
    assert "Citing statement" not in client.get(f"/findings/{case.reference}").text


def test_a_report_shows_figures_of_its_published_cases(app: Flask, client: FlaskClient) -> None:
    coordinator = make_user(Role.COORDINATOR)
    cases = (
        published_case("A", "police-abuse", "71242", date(2026, 1, 10)),  # Čačak
        published_case("B", "police-abuse", "71242", date(2026, 1, 20)),
        published_case("C", "public-procurement", "70092", date(2026, 3, 1)),
    )
    hidden = reviewed_case(coordinator, title=f"Hidden {SECRET}")
    report = make_publication(coordinator, cites=(*cases, hidden), kind=PublicationKind.REPORT)
    statement = make_publication(coordinator, cites=cases, kind=PublicationKind.STATEMENT)
    db.session.commit()
    page = client.get(f"/publications/{report.id}?lang=en").text
    assert "Figures for the 3 published cases cited here." in page
    by_category = page.split('data-testid="figures-category"')[1].split("</table>")[0]
    assert "<td>2</td>" in by_category and "<td>1</td>" in by_category
    by_month = page.split('data-testid="figures-month"')[1].split("</table>")[0]
    assert by_month.index("January 2026") < by_month.index("March 2026")
    assert "Čačak" in page.split('data-testid="figures-municipality"')[1].split("</table>")[0]
    assert SECRET not in page
    assert 'data-testid="figures"' not in client.get(f"/publications/{statement.id}").text


def test_feed_and_open_data(app: Flask, client: FlaskClient) -> None:
    coordinator = make_user(Role.COORDINATOR)
    case = published_case("Cited in the feed")
    organisation = make_organisation("Signing organisation")
    publication = make_publication(
        coordinator,
        cites=(case,),
        title="<b>Bold</b> & statement",
        body="Text with **emphasis**",
        signatory_ids=[organisation.id],
        external_url="https://example.org/statement",
        published_on=date(2026, 4, 1),
    )
    db.session.commit()
    feed = client.get("/feeds/publications.atom")
    assert feed.mimetype == "application/atom+xml"
    root = ET.fromstring(feed.data)
    [entry] = root.findall("a:entry", ATOM)
    assert entry.findtext("a:title", namespaces=ATOM) == "<b>Bold</b> & statement"
    assert "<strong>emphasis</strong>" in (entry.findtext("a:content", namespaces=ATOM) or "")
    assert entry.find("a:author/a:name", ATOM).text == "Signing organisation"

    response = client.get("/data/publications.json")
    assert response.is_streamed and response.headers["X-Licence"] == "CC BY 4.0"
    data = json.loads(response.get_data(as_text=True))
    assert data["licence"] == app.config["DATA_LICENCE"]
    [row] = data["publications"]
    assert row["kind"] == "statement" and row["date"] == "2026-04-01"
    assert row["body"] == "Text with **emphasis**"
    assert row["url"].endswith(f"/publications/{publication.id}")
    assert row["signatories"][0]["name"] == "Signing organisation"
    assert row["cases"] == [
        {
            "reference": case.reference,
            "status": "published",
            "note": f"Note on {case.reference}",
            "url": f"http://localhost/findings/{case.reference}",
        }
    ]
    assert SECRET not in json.dumps(data)


def test_public_answers_are_conditional(app: Flask, client: FlaskClient) -> None:
    coordinator = make_user(Role.COORDINATOR)
    publication = make_publication(coordinator, title="Cached statement")
    db.session.commit()
    for path in ("/data/publications.json", "/feeds/publications.atom", "/publications/",
                 f"/publications/{publication.id}"):  # fmt: skip
        first = client.get(path)
        tag = first.headers["ETag"]
        assert first.headers["Last-Modified"] and "public" in first.headers["Cache-Control"]
        first.close()
        again = client.get(path, headers={"If-None-Match": tag})
        assert again.status_code == 304 and again.data == b"", path
    tag = client.get("/data/publications.json").headers["ETag"]
    services.update_publication(
        publication,
        services.PublicationInput(
            PublicationKind.STATEMENT, "Changed", status=PublicationStatus.PUBLISHED
        ),
        coordinator,
    )
    db.session.commit()
    changed = client.get("/data/publications.json", headers={"If-None-Match": tag})
    assert changed.status_code == 200 and "Changed" in changed.get_data(as_text=True)


def test_signed_in_pages_are_not_cached(app: Flask, client: FlaskClient, login_as) -> None:
    login_as(Role.MEMBER)
    make_publication()
    db.session.commit()
    response = client.get("/publications/")
    assert response.status_code == 200 and "ETag" not in response.headers
    assert response.headers["Cache-Control"] == "no-store"
