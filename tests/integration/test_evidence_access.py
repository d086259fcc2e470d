"""Who may download, delete and withdraw evidence, and what each leaves in the record."""

from __future__ import annotations

import hashlib
from collections.abc import Callable

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient

from tests.builders import DEFAULT_PASSWORD, make_case, make_evidence, make_user
from tests.evidence_support import PDF, photo, post_files, storage_of, stored_path, submit
from tracker.accounts.models import Role, User
from tracker.audit.models import Event
from tracker.cases.models import Case, CaseStatus
from tracker.evidence.models import Evidence
from tracker.extensions import db


@pytest.fixture(autouse=True)
def english(client: FlaskClient) -> None:
    """These tests read the interface's messages in English (the source language)."""
    client.set_cookie("lang", "en")


def _events(kind: str) -> list[Event]:
    return list(db.session.scalars(sa.select(Event).where(Event.kind == kind).order_by(Event.id)))


def _case_with_file(member: User, data: bytes = PDF, name: str = "doc.pdf") -> Evidence:
    case = make_case(member)
    evidence = make_evidence(case, member, data=data, name=name)
    db.session.commit()
    return evidence


def _other_client(app: Flask, role: Role = Role.MEMBER) -> FlaskClient:
    other = make_user(role)
    db.session.commit()
    client = app.test_client()
    response = client.post("/login", data={"email": other.email, "password": DEFAULT_PASSWORD})
    assert response.status_code == 302
    return client


def test_delete_in_draft_removes_row_and_file(
    app: Flask, client: FlaskClient, login_as: Callable[..., User]
) -> None:
    evidence = _case_with_file(login_as())
    reference, sha = evidence.case.reference, evidence.sha256
    assert sha is not None and stored_path(app, sha).exists()
    response = client.post(f"/evidence/{evidence.id}/delete")
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/cases/{reference}#evidence")
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Evidence)) == 0
    assert not stored_path(app, sha).exists()
    [event] = _events("evidence_deleted")
    assert event.details["sha256"] == sha


def test_delete_keeps_a_file_another_row_uses(
    app: Flask, client: FlaskClient, login_as: Callable[..., User]
) -> None:
    member = login_as()
    evidence = _case_with_file(member)
    make_evidence(make_case(member), member, data=PDF, name="copy.pdf")
    db.session.commit()
    assert client.post(f"/evidence/{evidence.id}/delete").status_code == 302
    assert stored_path(app, hashlib.sha256(PDF).hexdigest()).exists()


def test_deleting_a_photo_removes_its_copy_too(
    app: Flask, client: FlaskClient, login_as: Callable[..., User]
) -> None:
    case = make_case(login_as())
    db.session.commit()
    assert post_files(client, case, [(photo(), "p.jpg")]).status_code == 302
    original = db.session.scalars(sa.select(Evidence).where(Evidence.parent_id.is_(None))).one()
    assert client.post(f"/evidence/{original.id}/delete").status_code == 302
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Evidence)) == 0
    assert list(storage_of(app).hashes()) == []


def test_after_submission_evidence_is_withdrawn_not_deleted(
    app: Flask, client: FlaskClient, login_as: Callable[..., User]
) -> None:
    evidence = _case_with_file(login_as())
    case = evidence.case
    submit(case)
    assert case.status is CaseStatus.SUBMITTED
    assert client.post(f"/evidence/{evidence.id}/delete").status_code == 403
    page = client.get(f"/cases/{case.reference}")
    assert f"/evidence/{evidence.id}/delete" not in page.text
    assert f"/evidence/{evidence.id}/withdraw" in page.text

    empty = client.post(f"/evidence/{evidence.id}/withdraw", data={"reason": "  "})
    assert empty.status_code == 400 and "Give a reason for withdrawing it." in empty.text
    response = client.post(
        f"/evidence/{evidence.id}/withdraw", data={"reason": "Wrong document <b>"}
    )
    assert response.status_code == 302
    db.session.refresh(evidence)
    assert evidence.withdrawn_at is not None and evidence.withdrawn_reason == "Wrong document <b>"
    [event] = _events("evidence_withdrawn")
    assert event.details["reason"] == "Wrong document <b>"
    page = client.get(f"/cases/{case.reference}")
    assert "evidence-item--withdrawn" in page.text and "Wrong document &lt;b&gt;" in page.text
    assert evidence.sha256 in page.text  # still listed, with its hash
    assert stored_path(app, evidence.sha256 or "").exists()
    again = client.post(f"/evidence/{evidence.id}/withdraw", data={"reason": "twice"})
    assert again.status_code == 403


