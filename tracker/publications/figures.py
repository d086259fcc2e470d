"""Aggregate figures for a report: its published cases by category, municipality and month."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date

import sqlalchemy as sa

from tracker.cases.models import Case, CaseStatus, Category, DatePrecision
from tracker.extensions import db
from tracker.geo.models import Municipality
from tracker.publications.models import Publication, PublicationCase, PublicationKind

WITH_FIGURES = frozenset({PublicationKind.REPORT, PublicationKind.ANALYSIS})


@dataclass(frozen=True)
class Row:
    """One line of a table: what it counts, how many, and its share of the largest line."""

    label: object  # a Category, a Municipality, a month (date), or None for "unknown"
    count: int
    percent: int  # of the largest count, for the bar


@dataclass
class Figures:
    total: int = 0
    by_category: list[Row] = field(default_factory=list)
    by_municipality: list[Row] = field(default_factory=list)
    by_month: list[Row] = field(default_factory=list)


def _rows(counts: Counter[object], key: object = None) -> list[Row]:
    top = max(counts.values(), default=0) or 1
    items = sorted(counts.items(), key=key) if key else counts.most_common()
    return [Row(label, n, round(100 * n / top)) for label, n in items]


def _month(occurred_on: date | None, precision: DatePrecision) -> date | None:
    if occurred_on is None or precision is DatePrecision.YEAR:
        return None
    return occurred_on.replace(day=1)


def report_figures(publication: Publication) -> Figures | None:
    """The figures for a report or an analysis (None for other kinds): published cases only."""
    if publication.kind not in WITH_FIGURES:
        return None
    rows = db.session.execute(
        sa.select(Case.category_id, Case.municipality_id, Case.occurred_on, Case.occurred_precision)
        .join(PublicationCase, PublicationCase.case_id == Case.id)
        .where(
            PublicationCase.publication_id == publication.id,
            Case.status == CaseStatus.PUBLISHED,
            Case.merged_into_id.is_(None),
        )
    ).all()
    if not rows:
        return Figures()
    categories = _by_id(Category, {r.category_id for r in rows})
    municipalities = _by_id(Municipality, {r.municipality_id for r in rows})
    by_category = Counter(categories.get(r.category_id) for r in rows)
    by_municipality = Counter(municipalities.get(r.municipality_id) for r in rows)
    by_month = Counter(_month(r.occurred_on, r.occurred_precision) for r in rows)
    return Figures(
        total=len(rows),
        by_category=_rows(by_category),
        by_municipality=_rows(by_municipality),
        by_month=_rows(by_month, key=lambda item: (item[0] is None, item[0] or date.min)),
    )


def _by_id(model: type, ids: set[int | None]) -> dict[int, object]:
    wanted = {i for i in ids if i is not None}
    if not wanted:
        return {}
    return {row.id: row for row in db.session.scalars(sa.select(model).where(model.id.in_(wanted)))}
