"""Coordinators write publications: create, edit, publish, PDF, signatories, cited cases."""

from __future__ import annotations

import io
import re
from collections.abc import Callable

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient

from tests.builders import make_case, make_organisation, make_publication, make_user
from tests.evidence_support import BOUNDARY, MULTIPART, PDF
from tests.integration.publications_support import form_data, published_case, reviewed_case
from tracker.accounts.models import Role, User
from tracker.audit.models import Event
from tracker.evidence.services import get_storage
from tracker.extensions import db
from tracker.public import index
from tracker.publications.models import (
    Publication,
    PublicationCase,
    PublicationKind,
    PublicationStatus,
)
from tracker.review import publishing

Login = Callable[..., User]


def only_publication() -> Publication:
    return db.session.scalars(sa.select(Publication)).one()


def test_create_a_draft_edit_it_then_publish(
    app: Flask, client: FlaskClient, login_as: Login
) -> None:
    login_as(Role.COORDINATOR)
    assert client.get("/publications/new").status_code == 200
    version = index.state()[0]
    response = client.post("/publications/new", data=form_data())
    assert response.status_code == 302
    publication = only_publication()
    assert response.headers["Location"] == f"/publications/{publication.id}/edit"
    assert publication.status is PublicationStatus.DRAFT
    assert publication.body == "We **condemn** the dismissals."
    assert index.state()[0] == version  # a draft changes nothing public
    assert client.get(f"/publications/{publication.id}/edit").status_code == 200
    preview = client.get(f"/publications/{publication.id}/preview")
    assert preview.status_code == 200 and "<strong>condemn</strong>" in preview.text
    visitor = app.test_client()
    assert visitor.get(f"/publications/{publication.id}").status_code == 404

    edited = form_data(title="Edited title", status="published", published_on="")
    assert client.post(f"/publications/{publication.id}/edit", data=edited).status_code == 302
    db.session.refresh(publication)
    assert publication.status is PublicationStatus.PUBLISHED and publication.title == "Edited title"
    assert publication.published_on is not None  # today, when published without a date
    assert index.state()[0] > version
    page = visitor.get(f"/publications/{publication.id}?lang=en")
    assert page.status_code == 200 and "Edited title" in page.text
    kinds = db.session.scalars(sa.select(Event.kind).where(Event.kind.like("publication_%")))
    assert list(kinds) == ["publication_created", "publication_published"]


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"title": "  "}, "This field is required."),
        ({"external_url": "javascript:alert(1)"}, "http://"),
        ({"external_url": "ftp://example.org/file"}, "http://"),
        ({"kind": "manifesto"}, "Not a valid choice"),
        ({"published_on": "02.04.2026x"}, "Not a valid date"),
        ({"status": "secret"}, "Not a valid choice"),
    ],
)
def test_bad_input_is_refused_with_400_and_everything_kept(
    client: FlaskClient, login_as: Login, fields: dict[str, str], message: str
) -> None:
    login_as(Role.COORDINATOR)
    body = "A long text the coordinator must not lose <script>x</script>"
    response = client.post(
        "/publications/new?lang=en", data=form_data(body=body, **{"title": "Kept title", **fields})
    )
    assert response.status_code == 400
    assert message in response.text
    assert (
        "A long text the coordinator must not lose &lt;script&gt;x&lt;/script&gt;" in response.text
    )
    if fields.get("title") is None:
        assert 'value="Kept title"' in response.text
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Publication)) == 0


def test_unknown_signatory_is_refused(client: FlaskClient, login_as: Login) -> None:
    login_as(Role.COORDINATOR)
    make_organisation("Known")
    db.session.commit()
    response = client.post("/publications/new", data=form_data(signatories=["999999"]))
    assert response.status_code == 400
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Publication)) == 0


def test_signatories_are_saved_and_shown_publicly(
    app: Flask, client: FlaskClient, login_as: Login
) -> None:
    login_as(Role.COORDINATOR)
    a = make_organisation("Transparency Serbia", short_name="TS", website="https://ts.example")
    b = make_organisation("CRTA")
    make_organisation("Not signing")
    db.session.commit()
    data = form_data(status="published", signatories=[str(a.id), str(b.id)])
    assert client.post("/publications/new", data=data).status_code == 302
    publication = only_publication()
    assert sorted(o.name for o in publication.signatories) == ["CRTA", "Transparency Serbia"]
    page = app.test_client().get(f"/publications/{publication.id}").text
    assert "Transparency Serbia" in page and "CRTA" in page and "Not signing" not in page
    assert 'href="https://ts.example"' in page


