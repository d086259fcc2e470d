"""Password reset by emailed link, and password change: single use, expiry, sessions ending."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient

from tests.builders import DEFAULT_PASSWORD, make_user
from tests.integration.support import (
    sent_mail,
    sign_in,
    signed_in,
    token_from_mail,
    translated,
)
from tracker.accounts import services
from tracker.accounts.models import AccountToken, Role, User
from tracker.dbtypes import utcnow
from tracker.extensions import db

NEW_PASSWORD = "a brand new passphrase"


@pytest.fixture
def user(app: Flask) -> User:
    member = make_user(Role.MEMBER, email="ana@example.org")
    db.session.commit()
    return member


def ask_for_link(app: Flask, caplog: pytest.LogCaptureFixture, email: str) -> str:
    assert app.test_client().post("/reset", data={"email": email}).status_code == 302
    (message,) = sent_mail(caplog)
    assert message["To"] == email
    return token_from_mail(message, "/reset/")


def set_password(client: FlaskClient, token: str, password: str = NEW_PASSWORD) -> int:
    data = {"password": password, "confirm": password}
    return client.post(f"/reset/{token}", data=data).status_code


def test_known_and_unknown_addresses_get_identical_answers(
    app: Flask, user: User, caplog: pytest.LogCaptureFixture
) -> None:
    answers = []
    for email in (user.email, "nobody@example.org"):
        client = app.test_client()
        response = client.post("/reset", data={"email": email})
        cookie = client.get_cookie("session")
        assert cookie is not None
        session = app.session_interface.get_signing_serializer(app).loads(cookie.value)
        headers = sorted((k, v) for k, v in response.headers if k != "Set-Cookie")
        answers.append((response.status_code, headers, response.data, session))
        answers.append(client.get("/login").data)  # the page that shows the flash message
    known, known_page, unknown, unknown_page = answers
    assert known == unknown
    assert known_page == unknown_page
    assert known[0] == 302 and ("Location", "/login") in known[1]
    assert (
        translated(app, "sr_Latn", "If an account uses that address, a reset link is on its way.")
        in known_page.decode()
    )
    # Only the real account got a message.
    assert [m["To"] for m in sent_mail(caplog)] == [user.email]


def test_inactive_account_gets_no_link(
    app: Flask, user: User, caplog: pytest.LogCaptureFixture
) -> None:
    user.active = False
    db.session.commit()
    assert app.test_client().post("/reset", data={"email": user.email}).status_code == 302
    assert sent_mail(caplog) == []


def test_link_sets_a_new_password_once(
    app: Flask, user: User, caplog: pytest.LogCaptureFixture
) -> None:
    token = ask_for_link(app, caplog, user.email)
    client = app.test_client()
    assert client.get(f"/reset/{token}").status_code == 200
    response = client.post(
        f"/reset/{token}", data={"password": NEW_PASSWORD, "confirm": NEW_PASSWORD}
    )
    assert response.status_code == 302
    assert response.headers["Location"] == "/login"

    again = app.test_client()
    refused = again.get(f"/reset/{token}")
    assert refused.status_code == 404
    assert translated(app, "sr_Latn", "Link not valid") in refused.text
    assert set_password(again, token, "someone else's passphrase") == 404

    assert sign_in(app.test_client(), user.email, DEFAULT_PASSWORD).status_code == 401
    assert sign_in(app.test_client(), user.email, "someone else's passphrase").status_code == 401
    assert sign_in(app.test_client(), user.email, NEW_PASSWORD).status_code == 302


def test_expired_link_is_refused(app: Flask, user: User, caplog: pytest.LogCaptureFixture) -> None:
    token = ask_for_link(app, caplog, user.email)
    db.session.scalars(sa.select(AccountToken)).one().expires_at = utcnow() - timedelta(seconds=1)
    db.session.commit()
    client = app.test_client()
    assert client.get(f"/reset/{token}").status_code == 404
    assert set_password(client, token) == 404
    assert sign_in(client, user.email, DEFAULT_PASSWORD).status_code == 302


def test_link_lives_for_the_configured_minutes(
    app: Flask, user: User, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    token = ask_for_link(app, caplog, user.email)
    issued = utcnow()
    client = app.test_client()
    monkeypatch.setattr(services, "utcnow", lambda: issued + timedelta(minutes=29))
    assert client.get(f"/reset/{token}").status_code == 200
    monkeypatch.setattr(services, "utcnow", lambda: issued + timedelta(minutes=31))
    assert client.get(f"/reset/{token}").status_code == 404


def test_reset_ends_every_other_session(
    app: Flask, user: User, caplog: pytest.LogCaptureFixture
) -> None:
    laptop, phone = app.test_client(), app.test_client()
    assert sign_in(laptop, user.email).status_code == 302
    phone.post("/login", data={"email": user.email, "password": DEFAULT_PASSWORD, "remember": "y"})
    assert signed_in(laptop) and signed_in(phone)

    token = ask_for_link(app, caplog, user.email)
    assert set_password(app.test_client(), token) == 302

    assert not signed_in(laptop)
    phone.delete_cookie("session")  # "keep me signed in" must not bring the session back
    assert phone.get_cookie("remember_token") is not None
    assert not signed_in(phone)


def test_deactivated_account_cannot_use_an_old_link(
    app: Flask, user: User, caplog: pytest.LogCaptureFixture
) -> None:
    token = ask_for_link(app, caplog, user.email)
    user.active = False
    db.session.commit()
    assert set_password(app.test_client(), token) == 400
    db.session.refresh(user)
    assert services.authenticate(user.email, NEW_PASSWORD) is None


def test_too_short_password_is_refused_and_the_link_still_works(
    app: Flask, user: User, caplog: pytest.LogCaptureFixture
) -> None:
    token = ask_for_link(app, caplog, user.email)
    client = app.test_client()
    response = client.post(f"/reset/{token}", data={"password": "short", "confirm": "short"})
    assert response.status_code == 400
    assert translated(app, "sr_Latn", "Use at least %(n)s characters.", n=12) in response.text
    assert set_password(client, token) == 302


# --- password change ----------------------------------------------------------------


def change(client: FlaskClient, current: str, new: str = NEW_PASSWORD):
    data = {"current": current, "password": new, "confirm": new}
    return client.post("/account/password", data=data)


def test_change_with_wrong_current_password_is_refused(
    app: Flask, client: FlaskClient, login_as
) -> None:
    user = login_as(Role.MEMBER)
    response = change(client, "not my password")
    assert response.status_code == 400
    assert translated(app, "sr_Latn", "The current password is not correct.") in response.text
    assert signed_in(client)
    assert sign_in(app.test_client(), user.email, DEFAULT_PASSWORD).status_code == 302


def test_change_ends_other_sessions_but_keeps_this_one(
    app: Flask, client: FlaskClient, login_as
) -> None:
    user = login_as(Role.MEMBER)
    other = app.test_client()
    assert sign_in(other, user.email).status_code == 302

    response = change(client, DEFAULT_PASSWORD)
    assert response.status_code == 302
    assert response.headers["Location"] == "/account/"
    assert signed_in(client)
    assert not signed_in(other)
    assert sign_in(app.test_client(), user.email, DEFAULT_PASSWORD).status_code == 401
    assert sign_in(app.test_client(), user.email, NEW_PASSWORD).status_code == 302
