"""What a visitor filters the published findings by, as SQL over the read model.

One interface over two engines: SQLite's FTS5 and PostgreSQL's full-text search, both over
`finding.search_text`, which is folded (one script, no diacritics, lower case) as the query
is, so "Čačak", "Cacak" and "Чачак" find the same cases. PostgreSQL keeps each finding's
`tsvector` stored (`finding.search_vector`, migration 0006): matching reads it instead of
parsing the text again for every row.

Every query built here reads `finding` through an index: no full scan, no sort of the whole
table (tests/integration/test_query_plans.py checks the plans).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

import sqlalchemy as sa

from tracker.extensions import db
from tracker.public.models import FTS_BASE, Finding, FindingActor
from tracker.text import fold

MAX_TERMS = 8

FTS = sa.table("finding_fts", sa.column("rowid"))
# A finding's id from its rowid in the SQLite index (FTS_BASE - id: newest first ascending).
FTS_ID = sa.literal_column(str(FTS_BASE)) - FTS.c.rowid


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

    @property
    def dated(self) -> bool:
        return self.date_from is not None or self.date_to is not None

    def key(self) -> tuple[Any, ...]:
        """A cache key: equal for filters that select the same findings."""
        return (self.terms, self.municipality_id, self.district_code, self.category_id,
                self.actor_id, self.date_from, self.date_to)  # fmt: skip

    def without(self, name: str) -> Filters:
        """The same filters with one of them cleared (for "remove this filter" links)."""
        return replace(self, **{name: "" if name == "text" else None})


def sqlite() -> bool:
    return db.session.get_bind().dialect.name == "sqlite"


def match_sqlite(terms: tuple[str, ...]) -> sa.ColumnElement[bool]:
    query = " ".join(f'"{t}"' for t in terms)
    return sa.literal_column("finding_fts").op("MATCH")(query)


def tsquery(terms: tuple[str, ...]) -> sa.ColumnElement[Any]:
    return sa.func.to_tsquery(sa.literal_column("'simple'"), " & ".join(terms))


def tsvector() -> sa.ColumnElement[Any]:
    """PostgreSQL: the finding's stored tsvector (not described by the model: see models)."""
    return sa.literal_column("finding.search_vector")


def matches_postgres(terms: tuple[str, ...]) -> sa.ColumnElement[bool]:
    return tsvector().op("@@")(tsquery(terms))


def text_ids(terms: tuple[str, ...]) -> sa.Select[Any]:
    """Ids of the findings that contain every term."""
    if sqlite():
        return sa.select(FTS_ID).where(match_sqlite(terms))
    return sa.select(Finding.id).where(matches_postgres(terms))


def count_text(terms: tuple[str, ...], limit: int | None = None) -> int:
    """How many findings contain every term, counting no further than `limit`."""
    ids = text_ids(terms).limit(limit).subquery()
    return db.session.scalar(sa.select(sa.func.count()).select_from(ids)) or 0


def conditions(
    filters: Filters, text: bool = True, indexed: bool = True
) -> list[sa.ColumnElement[bool]]:
    """The WHERE clauses for `filters` over `finding`. `indexed=False` writes the place and
    category tests as `column + 0 = value`, which no index serves, so that a query driven by
    another index (an actor's links, in their order) is not turned round by the planner to
    read a place's index and sort what it finds."""

    def equal(column: sa.ColumnElement[Any], value: int) -> sa.ColumnElement[bool]:
        return (column if indexed else column + 0) == value

    where: list[sa.ColumnElement[bool]] = []
    if filters.municipality_id is not None:
        where.append(equal(Finding.municipality_id, filters.municipality_id))
    if filters.district_code is not None:
        where.append(equal(Finding.district_code, filters.district_code))
    if filters.category_id is not None:
        where.append(equal(Finding.category_id, filters.category_id))
    if filters.actor_id is not None:
        where.append(
            Finding.id.in_(
                sa.select(FindingActor.finding_id).where(FindingActor.actor_id == filters.actor_id)
            )
        )
    if filters.dated:
        where.append(Finding.occurred_on.between(*bounds(filters)))
    if text and filters.terms:
        if sqlite():
            where.append(Finding.id.in_(text_ids(filters.terms)))
        else:
            where.append(matches_postgres(filters.terms))
    return where


def bounds(filters: Filters) -> tuple[date, date]:
    """Both ends of the date range, an open end made the earliest or latest date.

    Always two-sided: SQLite's planner takes a two-sided range as selective and reads it
    through an index, where a one-sided one can make it walk a whole index instead.
    """
    return filters.date_from or date(1, 1, 1), filters.date_to or date(9999, 12, 31)


def keys(filters: Filters) -> tuple[sa.ColumnElement[Any], sa.ColumnElement[Any]]:
    """The (incident date, id) columns a list is ordered by: the actor link's copies when an
    actor is chosen, so that (actor_id, occurred_on, finding_id) serves it."""
    if filters.actor_id is not None:
        return FindingActor.occurred_on, FindingActor.finding_id
    return Finding.occurred_on, Finding.id


def listing(filters: Filters, *columns: Any) -> sa.Select[Any]:
    """`columns` of the findings `filters` select (text aside), newest first, in an index's
    order: by incident date when a date range is given, else by publication (id)."""
    day, ident = keys(filters)
    rest = replace(filters, text="", date_from=None, date_to=None)
    if filters.actor_id is not None:
        stmt = (
            sa.select(*columns)
            .select_from(FindingActor)
            .join(Finding, Finding.id == FindingActor.finding_id)
            .where(FindingActor.actor_id == filters.actor_id)
            .where(*conditions(replace(rest, actor_id=None), indexed=False))
        )
    else:
        stmt = sa.select(*columns).where(*conditions(rest))
    if filters.dated:
        stmt = stmt.where(day.between(*bounds(filters)))
        return stmt.order_by(day.desc(), ident.desc())
    return stmt.order_by(ident.desc())


def newest(filters: Filters, *columns: Any) -> sa.Select[Any]:
    """`columns` of every finding matching `filters`, text included, newest first (by id
    when there is text: the order the SQLite index (ascending, see models.FTS_BASE) and
    PostgreSQL's primary key give without a sort)."""
    if filters.terms and sqlite():
        return (
            sa.select(*columns)
            .select_from(FTS)
            .join(Finding, Finding.id == FTS_ID)
            .where(match_sqlite(filters.terms), *conditions(filters, text=False))
            .order_by(FTS.c.rowid)
        )
    if filters.terms:
        return sa.select(*columns).where(*conditions(filters)).order_by(Finding.id.desc())
    return listing(filters, *columns)