def storage_files(app: Flask) -> set[str]:
    return set(get_storage().hashes())


def test_pdf_only_when_it_really_is_one_and_always_as_a_download(
    app: Flask, client: FlaskClient, login_as: Login
) -> None:
    login_as(Role.COORDINATOR)
    fake = form_data(kind="report", body="Report text kept")
    fake["pdf"] = (io.BytesIO(b"<html><script>alert(1)</script></html>"), "report.pdf")
    refused = client.post(
        "/publications/new?lang=en", data=fake, content_type="multipart/form-data"
    )
    assert refused.status_code == 400
    assert "This file is not a PDF" in refused.text and "Report text kept" in refused.text
    assert storage_files(app) == set()  # nothing kept

    real = form_data(kind="report", status="draft")
    real["pdf"] = (io.BytesIO(PDF), "Izveštaj 2026.pdf")
    assert (
        client.post("/publications/new", data=real, content_type="multipart/form-data").status_code
        == 302
    )
    publication = only_publication()
    assert (
        publication.pdf_sha256 in storage_files(app) and publication.pdf_name == "Izveštaj 2026.pdf"
    )

    visitor = app.test_client()
    assert visitor.get(f"/publications/{publication.id}/pdf").status_code == 404  # a draft's
    mine = client.get(f"/publications/{publication.id}/pdf")
    assert mine.status_code == 200 and mine.data == PDF
    assert mine.headers["Content-Disposition"].startswith("attachment;")
    assert "filename*=UTF-8''Izve%C5%A1taj%202026.pdf" in mine.headers["Content-Disposition"]
    assert mine.headers["Content-Security-Policy"].startswith("sandbox")
    assert (
        mine.mimetype == "application/pdf" and mine.headers["X-Content-Type-Options"] == "nosniff"
    )
    mine.close()

    published = form_data(kind="report", status="published")
    assert client.post(f"/publications/{publication.id}/edit", data=published).status_code == 302
    public = visitor.get(f"/publications/{publication.id}/pdf")
    assert public.status_code == 200 and public.headers["Content-Disposition"].startswith(
        "attachment"
    )
    assert public.headers["Content-Security-Policy"].startswith("sandbox")
    public.close()
    assert (
        f"/publications/{publication.id}/pdf" in visitor.get(f"/publications/{publication.id}").text
    )

    removed = form_data(kind="report", status="published", remove_pdf="y")
    assert client.post(f"/publications/{publication.id}/edit", data=removed).status_code == 302
    db.session.refresh(publication)
    assert publication.pdf_sha256 is None and storage_files(app) == set()  # nothing else used it
    assert visitor.get(f"/publications/{publication.id}/pdf").status_code == 404


def test_a_bad_pdf_on_edit_keeps_the_text_and_the_old_pdf(
    app: Flask, client: FlaskClient, login_as: Login
) -> None:
    login_as(Role.COORDINATOR)
    first = form_data(kind="report")
    first["pdf"] = (io.BytesIO(PDF), "a.pdf")
    client.post("/publications/new", data=first, content_type="multipart/form-data")
    publication = only_publication()
    kept = publication.pdf_sha256
    bad = form_data(kind="report", title="New title typed")
    bad["pdf"] = (io.BytesIO(b"GIF89a not a pdf"), "b.pdf")
    response = client.post(
        f"/publications/{publication.id}/edit?lang=en", data=bad, content_type="multipart/form-data"
    )
    assert response.status_code == 400 and 'value="New title typed"' in response.text
    db.session.refresh(publication)
    assert publication.pdf_sha256 == kept and publication.title != "New title typed"


