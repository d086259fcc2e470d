"""Coordinators' review queue: filters, counts, assignment, decisions, threads, exports."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from datetime import timedelta

import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient

from tests.builders import DEFAULT_PASSWORD, make_case, make_user, municipality
from tracker.accounts.models import Role, User
from tracker.audit.models import Event
from tracker.cases.lifecycle import apply
from tracker.cases.models import Case, CaseStatus
from tracker.csvsafe import neutralise
from tracker.dbtypes import utcnow
from tracker.extensions import db
from tracker.workflow import Action


def submitted(member: User, **fields: object) -> Case:
    case = make_case(member, **fields)
    apply(case, member, Action.SUBMIT)
    return case


def client_for(app: Flask, user: User) -> FlaskClient:
    client = app.test_client()
    assert (
        client.post("/login", data={"email": user.email, "password": DEFAULT_PASSWORD}).status_code
        == 302
    )
    return client


def test_queue_lists_submitted_cases_not_drafts(client: FlaskClient, login_as: Callable) -> None:
    me = login_as(Role.COORDINATOR)
    member = make_user()
    draft = make_case(member, title="Still a draft")
    waiting = submitted(member, title="Waiting for review")
    db.session.commit()
    page = client.get("/review/")
    assert waiting.reference in page.text and draft.reference not in page.text
    assert me.name in page.text  # signed-in line


def test_filters_and_counts(client: FlaskClient, login_as: Callable) -> None:
    me = login_as(Role.COORDINATOR)
    member = make_user()
    in_cacak = submitted(member, title="In Čačak", municipality=municipality("71242"))
    in_nis = submitted(member, title="In Niš", municipality=municipality("79022"))
    apply(in_nis, me, Action.TAKE)
    in_nis.assignee = me
    in_cacak.submitted_at = utcnow() - timedelta(days=40)
    db.session.commit()

    def refs(query: str) -> set[str]:
        text = client.get(f"/review/?{query}").text
        return {c.reference for c in (in_cacak, in_nis) if c.reference in text}

    assert refs("") == {in_cacak.reference, in_nis.reference}
    assert refs("status=in_review") == {in_nis.reference}
    assert refs("municipality=Чачак") == {in_cacak.reference}
    assert refs(f"district={municipality('79022').district_code}") == {in_nis.reference}
    assert refs("assignee=me") == {in_nis.reference}
    assert refs("assignee=none") == {in_cacak.reference}
    assert refs("older_than=30") == {in_cacak.reference}
    assert client.get("/review/?older_than=-5").status_code == 400
    counts = client.get("/review/").text
    assert "<strong>1</strong>" in counts


def test_take_ask_answer_verify_publish(
    app: Flask, client: FlaskClient, login_as: Callable
) -> None:
    coordinator = login_as(Role.COORDINATOR)
    member = make_user()
    case = submitted(member, title="Full review")
    db.session.commit()
    ref = case.reference
    assert client.post(f"/review/{ref}/take").status_code == 302
    empty_ask = client.post(f"/review/{ref}/ask", data={"text": ""})
    assert empty_ask.status_code == 400
    assert (
        client.post(f"/review/{ref}/ask", data={"text": "Which date exactly?"}).status_code == 302
    )
    member_client = client_for(app, member)
    assert "Which date exactly?" in member_client.get(f"/cases/{ref}").text
    assert (
        member_client.post(f"/cases/{ref}/answer", data={"message": "The 14th."}).status_code == 302
    )
    partial = client.post(f"/review/{ref}/verify", data={"sources": "y", "evidence": "y"})
    assert partial.status_code == 400
    full = client.post(
        f"/review/{ref}/verify", data={"sources": "y", "evidence": "y", "safety": "y"}
    )
    assert full.status_code == 302
    no_summary = client.post(f"/review/{ref}/publish", data={"summary": ""})
    assert no_summary.status_code == 400
    db.session.refresh(case)
    assert case.status is CaseStatus.VERIFIED
    still = client.post(f"/review/{ref}/publish", data={"summary": "What the network found."})
    assert still.status_code == 400  # a category is required too
    assert "What the network found." in still.text  # the typed summary is kept
    verify_event = db.session.scalar(
        sa.select(Event)
        .where(Event.case_id == case.id, Event.kind == "status_changed")
        .order_by(Event.id.desc())
    )
    assert verify_event is not None and verify_event.details["checklist"] == [
        "sources",
        "evidence",
        "safety",
    ]
    assert coordinator.id == verify_event.user_id


def test_reject_needs_a_reason_the_member_sees(
    app: Flask, client: FlaskClient, login_as: Callable
) -> None:
    login_as(Role.COORDINATOR)
    member = make_user()
    case = submitted(member)
    db.session.commit()
    assert client.post(f"/review/{case.reference}/reject", data={"text": ""}).status_code == 400
    assert (
        client.post(
            f"/review/{case.reference}/reject", data={"text": "Outside our mandate."}
        ).status_code
        == 302
    )
    db.session.refresh(case)
    assert case.status is CaseStatus.REJECTED
    event = db.session.scalar(
        sa.select(Event).where(Event.kind == "status_changed").order_by(Event.id.desc())
    )
    assert event is not None and event.details["reason"] == "Outside our mandate."
    member_page = client_for(app, member).get(f"/cases/{case.reference}").text
    assert 'data-testid="rejection"' in member_page and "Outside our mandate." in member_page


def test_internal_notes_never_reach_the_member(
    app: Flask, client: FlaskClient, login_as: Callable
) -> None:
    login_as(Role.COORDINATOR)
    member = make_user()
    case = submitted(member)
    db.session.commit()
    client.post(
        f"/review/{case.reference}/note", data={"body": "Source seems shaky", "internal": "y"}
    )
    client.post(f"/review/{case.reference}/note", data={"body": "Thank you for the report"})
    member_page = client_for(app, member).get(f"/cases/{case.reference}").text
    assert "Thank you for the report" in member_page
    assert "Source seems shaky" not in member_page
    assert client.post(f"/review/{case.reference}/note", data={"body": ""}).status_code == 400


def test_assignment(client: FlaskClient, login_as: Callable) -> None:
    me = login_as(Role.COORDINATOR)
    other = make_user(Role.COORDINATOR)
    member = make_user()
    case = submitted(member)
    db.session.commit()
    assert (
        client.post(
            f"/review/{case.reference}/assign", data={"assignee": str(other.id)}
        ).status_code
        == 302
    )
    db.session.refresh(case)
    assert case.assignee_id == other.id
    refused = client.post(f"/review/{case.reference}/assign", data={"assignee": str(member.id)})
    assert refused.status_code == 400  # members cannot be assigned
    assert (
        client.post(f"/review/{case.reference}/assign", data={"assignee": str(me.id)}).status_code
        == 302
    )


def test_exports_are_neutralised_logged_and_without_confidential_notes(
    client: FlaskClient, login_as: Callable
) -> None:
    login_as(Role.COORDINATOR)
    member = make_user()
    submitted(member, title='=HYPERLINK("http://evil")', source_notes="secret source")
    submitted(member, title="@SUM(1)")
    db.session.commit()
    response = client.get("/review/export.csv")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(response.text)))
    assert {r["title"] for r in rows} == {'\'=HYPERLINK("http://evil")', "'@SUM(1)"}
    assert "secret source" not in response.text
    as_json = client.get("/review/export.json?status=submitted")
    assert len(as_json.json) == 2 and "secret source" not in as_json.text
    kinds = db.session.scalars(sa.select(Event.kind).where(Event.kind == "queue_exported")).all()
    assert len(kinds) == 2


def test_neutralise() -> None:
    for dangerous in ("=1+1", "+1", "-1", "@x", "\tx", "\rx"):
        assert neutralise(dangerous) == "'" + dangerous
    assert neutralise("plain") == "plain" and neutralise(None) == ""


def test_members_cannot_reach_the_queue(client: FlaskClient, login_as: Callable) -> None:
    login_as(Role.MEMBER)
    assert client.get("/review/").status_code == 403
    assert client.get("/review/export.csv").status_code == 403


def test_admins_read_the_audit_trail_with_filters(client: FlaskClient, login_as: Callable) -> None:
    admin = login_as(Role.ADMIN)
    member = make_user()
    case = submitted(member, title="Audited")
    db.session.commit()
    everything = client.get("/admin/audit")
    assert everything.status_code == 200 and "status_changed" in everything.text
    by_case = client.get(f"/admin/audit?case={case.reference}").text
    assert "case_created" in by_case and "login" not in by_case.split("<tbody>")[1]
    by_person = client.get(f"/admin/audit?user={admin.email}").text.split("<tbody>")[1]
    assert "login" in by_person and "case_created" not in by_person
    assert client.get("/admin/audit?kind=login").status_code == 200


def test_queue_pages_keep_the_filters(client: FlaskClient, login_as: Callable) -> None:
    login_as(Role.COORDINATOR)
    member = make_user()
    for n in range(55):
        submitted(member, title=f"Case {n}")
    db.session.commit()
    first = client.get("/review/?status=submitted").text
    assert "/review/?status=submitted&amp;page=2" in first
    second = client.get("/review/?status=submitted&page=2").text
    assert "/review/?status=submitted&amp;page=1" in second
    assert second.count('<a href="/review/IN-') == 5


def test_an_overlong_question_is_shown_again_not_lost(
    client: FlaskClient, login_as: Callable
) -> None:
    login_as(Role.COORDINATOR)
    case = submitted(make_user())
    db.session.commit()
    client.post(f"/review/{case.reference}/take")
    long_text = "Q" * 20_001
    response = client.post(f"/review/{case.reference}/ask", data={"text": long_text})
    assert response.status_code == 400 and long_text in response.text
