"""Publishing (with a second approval when required), corrections, retractions, merging."""

from __future__ import annotations

from collections.abc import Callable

import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient

from tests.builders import DEFAULT_PASSWORD, make_case, make_user
from tracker.accounts.models import Role, User
from tracker.audit.models import Event
from tracker.cases.categories import load_categories
from tracker.cases.lifecycle import apply
from tracker.cases.models import Case, CaseStatus, Category
from tracker.evidence.models import Evidence, EvidenceKind
from tracker.extensions import db
from tracker.workflow import Action


def verified_case(member: User, coordinator: User) -> Case:
    load_categories()
    case = make_case(member, title="To publish")
    apply(case, member, Action.SUBMIT)
    apply(case, coordinator, Action.TAKE)
    apply(case, coordinator, Action.VERIFY, checklist=["sources", "evidence", "safety"])
    return case


def link(case: Case, member: User, url: str, public: bool) -> Evidence:
    item = Evidence(case=case, kind=EvidenceKind.LINK, url=url, public=public, added_by=member)
    db.session.add(item)
    db.session.flush()
    return item


def signed_in(app: Flask, user: User) -> FlaskClient:
    client = app.test_client()
    response = client.post("/login", data={"email": user.email, "password": DEFAULT_PASSWORD})
    assert response.status_code == 302
    return client


def category_id() -> int:
    found = db.session.scalar(sa.select(Category.id).where(Category.slug == "police-abuse"))
    assert found is not None
    return found


def test_publish_with_summary_evidence_and_precision(
    client: FlaskClient, login_as: Callable
) -> None:
    coordinator = login_as(Role.COORDINATOR)
    member = make_user()
    case = verified_case(member, coordinator)
    allowed = link(case, member, "https://example.org/allowed", public=True)
    private = link(case, member, "https://example.org/private", public=False)
    db.session.commit()
    response = client.post(
        f"/review/{case.reference}/publish",
        data={
            "summary": "The network found that …",
            "category": str(category_id()),
            "precision": "rounded",
            "evidence": [str(allowed.id), str(private.id)],
            "version": str(case.version_id),
        },
    )
    # The member did not allow the private link: it is not even offered, so the form refuses it.
    assert response.status_code == 400
    response = client.post(
        f"/review/{case.reference}/publish",
        data={
            "summary": "The network found that …",
            "category": str(category_id()),
            "precision": "rounded",
            "evidence": [str(allowed.id)],
            "version": str(case.version_id),
        },
    )
    assert response.status_code == 302
    db.session.refresh(case)
    assert case.status is CaseStatus.PUBLISHED and case.published_at is not None
    assert case.public_summary == "The network found that …"
    assert case.point_precision.value == "rounded"
    assert db.session.get(Evidence, allowed.id).published
    assert not db.session.get(Evidence, private.id).published


def test_second_coordinator_must_approve_when_required(
    make_app: Callable[..., Flask],
) -> None:
    app = make_app(PUBLISH_NEEDS_SECOND_APPROVAL=True)
    with app.app_context():
        first, second, member = (
            make_user(Role.COORDINATOR),
            make_user(Role.COORDINATOR),
            make_user(),
        )
        case = verified_case(member, first)
        db.session.commit()
        data = {"summary": "Found.", "category": str(category_id()), "precision": "municipality"}
        a, b = signed_in(app, first), signed_in(app, second)
        ref = case.reference
        assert a.post(f"/review/{ref}/publish", data=data).status_code == 302
        db.session.refresh(case)
        assert case.status is CaseStatus.VERIFIED and case.publish_requested_by_id == first.id
        again = a.post(f"/review/{ref}/publish", data=data)
        assert again.status_code == 400  # the same coordinator cannot approve twice
        assert b.post(f"/review/{ref}/publish", data=data).status_code == 302
        db.session.refresh(case)
        assert case.status is CaseStatus.PUBLISHED
        event = db.session.scalar(
            sa.select(Event).where(Event.kind == "status_changed").order_by(Event.id.desc())
        )
        assert event is not None and event.details["approved_by"] == first.id
        assert event.user_id == second.id


def published_case(client: FlaskClient, coordinator: User) -> Case:
    member = make_user()
    case = verified_case(member, coordinator)
    db.session.commit()
    client.post(
        f"/review/{case.reference}/publish",
        data={"summary": "First summary", "category": str(category_id()), "precision": "exact"},
    )
    db.session.refresh(case)
    assert case.status is CaseStatus.PUBLISHED
    return case


def test_correction_and_retraction(client: FlaskClient, login_as: Callable) -> None:
    coordinator = login_as(Role.COORDINATOR)
    case = published_case(client, coordinator)
    ref = case.reference
    assert (
        client.post(f"/review/{ref}/correct", data={"summary": "x", "note": ""}).status_code == 400
    )
    corrected = client.post(
        f"/review/{ref}/correct",
        data={
            "summary": "Corrected summary",
            "note": "The date was wrong",
            "version": str(case.version_id),
        },
    )
    assert corrected.status_code == 302
    db.session.refresh(case)
    assert case.public_summary == "Corrected summary" and case.status is CaseStatus.PUBLISHED
    stale = client.post(
        f"/review/{ref}/correct", data={"summary": "Stale edit", "note": "n", "version": "1"}
    )
    assert stale.status_code == 409 and "Stale edit" in stale.text
    assert client.post(f"/review/{ref}/retract", data={"retract-text": ""}).status_code == 400
    assert (
        client.post(f"/review/{ref}/retract", data={"retract-text": "Source recanted"}).status_code
        == 302
    )
    db.session.refresh(case)
    assert case.status is CaseStatus.RETRACTED and case.retracted_at is not None
    assert case.retraction_reason == "Source recanted"
    notes = [
        e.details.get("note") or e.details.get("reason")
        for e in db.session.scalars(sa.select(Event).where(Event.case_id == case.id))
        if e.kind == "status_changed"
    ]
    assert "The date was wrong" in notes and "Source recanted" in notes


def test_merge_moves_evidence_and_redirects(
    app: Flask, client: FlaskClient, login_as: Callable
) -> None:
    login_as(Role.COORDINATOR)
    member = make_user()
    keep = make_case(member, title="Original")
    duplicate = make_case(member, title="Duplicate")
    apply(keep, member, Action.SUBMIT)
    apply(duplicate, member, Action.SUBMIT)
    item = link(duplicate, member, "https://example.org/dup", public=False)
    db.session.commit()
    unknown = client.post(f"/review/{duplicate.reference}/merge", data={"into": "IN-1999-00001"})
    assert unknown.status_code == 400
    merged = client.post(
        f"/review/{duplicate.reference}/merge", data={"into": keep.reference.lower()}
    )
    assert merged.status_code == 302
    db.session.refresh(item)
    assert item.case_id == keep.id
    redirected = client.get(f"/review/{duplicate.reference}")
    assert redirected.status_code == 308 and redirected.headers["Location"].endswith(keep.reference)
    member_client = signed_in(app, member)
    assert (
        member_client.get(f"/cases/{duplicate.reference}")
        .headers["Location"]
        .endswith(keep.reference)
    )
    # The survivor's timeline shows the merge and the duplicate's own history.
    timeline = client.get(f"/review/{keep.reference}").text.split('class="timeline"')[1]
    kinds = db.session.scalars(sa.select(Event.kind).where(Event.kind == "case_merged")).all()
    assert len(kinds) == 2
    assert timeline.count("<li>") == 6  # 2 created, 2 submitted, 2 merge events
    queue = client.get("/review/").text
    assert duplicate.reference not in queue
