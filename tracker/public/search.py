"""Finding published cases: keyset pages of the filtered list, and relevance-ranked search.

The filters and the SQL they make live in tracker.public.query (re-exported here). Relevance
ranking is bounded: a term matching more than RANK_WINDOW findings is ranked among its
RANK_WINDOW newest matches (tracker.public.window), so a common word costs what a rare one
does. Every query reads `finding` through an index (tests/integration/test_query_plans.py).
"""

from __future__ import annotations

from collections import namedtuple
from dataclasses import dataclass
from datetime import date
from typing import Any

import sqlalchemy as sa

from tracker.cases.models import DatePrecision
from tracker.extensions import db
from tracker.public import index
from tracker.public.cache import figures
from tracker.public.models import Finding
from tracker.public.query import (
    MAX_TERMS,
    Filters,
    bounds,
    conditions,
    keys,
    listing,
    text_ids,
)
from tracker.public.window import WINDOW, ranked, window

__all__ = ["MAX_TERMS", "PAGE_SIZE", "RANK_WINDOW", "Filters", "Page", "bounds", "browse",
           "conditions", "find", "listing", "parse_cursor", "search", "text_ids"]  # fmt: skip

PAGE_SIZE = 50
RANK_WINDOW = WINDOW


@dataclass
class Page:
    """One page of findings, with how to reach the next."""

    rows: list[Any]  # rows of COLUMNS, by attribute (sa.Row, or Found from the cache)
    next_cursor: str | None = None
    page: int = 1  # relevance-ranked searches page by number
    more: bool = False
    ranked_window: bool = False  # True when ranking was limited to the newest matches


COLUMNS = (
    Finding.id, Finding.reference, Finding.title, Finding.summary, Finding.occurred_on,
    Finding.occurred_precision, Finding.municipality_id, Finding.district_code,
    Finding.category_id, Finding.published_at,
)  # fmt: skip


def parse_cursor(cursor: str | None, dated: bool) -> tuple[date | None, int] | None:
    """A cursor is "<id>", or "<date>.<id>" when the list is ordered by the incident date."""
    if not cursor:
        return None
    try:
        if dated:
            day, _, ident = cursor.partition(".")
            return date.fromisoformat(day), int(ident)
        return None, int(cursor)
    except ValueError:
        return None


def browse(filters: Filters, cursor: str | None = None, size: int | None = None) -> Page:
    """Findings newest first (by incident date when a date range is given), keyset paged."""
    size = size or PAGE_SIZE
    dated = filters.dated
    stmt = listing(filters, *COLUMNS)
    after = parse_cursor(cursor, dated)
    if after is not None:
        day, ident = keys(filters)
        if dated:
            stmt = stmt.where(sa.tuple_(day, ident) < sa.tuple_(after[0], after[1]))
        else:
            stmt = stmt.where(ident < after[1])
    rows = list(db.session.execute(stmt.limit(size + 1)))
    page = Page(rows=rows[:size], more=len(rows) > size)
    if page.more:
        last = page.rows[-1]
        page.next_cursor = f"{last.occurred_on.isoformat()}.{last.id}" if dated else str(last.id)
    return page


def search(filters: Filters, page: int = 1, size: int | None = None) -> Page:
    """Findings matching the text, most relevant first (see RANK_WINDOW), paged by number:
    the window's ids in relevance order, then only the page's rows are read."""
    size = size or PAGE_SIZE
    chosen = ranked(filters)[(page - 1) * size : page * size + 1]
    found = {}
    if chosen:
        found = {row.id: row for row in db.session.execute(sa.select(*COLUMNS).where(
            Finding.id.in_(chosen)))}  # fmt: skip
    rows = [found[ident] for ident in chosen if ident in found]
    more = len(rows) > size
    return Page(rows=rows[:size], page=page, more=more, ranked_window=window(filters).more)


# A cached page keeps its rows as plain tuples of numbers, text and dates (the precision as
# its value): the garbage collector stops tracking those, so a worker's full cache adds
# nothing to its collections (SQLAlchemy rows would add two tracked objects each, and a
# full collection over a full cache took 80 ms). They come back as Found rows.
Found = namedtuple("Found", [column.key for column in COLUMNS])  # type: ignore[misc]
_PRECISION = Found._fields.index("occurred_precision")


def _pack(page: Page) -> tuple[Any, ...]:
    rows = tuple(
        tuple(value.value if n == _PRECISION else value for n, value in enumerate(row))
        for row in page.rows
    )
    return rows, page.next_cursor, page.page, page.more, page.ranked_window


def _unpack(packed: tuple[Any, ...]) -> Page:
    rows, *rest = packed
    found = [Found(*row[:_PRECISION], DatePrecision(row[_PRECISION]), *row[_PRECISION + 1 :])
             for row in rows]  # fmt: skip
    return Page(found, *rest)


def find(filters: Filters, cursor: str | None = None, page: int = 1) -> Page:
    """Search when there is text, else browse; kept in the per-process cache per version."""

    def make() -> tuple[Any, ...]:
        return _pack(search(filters, page) if filters.terms else browse(filters, cursor))

    key = ("find", filters.key(), cursor, page, PAGE_SIZE)
    return _unpack(figures.get(index.state(), key, make, query=True))
