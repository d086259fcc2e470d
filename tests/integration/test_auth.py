"""Signing in and out: credentials, open redirects, logout by POST only, throttling, CSRF."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
import redis
from flask import Flask
from flask.testing import FlaskClient

from tests.builders import DEFAULT_PASSWORD, make_user
from tests.conftest import csrf_token
from tests.integration.support import html_lang, sign_in, signed_in, translated
from tracker.accounts.models import Role, User
from tracker.extensions import db

BAD_LOGIN = "The email or password is not correct."
REDIS_URL = "redis://127.0.0.1:6379/15"
CSRF_MESSAGE = (
    "The form expired or was sent from elsewhere. Go back, reload the page and send it again."
)


def new_user(role: Role = Role.MEMBER, **fields: object) -> User:
    user = make_user(role, **fields)
    db.session.commit()
    return user


# --- credentials --------------------------------------------------------------------


def test_right_credentials_sign_in_and_the_session_works(app: Flask, client: FlaskClient) -> None:
    user = new_user()
    assert not signed_in(client)
    response = sign_in(client, user.email)
    assert response.status_code == 302
    assert response.headers["Location"] == "/"
    page = client.get("/account/")
    assert page.status_code == 200
    assert user.email in page.text


def test_email_is_matched_without_case_or_surrounding_space(app: Flask, client) -> None:
    user = new_user(email="ana@example.org")
    assert sign_in(client, "  Ana@Example.ORG ").status_code == 302
    assert signed_in(client)
    assert user.last_login_at is not None


def test_wrong_password_and_unknown_email_get_the_same_answer(app: Flask) -> None:
    user = new_user()
    wrong = sign_in(app.test_client(), user.email, "not the password at all")
    unknown = sign_in(app.test_client(), "nobody@example.org", "not the password at all")
    message = translated(app, "sr_Latn", BAD_LOGIN)
    for response, typed in ((wrong, user.email), (unknown, "nobody@example.org")):
        assert response.status_code == 401
        assert message in response.text
        assert f'value="{typed}"' in response.text  # what the user typed is kept
        assert "not the password at all" not in response.text  # a password never is
    # Nothing in the page tells an existing account from an unknown address.
    assert wrong.text.replace(user.email, "X") == unknown.text.replace("nobody@example.org", "X")


def test_deactivated_user_cannot_sign_in(app: Flask, client: FlaskClient) -> None:
    user = new_user()
    user.active = False
    db.session.commit()
    response = sign_in(client, user.email)
    assert response.status_code == 401
    assert translated(app, "sr_Latn", BAD_LOGIN) in response.text
    assert not signed_in(client)


def test_next_is_honoured_for_a_path_on_this_site(app: Flask, client: FlaskClient) -> None:
    user = new_user()
    response = sign_in(client, user.email, next="/account/")
    assert response.status_code == 302
    assert response.headers["Location"] == "/account/"


@pytest.mark.parametrize(
    "target",
    [
        "https://evil.example",
        "//evil.example",
        "/\\evil.example",
        "\\\\evil.example",
        " //evil.example",
        "javascript:alert(1)",
        "http:/evil.example",
    ],
)
def test_next_pointing_elsewhere_is_refused(app: Flask, client: FlaskClient, target: str) -> None:
    user = new_user()
    response = sign_in(client, user.email, next=target)
    assert response.status_code == 302
    assert response.headers["Location"] == "/"


def test_logout_by_get_only_shows_a_form(app: Flask, client: FlaskClient, login_as) -> None:
    login_as(Role.MEMBER)
    response = client.get("/logout")
    assert response.status_code == 200
    assert '<form method="post">' in response.text
    assert signed_in(client)  # a link or an <img src="/logout"> signs nobody out


def test_logout_by_post_signs_out(app: Flask, client: FlaskClient, login_as) -> None:
    login_as(Role.MEMBER)
    response = client.post("/logout")
    assert response.status_code == 302
    assert not signed_in(client)


def test_signing_out_ends_copies_of_the_session_cookie_too(
    app: Flask, client: FlaskClient, login_as
) -> None:
    """A session cookie copied off a device (seized, lost, shared) must not outlive the
    owner's signing out: signing out ends every session of the account."""
    user = login_as(Role.MEMBER)
    copy = app.test_client()
    copy.set_cookie("session", client.get_cookie("session").value)
    other_device = app.test_client()
    assert sign_in(other_device, user.email).status_code == 302
    assert signed_in(copy) and signed_in(other_device)
    assert client.post("/logout").status_code == 302
    assert not signed_in(client)
    assert not signed_in(copy)
    assert not signed_in(other_device)
    assert sign_in(client, user.email).status_code == 302  # signing in again works
    assert signed_in(client)


