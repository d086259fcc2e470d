"""The mail outbox: rows written with the change, sent after it commits, retried on failure.

A message is claimed before it is sent (attempts and a lease are moved forward in one
conditional UPDATE), so two senders (a request's thread, another worker, the cron job)
never send the same message twice. A sender that dies mid-way leaves the lease to expire,
and the message is tried again.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import timedelta

import sqlalchemy as sa
import sqlalchemy.orm as so
from flask import current_app

from tracker.dbtypes import utcnow
from tracker.extensions import db
from tracker.mail import MailFailure, deliver_mail, failure_text
from tracker.notifications.models import MailOutbox

MAX_ATTEMPTS = 8  # retried after 2, 4, 8 ... 128 minutes: about four hours in all
LEASE = timedelta(minutes=15)  # a claimed message is retried after this if its sender died
_NEW, _COMMITTED = "mail_outbox_new", "mail_outbox_committed"


def backoff(attempts: int) -> timedelta:
    """How long to wait before the next try, after `attempts` failures."""
    return timedelta(minutes=2 ** min(attempts, 10))


def queue(message: MailOutbox) -> None:
    """Add a message to the session's outbox; it is sent once the transaction commits."""
    db.session.add(message)
    db.session.flush()
    db.session.info.setdefault(_NEW, []).append(message.id)


def _on_commit(session: so.Session) -> None:
    new = session.info.pop(_NEW, None)
    if new:
        session.info.setdefault(_COMMITTED, []).extend(new)


def _on_rollback(session: so.Session) -> None:
    session.info.pop(_NEW, None)  # those rows are gone; anything older waits for the cron job


def listen() -> None:
    """Track which outbox rows each session committed (idempotent)."""
    for name, handler in (("after_commit", _on_commit), ("after_rollback", _on_rollback)):
        if not sa.event.contains(db.session, name, handler):
            sa.event.listen(db.session, name, handler)


def committed_ids() -> list[int]:
    """Outbox rows committed by the current session since the last call (then forgotten)."""
    if not db.session.registry.has():
        return []
    return db.session.info.pop(_COMMITTED, [])


def deliver_pending(limit: int = 50, ids: Iterable[int] | None = None) -> tuple[int, int]:
    """Send messages that are due (only `ids` if given). Commits each. Returns (sent, failed)."""
    stmt = (
        sa.select(MailOutbox.id, MailOutbox.attempts)
        .where(MailOutbox.sent_at.is_(None), MailOutbox.next_attempt_at <= utcnow())
        .where(MailOutbox.attempts < MAX_ATTEMPTS)
        .order_by(MailOutbox.id)
        .limit(limit)
    )
    if ids is not None:
        stmt = stmt.where(MailOutbox.id.in_(list(ids)))
    due = db.session.execute(stmt).all()
    db.session.commit()  # end the read: each claim and each outcome is its own transaction
    sent = failed = 0
    for row_id, attempts in due:
        if not _claim(row_id, attempts):
            continue  # another sender has it
        if _send(row_id):
            sent += 1
        else:
            failed += 1
    return sent, failed


def _claim(row_id: int, attempts: int) -> bool:
    result = db.session.execute(
        sa.update(MailOutbox)
        .where(MailOutbox.id == row_id, MailOutbox.sent_at.is_(None))
        .where(MailOutbox.attempts == attempts)
        .values(attempts=attempts + 1, next_attempt_at=utcnow() + LEASE)
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
    return result.rowcount == 1


def _send(row_id: int) -> bool:
    item = db.session.get(MailOutbox, row_id)
    if item is None:  # deleted with its recipient meanwhile
        return False
    active, to, subject, body = item.user.active, item.user.email, item.subject, item.body
    db.session.commit()  # hold no transaction open while talking to the mail server
    error = None if active else "recipient deactivated"
    if active:
        try:
            deliver_mail(to, subject, body)
        except MailFailure as exc:
            error = str(exc)
        except Exception as exc:  # a bad message must not stop the batch or escape its lease
            error = failure_text(exc)
    item = db.session.get(MailOutbox, row_id)
    if item is None:
        db.session.commit()
        return error is None
    if error is None:
        item.sent_at, item.last_error = utcnow(), None
    else:
        _record_failure(item, error, give_up=not active)
    db.session.commit()
    return error is None


def _record_failure(item: MailOutbox, error: str, give_up: bool = False) -> None:
    item.last_error = error[:200]
    item.next_attempt_at = utcnow() + backoff(item.attempts)
    if give_up:
        item.attempts = MAX_ATTEMPTS
    current_app.logger.warning(
        "mail %s not sent (attempt %s): %s; %s",
        item.id,
        item.attempts,
        item.last_error,
        "giving up" if item.attempts >= MAX_ATTEMPTS else "will retry",
    )