def test_link_cases_with_notes_change_the_note_and_remove(
    client: FlaskClient, login_as: Login
) -> None:
    coordinator = login_as(Role.COORDINATOR)
    publication = make_publication(coordinator, status=PublicationStatus.DRAFT)
    case = reviewed_case(coordinator, title="Dismissal of the school head")
    db.session.commit()
    url = f"/publications/{publication.id}/cases"
    ok = client.post(url, data={"reference": case.reference.lower(), "note": "The dismissal"})
    assert ok.status_code == 302
    link = db.session.get(PublicationCase, (publication.id, case.id))
    assert link is not None and link.note == "The dismissal"
    page = client.get(f"/publications/{publication.id}/edit").text
    assert "Dismissal of the school head" in page and "The dismissal" in page

    too_long = client.post(url + "?lang=en", data={"reference": case.reference, "note": "x" * 501})
    assert too_long.status_code == 400 and "x" * 501 in too_long.text  # kept to shorten
    unknown = client.post(url + "?lang=en", data={"reference": "IN-2026-99999", "note": "n"})
    assert unknown.status_code == 400 and "No case under review has the reference" in unknown.text
    draft = make_case(make_user(), title="Someone's draft")
    db.session.commit()
    refused = client.post(url, data={"reference": draft.reference, "note": ""})
    assert refused.status_code == 400

    client.post(url, data={"reference": case.reference, "note": "A better note"})
    db.session.refresh(link)
    assert link.note == "A better note"
    removed = client.post(f"/publications/{publication.id}/cases/{case.reference}/remove")
    assert removed.status_code == 302
    assert db.session.get(PublicationCase, (publication.id, case.id)) is None
    again = client.post(f"/publications/{publication.id}/cases/{case.reference}/remove")
    assert again.status_code == 404
    kinds = db.session.scalars(sa.select(Event.kind).where(Event.case_id == case.id)).all()
    assert kinds.count("publication_case_linked") == 2 and "publication_case_unlinked" in kinds


def test_queue_selection_starts_a_statement_citing_the_cases(
    client: FlaskClient, login_as: Login
) -> None:
    coordinator = login_as(Role.COORDINATOR)
    first = reviewed_case(coordinator, title="First cited")
    second = reviewed_case(coordinator, title="Second cited")
    db.session.commit()
    queue = client.get("/review/?lang=en").text
    form = re.search(
        r'<form method="get" action="/publications/new"[^>]*>(.*?)</form>', queue, re.S
    )
    assert form is not None  # the queue is a plain form: works without JavaScript
    assert f'name="case" value="{first.reference}"' in form.group(1)
    assert "Start a statement" in form.group(1)

    page = client.get(
        f"/publications/new?kind=statement&case={first.reference}&case={second.reference}&case=IN-1999-00001"
    )
    assert page.status_code == 200
    assert "First cited" in page.text and "Second cited" in page.text
    assert "IN-1999-00001" in page.text  # named as not citable
    assert f'value="{first.reference}"' in page.text

    data = form_data(
        **{
            "cases-0-reference": first.reference,
            "cases-0-keep": "y",
            "cases-0-note": "The first one",
            "cases-1-reference": second.reference,
            "cases-1-note": "left out",
        }
    )
    assert client.post("/publications/new", data=data).status_code == 302
    publication = only_publication()
    assert [(link.case.reference, link.note) for link in publication.case_links] == [
        (first.reference, "The first one")
    ]


def test_new_statement_with_a_bad_note_keeps_every_case_and_note(
    client: FlaskClient, login_as: Login
) -> None:
    coordinator = login_as(Role.COORDINATOR)
    case = reviewed_case(coordinator)
    db.session.commit()
    data = form_data(
        **{"cases-0-reference": case.reference, "cases-0-keep": "y", "cases-0-note": "n" * 600}
    )
    response = client.post("/publications/new?lang=en", data=data)
    assert response.status_code == 400 and "n" * 600 in response.text
    assert f'value="{case.reference}"' in response.text


def test_case_pages_list_the_publications_citing_them(
    app: Flask, client: FlaskClient, login_as: Login
) -> None:
    coordinator = login_as(Role.COORDINATOR)
    case = published_case("Cited finding")
    make_publication(coordinator, cites=(case,), title="Published statement")
    make_publication(
        coordinator, cites=(case,), title="Draft statement", status=PublicationStatus.DRAFT
    )
    db.session.commit()
    internal = client.get(f"/review/{case.reference}").text
    assert "Published statement" in internal and "Draft statement" in internal
    public = app.test_client().get(f"/findings/{case.reference}").text
    assert "Published statement" in public and "Draft statement" not in public
    assert f"Note on {case.reference}" in public


