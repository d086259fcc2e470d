"""How many published findings each filter value would give: the list's facet counts.

Without filters the counts come from `finding_count`, kept current as findings change.
With filters they are grouped over the matching findings (through an index) and kept in
the per-process cache until anything public changes.
"""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa

from tracker.extensions import db
from tracker.public import index
from tracker.public.cache import figures
from tracker.public.models import Finding, FindingActor, FindingCount
from tracker.public.search import Filters, conditions

TOP = {"municipality": 25, "actor": 15}
GROUPED = {
    "category": Finding.category_id,
    "district": Finding.district_code,
    "municipality": Finding.municipality_id,
    "month": Finding.month,
}


@dataclass(frozen=True)
class Facets:
    """Counts per value for each dimension, largest first, plus the total."""

    total: int
    counts: dict[str, list[tuple[str, int]]]

    def of(self, dimension: str) -> dict[str, int]:
        return dict(self.counts.get(dimension, []))


def stored(dimension: str) -> list[tuple[str, int]]:
    """The stored counts of every published finding for one dimension, largest first."""
    rows = db.session.execute(
        sa.select(FindingCount.key, FindingCount.count)
        .where(FindingCount.dimension == dimension)
        .order_by(FindingCount.count.desc(), FindingCount.key)
    )
    return [(key, count) for key, count in rows]


def _grouped(filters: Filters, dimension: str) -> list[tuple[str, int]]:
    where = conditions(filters)
    if dimension == "actor":
        stmt = (
            sa.select(FindingActor.actor_id, sa.func.count())
            .join(Finding, Finding.id == FindingActor.finding_id)
            .where(*where)
            .group_by(FindingActor.actor_id)
        )
    else:
        column = GROUPED[dimension]
        stmt = sa.select(column, sa.func.count()).where(*where).group_by(column)
    rows = [("" if key is None else str(key), n) for key, n in db.session.execute(stmt)]
    return sorted(rows, key=lambda kv: (-kv[1], kv[0]))


def _total(filters: Filters) -> int:
    stmt = sa.select(sa.func.count()).select_from(Finding).where(*conditions(filters))
    return db.session.scalar(stmt) or 0


def _compute(filters: Filters, dimensions: tuple[str, ...]) -> Facets:
    if filters.empty:
        totals = stored("all")
        counts = {d: stored(d) for d in dimensions}
        total = totals[0][1] if totals else 0
    else:
        counts = {d: _grouped(filters, d) for d in dimensions}
        total = _total(filters)
    return Facets(total, {d: rows[: TOP.get(d, len(rows))] for d, rows in counts.items()})


def facets(
    filters: Filters,
    dimensions: tuple[str, ...] = ("category", "district", "municipality", "actor"),
) -> Facets:
    """Facet counts for the findings `filters` select (cached until public data changes)."""
    return figures.get(
        index.state(), ("facets", filters.key(), dimensions), lambda: _compute(filters, dimensions)
    )
