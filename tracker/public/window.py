"""The newest matches of a search or a filter: what relevance ranking and facet counts see.

A common word matches most of the archive; ranking all its matches, or counting them per
facet, would cost in proportion to the archive. Both therefore look at the newest WINDOW
matches only, read once (ids and the facet columns, in the order an index gives) and kept
in the per-process cache until anything public changes: the ranked search takes the last
id as its floor, the facets tally the columns. A term with fewer matches is read whole.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

from tracker.extensions import db
from tracker.public import index
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

    rows: tuple[tuple[Any, ...], ...]
    more: bool  # more than WINDOW findings match

    @property
    def ids(self) -> list[int]:
        return [row[0] for row in self.rows]

    @property
    def floor(self) -> int | None:
        """The oldest id in the window when it does not hold every match, else None."""
        return self.rows[-1][0] if self.more else None

    def column(self, dimension: str) -> list[Any]:
        at = FACETED.index(dimension) + 1
        return [row[at] for row in self.rows]


def _read(filters: Filters) -> Window:
    # Plain tuples of numbers and strings: the garbage collector stops tracking them, so a
    # full cache costs a worker's collections nothing.
    read = db.session.connection().execute(newest(filters, *_COLUMNS).limit(WINDOW + 1))
    rows = tuple(tuple(r) for r in read.all())  # one fetchall, not a fetch a row
    return Window(rows[:WINDOW], len(rows) > WINDOW)


def window(filters: Filters) -> Window:
    """The newest matches of `filters` (cached per public version)."""
    return figures.get(index.state(), ("window", filters.key()), lambda: _read(filters))


def among(column: sa.ColumnElement[Any], ids: Sequence[int]) -> sa.ColumnElement[bool]:
    """`column IN ids` as one bound value (a JSON or array parameter, not one per id)."""
    if sqlite():
        values = sa.select(sa.column("value", sa.Integer)).select_from(
            sa.func.json_each(sa.bindparam("window_ids", json.dumps(list(ids))))
        )
        return column.in_(values)
    array = sa.bindparam("window_ids", list(ids), type_=postgresql.ARRAY(sa.Integer))
    return column == sa.any_(array)
