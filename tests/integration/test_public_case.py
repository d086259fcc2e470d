"""Visitors read published findings: public fields only, chosen evidence as clean copies."""

from __future__ import annotations

import io
from collections.abc import Callable

import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient
from PIL import Image

from tests.builders import DEFAULT_PASSWORD, make_case, make_user
from tests.evidence_support import files_url, photo
from tracker.accounts.models import Role, User
from tracker.cases.categories import load_categories
from tracker.cases.lifecycle import apply
from tracker.cases.models import Case, Category, PointPrecision
from tracker.evidence.models import Evidence, EvidenceKind
from tracker.extensions import db
from tracker.review import publishing
from tracker.workflow import Action


def client_for(app: Flask, user: User) -> FlaskClient:
    client = app.test_client()
    assert (
        client.post("/login", data={"email": user.email, "password": DEFAULT_PASSWORD}).status_code
        == 302
    )
    return client


def published_with_evidence(app: Flask) -> tuple[Case, User, Evidence]:
    load_categories()
    member = make_user(Role.MEMBER, name="Hidden Reporter")
    coordinator = make_user(Role.COORDINATOR)
    case = make_case(member, title="Public finding", source_notes="SECRET SOURCE NAME")
    db.session.commit()
    member_client = client_for(app, member)
    member_client.post(
        files_url(case),
        data={"file-upload": [(io.BytesIO(photo()), "street.jpg")], "file-public": "y"},
        content_type="multipart/form-data",
    )
    original = db.session.scalars(
        sa.select(Evidence).where(Evidence.case_id == case.id, Evidence.parent_id.is_(None))
    ).one()
    hidden_link = Evidence(case=case, kind=EvidenceKind.LINK, url="https://example.org/not-chosen",
                           public=True, added_by=member)  # fmt: skip
    db.session.add(hidden_link)
    apply(case, member, Action.SUBMIT)
    apply(case, coordinator, Action.TAKE)
    apply(case, coordinator, Action.VERIFY, checklist=["sources", "evidence", "safety"])
    category = db.session.scalar(sa.select(Category).where(Category.slug == "police-abuse"))
    choice = publishing.PublicationChoice(
        "What the network found.", category, PointPrecision.MUNICIPALITY, {original.id}
    )
    publishing.publish(case, coordinator, choice)
    db.session.commit()
    return case, coordinator, original


def test_visitor_sees_public_fields_only(app: Flask, client: FlaskClient) -> None:
    case, _coordinator, original = published_with_evidence(app)
    page = client.get(f"/findings/{case.reference}")
    assert page.status_code == 200
    assert "What the network found." in page.text and "Public finding" in page.text
    for private in ("SECRET SOURCE NAME", "Hidden Reporter", "not-chosen", original.sha256):
        assert private not in page.text
    assert 'data-testid="public-photo"' in page.text


def test_published_photo_is_a_clean_copy_as_download(app: Flask, client: FlaskClient) -> None:
    case, _coordinator, original = published_with_evidence(app)
    copy = db.session.scalar(sa.select(Evidence).where(Evidence.parent_id == original.id))
    assert copy is not None
    response = client.get(f"/findings/{case.reference}/evidence/{copy.id}")
    assert response.status_code == 200
    assert response.headers["Content-Disposition"].startswith("attachment")
    image = Image.open(io.BytesIO(response.data))
    response.close()
    assert not image.getexif() and "exif" not in image.info
    assert client.get(f"/findings/{case.reference}/evidence/{original.id}").status_code == 404
    # a repeat download is answered from the copy the visitor has
    again = client.get(f"/findings/{case.reference}/evidence/{copy.id}",
                       headers={"If-None-Match": response.headers["ETag"]})  # fmt: skip
    again.close()
    assert again.status_code == 304 and again.data == b""


def test_unpublished_cases_do_not_exist_for_visitors(
    client: FlaskClient, login_as: Callable
) -> None:
    member = login_as(Role.MEMBER)
    case = make_case(member)
    apply(case, member, Action.SUBMIT)
    db.session.commit()
    assert client.get(f"/findings/{case.reference}").status_code == 404
    assert client.get("/findings/IN-2026-99999").status_code == 404


def test_retraction_notice_and_corrections_are_public(app: Flask, client: FlaskClient) -> None:
    case, coordinator, _original = published_with_evidence(app)
    publishing.correct(case, coordinator, "Corrected text.", "Date fixed")
    publishing.retract(case, coordinator, "The source withdrew the statement.")
    db.session.commit()
    page = client.get(f"/findings/{case.reference}").text
    assert 'data-testid="retraction"' in page and "The source withdrew the statement." in page
    assert "Date fixed" in page and "Corrected text." in page
