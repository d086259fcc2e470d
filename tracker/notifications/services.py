"""Who is told what, in their own language; mail leaves through an outbox after commit."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import sqlalchemy as sa
from flask import current_app, g, url_for
from flask_babel import LazyString, force_locale
from flask_babel import lazy_gettext as _l

from tracker.accounts.models import Role, User
from tracker.cases.models import Case
from tracker.dbtypes import utcnow
from tracker.extensions import db
from tracker.mail import send_mail
from tracker.notifications.models import MailOutbox, Notification, NotificationPreference
from tracker.workflow import Action

KINDS: dict[str, LazyString] = {
    "submitted": _l("A case was submitted for review"),
    "info_requested": _l("A coordinator asked you for information"),
    "verified": _l("Your case was verified"),
    "published": _l("Your case was published"),
    "rejected": _l("Your case was rejected"),
    "assigned": _l("A case was assigned to you"),
}
# Which lifecycle actions tell whom: "coordinators" or the case's "reporter".
ON_ACTION = {
    Action.SUBMIT: ("submitted", "coordinators"),
    Action.ANSWER: ("submitted", "assignee"),
    Action.ASK: ("info_requested", "reporter"),
    Action.VERIFY: ("verified", "reporter"),
    Action.PUBLISH: ("published", "reporter"),
    Action.REJECT: ("rejected", "reporter"),
}
MAX_ATTEMPTS = 8


def _recipients(case: Case, who: str) -> list[User]:
    if who == "reporter":
        return [case.reporter]
    if who == "assignee":
        return [case.assignee] if case.assignee else _recipients(case, "coordinators")
    stmt = sa.select(User).where(User.active, User.role.in_([Role.COORDINATOR, Role.ADMIN]))
    return list(db.session.scalars(stmt))


def wants_email(user: User, kind: str) -> bool:
    """The user's choice for this kind of mail (yes unless they turned it off)."""
    choice = db.session.get(NotificationPreference, (user.id, kind))
    return choice is None or choice.email


def notify(users: list[User], kind: str, case: Case, actor: User, **extra: Any) -> None:
    """Tell `users` (never the actor) in the app, and by mail where they want it. Flushes."""
    for user in {u.id: u for u in users if u.active and u.id != actor.id}.values():
        db.session.add(Notification(user=user, kind=kind, case=case))
        if wants_email(user, kind):
            subject, body = _render(user, kind, case, **extra)
            db.session.add(MailOutbox(user=user, subject=subject, body=body))
            g.setdefault("mail_pending", True)
    db.session.flush()


def _render(user: User, kind: str, case: Case, reason: str | None = None) -> tuple[str, str]:
    with force_locale(user.locale or current_app.config["BABEL_DEFAULT_LOCALE"]):
        link = _case_link(user, case)
        subject = f"{KINDS[kind]}: {case.reference}"
        lines = [str(KINDS[kind]) + ".", "", f"{case.reference}: {case.title}"]
        if reason:
            lines += ["", str(_l("Reason: %(reason)s", reason=reason))]
        lines += ["", str(_l("Open it here: %(link)s", link=link))]
        return subject[:300], "\n".join(lines)


def _case_link(user: User, case: Case) -> str:
    base = current_app.config["BASE_URL"].rstrip("/")
    endpoint = "review.case" if user.has_role(Role.COORDINATOR) else "cases.detail"
    try:
        path = url_for(endpoint, reference=case.reference)
    except RuntimeError:  # outside a request (command line)
        path = f"/cases/{case.reference}"
    return base + path


def notify_transition(case: Case, action: Action, actor: User, payload: dict[str, Any]) -> None:
    """Called by the lifecycle after every transition."""
    if action not in ON_ACTION:
        return
    kind, who = ON_ACTION[action]
    reason = payload.get("reason") if action is Action.REJECT else None
    notify(_recipients(case, who), kind, case, actor, reason=reason)


def notify_assignment(case: Case, assignee: User | None, by: User) -> None:
    """Tell a coordinator that a case was assigned to them."""
    if assignee is not None:
        notify([assignee], "assigned", case, by)


def deliver_pending(limit: int = 50) -> tuple[int, int]:
    """Send what is due; failures are recorded and retried later. Returns (sent, failed)."""
    now = utcnow()
    due = db.session.scalars(
        sa.select(MailOutbox)
        .where(MailOutbox.sent_at.is_(None), MailOutbox.next_attempt_at <= now)
        .where(MailOutbox.attempts < MAX_ATTEMPTS)
        .order_by(MailOutbox.id)
        .limit(limit)
    ).all()
    sent = failed = 0
    for item in due:
        item.attempts += 1
        if send_mail(item.user.email, item.subject, item.body):
            item.sent_at, item.last_error = utcnow(), None
            sent += 1
        else:
            item.last_error = "sending failed (see the log)"
            item.next_attempt_at = utcnow() + timedelta(minutes=2**item.attempts)
            failed += 1
    db.session.commit()
    return sent, failed


def unread_count(user: User) -> int:
    """How many notifications the user has not read (one COUNT query)."""
    return (
        db.session.scalar(
            sa.select(sa.func.count())
            .select_from(Notification)
            .where(Notification.user_id == user.id, Notification.read_at.is_(None))
        )
        or 0
    )
