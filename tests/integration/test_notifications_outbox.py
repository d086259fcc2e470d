"""The outbox: mail leaves after the commit, never breaks the change, and is retried."""

from __future__ import annotations

import logging
import smtplib
import threading
from collections.abc import Callable
from datetime import timedelta

import pytest
import sqlalchemy as sa
from flask import Flask

from tests.builders import make_case, make_user
from tests.integration import smtp_support
from tests.integration.smtp_support import Inbox, client_for
from tracker.accounts.models import Role, User
from tracker.cases.lifecycle import apply
from tracker.cases.models import Case, CaseStatus
from tracker.dbtypes import utcnow
from tracker.extensions import db
from tracker.notifications import outbox
from tracker.notifications.models import MailOutbox
from tracker.workflow import Action

smtp, inbox, mail_app = smtp_support.smtp, smtp_support.inbox, smtp_support.mail_app


def queued() -> list[MailOutbox]:
    db.session.expire_all()
    return list(db.session.scalars(sa.select(MailOutbox).order_by(MailOutbox.id)))


def refuse_recipients(monkeypatch: pytest.MonkeyPatch, address: str) -> None:
    """Make every SMTP delivery fail the way servers do: echoing the recipient's address."""

    def refuse(*_args: object, **_kwargs: object) -> None:
        raise smtplib.SMTPRecipientsRefused({address: (550, f"<{address}> unknown".encode())})

    monkeypatch.setattr(smtplib.SMTP, "send_message", refuse)


def submit_for_review(app: Flask, member: User) -> int:
    case = make_case(member)
    db.session.commit()
    response = client_for(app, member).post(f"/cases/{case.reference}/submit")
    assert response.status_code == 302
    return case.id


def test_a_failing_server_never_breaks_the_change_and_mail_is_retried(
    mail_app: Flask, inbox: Inbox, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    coordinator, member = make_user(Role.COORDINATOR), make_user(Role.MEMBER)
    refuse_recipients(monkeypatch, coordinator.email)
    case_id = submit_for_review(mail_app, member)
    [item] = queued()
    assert db.session.get_one(Case, case_id).status is CaseStatus.SUBMITTED
    assert item.attempts == 1 and item.sent_at is None and item.next_attempt_at > utcnow()
    assert item.last_error == "SMTPRecipientsRefused"
    assert coordinator.email not in caplog.text and "giving up" not in caplog.text
    assert f"mail {item.id} not sent (attempt 1)" in caplog.text

    monkeypatch.undo()
    runner = mail_app.test_cli_runner()
    assert "0 sent" in runner.invoke(args=["mail", "send-pending"]).output  # not due yet
    item.next_attempt_at = utcnow()
    db.session.commit()
    assert "1 sent, 0 failed" in runner.invoke(args=["mail", "send-pending"]).output
    assert len(inbox.to(coordinator.email)) == 1
    [item] = queued()
    assert item.attempts == 2 and item.sent_at is not None and item.last_error is None
    assert outbox.deliver_pending() == (0, 0)


def test_retries_back_off_and_then_give_up(
    mail_app: Flask, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    assert [outbox.backoff(n) for n in (1, 2, 3)] == [timedelta(minutes=m) for m in (2, 4, 8)]
    refuse_recipients(monkeypatch, make_user(Role.COORDINATOR).email)
    submit_for_review(mail_app, make_user(Role.MEMBER))
    [item] = queued()
    item.attempts, item.next_attempt_at = outbox.MAX_ATTEMPTS - 1, utcnow()
    db.session.commit()
    assert outbox.deliver_pending() == (0, 1)
    assert "giving up" in caplog.text
    [item] = queued()
    item.next_attempt_at = utcnow()
    db.session.commit()
    assert item.attempts == outbox.MAX_ATTEMPTS and outbox.deliver_pending() == (0, 0)


def test_a_deactivated_recipient_gets_nothing(mail_app: Flask, inbox: Inbox) -> None:
    coordinator = make_user(Role.COORDINATOR)
    member = make_user(Role.MEMBER)
    case = make_case(member)
    apply(case, member, Action.SUBMIT)
    coordinator.active = False  # deactivated after the mail was queued
    db.session.commit()
    assert outbox.deliver_pending() == (0, 1)
    [item] = queued()
    assert item.last_error == "recipient deactivated" and item.attempts == outbox.MAX_ATTEMPTS
    assert inbox.messages == []


def test_a_rolled_back_change_sends_nothing(mail_app: Flask, inbox: Inbox) -> None:
    make_user(Role.COORDINATOR)
    member = make_user(Role.MEMBER)
    case = make_case(member)
    db.session.commit()
    apply(case, member, Action.SUBMIT)
    db.session.rollback()
    assert outbox.committed_ids() == [] and queued() == []
    apply(case, member, Action.SUBMIT)
    db.session.commit()
    assert outbox.committed_ids() == [item.id for item in queued()]


def test_without_a_server_mail_goes_to_the_log(
    app: Flask, caplog: pytest.LogCaptureFixture
) -> None:
    make_user(Role.COORDINATOR).locale = "en"
    caplog.set_level(logging.WARNING)
    submit_for_review(app, make_user(Role.MEMBER))
    [item] = queued()
    assert item.sent_at is not None and item.attempts == 1
    assert "mail (no SMTP server configured)" in caplog.text and item.subject in caplog.text


def test_concurrent_senders_send_each_message_once(mail_app: Flask, inbox: Inbox) -> None:
    coordinators = [make_user(Role.COORDINATOR) for _ in range(6)]
    member = make_user(Role.MEMBER)
    apply(make_case(member), member, Action.SUBMIT)
    db.session.commit()
    inbox.release.clear()  # hold the first messages so the senders overlap

    def sender() -> None:
        with mail_app.app_context():
            outbox.deliver_pending()

    threads = [threading.Thread(target=sender) for _ in range(3)]
    for thread in threads:
        thread.start()
    threading.Timer(0.3, inbox.release.set).start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(m["To"] for m in inbox.messages) == sorted(c.email for c in coordinators)
    assert all(item.sent_at and item.attempts == 1 for item in queued())


def test_the_request_does_not_wait_for_the_mail_server(
    make_app: Callable[..., Flask], smtp: tuple[Inbox, int]
) -> None:
    inbox, port = smtp
    app = make_app(MAIL_SERVER="127.0.0.1", MAIL_PORT=port, MAIL_USE_TLS=False)
    app.config["MAIL_DELIVERY"] = "thread"
    with app.app_context():
        coordinator = make_user(Role.COORDINATOR)
        inbox.release.clear()  # the server takes its time
        submit_for_review(app, make_user(Role.MEMBER))
        assert inbox.messages == []  # the response came back first
        inbox.release.set()
        inbox.wait_for(1)
        assert inbox.messages[0]["To"] == coordinator.email
        for _ in range(200):  # let the sender record the outcome before the tables are emptied
            if queued()[0].sent_at is not None:
                break
            threading.Event().wait(0.02)
        assert queued()[0].sent_at is not None
