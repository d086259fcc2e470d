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

from tracker.public import index, rank, recent
from tracker.public.cache import figures
from tracker.public.models import COVERED, Finding
from tracker.public.query import Filters, newest

# Reading, ranking and tallying the window costs about 2.5 us a match at a million findings
# (the index's matches looked up in the table, then scored): 1,000 keeps a full window's
# search within 1.5x of a small archive's (make bench-scale); 2,000 took 2.15x. Twenty
# pages of the most relevant, and "add words or filters" beyond them.
WINDOW = 1000

# The columns the facets count, after the id: the ones the id-ordered indexes carry
# (models.COVERED), so a filtered list's window is read from an index alone. "actor" is each
# finding's actor ids, "3 17".
FACETED = ("category", "district", "municipality", "actor")
# Core columns, read through the connection: the ORM's per-row work would double the cost.
# Exactly what the indexes cover (models.COVERED, in FACETED's order), so they stay covering.
_TABLE = Finding.__table__.c
_COLUMNS = (_TABLE.id, *(_TABLE[name] for name in COVERED))


@dataclass(frozen=True)
class Window:
    """The newest matches (at most WINDOW), newest first, by column: tuples of numbers and
    strings, which the garbage collector stops tracking, so a full cache costs a worker's
    collections nothing. Kept by column, each column is made and counted in one pass."""

    ids: tuple[int, ...]
    faceted: tuple[tuple[Any, ...], ...]  # one column for each of FACETED
    counts: rank.Counts | None  # for a search: what relevance is counted from
    more: bool  # more than WINDOW findings match

    def column(self, dimension: str) -> list[Any]:
        """The window's values of one dimension (for "actor", every actor id of every row)."""
        values = self.faceted[FACETED.index(dimension)]
        if dimension == "actor":
            return " ".join(values).split()
        return list(values)


def _read(filters: Filters) -> Window:
    extra = list(rank.COUNTED) if filters.terms else []  # what relevance is counted from
    # these columns need no conversion: plain tuples (recent.fetch)
    got = recent.newest_rows(filters, newest(filters, *_COLUMNS, *extra), WINDOW + 1)
    more = len(got) > WINDOW
    columns = tuple(zip(*got[:WINDOW], strict=True)) or ((),) * (len(_COLUMNS) + len(extra))
    faceted = columns[1 : len(_COLUMNS)]
    counts = rank.counted(filters, *columns[len(_COLUMNS) :]) if extra else None
    return Window(columns[0], faceted, counts, more)


def window(filters: Filters) -> Window:
    """The newest matches of `filters` (cached per public version)."""
    key = ("window", filters.key())
    return figures.get(index.state(), key, lambda: _read(filters), query=True)


def ranked(filters: Filters) -> tuple[int, ...]:
    """The window's ids, most relevant to the searched words first (cached)."""

    def make() -> tuple[int, ...]:
        seen = window(filters)
        return rank.order(filters, seen.ids, seen.counts) if seen.counts is not None else ()

    return figures.get(index.state(), ("ranked", filters.key()), make, query=True)