# --- throttling ---------------------------------------------------------------------


def test_sixth_failure_for_one_account_is_throttled_in_the_users_language(app: Flask) -> None:
    user, other = new_user(), new_user()
    client = app.test_client()
    client.set_cookie("lang", "sr-Cyrl")
    spellings = [user.email, user.email.upper(), f" {user.email}"] * 2
    for typed in spellings[:5]:  # other spellings of the address count for the same account
        assert sign_in(client, typed, "wrong password").status_code == 401
    locked = sign_in(client, user.email)  # even the right password waits out the window
    assert locked.status_code == 429
    assert html_lang(locked) == "sr-Cyrl"
    assert translated(app, "sr_Cyrl", "Too many attempts") in locked.text
    assert "Traceback" not in locked.text
    # Someone else using the same network is not locked out with them.
    assert sign_in(client, other.email, "wrong password").status_code == 401
    assert sign_in(client, other.email).status_code == 302


def test_successful_sign_ins_do_not_count(app: Flask) -> None:
    user = new_user()
    for _ in range(4):
        assert sign_in(app.test_client(), user.email, "wrong password").status_code == 401
    for _ in range(6):
        assert sign_in(app.test_client(), user.email).status_code == 302
    assert sign_in(app.test_client(), user.email, "wrong password").status_code == 401
    assert sign_in(app.test_client(), user.email, "wrong password").status_code == 429


def test_per_address_limit_trips_across_accounts(make_app: Callable[..., Flask]) -> None:
    app = make_app(LOGIN_LIMIT_PER_IP="3 per minute")
    client = app.test_client()
    for n in range(3):
        assert sign_in(client, f"guess{n}@example.org", "wrong").status_code == 401
    assert sign_in(client, "guess9@example.org", "wrong").status_code == 429
    elsewhere = app.test_client()
    elsewhere.environ_base["REMOTE_ADDR"] = "192.0.2.7"
    assert sign_in(elsewhere, "guess9@example.org", "wrong").status_code == 401


@pytest.fixture
def redis_db() -> Iterator[redis.Redis]:
    server = redis.Redis.from_url(REDIS_URL)
    server.flushdb()
    yield server
    server.flushdb()
    server.close()


def test_throttling_works_with_redis_storage(
    make_app: Callable[..., Flask], redis_db: redis.Redis
) -> None:
    app = make_app(RATELIMIT_STORAGE_URI=REDIS_URL)
    with app.app_context():
        user = new_user()
        email = user.email
    client = app.test_client()
    for _ in range(5):
        assert sign_in(client, email, "wrong password").status_code == 401
    assert sign_in(client, email).status_code == 429
    keys = [key.decode() for key in redis_db.keys("*")]
    assert any(f"account:{email}" in key for key in keys), keys  # counted in Redis
    redis_db.flushdb()  # another app server sharing the store would see the reset too
    assert sign_in(client, email).status_code == 302


# --- CSRF ---------------------------------------------------------------------------


def test_login_without_csrf_token_is_refused(make_app: Callable[..., Flask]) -> None:
    app = make_app(WTF_CSRF_ENABLED=True)
    with app.app_context():
        email = new_user().email
    client = app.test_client()
    client.get("/login")  # a session exists, the token is just missing from the form
    response = client.post("/login", data={"email": email, "password": DEFAULT_PASSWORD})
    assert response.status_code == 400
    assert html_lang(response) == "sr-Latn"
    assert translated(app, "sr_Latn", CSRF_MESSAGE) in response.text
    assert not signed_in(client)


def test_login_with_csrf_token_works(make_app: Callable[..., Flask]) -> None:
    app = make_app(WTF_CSRF_ENABLED=True)
    with app.app_context():
        email = new_user().email
    client = app.test_client()
    token = csrf_token(client, "/login")
    response = client.post(
        "/login", data={"email": email, "password": DEFAULT_PASSWORD, "csrf_token": token}
    )
    assert response.status_code == 302
    assert signed_in(client)
