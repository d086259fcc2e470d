"""Published cases as rows for open data: public fields only, streamed, never confidential."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import Any

import sqlalchemy as sa
import sqlalchemy.orm as so

from tracker.cases.models import Case, DatePrecision
from tracker.extensions import db
from tracker.public.services import PUBLIC_STATUSES, public_point

FIELDS = [
    "reference", "title", "public_summary", "status", "occurred", "occurred_precision",
    "municipality_code", "municipality", "district", "category", "lat", "lon",
    "point_precision", "published_at", "retracted_at", "retraction_reason",
]  # fmt: skip


def public_cases(limit: int | None = None) -> sa.Select[tuple[Case]]:
    """Published and retracted cases, newest publication first, with what the rows need."""
    stmt = (
        sa.select(Case)
        .where(Case.status.in_(PUBLIC_STATUSES), Case.merged_into_id.is_(None))
        .options(so.joinedload(Case.municipality), so.joinedload(Case.category))
        .order_by(Case.published_at.desc(), Case.id.desc())
    )
    return stmt.limit(limit) if limit else stmt


def _occurred(case: Case) -> str | None:
    if case.occurred_on is None:
        return None
    if case.occurred_precision is DatePrecision.YEAR:
        return f"{case.occurred_on.year}"
    if case.occurred_precision is DatePrecision.MONTH:
        return case.occurred_on.strftime("%Y-%m")
    return case.occurred_on.isoformat()


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment else None


def row(case: Case) -> dict[str, Any]:
    """One case's public fields (the point at its public precision)."""
    point = public_point(case)
    municipality = case.municipality
    return {
        "reference": case.reference,
        "title": case.title,
        "public_summary": case.public_summary,
        "status": case.status.value,
        "occurred": _occurred(case),
        "occurred_precision": case.occurred_precision.value,
        "municipality_code": municipality.code if municipality else None,
        "municipality": municipality.name_latin if municipality else None,
        "district": municipality.district if municipality else None,
        "category": case.category.slug if case.category else None,
        "lat": point[0] if point else None,
        "lon": point[1] if point else None,
        "point_precision": case.point_precision.value,
        "published_at": _iso(case.published_at),
        "retracted_at": _iso(case.retracted_at),
        "retraction_reason": case.retraction_reason,
    }


def rows(limit: int | None = None) -> Iterator[dict[str, Any]]:
    """Every public case as a row, read in batches (memory stays flat however many)."""
    result = db.session.scalars(public_cases(limit).execution_options(yield_per=500))
    try:
        for case in result:
            yield row(case)
    finally:
        result.close()
