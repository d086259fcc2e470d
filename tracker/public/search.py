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
    FTS,
    MAX_TERMS,
    Filters,
    bounds,
    conditions,
    keys,
    listing,
    match_sqlite,
    sqlite,
    text_ids,
    tsquery,
    tsvector,
)
from tracker.public.window import WINDOW, window

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


def _ranked(filters: Filters, floor: int | None) -> sa.Select[Any]:
    """(id, score) of the matches, best first, ties newest first: scored from the index alone
    (no finding row is read to rank), joined to `finding` only for other filters. The score
    is FTS5's rank (lower is better) or PostgreSQL's ts_rank (higher is better)."""
    rest = conditions(filters, text=False)
    if sqlite():
        stmt = sa.select(FTS.c.rowid.label("id"), FTS.c.rank.label("score")).select_from(FTS)
        if rest:
            stmt = stmt.join(Finding, Finding.id == FTS.c.rowid).where(*rest)
        stmt = stmt.where(match_sqlite(filters.terms)).order_by(FTS.c.rank, FTS.c.rowid.desc())
        return stmt if floor is None else stmt.where(FTS.c.rowid >= floor)
    score = sa.func.ts_rank(tsvector(), tsquery(filters.terms))  # higher is better
    stmt = sa.select(Finding.id.label("id"), score.label("score")).where(*conditions(filters))
    stmt = stmt.order_by(score.desc(), Finding.id.desc())
    return stmt if floor is None else stmt.where(Finding.id >= floor)


def search(filters: Filters, page: int = 1, size: int | None = None) -> Page:
    """Findings matching the text, most relevant first (see RANK_WINDOW), paged by number.

    The page's ids are ranked first, then only their rows are read: ranking the window
    with every row's columns joined in would read and sort RANK_WINDOW whole rows.
    """
    size = size or PAGE_SIZE
    floor = window(filters).floor
    ranked = _ranked(filters, floor).limit(size + 1).offset((page - 1) * size).subquery("ranked")
    stmt = (
        sa.select(*COLUMNS)
        .select_from(ranked)
        .join(Finding, Finding.id == ranked.c.id)
        .order_by(ranked.c.score if sqlite() else ranked.c.score.desc(), ranked.c.id.desc())
    )
    rows = list(db.session.execute(stmt))
    return Page(rows=rows[:size], page=page, more=len(rows) > size, ranked_window=floor is not None)


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
    return _unpack(figures.get(index.state(), key, make))
