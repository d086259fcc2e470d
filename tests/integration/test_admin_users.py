"""Administrators manage accounts: deactivation and role changes end sessions; never on oneself."""

from __future__ import annotations

import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests.builders import make_case, make_user
from tests.integration.support import sign_in, signed_in
from tracker.accounts.models import Role, User
from tracker.cases.models import Case
from tracker.extensions import db


@pytest.fixture
def admin(app: Flask, client: FlaskClient, login_as) -> User:
    return login_as(Role.ADMIN)


def signed_in_member(app: Flask) -> tuple[User, FlaskClient]:
    member = make_user(Role.MEMBER)
    db.session.commit()
    member_client = app.test_client()
    assert sign_in(member_client, member.email).status_code == 302
    assert signed_in(member_client)
    return member, member_client


def test_deactivation_ends_the_session_at_once_and_keeps_the_cases(
    app: Flask, client: FlaskClient, admin: User
) -> None:
    member, member_client = signed_in_member(app)
    case_id = make_case(member, title="Contract given to the mayor's cousin").id
    db.session.commit()

    response = client.post(f"/admin/users/{member.id}/deactivate")
    assert response.status_code == 302
    assert response.headers["Location"] == f"/admin/users/{member.id}"

    assert not signed_in(member_client)  # the very next request
    assert sign_in(app.test_client(), member.email).status_code == 401
    db.session.expire_all()
    case = db.session.get(Case, case_id)
    assert case is not None and case.reporter_id == member.id
    assert db.session.get(User, member.id).deactivated_at is not None


def test_reactivated_account_can_sign_in_again(
    app: Flask, client: FlaskClient, admin: User
) -> None:
    member, _member_client = signed_in_member(app)
    assert client.post(f"/admin/users/{member.id}/deactivate").status_code == 302
    assert client.post(f"/admin/users/{member.id}/reactivate").status_code == 302
    assert sign_in(app.test_client(), member.email).status_code == 302


def test_admin_cannot_deactivate_themselves(app: Flask, client: FlaskClient, admin: User) -> None:
    assert client.post(f"/admin/users/{admin.id}/deactivate").status_code == 403
    assert signed_in(client)
    db.session.refresh(admin)
    assert admin.active


def test_admin_cannot_change_their_own_role(app: Flask, client: FlaskClient, admin: User) -> None:
    page = client.get(f"/admin/users/{admin.id}")
    assert page.status_code == 200
    assert 'name="role"' not in page.text  # the form is not offered either
    assert client.post(f"/admin/users/{admin.id}", data={"role": "member"}).status_code == 403
    db.session.refresh(admin)
    assert admin.role is Role.ADMIN
    assert client.get("/admin/users").status_code == 200


def test_role_change_applies_and_ends_the_targets_sessions(
    app: Flask, client: FlaskClient, admin: User
) -> None:
    member, member_client = signed_in_member(app)
    response = client.post(f"/admin/users/{member.id}", data={"role": "coordinator"})
    assert response.status_code == 302
    db.session.refresh(member)
    assert member.role is Role.COORDINATOR
    assert not signed_in(member_client)
    assert signed_in(client)  # the admin's own session is untouched


def test_unknown_role_is_refused(app: Flask, client: FlaskClient, admin: User) -> None:
    member, member_client = signed_in_member(app)
    response = client.post(f"/admin/users/{member.id}", data={"role": "emperor"})
    assert response.status_code == 400
    db.session.refresh(member)
    assert member.role is Role.MEMBER
    assert signed_in(member_client)


def test_unknown_user_is_404(app: Flask, client: FlaskClient, admin: User) -> None:
    assert client.get("/admin/users/999999").status_code == 404
    assert client.post("/admin/users/999999/deactivate").status_code == 404


@pytest.mark.parametrize("role", [Role.MEMBER, Role.COORDINATOR])
def test_members_and_coordinators_cannot_manage_users(
    app: Flask, client: FlaskClient, login_as, role: Role
) -> None:
    me = login_as(role)
    other = make_user(Role.MEMBER)
    db.session.commit()
    assert client.get("/admin/users").status_code == 403
    assert client.get(f"/admin/users/{other.id}").status_code == 403
    assert client.post(f"/admin/users/{other.id}/deactivate").status_code == 403
    assert client.post(f"/admin/users/{me.id}", data={"role": "admin"}).status_code == 403
    db.session.refresh(other)
    db.session.refresh(me)
    assert other.active and me.role is role


def test_visitor_is_sent_to_login(app: Flask, client: FlaskClient) -> None:
    response = client.get("/admin/users")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login?next=")
