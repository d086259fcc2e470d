"""Shared fixtures: app, client, runner, login_as, builders; SQLite or PostgreSQL.

Set TEST_DATABASE_URL to run the whole suite on another database (PostgreSQL in CI).
The schema is created once per run; after each test every table but the gazetteer is emptied.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask, g, request_started
from flask.testing import FlaskClient, FlaskCliRunner

from tests.builders import DEFAULT_PASSWORD, make_user
from tracker import create_app
from tracker.accounts.models import Role, User
from tracker.extensions import db
from tracker.geo.services import load_municipalities

KEEP_TABLES = {"municipality"}  # loaded once per run, read-only in tests


def database_url(tmp_root: Path) -> str:
    """The database the suite runs on: TEST_DATABASE_URL, or a SQLite file for this run."""
    return os.environ.get("TEST_DATABASE_URL") or f"sqlite:///{tmp_root / 'test.db'}"


@pytest.fixture(scope="session")
def db_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Create the schema once for the run and load the gazetteer."""
    root = tmp_path_factory.mktemp("db")
    url = database_url(root)
    app = create_app(_test_config(url, root))
    with app.app_context():
        db.drop_all()
        db.create_all()
        load_municipalities()
        db.session.commit()
    yield url
    with app.app_context():
        db.drop_all()
        db.engine.dispose()


def _test_config(url: str, root: Path, **extra: Any) -> dict[str, Any]:
    return {
        "ENV_NAME": "testing",
        "TESTING": True,
        "PUBLIC_STATE_TTL": 0,  # every test empties the tables: never reuse a version
        "SECRET_KEY": "test-secret-key",
        "DATABASE_URL": url,
        "STORAGE_DIR": str(root / "evidence"),
        "WTF_CSRF_ENABLED": False,
        "MAIL_SERVER": "",
        "MAIL_DELIVERY": "inline",
        "SERVER_NAME": None,
        **extra,
    }


def _empty_tables(url: str) -> None:
    engine = sa.create_engine(url)
    tables = [t for t in reversed(db.metadata.sorted_tables) if t.name not in KEEP_TABLES]
    with engine.begin() as conn:
        if engine.dialect.name == "postgresql":
            names = ", ".join(engine.dialect.identifier_preparer.quote(t.name) for t in tables)
            conn.execute(sa.text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
        else:
            for table in tables:
                conn.execute(table.delete())
    engine.dispose()


@pytest.fixture
def make_app(
    db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Callable[..., Flask]]:
    """Build an app on the test database with extra configuration; cleaned up after the test."""
    monkeypatch.setenv("TRACKER_INSTANCE_PATH", str(tmp_path / "instance"))
    apps: list[Flask] = []

    def build(**extra: Any) -> Flask:
        app = create_app(_test_config(db_url, tmp_path, **extra))
        request_started.connect(_fresh_globals, app)
        apps.append(app)
        return app

    yield build
    for app in apps:
        request_started.disconnect(_fresh_globals, app)
        with app.app_context():
            db.session.remove()
            db.engine.dispose()
    _empty_tables(db_url)


def _fresh_globals(_sender: Flask, **_extra: Any) -> None:
    """Start each request with an empty `g`, as its own app context would in production.

    The `app` fixture keeps one app context open around every request of a test, so without
    this, per-request state on `g` (Flask-Login's cached user, Flask-WTF's CSRF token) would
    carry over from one request, and one client, to the next.
    """
    for name in list(g):
        g.pop(name)


@pytest.fixture
def app(make_app: Callable[..., Flask]) -> Iterator[Flask]:
    """The application with an app context pushed, so tests can use the session directly."""
    application = make_app()
    with application.app_context():
        yield application


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def runner(app: Flask) -> FlaskCliRunner:
    return app.test_cli_runner()


@pytest.fixture
def login_as(app: Flask, client: FlaskClient) -> Callable[..., User]:
    """Sign `client` in as a new user of the given role (through the real login form)."""

    def login(role: Role | str = Role.MEMBER, **fields: Any) -> User:
        user = make_user(Role(role), **fields)
        db.session.commit()
        response = client.post(
            "/login",
            data={"email": user.email, "password": fields.get("password", DEFAULT_PASSWORD)},
        )
        assert response.status_code == 302, response.text
        return user

    return login


def csrf_token(client: FlaskClient, path: str) -> str:
    """Read the CSRF token from a page's form (for tests that keep CSRF on)."""
    found = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', client.get(path).text)
    assert found, f"no CSRF token on {path}"
    return found.group(1)
