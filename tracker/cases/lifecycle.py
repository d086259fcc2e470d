"""Applying the lifecycle: the only code that changes a case's status."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from tracker.accounts.models import Role, User
from tracker.audit.models import Event
from tracker.audit.services import record_event
from tracker.cases.models import Case, CaseStatus
from tracker.dbtypes import utcnow
from tracker.extensions import db
from tracker.notifications.services import notify_transition
from tracker.public import index
from tracker.workflow import Action, Need, Party, actions_from, allowed, missing, transition

NEED_LABELS = {
    Need.TITLE: _l("a title"),
    Need.DESCRIPTION: _l("what happened"),
    Need.MUNICIPALITY: _l("the municipality"),
    Need.OCCURRED_ON: _l("when it happened"),
    Need.MESSAGE: _l("a message"),
    Need.REASON: _l("a reason"),
    Need.CHECKLIST: _l("the verification checklist"),
    Need.PUBLIC_SUMMARY: _l("a public summary"),
    Need.CATEGORY: _l("a category"),
    Need.NOTE: _l("a note"),
}


class TransitionError(Exception):
    """The action is not possible now, or something it requires is missing."""

    def __init__(self, message: str, missing: tuple[Need, ...] = ()) -> None:
        super().__init__(message)
        self.missing = missing


def parties(user: User, case: Case) -> frozenset[Party]:
    """The capacities in which `user` acts on `case`."""
    found = set()
    if case.reporter_id == user.id:
        found.add(Party.REPORTER)
    if user.has_role(Role.COORDINATOR):
        found.add(Party.COORDINATOR)
    return frozenset(found)


def present_needs(case: Case, payload: dict[str, Any]) -> frozenset[Need]:
    """Which requirements the case and the action's payload fulfil."""
    checks = {
        Need.TITLE: bool(case.title and case.title.strip()),
        Need.DESCRIPTION: bool(case.description and case.description.strip()),
        Need.MUNICIPALITY: case.municipality is not None,
        Need.OCCURRED_ON: case.occurred_on is not None,
        Need.PUBLIC_SUMMARY: bool(payload.get("public_summary") or case.public_summary),
        Need.CATEGORY: case.category is not None,
    }
    for need in (Need.MESSAGE, Need.REASON, Need.CHECKLIST, Need.NOTE):
        checks[need] = bool(payload.get(need.value))
    return frozenset(n for n, ok in checks.items() if ok)


def missing_message(needs: tuple[Need, ...]) -> str:
    """A sentence naming what is missing, in the interface language."""
    return str(_l("Still missing: %(items)s.", items=", ".join(str(NEED_LABELS[n]) for n in needs)))


def check(case: Case, user: User, action: Action, **payload: Any) -> None:
    """Raise TransitionError unless `user` may do `action` now with what is present."""
    if not allowed(case.status, action, parties(user, case)):
        raise TransitionError(str(_l("This action is not possible for this case now.")))
    lacking = missing(case.status, action, present_needs(case, payload))
    if lacking:
        raise TransitionError(missing_message(lacking), lacking)


def apply(case: Case, user: User, action: Action, **payload: Any) -> Case:
    """Change the case's status through `action`, record the event, flush; the view commits."""
    check(case, user, action, **payload)
    step = transition(case.status, action)
    assert step is not None
    before = case.status
    case.status = step.target
    _stamp(case, step.target)
    details = {"action": action.value, "from": before.value, "to": step.target.value}
    recorded = {"reason", "note", "checklist", "approved_by"}
    details.update({k: v for k, v in payload.items() if k in recorded and v is not None})
    record_event("status_changed", user_id=user.id, case_id=case.id, details=details)
    db.session.flush()
    if CaseStatus.PUBLISHED in (before, step.target):
        index.sync(case)  # the public read model changes in the same transaction
    notify_transition(case, action, user)
    return case


def _stamp(case: Case, target: CaseStatus) -> None:
    now = utcnow()
    if target is CaseStatus.SUBMITTED:
        case.submitted_at = now
    elif target is CaseStatus.PUBLISHED and case.published_at is None:
        case.published_at = now
    elif target is CaseStatus.RETRACTED:
        case.retracted_at = now


def available(case: Case, user: User) -> list[Action]:
    """Actions `user` may take on `case` now (requirements are checked when applied)."""
    return actions_from(case.status, parties(user, case))


def last_reason(case: Case, action: Action) -> str | None:
    """The reason given the last time `action` was taken on the case (e.g. a rejection)."""
    events = db.session.scalars(
        sa.select(Event)
        .where(Event.case_id == case.id, Event.kind == "status_changed")
        .order_by(Event.id.desc())
    )
    for event in events:
        if event.details.get("action") == action.value:
            return event.details.get("reason")
    return None
