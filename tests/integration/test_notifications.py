"""Notifications in the app and by email (through a real local SMTP server), with retries."""

from __future__ import annotations

import smtplib
import socket
from collections.abc import Callable, Iterator
from email import message_from_bytes
from email.message import Message
from email.policy import default as default_policy

import pytest
import sqlalchemy as sa
from aiosmtpd.controller import Controller
from flask import Flask

from tests.builders import DEFAULT_PASSWORD, make_case, make_user
from tracker.accounts.models import Role, User
from tracker.cases.lifecycle import apply
from tracker.cases.models import CaseStatus
from tracker.dbtypes import utcnow
from tracker.extensions import db
from tracker.notifications.models import MailOutbox, Notification, NotificationPreference
from tracker.notifications.services import deliver_pending
from tracker.workflow import Action


class Inbox:
    """aiosmtpd handler that keeps every message it receives."""

    def __init__(self) -> None:
        self.messages: list[Message] = []

    async def handle_DATA(self, _server, _session, envelope) -> str:
        self.messages.append(message_from_bytes(envelope.content, policy=default_policy))
        return "250 OK"

    def to(self, address: str) -> list[Message]:
        return [m for m in self.messages if m["To"] == address]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def smtp() -> Iterator[tuple[Inbox, int]]:
    inbox, port = Inbox(), free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    yield inbox, port
    controller.stop()


@pytest.fixture
def mail_app(make_app: Callable[..., Flask], smtp: tuple[Inbox, int]) -> Iterator[Flask]:
    app = make_app(MAIL_SERVER="127.0.0.1", MAIL_PORT=smtp[1], MAIL_USE_TLS=False)
    with app.app_context():
        yield app


def client_for(app: Flask, user: User):  # type: ignore[no-untyped-def]
    client = app.test_client()
    assert (
        client.post("/login", data={"email": user.email, "password": DEFAULT_PASSWORD}).status_code
        == 302
    )
    return client


def test_submission_tells_coordinators_in_their_language(
    mail_app: Flask, smtp: tuple[Inbox, int]
) -> None:
    inbox, _port = smtp
    english = make_user(Role.COORDINATOR)
    english.locale = "en"
    cyrillic = make_user(Role.ADMIN)
    cyrillic.locale = "sr_Cyrl"
    member = make_user(Role.MEMBER)
    case = make_case(member, title="Submitted for review")
    db.session.commit()
    client = client_for(mail_app, member)
    assert client.post(f"/cases/{case.reference}/submit").status_code == 302
    [to_english] = inbox.to(english.email)
    assert to_english["Subject"].startswith("A case was submitted for review")
    assert case.reference in to_english.get_content()
    [to_cyrillic] = inbox.to(cyrillic.email)
    assert "Случај" in to_cyrillic["Subject"] or "случај" in to_cyrillic["Subject"]
    assert inbox.to(member.email) == []  # never told about one's own action
    assert (
        db.session.scalar(
            sa.select(sa.func.count())
            .select_from(Notification)
            .where(Notification.user_id == english.id)
        )
        == 1
    )


def test_member_hears_of_questions_and_rejection_with_reason(
    mail_app: Flask, smtp: tuple[Inbox, int]
) -> None:
    inbox, _port = smtp
    coordinator, member = make_user(Role.COORDINATOR), make_user(Role.MEMBER)
    member.locale = "en"
    case = make_case(member)
    apply(case, member, Action.SUBMIT)
    db.session.commit()
    client = client_for(mail_app, coordinator)
    client.post(f"/review/{case.reference}/take")
    client.post(f"/review/{case.reference}/ask", data={"text": "Which day?"})
    client.post(f"/review/{case.reference}/reject", data={"text": "Outside our mandate"})
    subjects = [m["Subject"] for m in inbox.to(member.email)]
    assert any(s.startswith("A coordinator asked you for information") for s in subjects)
    rejected = [
        m for m in inbox.to(member.email) if m["Subject"].startswith("Your case was rejected")
    ]
    assert rejected and "Outside our mandate" in rejected[0].get_content()


def test_assignment_tells_the_assignee(mail_app: Flask, smtp: tuple[Inbox, int]) -> None:
    inbox, _port = smtp
    me, other, member = make_user(Role.COORDINATOR), make_user(Role.COORDINATOR), make_user()
    other.locale = "en"
    case = make_case(member)
    apply(case, member, Action.SUBMIT)
    db.session.commit()
    client_for(mail_app, me).post(
        f"/review/{case.reference}/assign", data={"assignee": str(other.id)}
    )
    assert any(m["Subject"].startswith("A case was assigned to you") for m in inbox.to(other.email))


def test_email_can_be_turned_off_but_the_app_still_tells(
    mail_app: Flask, smtp: tuple[Inbox, int]
) -> None:
    inbox, _port = smtp
    coordinator, member = make_user(Role.COORDINATOR), make_user(Role.MEMBER)
    db.session.commit()
    settings = client_for(mail_app, coordinator)
    assert settings.post("/notifications/settings", data={"email": ["assigned"]}).status_code == 302
    assert not db.session.get(NotificationPreference, (coordinator.id, "submitted")).email
    case = make_case(member)
    db.session.commit()
    client_for(mail_app, member).post(f"/cases/{case.reference}/submit")
    assert inbox.to(coordinator.email) == []
    page = settings.get("/notifications/")
    assert case.reference in page.text


def test_a_failing_server_never_breaks_the_change_and_mail_is_retried(
    mail_app: Flask, smtp: tuple[Inbox, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    inbox, _port = smtp
    coordinator, member = make_user(Role.COORDINATOR), make_user(Role.MEMBER)
    case = make_case(member)
    db.session.commit()

    def refuse(*_args: object, **_kwargs: object) -> None:
        raise smtplib.SMTPServerDisconnected("down")

    monkeypatch.setattr(smtplib.SMTP, "send_message", refuse)
    response = client_for(mail_app, member).post(f"/cases/{case.reference}/submit")
    assert response.status_code == 302
    db.session.refresh(case)
    assert case.status is CaseStatus.SUBMITTED
    queued = db.session.scalars(sa.select(MailOutbox)).one()
    assert queued.attempts == 1 and queued.sent_at is None and queued.next_attempt_at > utcnow()
    assert coordinator.email not in (queued.last_error or "")
    monkeypatch.undo()
    queued.next_attempt_at = utcnow()
    db.session.commit()
    result = mail_app.test_cli_runner().invoke(args=["mail", "send-pending"])
    assert "1 sent" in result.output
    assert len(inbox.to(coordinator.email)) == 1
    assert deliver_pending() == (0, 0)


def test_in_app_list_and_marking_read(mail_app: Flask) -> None:
    coordinator, member = make_user(Role.COORDINATOR), make_user(Role.MEMBER)
    case = make_case(member)
    apply(case, member, Action.SUBMIT)
    db.session.commit()
    client = client_for(mail_app, coordinator)
    home = client.get("/").text
    assert 'data-nav="notifications"' in home and 'class="count">1' in home
    item = db.session.scalars(
        sa.select(Notification).where(Notification.user_id == coordinator.id)
    ).one()
    stranger = client_for(mail_app, make_user(Role.MEMBER))
    db.session.commit()
    assert stranger.post(f"/notifications/{item.id}/read").status_code == 404
    assert client.post(f"/notifications/{item.id}/read").status_code == 302
    db.session.refresh(item)
    assert item.read_at is not None
    assert 'class="count"' not in client.get("/").text
