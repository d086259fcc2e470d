"""GET /healthz reports the app's and the database's state."""

from __future__ import annotations

from collections.abc import Callable

from flask import Flask


def test_healthz_ok(client) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json == {"app": "tracker", "status": "ok", "database": "ok"}


def test_healthz_503_when_database_is_down(make_app: Callable[..., Flask]) -> None:
    app = make_app(DATABASE_URL="postgresql+psycopg://nobody@127.0.0.1:9/none")
    response = app.test_client().get("/healthz")
    assert response.status_code == 503
    assert response.json["database"] == "unavailable"
    assert response.json["status"] == "degraded"
