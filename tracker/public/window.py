"""The newest matches of a search or a filter: what relevance ranking and facet counts see.

A common word matches most of the archive; ranking all its matches, or counting them per
facet, would cost in proportion to the archive. Both therefore look at the newest WINDOW
matches only, read once (ids and the facet columns, in the order an index gives) and kept
in the per-process cache until anything public changes: a search ranks these rows by
relevance (tracker.public.rank), the facets tally their columns. Fewer matches: read whole.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from tracker.extensions import db
from tracker.public import index, rank
from tracker.public.cache import figures
from tracker.public.models import Finding
from tracker.public.query import Filters, newest

WINDOW = 2000

# The columns the facets count, in the order of Window.rows' values after the id: the ones
# the id-ordered indexes carry (models.COVERED), so a filtered list's window is read from an
# index alone. "actor" is each finding's actor ids, "3 17".
FACETED = ("category", "district", "municipality", "actor")
# Core columns, read through the connection: the ORM's per-row work would double the cost.
_TABLE = Finding.__table__.c
_COLUMNS = (_TABLE.id, _TABLE.category_id, _TABLE.district_code, _TABLE.municipality_id,
            _TABLE.actor_ids)  # fmt: skip


@dataclass(frozen=True)
class Window:
    """The newest matches (at most WINDOW), newest first: (id, *FACETED values) each."""

    rows: tuple[tuple[Any, ...], ...]  # then, for a search, what rank.counted() adds
    more: bool  # more than WINDOW findings match

    @property
    def ids(self) -> list[int]:
        return [row[0] for row in self.rows]

    def column(self, dimension: str) -> list[Any]:
        """The window's values of one dimension (for "actor", every actor id of every row)."""
        at = FACETED.index(dimension) + 1
        if dimension == "actor":
            return " ".join([row[at] for row in self.rows]).split()
        return [row[at] for row in self.rows]


def _read(filters: Filters) -> Window:
    # Plain tuples of numbers and strings, as the driver gives them (these columns need no
    # conversion; SQLAlchemy's Row objects cost a fifth of the read): the garbage collector
    # stops tracking them, so a full cache costs a worker's collections nothing.
    extra = list(rank.COUNTED) if filters.terms else []  # what relevance is counted from
    stmt = newest(filters, *_COLUMNS, *extra).limit(WINDOW + 1)
    result = db.session.connection().execute(stmt)
    try:
        got = result.cursor.fetchall()  # one fetchall, not a fetch a row
    finally:
        result.close()
    rows = tuple(tuple(row) for row in (rank.counted(filters, got) if extra else got))
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
