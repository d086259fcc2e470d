"""Two-factor login: enrolment, codes at sign-in, replays, recovery codes, REQUIRE_2FA, limits."""

from __future__ import annotations

import re
import time
from collections.abc import Callable

import pyotp
import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient

from tests.builders import make_user
from tests.integration.support import sign_in, signed_in, translated
from tracker.accounts import twofactor
from tracker.accounts.models import RecoveryCode, Role, User
from tracker.extensions import db
from tracker.policy import Access, access
from tracker.settings.views import SETUP_SECRET

STEP = 30


class Clock:
    """Stands in for the `time` module in tracker.accounts.twofactor."""

    def __init__(self) -> None:
        self.now = float(int(time.time()) // STEP * STEP + 5)  # early in a time step

    def time(self) -> float:
        return self.now

    def advance(self, steps: int = 1) -> None:
        self.now += steps * STEP

    def code(self, secret: str) -> str:
        return pyotp.TOTP(secret).at(self.now)


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    fake = Clock()
    monkeypatch.setattr(twofactor, "time", fake)
    return fake


def enrol(client: FlaskClient, clock: Clock) -> tuple[str, list[str]]:
    """Turn on two-factor login for the signed-in client; returns the secret and recovery codes."""
    page = client.get("/account/two-factor")
    assert page.status_code == 200
    with client.session_transaction() as session:
        secret = session[SETUP_SECRET]
    assert secret in page.text  # typed by hand when the QR code cannot be scanned
    done = client.post("/account/two-factor", data={"code": clock.code(secret)})
    assert done.status_code == 200
    codes = re.findall(r"<code>([0-9a-f]{5}-[0-9a-f]{5})</code>", done.text)
    assert done.headers["Cache-Control"] == "no-store"
    return secret, codes


def password_step(client: FlaskClient, email: str, **query: str) -> None:
    response = sign_in(client, email, **query)
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login/code")


def second_step(client: FlaskClient, code: str, **query: str):
    return client.post("/login/code", query_string=query, data={"code": code})


@pytest.fixture
def enrolled(
    app: Flask, client: FlaskClient, login_as, clock: Clock
) -> tuple[User, str, list[str]]:
    """A coordinator with two-factor login on; the clock has moved on to the next step."""
    user = login_as(Role.COORDINATOR)
    secret, codes = enrol(client, clock)
    clock.advance()
    return user, secret, codes


def test_enrolment_shows_recovery_codes_once(app: Flask, enrolled, client: FlaskClient) -> None:
    user, _secret, codes = enrolled
    assert len(codes) == 10 and len(set(codes)) == 10
    assert user.totp_enabled
    with client.session_transaction() as session:
        assert SETUP_SECRET not in session
    later = client.get("/account/two-factor")
    assert later.status_code == 200
    assert not any(code in later.text for code in codes)
    stored = db.session.scalars(sa.select(RecoveryCode.code_hash)).all()
    assert len(stored) == 10
    assert not any(code.replace("-", "") in h or code in h for code in codes for h in stored)


def test_wrong_code_does_not_turn_it_on(app: Flask, client: FlaskClient, login_as) -> None:
    user = login_as(Role.COORDINATOR)
    client.get("/account/two-factor")
    response = client.post("/account/two-factor", data={"code": "000000"})
    assert response.status_code == 400
    message = "That code is not correct. Check the time on your phone."
    assert translated(app, "sr_Latn", message) in response.text
    assert not user.totp_enabled


def test_sign_in_needs_the_code(app: Flask, enrolled, clock: Clock) -> None:
    user, secret, _codes = enrolled
    client = app.test_client()
    password_step(client, user.email)
    assert not signed_in(client)  # the password alone opens nothing
    wrong = second_step(client, "123456" if clock.code(secret) != "123456" else "654321")
    assert wrong.status_code == 401
    message = "That code is not correct or was already used."
    assert translated(app, "sr_Latn", message) in wrong.text
    response = second_step(client, clock.code(secret))
    assert response.status_code == 302
    assert response.headers["Location"] == "/"
    assert signed_in(client)


def test_code_cannot_be_used_twice(app: Flask, enrolled, clock: Clock) -> None:
    user, secret, _codes = enrolled
    code = clock.code(secret)
    first, second = app.test_client(), app.test_client()
    password_step(first, user.email)
    assert second_step(first, code).status_code == 302
    password_step(second, user.email)
    assert second_step(second, code).status_code == 401  # a replay, even from elsewhere
    assert not signed_in(second)
    clock.advance()
    assert second_step(second, clock.code(secret)).status_code == 302


def test_enrolment_code_cannot_sign_in(app: Flask, client: FlaskClient, login_as, clock) -> None:
    user = login_as(Role.COORDINATOR)
    secret, _codes = enrol(client, clock)
    other = app.test_client()
    password_step(other, user.email)
    assert second_step(other, clock.code(secret)).status_code == 401


def test_recovery_code_works_once(app: Flask, enrolled) -> None:
    user, _secret, codes = enrolled
    first, second = app.test_client(), app.test_client()
    password_step(first, user.email)
    assert second_step(first, codes[3]).status_code == 302
    assert signed_in(first)
    password_step(second, user.email)
    assert second_step(second, codes[3]).status_code == 401
    assert second_step(second, codes[4].upper()).status_code == 302  # as typed from paper


def test_next_survives_the_second_step(app: Flask, enrolled, clock: Clock) -> None:
    user, secret, _codes = enrolled
    client = app.test_client()
    password_step(client, user.email, next="/account/")
    response = second_step(client, clock.code(secret), next="/account/")
    assert response.headers["Location"] == "/account/"
    clock.advance()
    evil = app.test_client()
    password_step(evil, user.email, next="//evil.example")
    response = second_step(evil, clock.code(secret), next="//evil.example")
    assert response.headers["Location"] == "/"


def test_guessing_codes_is_throttled(app: Flask, enrolled, clock: Clock) -> None:
    user, secret, _codes = enrolled
    client = app.test_client()
    password_step(client, user.email)
    right = clock.code(secret)
    wrong = [f"{n:06d}" for n in range(100000, 100020) if f"{n:06d}" != right][:5]
    for guess in wrong:
        assert second_step(client, guess).status_code == 401
    assert second_step(client, right).status_code == 429
    fresh = app.test_client()  # a new session does not reset the count
    password_step(fresh, user.email)
    assert second_step(fresh, right).status_code == 429
    assert not signed_in(fresh)


# --- when two-factor login is required ---------------------------------------------


def account(app: Flask, role: Role) -> str:
    with app.app_context():
        user = make_user(role)
        db.session.commit()
        return user.email


def strict_app(make_app: Callable[..., Flask]) -> Flask:
    app = make_app(REQUIRE_2FA=True)
    app.add_url_rule("/desk", "desk", access(Access.COORDINATOR)(lambda: "review desk"))
    app.add_url_rule("/drafts", "drafts", access(Access.MEMBER)(lambda: "my drafts"))
    return app


def test_required_second_factor_sends_coordinators_to_enrol(
    make_app: Callable[..., Flask], clock: Clock
) -> None:
    app = strict_app(make_app)
    coordinator, admin, member = app.test_client(), app.test_client(), app.test_client()
    assert sign_in(coordinator, account(app, Role.COORDINATOR)).status_code == 302
    assert sign_in(admin, account(app, Role.ADMIN)).status_code == 302
    assert sign_in(member, account(app, Role.MEMBER)).status_code == 302
    for client, path in ((coordinator, "/desk"), (coordinator, "/drafts"), (admin, "/admin/users")):
        response = client.get(path)
        assert response.status_code == 302, path
        assert response.headers["Location"] == "/account/two-factor"
    assert member.get("/drafts").text == "my drafts"
    setup = coordinator.get("/account/two-factor")
    notice = "Your role requires two-factor login. Set it up to continue."
    assert translated(app, "sr_Latn", notice) in setup.text
    enrol(coordinator, clock)
    assert coordinator.get("/desk").text == "review desk"


def test_demo_notice_only_when_two_factor_is_not_required(
    make_app: Callable[..., Flask],
) -> None:
    assert (
        'data-testid="demo-notice"'
        not in make_app(REQUIRE_2FA=True).test_client().get("/login").text
    )
    assert (
        'data-testid="demo-notice"' in make_app(REQUIRE_2FA=False).test_client().get("/login").text
    )


def test_coordinator_cannot_turn_off_a_required_second_factor(
    make_app: Callable[..., Flask], clock: Clock
) -> None:
    app = strict_app(make_app)
    client = app.test_client()
    email = account(app, Role.COORDINATOR)
    assert sign_in(client, email).status_code == 302
    secret, _codes = enrol(client, clock)
    assert "/account/two-factor/disable" not in client.get("/account/two-factor").text
    clock.advance()
    response = client.post("/account/two-factor/disable", data={"off-code": clock.code(secret)})
    assert response.status_code == 403
    with app.app_context():
        assert db.session.scalar(sa.select(User).where(User.email == email)).totp_enabled


def test_member_may_turn_it_off_with_a_code(
    app: Flask, client: FlaskClient, login_as, clock: Clock
) -> None:
    user = login_as(Role.MEMBER)
    secret, _codes = enrol(client, clock)
    assert "/account/two-factor/disable" in client.get("/account/two-factor").text
    refused = client.post("/account/two-factor/disable", data={"off-code": clock.code(secret)})
    assert refused.status_code == 303  # the enrolment code, replayed
    assert user.totp_enabled
    clock.advance()
    response = client.post("/account/two-factor/disable", data={"off-code": clock.code(secret)})
    assert response.status_code == 302
    db.session.refresh(user)
    assert not user.totp_enabled
    assert db.session.scalars(sa.select(RecoveryCode)).all() == []
