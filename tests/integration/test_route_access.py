"""Every route declares who may reach it, and answers each role accordingly.

Built from app.url_map, so routes that later issues add are checked too: a new route
without `@access(...)` fails here, and so does one whose parameters have no sample below.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask, url_for
from werkzeug.routing import BuildError
from werkzeug.test import TestResponse

from tests.builders import (
    make_case,
    make_evidence,
    make_organisation,
    make_publication,
    make_user,
)
from tracker.accounts.models import Role, User
from tracker.extensions import db
from tracker.policy import Access, access, route_access, route_refused

VISITOR = "visitor"
WHO = [VISITOR, Role.MEMBER, Role.COORDINATOR, Role.ADMIN]


def sample_values(target: User) -> dict[str, Any]:
    """A value for every URL parameter any route uses; extend when a route adds one."""
    case = make_case(target, title="Sample")
    return {
        "code": "71242",
        "user_id": target.id,
        "token": "not-a-real-token",
        "action": "deactivate",
        "filename": "css/app.css",
        "reference": case.reference,
        "evidence_id": make_evidence(case, target).id,
        "notification_id": 999_999,
        "actor_id": 999_999,
        "publication_id": make_publication(cites=(case,)).id,
        "organisation_id": make_organisation().id,
        "section": "pages",
        "chunk": 1,
    }


# Where one parameter name takes different values on different routes.
ENDPOINT_VALUES: dict[str, dict[str, Any]] = {
    "cases.act": {"action": "withdraw"},
    "review.decide": {"action": "take"},
    "review.export": {"fmt": "csv"},
}


def expected(level: Access, who: str | Role) -> str:
    """What a route declared with `level` must do for `who`: allow, login, or forbid."""
    if level is Access.PUBLIC:
        return "allow"
    if who == VISITOR:
        return "login"
    role = level.role
    return "allow" if role is None or Role(who).rank >= role.rank else "forbid"


def outcome(response: TestResponse, refused: list[str]) -> str:
    """What the route-level policy did: let through, send to login, or refuse."""
    if refused:
        return "forbid"
    location = response.headers.get("Location") or ""
    if response.status_code in (301, 302, 303) and "/login?next=" in location:
        return "login"  # the policy's answer to a visitor; other redirects are the page's own
    return "allow"  # including a page's own 403/404 for one object


def declared_routes(app: Flask) -> list[tuple[str, str, str, set[str]]]:
    """(endpoint, method, rule, its parameters) for every route, GET preferred."""
    routes = []
    for rule in app.url_map.iter_rules():
        methods = rule.methods or set()
        method = "GET" if "GET" in methods else "POST"
        routes.append((rule.endpoint, method, rule.rule, set(rule.arguments)))
    return sorted(routes, key=lambda r: r[:3])


def test_every_route_declares_access(app: Flask) -> None:
    missing = [
        rule for endpoint, _, rule, _ in declared_routes(app) if route_access(app, endpoint) is None
    ]
    assert missing == [], f"routes without @access(...): {missing}"


def test_undeclared_route_is_refused(make_app: Callable[..., Flask]) -> None:
    app = make_app()
    app.add_url_rule("/forgotten", "forgotten", lambda: "secret")
    app.add_url_rule("/declared", "declared", access(Access.PUBLIC)(lambda: "fine"))
    client = app.test_client()
    assert client.get("/forgotten").status_code == 403
    assert client.get("/declared").status_code == 200
    assert route_access(app, "forgotten") is None


@pytest.mark.parametrize("who", WHO, ids=str)
def test_each_route_answers_each_role(app: Flask, who: str | Role) -> None:
    target = make_user(Role.MEMBER)
    db.session.commit()
    client = app.test_client()
    if who != VISITOR:
        user = make_user(Role(who))
        db.session.commit()
        assert (
            client.post(
                "/login", data={"email": user.email, "password": "correct horse battery staple"}
            ).status_code
            == 302
        )
    values = sample_values(target)
    db.session.commit()
    refused: list[str] = []

    def note_refusal(_app: Flask, endpoint: str) -> None:
        refused.append(endpoint)

    wrong = []
    for endpoint, method, rule, arguments in declared_routes(app):
        level = route_access(app, endpoint)
        assert level is not None
        with app.test_request_context():
            try:
                merged = {**values, **ENDPOINT_VALUES.get(endpoint, {})}
                params = {arg: merged[arg] for arg in arguments}
                url = url_for(endpoint, **params)
            except (KeyError, BuildError) as err:
                pytest.fail(f"add a sample value for {rule} in sample_values(): {err}")
        refused.clear()
        with route_refused.connected_to(note_refusal, app):
            response = client.open(url, method=method)
        response.close()
        got = outcome(response, refused)
        if got != expected(level, who):
            wrong.append(
                f"{method} {url}: expected {expected(level, who)}, "
                f"got {got} ({response.status_code})"
            )
    assert wrong == [], "\n".join(wrong)
