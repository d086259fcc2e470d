"""Reference numbers that people can quote: IN-2026-00042."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite

from tracker.cases.models import ReferenceCounter
from tracker.dbtypes import utcnow
from tracker.extensions import db

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
