"""Finding published cases: filters, full-text search and keyset pages over the read model.

One interface over two engines: SQLite's FTS5 and PostgreSQL's full-text search, both over
`finding.search_text`, which is folded (one script, no diacritics, lower case) as the query
is, so "Čačak", "Cacak" and "Чачак" find the same cases.

Every query here reads `finding` through an index: no full scan, no sort of the whole table
(tests/integration/test_query_plans.py checks the plans). Relevance ranking is bounded: a
term matching more than RANK_WINDOW findings is ranked among its RANK_WINDOW newest matches,
so a common word costs the same as a rare one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

import sqlalchemy as sa

from tracker.extensions import db
from tracker.public import index
from tracker.public.cache import figures
from tracker.public.models import Finding, FindingActor
from tracker.text import fold

PAGE_SIZE = 50
RANK_WINDOW = 2000
MAX_TERMS = 8

FTS = sa.table("finding_fts", sa.column("rowid"), sa.column("rank"))


@dataclass(frozen=True)
class Filters:
    """What a visitor narrowed the list to; every field optional."""

    text: str = ""
    municipality_id: int | None = None
    district_code: int | None = None
    category_id: int | None = None
    actor_id: int | None = None
    date_from: date | None = None
    date_to: date | None = None

    @property
    def terms(self) -> tuple[str, ...]:
        """The folded words searched for (at most MAX_TERMS)."""
        return tuple(re.findall(r"[a-z0-9]+", fold(self.text)))[:MAX_TERMS]

    @property
    def empty(self) -> bool:
        return self == Filters() or (not self.terms and replace(self, text="") == Filters())

    def key(self) -> tuple[Any, ...]:
        """A cache key: equal for filters that select the same findings."""
        return (self.terms, self.municipality_id, self.district_code, self.category_id,
                self.actor_id, self.date_from, self.date_to)  # fmt: skip

    def without(self, name: str) -> Filters:
        """The same filters with one of them cleared (for "remove this filter" links)."""
        return replace(self, **{name: "" if name == "text" else None})


@dataclass
class Page:
    """One page of findings, with how to reach the next."""

    rows: list[sa.Row[Any]]
    next_cursor: str | None = None
    page: int = 1  # relevance-ranked searches page by number
    more: bool = False
    ranked_window: bool = False  # True when ranking was limited to the newest matches
    extra: dict[str, Any] = field(default_factory=dict)


COLUMNS = (
    Finding.id, Finding.reference, Finding.title, Finding.summary, Finding.occurred_on,
    Finding.occurred_precision, Finding.municipality_id, Finding.district_code,
    Finding.category_id, Finding.published_at,
)  # fmt: skip


def _sqlite() -> bool:
    return db.session.get_bind().dialect.name == "sqlite"


def _match_sqlite(terms: tuple[str, ...]) -> sa.ColumnElement[bool]:
    query = " ".join(f'"{t}"' for t in terms)
    return sa.literal_column("finding_fts").op("MATCH")(query)


def _tsquery(terms: tuple[str, ...]) -> sa.ColumnElement[Any]:
    return sa.func.to_tsquery(sa.literal_column("'simple'"), " & ".join(terms))


def _tsvector() -> sa.ColumnElement[Any]:
    return sa.func.to_tsvector(sa.literal_column("'simple'"), Finding.search_text)


def text_ids(terms: tuple[str, ...]) -> sa.Select[Any]:
    """Ids of the findings that contain every term."""
    if _sqlite():
        return sa.select(FTS.c.rowid).where(_match_sqlite(terms))
    return sa.select(Finding.id).where(_tsvector().op("@@")(_tsquery(terms)))


def conditions(filters: Filters, text: bool = True) -> list[sa.ColumnElement[bool]]:
    """The WHERE clauses for `filters` over `finding`."""
    where: list[sa.ColumnElement[bool]] = []
    if filters.municipality_id is not None:
        where.append(Finding.municipality_id == filters.municipality_id)
    if filters.district_code is not None:
        where.append(Finding.district_code == filters.district_code)
    if filters.category_id is not None:
        where.append(Finding.category_id == filters.category_id)
    if filters.actor_id is not None:
        where.append(
            Finding.id.in_(
                sa.select(FindingActor.finding_id).where(FindingActor.actor_id == filters.actor_id)
            )
        )
    if _dated(filters):
        where.append(Finding.occurred_on.between(*bounds(filters)))
    if text and filters.terms:
        where.append(Finding.id.in_(text_ids(filters.terms)))
    return where


def bounds(filters: Filters) -> tuple[date, date]:
    """Both ends of the date range, an open end made the earliest or latest date.

    Always two-sided: SQLite's planner takes a two-sided range as selective and reads it
    through an index, where a one-sided one can make it walk a whole index instead.
    """
    return filters.date_from or date(1, 1, 1), filters.date_to or date(9999, 12, 31)


def _dated(filters: Filters) -> bool:
    return filters.date_from is not None or filters.date_to is not None


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


def _keys(filters: Filters) -> tuple[sa.ColumnElement[Any], sa.ColumnElement[Any]]:
    """The (incident date, id) columns a list is ordered by: the actor link's copies when an
    actor is chosen, so that (actor_id, occurred_on, finding_id) serves it."""
    if filters.actor_id is not None:
        return FindingActor.occurred_on, FindingActor.finding_id
    return Finding.occurred_on, Finding.id


def listing(filters: Filters, *columns: Any) -> sa.Select[Any]:
    """`columns` of the findings `filters` select (text aside), newest first, in an index's
    order: by incident date when a date range is given, else by publication (id)."""
    day, ident = _keys(filters)
    rest = replace(filters, text="", date_from=None, date_to=None)
    if filters.actor_id is not None:
        stmt = (
            sa.select(*columns)
            .select_from(FindingActor)
            .join(Finding, Finding.id == FindingActor.finding_id)
            .where(FindingActor.actor_id == filters.actor_id)
            .where(*conditions(replace(rest, actor_id=None)))
        )
    else:
        stmt = sa.select(*columns).where(*conditions(rest))
    if _dated(filters):
        stmt = stmt.where(day.between(*bounds(filters)))
        return stmt.order_by(day.desc(), ident.desc())
    return stmt.order_by(ident.desc())


def browse(filters: Filters, cursor: str | None = None, size: int | None = None) -> Page:
    """Findings newest first (by incident date when a date range is given), keyset paged."""
    size = size or PAGE_SIZE
    dated = _dated(filters)
    stmt = listing(filters, *COLUMNS)
    after = parse_cursor(cursor, dated)
    if after is not None:
        day, ident = _keys(filters)
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


def window_ids(filters: Filters, limit: int) -> sa.Select[Any]:
    """The ids of the newest `limit` findings matching `filters` (a subquery's select)."""
    if filters.terms and _sqlite():
        return (
            sa.select(FTS.c.rowid.label("id"))
            .select_from(FTS)
            .join(Finding, Finding.id == FTS.c.rowid)
            .where(_match_sqlite(filters.terms), *conditions(filters, text=False))
            .order_by(FTS.c.rowid.desc())
            .limit(limit)
        )
    if filters.terms:
        return (
            sa.select(Finding.id.label("id"))
            .where(*conditions(filters))
            .order_by(Finding.id.desc())
            .limit(limit)
        )
    return listing(filters, Finding.id.label("id")).limit(limit)


def _window_floor(filters: Filters) -> int | None:
    """The id below which matches are not ranked (None when there are few enough)."""
    if _sqlite():
        stmt = (
            sa.select(FTS.c.rowid)
            .select_from(FTS)
            .join(Finding, Finding.id == FTS.c.rowid)
            .where(_match_sqlite(filters.terms), *conditions(filters, text=False))
            .order_by(FTS.c.rowid.desc())
        )
    else:
        stmt = sa.select(Finding.id).where(*conditions(filters)).order_by(Finding.id.desc())
    return db.session.scalar(stmt.limit(1).offset(RANK_WINDOW - 1))


def search(filters: Filters, page: int = 1, size: int | None = None) -> Page:
    """Findings matching the text, most relevant first (see RANK_WINDOW), paged by number."""
    size = size or PAGE_SIZE
    floor = _window_floor(filters)
    offset = (page - 1) * size
    if _sqlite():
        stmt = (
            sa.select(*COLUMNS)
            .select_from(FTS)
            .join(Finding, Finding.id == FTS.c.rowid)
            .where(_match_sqlite(filters.terms), *conditions(filters, text=False))
            .order_by(FTS.c.rank, FTS.c.rowid.desc())
        )
        if floor is not None:
            stmt = stmt.where(FTS.c.rowid >= floor)
    else:
        query = _tsquery(filters.terms)
        stmt = (
            sa.select(*COLUMNS)
            .where(*conditions(filters))
            .order_by(sa.func.ts_rank(_tsvector(), query).desc(), Finding.id.desc())
        )
        if floor is not None:
            stmt = stmt.where(Finding.id >= floor)
    rows = list(db.session.execute(stmt.limit(size + 1).offset(offset)))
    return Page(rows=rows[:size], page=page, more=len(rows) > size, ranked_window=floor is not None)


def find(filters: Filters, cursor: str | None = None, page: int = 1) -> Page:
    """Search when there is text, else browse; kept in the per-process cache per version."""

    def make() -> Page:
        return search(filters, page) if filters.terms else browse(filters, cursor)

    return figures.get(index.state(), ("find", filters.key(), cursor, page, PAGE_SIZE), make)
