"""Error pages in the user's language with no stack trace, and JSON errors for JSON clients."""

from __future__ import annotations

import io
import logging
from collections.abc import Callable

import pytest
from flask import Flask
from werkzeug.datastructures import FileStorage, MultiDict
from werkzeug.test import TestResponse, encode_multipart

from tests.builders import make_user
from tests.integration.support import html_lang, in_language, sign_in, translated
from tracker.accounts.models import Role
from tracker.extensions import db
from tracker.policy import Access, access

MakeApp = Callable[..., Flask]
Headers = dict[str, str]

DATABASE_DOWN = "postgresql+psycopg://nobody@127.0.0.1:9/none"
SECRET_DETAIL = "internal detail that must not leak"

# status -> (title, message) as written in the source, before translation
TEXTS = {
    400: (
        "Bad request",
        "The form expired or was sent from elsewhere. Go back, reload the page and send it again.",
    ),
    403: ("Not allowed", "You do not have permission to open this page."),
    404: ("Page not found", "There is no page at this address."),
    405: ("Method not allowed", "This page cannot be used that way."),
    413: ("File too large", "What you sent is larger than the allowed size."),
    429: ("Too many attempts", "Too many attempts. Wait a minute and try again."),
    500: ("Something went wrong", "An error occurred on our side. It has been logged."),
    503: ("Service unavailable", "The service is unavailable right now. Try again soon."),
}


def post_big_upload(app: Flask, headers: Headers | None = None) -> TestResponse:
    """POST the login form with a 1.5 MiB file attached (encoded in memory, not spooled)."""
    fields = {"email": "someone@example.org", "password": "whatever"}
    files = {"file": FileStorage(io.BytesIO(b"x" * (3 * 1024 * 1024 // 2)), "big.bin")}
    boundary, body = encode_multipart(MultiDict({**fields, **files}))
    content_type = f"multipart/form-data; boundary={boundary}"
    return app.test_client().post("/login", data=body, content_type=content_type, headers=headers)


def bad_request(make_app: MakeApp, headers: Headers) -> tuple[Flask, TestResponse]:
    app = make_app(WTF_CSRF_ENABLED=True)
    data = {"email": "someone@example.org", "password": "whatever"}
    return app, app.test_client().post("/login", data=data, headers=headers)


def forbidden(make_app: MakeApp, headers: Headers) -> tuple[Flask, TestResponse]:
    app = make_app()
    with app.app_context():
        email = make_user(Role.MEMBER).email
        db.session.commit()
    client = app.test_client()
    assert sign_in(client, email).status_code == 302
    return app, client.get("/admin/users", headers=headers)


def not_found(make_app: MakeApp, headers: Headers) -> tuple[Flask, TestResponse]:
    app = make_app()
    return app, app.test_client().get("/no-such-page", headers=headers)


def method_not_allowed(make_app: MakeApp, headers: Headers) -> tuple[Flask, TestResponse]:
    app = make_app()
    return app, app.test_client().delete("/login", headers=headers)


def too_large(make_app: MakeApp, headers: Headers) -> tuple[Flask, TestResponse]:
    app = make_app(MAX_UPLOAD_MB=0)  # the cap is then 1 MiB (the allowance for form fields)
    return app, post_big_upload(app, headers)


def too_many(make_app: MakeApp, headers: Headers) -> tuple[Flask, TestResponse]:
    app = make_app(LOGIN_LIMIT_PER_IP="1 per minute")
    client = app.test_client()
    data = {"email": "someone@example.org", "password": "whatever"}
    assert client.post("/login", data=data).status_code == 401
    return app, client.post("/login", data=data, headers=headers)


def server_error(make_app: MakeApp, headers: Headers) -> tuple[Flask, TestResponse]:
    app = make_app()
    app.config["PROPAGATE_EXCEPTIONS"] = False

    def broken() -> str:
        raise RuntimeError(SECRET_DETAIL)

    app.add_url_rule("/broken", "broken", access(Access.PUBLIC)(broken))
    return app, app.test_client().get("/broken", headers=headers)


def unavailable(make_app: MakeApp, headers: Headers) -> tuple[Flask, TestResponse]:
    app = make_app(DATABASE_URL=DATABASE_DOWN)
    return app, app.test_client().get("/", headers=headers)


TRIGGERS = {
    400: bad_request,
    403: forbidden,
    404: not_found,
    405: method_not_allowed,
    413: too_large,
    429: too_many,
    500: server_error,
    503: unavailable,
}


@pytest.mark.parametrize("code", TRIGGERS)
def test_error_page_is_in_the_users_language(
    make_app: MakeApp, code: int, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.ERROR)
    app, response = TRIGGERS[code](make_app, {"Accept-Language": "sr-Cyrl, en;q=0.5"})
    assert response.status_code == code
    assert response.mimetype == "text/html"
    assert html_lang(response) == "sr-Cyrl"
    title, message = TEXTS[code]
    assert f'{translated(app, "sr_Cyrl", title)} <span class="muted">({code})</span>' in (
        response.text
    )
    assert translated(app, "sr_Cyrl", message) in response.text
    assert "Traceback" not in response.text
    assert SECRET_DETAIL not in response.text
    assert response.headers["Cache-Control"] == "no-store"


@pytest.mark.parametrize("code", TRIGGERS)
def test_json_clients_get_json_errors(
    make_app: MakeApp, code: int, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.ERROR)
    headers = {"Accept": "application/json", "Accept-Language": "en"}
    _app, response = TRIGGERS[code](make_app, headers)
    assert response.status_code == code
    assert response.is_json
    title, message = TEXTS[code]
    assert response.json == {"error": title, "message": message, "status": code}


def test_json_error_text_follows_the_language(make_app: MakeApp) -> None:
    headers = {"Accept": "application/json", "Accept-Language": "sr-Cyrl"}
    app, response = not_found(make_app, headers)
    assert response.json["error"] == in_language(app, "sr_Cyrl", "Page not found")


def test_405_names_the_allowed_methods(make_app: MakeApp) -> None:
    _app, response = method_not_allowed(make_app, {})
    assert set(response.headers["Allow"].split(", ")) == {"GET", "HEAD", "OPTIONS", "POST"}


def test_413_comes_from_the_configured_cap(make_app: MakeApp) -> None:
    app = make_app()  # the default cap takes the same upload
    assert post_big_upload(app).status_code == 401


def test_500_is_logged_with_its_cause(make_app: MakeApp, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.ERROR)
    _app, response = server_error(make_app, {})
    assert response.status_code == 500
    logged = [r for r in caplog.records if r.exc_info and SECRET_DETAIL in str(r.exc_info[1])]
    assert logged, "the exception is not in the log"


def test_500_leaves_the_database_usable(make_app: MakeApp) -> None:
    app = make_app()
    app.config["PROPAGATE_EXCEPTIONS"] = False

    def half_done() -> str:
        make_user(Role.MEMBER, email="half@example.org")  # flushed, never committed
        raise RuntimeError(SECRET_DETAIL)

    app.add_url_rule("/half", "half", access(Access.PUBLIC)(half_done))
    client = app.test_client()
    assert client.get("/half").status_code == 500
    assert client.get("/healthz").status_code == 200
    with app.app_context():
        assert make_user(Role.MEMBER, email="half@example.org").id is not None
