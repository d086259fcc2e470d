"""How many published findings each filter value would give: the list's facet counts.

Without filters the counts come from `finding_count`, kept current as findings change.
With filters they are grouped over the matching findings, at most the newest WINDOW of
them, so their cost does not grow with the archive: when more match, the counts describe
the newest WINDOW (the page says so) and the total is exact only where a stored count
gives it (one filter of a stored dimension). `exact=True` groups over every match, for
the statistics page. Results stay in the per-process cache until anything public changes.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa

from tracker.extensions import db
from tracker.public import index
from tracker.public.cache import figures
from tracker.public.models import Finding, FindingActor, FindingCount
from tracker.public.query import Filters, conditions
from tracker.public.window import FACETED, window

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
    exact_total: bool = True  # False: `total` is a lower bound ("more than")
    sampled: bool = False  # True: counts describe the newest WINDOW matches only

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


def _grouped(where: list[sa.ColumnElement[bool]], dimension: str) -> list[tuple[str, int]]:
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


SINGLE = {
    "category_id": "category",
    "district_code": "district",
    "municipality_id": "municipality",
    "actor_id": "actor",
}


def _stored_total(filters: Filters) -> int | None:
    """The exact total from stored counts, when the filters are one stored dimension."""
    given = {k: v for k, v in vars(filters).items() if v not in (None, "")}
    if len(given) != 1 or filters.terms:
        return None
    [(name, value)] = given.items()
    if name not in SINGLE:
        return None
    row = db.session.get(FindingCount, (SINGLE[name], str(value)))
    return row.count if row else 0


def _keyed(values: Iterable[Any]) -> list[tuple[str, int]]:
    """Counts per value, as the stored counts key them (text; "" for none), largest first."""
    counted = Counter(values)  # tallied as read; only the distinct keys become text
    keyed = [("" if value is None else str(value), n) for value, n in counted.items()]
    return sorted(keyed, key=lambda kv: (-kv[1], kv[0]))


def _windowed(filters: Filters, dimensions: tuple[str, ...]) -> Facets:
    """Counts over the newest WINDOW matches (the window ranking uses too, read once)."""
    seen = window(filters)
    counts = {d: _keyed(seen.column(d)) for d in dimensions if d in FACETED}
    total = _stored_total(filters) if seen.more else len(seen.ids)
    lower = len(seen.ids)  # more than the window holds match: "more than" that
    return Facets(total if total is not None else lower, counts, total is not None, seen.more)


def _compute(filters: Filters, dimensions: tuple[str, ...], exact: bool) -> Facets:
    if filters.empty:
        totals = stored("all")
        counts = {d: stored(d) for d in dimensions}
        result = Facets(totals[0][1] if totals else 0, counts)
    elif exact:
        where = conditions(filters)
        total = db.session.scalar(sa.select(sa.func.count()).select_from(Finding).where(*where))
        result = Facets(total or 0, {d: _grouped(where, d) for d in dimensions})
    else:
        result = _windowed(filters, dimensions)
    top = {d: rows[: TOP.get(d, len(rows))] for d, rows in result.counts.items()}
    return Facets(result.total, top, result.exact_total, result.sampled)


def facets(
    filters: Filters,
    dimensions: tuple[str, ...] = ("category", "district", "municipality", "actor"),
    exact: bool = False,
) -> Facets:
    """Facet counts for the findings `filters` select (cached until public data changes)."""
    return figures.get(
        index.state(),
        ("facets", filters.key(), dimensions, exact),
        lambda: _compute(filters, dimensions, exact),
        query=True,
    )