def test_withdraw_page_works_without_javascript(
    client: FlaskClient, login_as: Callable[..., User]
) -> None:
    evidence = _case_with_file(login_as())
    assert client.get(f"/evidence/{evidence.id}/withdraw").status_code == 403  # a draft
    submit(evidence.case)
    page = client.get(f"/evidence/{evidence.id}/withdraw")
    assert page.status_code == 200 and 'name="reason"' in page.text


def test_coordinator_may_withdraw_but_not_delete(
    app: Flask, client: FlaskClient, login_as: Callable[..., User]
) -> None:
    evidence = _case_with_file(login_as())
    coordinator = _other_client(app, Role.COORDINATOR)
    assert coordinator.post(f"/evidence/{evidence.id}/delete").status_code == 403
    submit(evidence.case)
    response = coordinator.post(f"/evidence/{evidence.id}/withdraw", data={"reason": "Forged"})
    assert response.status_code == 302


def test_other_member_gets_404_everywhere(
    app: Flask, client: FlaskClient, login_as: Callable[..., User]
) -> None:
    evidence = _case_with_file(login_as())
    case = evidence.case
    other = _other_client(app)
    ref, eid = case.reference, evidence.id
    for method, url in [
        ("GET", f"/evidence/{eid}/download"),
        ("GET", f"/cases/{ref}/evidence/add"),
        ("POST", f"/cases/{ref}/evidence/files"),
        ("POST", f"/cases/{ref}/evidence/link"),
        ("POST", f"/cases/{ref}/evidence/testimony"),
        ("GET", f"/cases/{ref}/evidence/receipt?items={eid}"),
        ("GET", f"/cases/{ref}/evidence/receipt.txt?items={eid}"),
        ("GET", f"/evidence/{eid}/withdraw"),
        ("POST", f"/evidence/{eid}/withdraw"),
        ("POST", f"/evidence/{eid}/delete"),
    ]:
        assert other.open(url, method=method).status_code == 404, url
    submit(case)
    assert other.post(f"/evidence/{eid}/withdraw", data={"reason": "x"}).status_code == 404
    assert not _events("evidence_downloaded") and not _events("evidence_withdrawn")
    assert other.get("/evidence/999999/download").status_code == 404


def test_visitor_is_sent_to_login(app: Flask) -> None:
    evidence = _case_with_file(make_user())
    response = app.test_client().get(f"/evidence/{evidence.id}/download")
    assert response.status_code == 302 and "/login?next=" in response.headers["Location"]


@pytest.mark.parametrize("role", [Role.COORDINATOR, Role.ADMIN])
def test_coordinators_download_and_each_download_is_an_event(
    app: Flask, login_as: Callable[..., User], role: Role
) -> None:
    evidence = _case_with_file(login_as(), name="Zapisnik sa sednice – čačak.pdf")
    coordinator = _other_client(app, role)
    for _ in range(2):
        response = coordinator.get(f"/evidence/{evidence.id}/download")
        assert response.status_code == 200
        assert response.get_data() == PDF
        response.close()
    disposition = response.headers["Content-Disposition"]
    assert disposition == (
        'attachment; filename="Zapisnik sa sednice _ cacak.pdf"; '
        "filename*=UTF-8''Zapisnik%20sa%20sednice%20%E2%80%93%20%C4%8Da%C4%8Dak.pdf"
    )
    assert response.headers["Content-Security-Policy"] == "sandbox; default-src 'none'"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Cache-Control"] == "no-store"
    assert response.headers["Content-Length"] == str(len(PDF))
    events = _events("evidence_downloaded")
    assert len(events) == 2
    assert {e.details["sha256"] for e in events} == {evidence.sha256}
    assert all(e.case_id == evidence.case_id for e in events)


def test_missing_file_is_a_404_not_a_500(
    app: Flask, client: FlaskClient, login_as: Callable[..., User]
) -> None:
    evidence = _case_with_file(login_as())
    path = stored_path(app, evidence.sha256 or "")
    path.unlink()
    assert client.get(f"/evidence/{evidence.id}/download").status_code == 404
    assert not _events("evidence_downloaded")


def test_photo_copy_is_not_listed_separately(
    client: FlaskClient, login_as: Callable[..., User]
) -> None:
    case = make_case(login_as())
    db.session.commit()
    assert post_files(client, case, [(photo(), "p.jpg")]).status_code == 302
    page = client.get(f"/cases/{case.reference}")
    assert page.text.count('data-testid="evidence-item"') == 1
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Evidence)) == 2


def test_no_add_link_once_the_case_is_closed(
    client: FlaskClient, login_as: Callable[..., User]
) -> None:
    evidence = _case_with_file(login_as())
    case: Case = evidence.case
    case.status = CaseStatus.REJECTED
    db.session.commit()
    page = client.get(f"/cases/{case.reference}")
    assert f"/cases/{case.reference}/evidence/add" not in page.text
    assert client.get(f"/cases/{case.reference}/evidence/add").status_code == 403
