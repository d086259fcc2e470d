"""Security headers on every kind of response, no caching of personal pages, cookie flags.

Headers are compared with tracker.security's constants and with literal strings, so that
weakening the policy in one place fails here.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from tests.builders import DEFAULT_PASSWORD, make_user
from tracker import security
from tracker.accounts.models import Role
from tracker.extensions import db
from tracker.policy import Access, access

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; "
    "form-action 'self'; frame-ancestors 'none'"
)
EXPECTED = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), payment=(), usb=()",
}
HSTS = "max-age=63072000; includeSubDomains"


def test_the_policy_constants_are_the_expected_ones() -> None:
    assert security.CSP == CSP
    assert security.BASE_HEADERS == EXPECTED
    assert security.HSTS == HSTS
    directives = dict(d.split(" ", 1) for d in CSP.split("; "))
    assert directives["script-src"] == "'self'"  # no 'unsafe-inline', no 'unsafe-eval'
    assert directives["frame-ancestors"] == "'none'"
    assert directives["object-src"] == "'none'"


def every_kind_of_response(app: Flask) -> dict[str, TestResponse]:
    """A page, a redirect, a 404, a 405, a 500, JSON and a static file."""
    app.config["PROPAGATE_EXCEPTIONS"] = False

    def broken() -> str:
        raise RuntimeError("boom")

    app.add_url_rule("/broken", "broken", access(Access.PUBLIC)(broken))
    client = app.test_client()
    responses = {
        "page": client.get("/"),
        "redirect": client.get("/account/"),
        "not found": client.get("/no-such-page"),
        "method not allowed": client.post("/healthz"),
        "server error": client.get("/broken"),
        "json": client.get("/healthz"),
        "static": client.get("/static/css/app.css"),
    }
    expected_status = {
        "page": 200,
        "redirect": 302,
        "not found": 404,
        "method not allowed": 405,
        "server error": 500,
        "json": 200,
        "static": 200,
    }
    for response in responses.values():
        response.close()  # the static file is streamed from disk
    assert {k: r.status_code for k, r in responses.items()} == expected_status
    assert responses["json"].is_json
    return responses


def test_every_response_carries_the_security_headers(make_app: Callable[..., Flask]) -> None:
    for kind, response in every_kind_of_response(make_app()).items():
        for name, value in EXPECTED.items():
            assert response.headers.get(name) == value, (kind, name)
            assert response.headers.get(name) == security.BASE_HEADERS[name], (kind, name)
        assert "Strict-Transport-Security" not in response.headers, kind  # plain HTTP locally


def test_production_adds_hsts_everywhere(make_app: Callable[..., Flask]) -> None:
    app = make_app(ENV_NAME="production", SECRET_KEY="x")
    for kind, response in every_kind_of_response(app).items():
        assert response.headers.get("Strict-Transport-Security") == HSTS, kind
        assert response.headers.get("Content-Security-Policy") == CSP, kind


def test_personal_pages_and_login_are_never_cached(
    app: Flask, client: FlaskClient, login_as
) -> None:
    assert client.get("/login").headers["Cache-Control"] == "no-store"
    login_as(Role.MEMBER)
    for path in ("/account/", "/account/password", "/account/two-factor"):
        response = client.get(path)
        assert response.status_code == 200, path
        assert response.headers["Cache-Control"] == "no-store", path


def test_static_files_may_be_cached(client: FlaskClient) -> None:
    with client.get("/static/css/app.css") as response:
        assert response.status_code == 200
    assert "no-store" not in response.headers.get("Cache-Control", "")
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def cookie_flags(response: TestResponse, name: str) -> set[str]:
    """The attributes of the Set-Cookie header for `name`, lower-cased."""
    for header in response.headers.getlist("Set-Cookie"):
        if header.startswith(f"{name}="):
            return {part.strip().lower() for part in header.split(";")[1:]}
    raise AssertionError(f"no {name} cookie in {response.headers.getlist('Set-Cookie')}")


def signed_in_response(app: Flask) -> TestResponse:
    with app.app_context():
        user = make_user(Role.MEMBER)
        db.session.commit()
        email = user.email
    response = app.test_client().post(
        "/login?lang=en", data={"email": email, "password": DEFAULT_PASSWORD, "remember": "y"}
    )
    assert response.status_code == 302
    return response


@pytest.mark.parametrize("cookie", ["session", "remember_token", "lang"])
def test_cookies_are_http_only_and_same_site(make_app: Callable[..., Flask], cookie: str) -> None:
    flags = cookie_flags(signed_in_response(make_app()), cookie)
    assert "httponly" in flags
    assert "samesite=lax" in flags
    assert "secure" not in flags  # local development runs on plain HTTP


@pytest.mark.parametrize("cookie", ["session", "remember_token", "lang"])
def test_cookies_are_secure_in_production(make_app: Callable[..., Flask], cookie: str) -> None:
    app = make_app(ENV_NAME="production", SECRET_KEY="x")
    flags = cookie_flags(signed_in_response(app), cookie)
    assert {"httponly", "samesite=lax", "secure"} <= flags


def test_tile_server_is_allowed_only_when_configured(make_app) -> None:  # type: ignore[no-untyped-def]
    plain = make_app().test_client().get("/")
    assert "img-src 'self' data:;" in plain.headers["Content-Security-Policy"]
    tiles = make_app(MAP_TILE_URL="https://{s}.tiles.example.org/{z}/{x}/{y}.png")
    policy = tiles.test_client().get("/").headers["Content-Security-Policy"]
    assert "img-src 'self' data: https://*.tiles.example.org;" in policy
    assert "script-src 'self';" in policy
