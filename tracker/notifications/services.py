"""Who is told what, in their own language; mail is queued in the outbox with the change."""

from __future__ import annotations

from collections.abc import Collection

import sqlalchemy as sa
import sqlalchemy.orm as so
from flask import current_app
from flask_babel import LazyString, force_locale
from flask_babel import lazy_gettext as _l

from tracker.accounts.models import Role, User
from tracker.cases.models import Case
from tracker.dbtypes import utcnow
from tracker.extensions import db
from tracker.i18n import DEFAULT_LOCALE
from tracker.notifications.models import MailOutbox, Notification, NotificationPreference
from tracker.notifications.outbox import queue
from tracker.workflow import Action

KINDS: dict[str, LazyString] = {
    "submitted": _l("A case was submitted for review"),
    "answered": _l("A member answered a request for information"),
    "assigned": _l("A case was assigned to you"),
    "info_requested": _l("A coordinator asked you for information"),
    "verified": _l("Your case was verified"),
    "published": _l("Your case was published"),
    "rejected": _l("Your case was rejected"),
}
COORDINATOR_KINDS = frozenset({"submitted", "answered", "assigned"})
# Which lifecycle actions tell whom: all "coordinators", the case's "assignee", its "reporter".
ON_ACTION = {
    Action.SUBMIT: ("submitted", "coordinators"),
    Action.ANSWER: ("answered", "assignee"),
    Action.ASK: ("info_requested", "reporter"),
    Action.VERIFY: ("verified", "reporter"),
    Action.PUBLISH: ("published", "reporter"),
    Action.REJECT: ("rejected", "reporter"),
}


def notify_transition(case: Case, action: Action, actor: User) -> None:
    """Called by the lifecycle right after a transition is recorded."""
    if action not in ON_ACTION:
        return
    kind, who = ON_ACTION[action]
    notify(_recipients(case, who), kind, case, actor)


def notify_assignment(case: Case, assignee: User | None, by: User) -> None:
    """Tell a coordinator that a case was assigned to them (not when they took it themselves)."""
    if assignee is not None:
        notify([assignee], "assigned", case, by)


def _recipients(case: Case, who: str) -> list[User]:
    if who == "reporter":
        return [case.reporter]
    if who == "assignee" and case.assignee is not None:
        return [case.assignee]
    stmt = sa.select(User).where(User.active, User.role.in_([Role.COORDINATOR, Role.ADMIN]))
    return list(db.session.scalars(stmt))


def notify(users: list[User], kind: str, case: Case, actor: User) -> None:
    """Tell `users` (never the actor) in the app, and by mail where they want it. Flushes."""
    recipients = {u.id: u for u in users if u.active and u.id != actor.id}
    if not recipients:
        return
    muted = _muted(recipients, kind)
    for user in recipients.values():
        db.session.add(Notification(user=user, kind=kind, case=case))
        if user.id not in muted:
            subject, body = render_mail(user, kind, case)
            queue(MailOutbox(user=user, subject=subject, body=body))
    db.session.flush()


def _muted(users: Collection[int], kind: str) -> set[int]:
    """Of `users`, those who turned email off for `kind` (one query)."""
    stmt = sa.select(NotificationPreference.user_id).where(
        NotificationPreference.kind == kind,
        NotificationPreference.user_id.in_(list(users)),
        NotificationPreference.email.is_(False),
    )
    return set(db.session.scalars(stmt))


def render_mail(user: User, kind: str, case: Case) -> tuple[str, str]:
    """Subject and body in the recipient's language."""
    with force_locale(user.locale or DEFAULT_LOCALE):
        return compose(kind, case, case_link(user, case))


def compose(kind: str, case: Case, link: str) -> tuple[str, str]:
    """Subject and body in the current language: what happened, the case's reference and a
    link, nothing of what the case says. Mail crosses servers the network does not control
    and sits in mailboxes that can be seized; the title, a rejection's reason and every
    other detail wait behind the sign-in (the case page shows them)."""
    subject = f"{KINDS[kind]}: {case.reference}"
    lines = [f"{KINDS[kind]}.", "", case.reference, "",
             str(_l("The details are shown only after you sign in.")),
             str(_l("Open it here: %(link)s", link=link))]  # fmt: skip
    return subject[:300], "\n".join(lines)


def case_endpoint(user: User) -> str:
    """Where `user` works on a case: coordinators in review, members on their case page."""
    return "review.case" if user.has_role(Role.COORDINATOR) else "cases.detail"


def case_link(user: User, case: Case) -> str:
    """The absolute address of the case for `user` (works outside a request too)."""
    urls = current_app.url_map.bind("localhost")
    path = urls.build(case_endpoint(user), {"reference": case.reference})
    return current_app.config["BASE_URL"].rstrip("/") + path


def unread_count(user: User) -> int:
    """How many notifications the user has not read (one COUNT query)."""
    stmt = (
        sa.select(sa.func.count())
        .select_from(Notification)
        .where(Notification.user_id == user.id, Notification.read_at.is_(None))
    )
    return db.session.scalar(stmt) or 0


def listing(user: User) -> sa.Select[tuple[Notification]]:
    """The user's notifications, unread first, newest first, with their cases."""
    return (
        sa.select(Notification)
        .where(Notification.user_id == user.id)
        .order_by(Notification.read_at.is_not(None), Notification.id.desc())
        .options(so.selectinload(Notification.case))
    )


def mark_read(notification: Notification) -> None:
    """Mark one notification as read (once)."""
    notification.read_at = notification.read_at or utcnow()


def mark_all_read(user: User) -> None:
    """Mark every unread notification of `user` as read."""
    db.session.execute(
        sa.update(Notification)
        .where(Notification.user_id == user.id, Notification.read_at.is_(None))
        .values(read_at=utcnow())
        .execution_options(synchronize_session=False)
    )


def email_kinds(user: User) -> list[str]:
    """The kinds of notification `user` can receive (and so may choose email for)."""
    coordinator = user.has_role(Role.COORDINATOR)
    return [k for k in KINDS if coordinator or k not in COORDINATOR_KINDS]


def email_choices(user: User) -> list[str]:
    """The kinds `user` gets by email (all unless turned off)."""
    muted = {p.kind for p in _preferences(user) if not p.email}
    return [k for k in email_kinds(user) if k not in muted]


def save_email_choices(user: User, wanted: Collection[str]) -> None:
    """Email for the kinds in `wanted`, none for the user's other kinds. Flushes."""
    existing = {p.kind: p for p in _preferences(user)}
    for kind in email_kinds(user):
        choice = existing.get(kind)
        if choice is None:
            choice = NotificationPreference(user_id=user.id, kind=kind)
            db.session.add(choice)
        choice.email = kind in wanted
    db.session.flush()


def _preferences(user: User) -> list[NotificationPreference]:
    stmt = sa.select(NotificationPreference).where(NotificationPreference.user_id == user.id)
    return list(db.session.scalars(stmt))
