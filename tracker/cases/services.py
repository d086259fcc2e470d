"""Case rules that exist so far: reference numbers and creating a case."""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite

from tracker.accounts.models import User
from tracker.audit.services import record_event
from tracker.cases.models import Case, CaseStatus, Category, DatePrecision, ReferenceCounter
from tracker.dbtypes import utcnow
from tracker.extensions import db
from tracker.geo.models import Municipality

REFERENCE_PREFIX = "IN"


def allocate_reference(year: int | None = None) -> str:
    """The next reference (IN-2026-00042), unique even when many cases are created at once.

    One UPDATE … RETURNING on the year's counter row: the database serialises it.
    """
    year = year or utcnow().year
    dialect = db.session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    db.session.execute(insert(ReferenceCounter).values(year=year, last=0).on_conflict_do_nothing())
    number = db.session.execute(
        sa.update(ReferenceCounter)
        .where(ReferenceCounter.year == year)
        .values(last=ReferenceCounter.last + 1)
        .returning(ReferenceCounter.last)
    ).scalar_one()
    return f"{REFERENCE_PREFIX}-{year}-{number:05d}"


def create_case(
    reporter: User,
    title: str,
    municipality: Municipality,
    *,
    description: str = "",
    occurred_on: date | None = None,
    precision: DatePrecision = DatePrecision.DAY,
    category: Category | None = None,
    place: str | None = None,
) -> Case:
    """Open a draft case for `reporter`; flushes, caller commits."""
    case = Case(
        reference=allocate_reference(),
        title=title.strip(),
        description=description,
        occurred_on=occurred_on,
        occurred_precision=precision,
        municipality=municipality,
        category=category,
        place=place,
        reporter=reporter,
        status=CaseStatus.DRAFT,
    )
    db.session.add(case)
    db.session.flush()
    record_event("case_created", user_id=reporter.id, case_id=case.id)
    return case
