"""Notifications in the app: the list, marking read, the badge, and the email settings."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import timedelta

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient

from tests.builders import DEFAULT_PASSWORD, make_case, make_user
from tests.conftest import csrf_token
from tests.integration.smtp_support import client_for
from tracker.accounts.models import Role, User
from tracker.cases.models import Case
from tracker.dbtypes import utcnow
from tracker.extensions import db
from tracker.notifications.models import Notification, NotificationPreference
from tracker.notifications.views import PER_PAGE


def give(user: User, case: Case | None, kind: str = "verified", age: int = 0) -> Notification:
    item = Notification(user=user, kind=kind, case=case)
    item.created_at = utcnow() - timedelta(minutes=age)
    db.session.add(item)
    db.session.flush()
    return item


def shown(page: str) -> list[int]:
    """The notification ids on a page, in order."""
    return [int(part.split('"', 1)[0]) for part in page.split('data-notification="')[1:]]


def test_own_notifications_unread_first_then_newest_with_links(app: Flask) -> None:
    member, other = make_user(Role.MEMBER), make_user(Role.MEMBER)
    case = make_case(member)
    old_unread = give(member, case, age=30)
    new_read = give(member, case, age=5)
    new_read.read_at = utcnow()
    new_unread = give(member, case, "published", age=1)
    give(other, make_case(other))
    db.session.commit()
    page = client_for(app, member).get("/notifications/").text
    assert shown(page) == [new_unread.id, old_unread.id, new_read.id]
    assert f'href="/cases/{case.reference}"' in page and "/review/" not in page
    coordinator = make_user(Role.COORDINATOR)
    give(coordinator, case, "submitted")
    db.session.commit()
    assert (
        f'href="/review/{case.reference}"'
        in client_for(app, coordinator).get("/notifications/").text
    )


def test_the_list_is_paginated(app: Flask) -> None:
    member = make_user(Role.MEMBER)
    items = [give(member, None) for _ in range(PER_PAGE + 5)][::-1]  # newest first
    db.session.commit()
    client = client_for(app, member)
    first = client.get("/notifications/").text
    assert shown(first) == [i.id for i in items[:PER_PAGE]] and "page=2" in first
    assert shown(client.get("/notifications/?page=2").text) == [i.id for i in items[PER_PAGE:]]


def test_marking_one_and_all_as_read_and_the_badge(app: Flask) -> None:
    member, stranger = make_user(Role.MEMBER), make_user(Role.MEMBER)
    case = make_case(member)
    first, second, third = (give(member, case) for _ in range(3))
    db.session.commit()
    client = client_for(app, member)
    assert 'data-nav="notifications"' in (home := client.get("/").text)
    assert '<span class="badge count">3<' in home
    intruder = client_for(app, stranger)
    assert intruder.post(f"/notifications/{first.id}/read").status_code == 404
    assert shown(intruder.get("/notifications/").text) == []
    assert client.post(f"/notifications/{first.id}/read").status_code == 302
    assert '<span class="badge count">2<' in client.get("/").text
    assert client.post("/notifications/read-all").status_code == 302
    db.session.expire_all()
    assert all(n.read_at is not None for n in (first, second, third))
    assert 'class="badge count"' not in client.get("/").text
    assert client.post("/notifications/999999/read").status_code == 404


def test_the_badge_costs_one_count_query(app: Flask) -> None:
    member = make_user(Role.MEMBER)
    give(member, None)
    db.session.commit()
    client = client_for(app, member)
    statements: list[str] = []

    def record(_conn, _cursor, statement, *_args) -> None:  # type: ignore[no-untyped-def]
        statements.append(statement)

    sa.event.listen(db.engine, "before_cursor_execute", record)
    try:
        client.get("/")
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", record)
    about_notifications = [s for s in statements if "FROM notification" in s]
    assert len(about_notifications) == 1 and "count(" in about_notifications[0]


@pytest.mark.parametrize("role", [Role.MEMBER, Role.COORDINATOR])
def test_email_settings_offer_ones_own_kinds_and_are_saved(
    make_app: Callable[..., Flask], role: Role
) -> None:
    app = make_app(WTF_CSRF_ENABLED=True)
    with app.app_context():
        user = make_user(role)
        db.session.commit()
        client = client_for_csrf(app, user)
        offered, ticked = boxes(client.get("/notifications/settings").text)
        assert offered == ticked  # email for everything until one chooses otherwise
        assert "verified" in offered and ("assigned" in offered) is (role is Role.COORDINATOR)
        assert (
            client.post("/notifications/settings", data={"email": ["verified"]}).status_code == 400
        )
        token = csrf_token(client, "/notifications/settings")
        response = client.post("/notifications/settings", data={"csrf_token": token})
        assert response.status_code == 302  # every box unticked: no email at all
        choices = db.session.scalars(
            sa.select(NotificationPreference).where(NotificationPreference.user_id == user.id)
        ).all()
        assert choices and not any(c.email for c in choices)
        token = csrf_token(client, "/notifications/settings")
        client.post("/notifications/settings", data={"csrf_token": token, "email": ["published"]})
        db.session.expire_all()
        assert {c.kind for c in choices if c.email} == {"published"}
        assert boxes(client.get("/notifications/settings").text)[1] == {"published"}
        refused = client.post("/notifications/settings", data={"csrf_token": token, "email": "x"})
        assert refused.status_code == 200 and "published" in refused.text


def boxes(page: str) -> tuple[set[str], set[str]]:
    """The email checkboxes on the settings page: all offered, and those ticked."""
    inputs = re.findall(r'<input ([^>]*name="email"[^>]*)>', page)
    values = [(re.search(r'value="([^"]+)"', i).group(1), "checked" in i) for i in inputs]  # type: ignore[union-attr]
    return {v for v, _ in values}, {v for v, ticked in values if ticked}


def client_for_csrf(app: Flask, user: User) -> FlaskClient:
    """Sign in through the real form with its CSRF token."""
    client = app.test_client()
    token = csrf_token(client, "/login")
    response = client.post(
        "/login",
        data={"email": user.email, "password": DEFAULT_PASSWORD, "csrf_token": token},
    )
    assert response.status_code == 302
    return client
