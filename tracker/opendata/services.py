"""Published cases as rows for open data: public fields only, streamed, never confidential."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa

from tracker.actors.services import actors_of
from tracker.cases.models import Case, CaseStatus, DatePrecision
from tracker.extensions import db
from tracker.public.models import Finding
from tracker.public.names import Names, names
from tracker.public.services import PUBLIC_STATUSES, point_at

FIELDS = [
    "reference", "title", "public_summary", "status", "occurred", "occurred_precision",
    "municipality_code", "municipality", "district", "category", "lat", "lon",
    "point_precision", "published_at", "retracted_at", "retraction_reason", "actors",
]  # fmt: skip


EPOCH = datetime(1970, 1, 1, tzinfo=UTC)  # a public case always has its date; never first

COLUMNS = (
    Case.id, Case.reference, Case.title, Case.public_summary, Case.status, Case.occurred_on,
    Case.occurred_precision, Case.municipality_id, Case.category_id, Case.lat, Case.lon,
    Case.point_precision, Case.published_at, Case.retracted_at, Case.retraction_reason,
)  # fmt: skip


def public_cases() -> sa.Select[Any]:
    """Published and retracted cases' public columns, in id order (the primary key: no sort)."""
    return (
        sa.select(*COLUMNS)
        .where(Case.status.in_(PUBLIC_STATUSES), Case.merged_into_id.is_(None))
        .order_by(Case.id.desc())
    )


def _occurred(case: Any) -> str | None:
    if case.occurred_on is None:
        return None
    if case.occurred_precision is DatePrecision.YEAR:
        return f"{case.occurred_on.year}"
    if case.occurred_precision is DatePrecision.MONTH:
        return case.occurred_on.strftime("%Y-%m")
    return case.occurred_on.isoformat()


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment else None


def row(case: Any, known: Names, actors: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    """One case's public fields (the point at its public precision), from its columns, with
    its actors when given."""
    place = known.places.get(case.municipality_id) if case.municipality_id else None
    district = known.districts.get(place.district_code) if place else None
    kind = known.categories.get(case.category_id) if case.category_id else None
    seat = (place.lat, place.lon) if place else None
    point = point_at(case.point_precision, case.lat, case.lon, seat)
    return {
        "reference": case.reference,
        "title": case.title,
        "public_summary": case.public_summary,
        "status": case.status.value,
        "occurred": _occurred(case),
        "occurred_precision": case.occurred_precision.value,
        "municipality_code": place.code if place else None,
        "municipality": place.latin if place else None,
        "district": district.latin if district else None,
        "category": kind.slug if kind else None,
        "actors": actors or [],
        "lat": point[0] if point else None,
        "lon": point[1] if point else None,
        "point_precision": case.point_precision.value,
        "published_at": _iso(case.published_at),
        "retracted_at": _iso(case.retracted_at),
        "retraction_reason": case.retraction_reason,
    }


def rows() -> Iterator[dict[str, Any]]:
    """Every public case as a row, read in batches (memory stays flat however many)."""
    known = names()
    result = db.session.execute(public_cases().execution_options(yield_per=1000))
    try:
        for batch in result.partitions():  # a batch's actors in one query
            actors = actors_of([case.id for case in batch])
            for case in batch:
                yield row(case, known, actors.get(case.id))
    finally:
        result.close()


def csv_rows() -> Iterator[dict[str, Any]]:
    """rows() for CSV: each case's actors in one cell, "name (kind, role); …"."""
    for item in rows():
        item["actors"] = "; ".join(
            f"{actor['name']} ({actor['kind']}, {actor['role']})" for actor in item["actors"]
        )
        yield item


def newest(limit: int) -> list[dict[str, Any]]:
    """The latest public events as rows (for the feed), newest first: findings published,
    and findings retracted, so that a subscriber learns of a retraction as of a finding."""
    ids = sa.select(Finding.case_id).order_by(Finding.id.desc()).limit(limit)
    retracted = (
        sa.select(Case.id)
        .where(Case.status == CaseStatus.RETRACTED, Case.merged_into_id.is_(None))
        .order_by(Case.retracted_at.desc().nulls_last())
        .limit(limit)
    )
    cases = list(
        db.session.execute(
            sa.select(*COLUMNS).where(sa.or_(Case.id.in_(ids), Case.id.in_(retracted)))
        )
    )
    cases.sort(key=lambda case: (case.retracted_at or case.published_at or EPOCH, case.id),
               reverse=True)  # fmt: skip
    known = names()
    # a retraction's entry says when in the reader's language: the moment, not its text
    return [{**row(case, known), "retracted_on": case.retracted_at} for case in cases[:limit]]
