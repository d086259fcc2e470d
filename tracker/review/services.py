"""Review queue rules: filtering, counting, assigning, exporting."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import sqlalchemy as sa
import sqlalchemy.orm as so

from tracker.accounts.models import Role, User
from tracker.audit.services import record_event
from tracker.cases.models import Case, CaseStatus
from tracker.dbtypes import utcnow
from tracker.extensions import db
from tracker.geo.models import Municipality
from tracker.notifications.services import notify_assignment

SORTS = {
    "oldest": (Case.submitted_at.asc().nulls_last(), Case.id.asc()),
    "newest": (Case.submitted_at.desc().nulls_last(), Case.id.desc()),
    "activity": (Case.updated_at.desc(), Case.id.desc()),
    "reference": (Case.reference.asc(),),
}
# Drafts belong to their authors until submitted; the queue never shows them.
QUEUE_STATUSES = [s for s in CaseStatus if s is not CaseStatus.DRAFT]


@dataclass
class QueueFilter:
    """What the coordinator narrowed the queue to."""

    status: CaseStatus | None = None
    municipality_id: int | None = None
    district_code: int | None = None
    category_id: int | None = None
    assignee: str = ""  # "", "me", "none", or a user id
    older_than_days: int | None = None
    sort: str = "oldest"


def queue_query(f: QueueFilter, me: User) -> sa.Select[tuple[Case]]:
    """The filtered, sorted queue as a query (paginate or stream it)."""
    stmt = sa.select(Case).where(Case.status.in_(QUEUE_STATUSES), Case.merged_into_id.is_(None))
    if f.status is not None:
        stmt = stmt.where(Case.status == f.status)
    if f.municipality_id is not None:
        stmt = stmt.where(Case.municipality_id == f.municipality_id)
    if f.district_code is not None:
        in_district = sa.select(Municipality.id).where(
            Municipality.district_code == f.district_code
        )
        stmt = stmt.where(Case.municipality_id.in_(in_district))
    if f.category_id is not None:
        stmt = stmt.where(Case.category_id == f.category_id)
    if f.assignee == "me":
        stmt = stmt.where(Case.assignee_id == me.id)
    elif f.assignee == "none":
        stmt = stmt.where(Case.assignee_id.is_(None))
    elif f.assignee.isdigit():
        stmt = stmt.where(Case.assignee_id == int(f.assignee))
    if f.older_than_days:
        stmt = stmt.where(Case.submitted_at <= utcnow() - timedelta(days=f.older_than_days))
    options = (so.joinedload(Case.municipality), so.joinedload(Case.assignee))
    return stmt.options(*options).order_by(*SORTS.get(f.sort, SORTS["oldest"]))


def status_counts() -> dict[CaseStatus, int]:
    """How many cases are in each queue status (one grouped query)."""
    rows = db.session.execute(
        sa.select(Case.status, sa.func.count())
        .where(Case.status.in_(QUEUE_STATUSES), Case.merged_into_id.is_(None))
        .group_by(Case.status)
    ).all()
    found = {status: count for status, count in rows}
    return {s: found.get(s, 0) for s in QUEUE_STATUSES}


def coordinators() -> list[User]:
    """Active coordinators and admins, who may be assigned cases."""
    return list(
        db.session.scalars(
            sa.select(User)
            .where(User.active, User.role.in_([Role.COORDINATOR, Role.ADMIN]))
            .order_by(User.name)
        )
    )


class AssignmentError(Exception):
    """The chosen person cannot be assigned cases."""


def assign(case: Case, assignee: User | None, by: User) -> None:
    """Assign the case to a coordinator (or nobody); records the event. Flushes."""
    if assignee is not None and (not assignee.active or not assignee.has_role(Role.COORDINATOR)):
        raise AssignmentError("only active coordinators can be assigned")
    before = case.assignee_id
    case.assignee = assignee
    record_event(
        "case_assigned",
        user_id=by.id,
        case_id=case.id,
        subject_user_id=assignee.id if assignee else None,
        details={"from": before, "to": assignee.id if assignee else None},
    )
    notify_assignment(case, assignee, by)
    db.session.flush()


EXPORT_FIELDS = [
    "reference", "title", "status", "municipality", "district", "category",
    "occurred_on", "occurred_precision", "submitted_at", "assignee", "updated_at",
]  # fmt: skip


def export_rows(stmt: sa.Select[tuple[Case]]) -> Iterator[dict[str, Any]]:
    """Internal export rows; confidential source notes are never part of any export."""
    for case in db.session.scalars(stmt.execution_options(yield_per=500)):
        yield {
            "reference": case.reference,
            "title": case.title,
            "status": case.status.value,
            "municipality": case.municipality.name_latin if case.municipality else None,
            "district": case.municipality.district if case.municipality else None,
            "category": case.category.slug if case.category else None,
            "occurred_on": case.occurred_on.isoformat() if case.occurred_on else None,
            "occurred_precision": case.occurred_precision.value,
            "submitted_at": case.submitted_at.isoformat() if case.submitted_at else None,
            "assignee": case.assignee.name if case.assignee else None,
            "updated_at": case.updated_at.isoformat(),
        }


def record_export(by: User, fmt: str, f: QueueFilter) -> None:
    """Exports are events: who took which slice of the queue, when."""
    record_event(
        "queue_exported",
        user_id=by.id,
        details={"format": fmt, "filter": {k: str(v) for k, v in vars(f).items() if v}},
    )
