"""The newest matches of a search or a filter: what relevance ranking and facet counts see.

A common word matches most of the archive; ranking all its matches, or counting them per
facet, would cost in proportion to the archive. Both therefore look at the newest WINDOW
matches only, read once (ids and the facet columns, in the order an index gives) and kept
in the per-process cache until anything public changes: a search ranks these rows by
relevance (tracker.public.rank), the facets tally their columns. Fewer matches: read whole.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

from tracker.extensions import db
from tracker.public import index, rank
from tracker.public.cache import figures
from tracker.public.models import Finding
from tracker.public.query import Filters, newest, sqlite

WINDOW = 2000

# The columns the facets count, in the order of Window.rows' values after the id.
FACETED = ("category", "district", "municipality", "month")
# Core columns, read through the connection: the ORM's per-row work would double the cost.
_TABLE = Finding.__table__.c
_COLUMNS = (_TABLE.id, _TABLE.category_id, _TABLE.district_code, _TABLE.municipality_id,
            _TABLE.month)  # fmt: skip


@dataclass(frozen=True)
class Window:
    """The newest matches (at most WINDOW), newest first: (id, *FACETED values) each."""

    rows: tuple[tuple[Any, ...], ...]  # then, for a search, what rank.counted() adds
    more: bool  # more than WINDOW findings match

    @property
    def ids(self) -> list[int]:
        return [row[0] for row in self.rows]

    def column(self, dimension: str) -> list[Any]:
        at = FACETED.index(dimension) + 1
        return [row[at] for row in self.rows]


def _read(filters: Filters) -> Window:
    # Plain tuples of numbers and strings: the garbage collector stops tracking them, so a
    # full cache costs a worker's collections nothing.
    extra = [rank.TEXT] if filters.terms else []  # what relevance is counted from
    read = db.session.connection().execute(newest(filters, *_COLUMNS, *extra).limit(WINDOW + 1))
    got = read.all()  # one fetchall, not a fetch a row
    rows = tuple(tuple(r) for r in (rank.counted(filters, got) if extra else got))
    return Window(rows[:WINDOW], len(rows) > WINDOW)


def window(filters: Filters) -> Window:
    """The newest matches of `filters` (cached per public version)."""
    key = ("window", filters.key())
    return figures.get(index.state(), key, lambda: _read(filters), query=True)


def ranked(filters: Filters) -> tuple[int, ...]:
    """The window's ids, most relevant to the searched words first (cached)."""

    def make() -> tuple[int, ...]:
        return rank.order(filters, window(filters).rows, len(_COLUMNS))

    return figures.get(index.state(), ("ranked", filters.key()), make, query=True)


def among(column: sa.ColumnElement[Any], ids: Sequence[int]) -> sa.ColumnElement[bool]:
    """`column IN ids` as one bound value (a JSON or array parameter, not one per id)."""
    if sqlite():
        values = sa.select(sa.column("value", sa.Integer)).select_from(
            sa.func.json_each(sa.bindparam("window_ids", json.dumps(list(ids))))
        )
        return column.in_(values)
    array = sa.bindparam("window_ids", list(ids), type_=postgresql.ARRAY(sa.Integer))
    return column == sa.any_(array)