def test_manage_lists_drafts_and_published(client: FlaskClient, login_as: Login) -> None:
    coordinator = login_as(Role.COORDINATOR)
    make_publication(coordinator, title="A draft", status=PublicationStatus.DRAFT)
    make_publication(coordinator, title="A report", kind=PublicationKind.REPORT)
    db.session.commit()
    page = client.get("/publications/manage")
    assert page.status_code == 200 and "A draft" in page.text and "A report" in page.text


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", "/publications/manage"),
        ("GET", "/publications/new"),
        ("POST", "/publications/new"),
        ("GET", "/publications/{id}/edit"),
        ("POST", "/publications/{id}/edit"),
        ("GET", "/publications/{id}/preview"),
        ("POST", "/publications/{id}/cases"),
        ("POST", "/publications/{id}/cases/IN-2026-00001/remove"),
    ],
)
def test_members_and_visitors_cannot_reach_coordinator_routes(
    app: Flask, client: FlaskClient, login_as: Login, method: str, path: str
) -> None:
    publication = make_publication(status=PublicationStatus.DRAFT)
    db.session.commit()
    url = path.format(id=publication.id)
    visitor = app.test_client().open(url, method=method)
    assert visitor.status_code == 302 and "/login" in visitor.headers["Location"]
    login_as(Role.MEMBER)
    assert client.open(url, method=method, data=form_data()).status_code == 403
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Publication)) == 1


def test_merging_a_cited_duplicate_moves_its_citation_to_the_survivor(app: Flask) -> None:
    coordinator = make_user(Role.COORDINATOR)
    duplicate = reviewed_case(coordinator, title="Duplicate")
    survivor = reviewed_case(coordinator, title="Survivor")
    only_duplicate = make_publication(coordinator, cites=(duplicate,))
    both = make_publication(coordinator, cites=(duplicate, survivor))
    db.session.commit()
    publishing.merge(duplicate, survivor, coordinator)
    db.session.commit()
    links = db.session.scalars(sa.select(PublicationCase)).all()
    assert sorted((link.publication_id, link.case_id, link.note) for link in links) == sorted(
        [
            (only_duplicate.id, survivor.id, f"Note on {duplicate.reference}"),
            (both.id, survivor.id, f"Note on {survivor.reference}"),
        ]
    )


def _part(name: str, value: str) -> bytes:
    return (
        f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
    )


def test_a_pdf_over_the_limit_keeps_every_field_typed_and_says_why(
    app: Flask, client: FlaskClient, login_as: Login
) -> None:
    """Fields after the file are read too: the form comes back as typed, nothing is stored."""
    app.config["MAX_UPLOAD_MB"] = 1
    login_as(Role.COORDINATOR)
    before = storage_files(app)
    fields = form_data(kind="report", title="Report on Čačak typed by hand", status="published")
    late = {"status": fields.pop("status"), "external_url": "https://example.org/typed"}
    fields.pop("external_url")
    body = b"".join(_part(name, value) for name, value in fields.items())
    body += (
        f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="pdf"; filename="big.pdf"\r\n'
        "Content-Type: application/pdf\r\n\r\n"
    ).encode()
    body += PDF + b"x" * (1024 * 1024 + 1) + b"\r\n"
    body += b"".join(_part(name, value) for name, value in late.items())
    body += f"--{BOUNDARY}--\r\n".encode()
    response = client.post("/publications/new?lang=en", data=body, content_type=MULTIPART)
    assert response.status_code == 400
    assert 'value="Report on Čačak typed by hand"' in response.text
    assert 'value="https://example.org/typed"' in response.text  # typed after the file
    assert "The PDF is larger than 1 MB. Nothing was saved" in response.text
    assert db.session.scalars(sa.select(Publication)).first() is None
    assert storage_files(app) == before  # no trace of the big file
    assert not list((get_storage().root / "tmp").glob("upload-*"))
