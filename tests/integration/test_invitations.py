"""Invitations: only admins send them; the link is long, hashed at rest, single use, expiring."""

from __future__ import annotations

import hashlib
from datetime import timedelta

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient

from tests.builders import make_user
from tests.integration.support import sent_mail, signed_in, token_from_mail, translated
from tracker.accounts.models import AccountToken, Role, TokenPurpose, User
from tracker.dbtypes import utcnow
from tracker.extensions import db

NEW_PASSWORD = "a long and new passphrase"


def invite(client: FlaskClient, email: str, role: str = "coordinator") -> int:
    response = client.post(
        "/admin/invitations", data={"email": email, "role": role, "organisation": "0"}
    )
    return response.status_code


@pytest.fixture
def invitation(app: Flask, client: FlaskClient, login_as, caplog: pytest.LogCaptureFixture) -> str:
    """An admin invites a coordinator; the raw token from the logged mail."""
    login_as(Role.ADMIN)
    assert invite(client, "new.person@example.org") == 302
    (message,) = sent_mail(caplog)
    assert message["To"] == "new.person@example.org"
    return token_from_mail(message, "/invite/")


def accept(client: FlaskClient, token: str, name: str = "New Person") -> int:
    data = {"name": name, "password": NEW_PASSWORD, "confirm": NEW_PASSWORD}
    return client.post(f"/invite/{token}", data=data).status_code


def test_link_is_long_and_only_its_hash_is_stored(app: Flask, invitation: str) -> None:
    assert len(invitation) >= 22  # at least 128 bits in URL-safe base64
    row = db.session.scalars(sa.select(AccountToken)).one()
    assert row.purpose is TokenPurpose.INVITE
    assert row.role is Role.COORDINATOR
    assert row.token_hash == hashlib.sha256(invitation.encode()).hexdigest()
    with db.engine.connect() as conn:
        stored = conn.execute(sa.select(AccountToken.__table__)).one()
    assert all(invitation not in str(value) for value in stored)


def test_accepting_creates_the_account_with_the_invited_role(app: Flask, invitation: str) -> None:
    visitor = app.test_client()
    form = visitor.get(f"/invite/{invitation}")
    assert form.status_code == 200
    assert 'name="name"' in form.text and 'name="password"' in form.text
    assert "new.person@example.org" in form.text

    assert accept(visitor, invitation) == 302
    user = db.session.scalar(sa.select(User).where(User.email == "new.person@example.org"))
    assert user is not None
    assert (user.name, user.role, user.active) == ("New Person", Role.COORDINATOR, True)
    assert signed_in(visitor)
    assert "New Person" in visitor.get("/account/").text


def test_link_works_only_once(app: Flask, invitation: str) -> None:
    assert accept(app.test_client(), invitation) == 302
    again = app.test_client()
    response = again.get(f"/invite/{invitation}")
    assert response.status_code == 404
    assert translated(app, "sr_Latn", "Link not valid") in response.text
    assert accept(again, invitation, name="Someone Else") == 404
    assert db.session.scalar(sa.select(sa.func.count()).select_from(User)) == 2  # admin + one


def test_expired_link_is_refused(app: Flask, invitation: str) -> None:
    row = db.session.scalars(sa.select(AccountToken)).one()
    row.expires_at = utcnow() - timedelta(seconds=1)
    db.session.commit()
    visitor = app.test_client()
    assert visitor.get(f"/invite/{invitation}").status_code == 404
    assert accept(visitor, invitation) == 404
    assert db.session.scalar(sa.select(User).where(User.email == "new.person@example.org")) is None


def test_unknown_link_is_refused(app: Flask, client: FlaskClient) -> None:
    response = client.get("/invite/" + "A" * 43)
    assert response.status_code == 404
    assert translated(app, "sr_Latn", "Link not valid") in response.text


def test_too_short_password_keeps_the_link_usable(app: Flask, invitation: str) -> None:
    visitor = app.test_client()
    data = {"name": "New Person", "password": "short", "confirm": "short"}
    response = visitor.post(f"/invite/{invitation}", data=data)
    assert response.status_code == 400
    assert translated(app, "sr_Latn", "Use at least %(n)s characters.", n=12) in response.text
    assert 'value="New Person"' in response.text  # what was typed is kept
    assert accept(visitor, invitation) == 302


def test_inviting_an_existing_address_is_refused(
    app: Flask, client: FlaskClient, login_as, caplog: pytest.LogCaptureFixture
) -> None:
    login_as(Role.ADMIN)
    existing = make_user(Role.MEMBER, email="taken@example.org")
    db.session.commit()
    typed = "Taken@Example.org"
    response = client.post(
        "/admin/invitations", data={"email": typed, "role": "member", "organisation": "0"}
    )
    assert response.status_code == 400
    message = "An account with this address already exists."
    assert translated(app, "sr_Latn", message) in response.text
    assert f'value="{typed}"' in response.text
    assert sent_mail(caplog) == []
    assert db.session.scalars(sa.select(AccountToken)).all() == []
    assert existing.role is Role.MEMBER


def test_invalid_address_is_refused_and_kept(app: Flask, client: FlaskClient, login_as) -> None:
    login_as(Role.ADMIN)
    assert invite(client, "not-an-address") == 400
    response = client.post("/admin/invitations", data={"email": "not-an-address", "role": "member"})
    assert 'value="not-an-address"' in response.text
    assert db.session.scalars(sa.select(AccountToken)).all() == []


@pytest.mark.parametrize("role", [Role.MEMBER, Role.COORDINATOR])
def test_only_admins_may_invite(
    app: Flask, client: FlaskClient, login_as, caplog: pytest.LogCaptureFixture, role: Role
) -> None:
    login_as(role)
    assert client.get("/admin/invitations").status_code == 403
    assert invite(client, "friend@example.org", role="admin") == 403
    assert sent_mail(caplog) == []
    assert db.session.scalars(sa.select(AccountToken)).all() == []


def test_visitor_is_sent_to_login(app: Flask, client: FlaskClient) -> None:
    response = client.get("/admin/invitations")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login?next=")
    assert invite(client, "friend@example.org") == 302
    assert db.session.scalars(sa.select(AccountToken)).all() == []


def test_address_taken_after_the_invitation_gives_a_message(app: Flask, invitation: str) -> None:
    make_user(Role.MEMBER, email="new.person@example.org")
    db.session.commit()
    visitor = app.test_client()
    data = {"name": "New Person", "password": NEW_PASSWORD, "confirm": NEW_PASSWORD}
    response = visitor.post(f"/invite/{invitation}", data=data)
    assert response.status_code == 400
    message = "An account with this address already exists."
    assert translated(app, "sr_Latn", message) in response.text
    assert not signed_in(visitor)
