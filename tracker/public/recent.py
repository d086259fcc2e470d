"""PostgreSQL: a search's newest matches when its words are common apart and rarer together.

The window (tracker.public.window) reads a search's newest matches. PostgreSQL reads them
along the primary key, newest first, testing each finding's stored vector: cheap when
most findings match, but two words each in a fifth of the findings meet in about one in
twenty-five, and the walk then tests some 50,000 findings at about a microsecond each
(60 ms, at any archive size). The planner prices that test as almost free, so it walks.

When the words' shares say the walk would be long (PostgreSQL's own statistics of the
column, pg_stats: the share of findings holding each common word; words are taken as
independent), the window is read from a recent stretch of ids expected to hold SAFETY times
the window instead: the full-text index's bitmap ANDed with the primary key's range, and
the stretch's matches sorted (a few thousand rows). Index scans are turned off for that
one statement: that keeps the planner from walking. If the stretch holds fewer matches
than asked, the walk goes on below it. Either way the rows are exactly the plain query's.
A search narrowed to a place or a category walks that filter's index the same way; the
filter's stored count (FindingCount) widens the stretch by its share.
"""

from __future__ import annotations

import contextlib
import math
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa

from tracker.extensions import db
from tracker.public import index
from tracker.public.cache import figures
from tracker.public.models import Finding, FindingCount
from tracker.public.query import Filters, sqlite

# Findings the walk is expected to test beyond which a recent stretch is read instead:
# the walk costs about 1.2 us a finding, a stretch about 5 us a match plus the index's
# bitmaps (3-8 ms at 100,000 findings), measured on the bench machine (see the README).
WALK = 15_000
SAFETY = 1.3  # the stretch is expected to hold this many times the rows asked for


@dataclass(frozen=True)
class Shares:
    """What the planner knows of the words: each common word's share of the findings."""

    words: dict[str, float]
    floor: float  # no word outside `words` is in a larger share than this
    top: int  # the highest id
    total: int  # findings


def _shares() -> Shares | None:
    row = db.session.execute(
        sa.text(
            "SELECT most_common_elems::text::text[], most_common_elem_freqs FROM pg_stats"
            " WHERE schemaname = current_schema() AND tablename = 'finding'"
            " AND attname = 'search_vector'"
        )
    ).first()
    counted = db.session.get(FindingCount, ("all", ""))
    top = db.session.scalar(sa.select(sa.func.max(Finding.id)))
    if row is None or row[0] is None or not counted or not counted.count or not top:
        return None  # never analysed, or nothing published: walk
    words, freqs = list(row[0]), list(row[1])
    # after one frequency per word, pg_stats adds the least and the greatest, and nulls'
    return Shares(dict(zip(words, freqs, strict=False)), freqs[len(words)], top, counted.count)


def shares() -> Shares | None:
    """The words' shares (cached per public version; None on SQLite or before ANALYZE)."""
    return None if sqlite() else figures.get(index.state(), "word shares", _shares)


def estimated(word: str) -> int | None:
    """How many findings hold `word`, by the column's statistics (PostgreSQL, analysed; a
    word among its most common), else None."""
    known = shares()
    share = known.words.get(word) if known else None
    # at least one: a word in the statistics is in some finding, however small the share
    return None if share is None or known is None else max(1, round(share * known.total))


# Filters a search's stretch can take into account: their stored counts give their share.
# A municipality lies in its district: the smaller of the two place shares applies.
PLACES = {"municipality_id": "municipality", "district_code": "district"}
KINDS = {"category_id": "category"}


def _share(filters: Filters, total: int) -> float | None:
    """The share of the findings `filters`' place and category select (None: a filter this
    estimate does not know, an actor or a date range, whose own index serves the walk)."""
    if filters.actor_id is not None or filters.dated:
        return None

    def share(field: str, dimension: str) -> float:
        value = getattr(filters, field)
        if value is None:
            return 1.0
        row = db.session.get(FindingCount, (dimension, str(value)))
        return (row.count if row else 0) / total

    place = min(share(field, dimension) for field, dimension in PLACES.items())
    return place * math.prod(share(field, dimension) for field, dimension in KINDS.items())


def stretch(filters: Filters, rows: int) -> int | None:
    """The id above which to read the newest `rows` matches of `filters` first, or None for
    the plain query (SQLite, no text, an actor or dates, a short walk: the walk along an
    index stops after `rows` matches or at the end of the filter's findings; or so few
    matches that the stretch would be the whole archive)."""
    known = shares() if filters.terms else None
    selected = _share(filters, known.total) if known else None
    if known is None or selected is None:
        return None
    density = math.prod(known.words.get(word, known.floor) for word in set(filters.terms))
    if density * selected <= 0 or min(rows / density, selected * known.total) <= WALK:
        return None
    ids = SAFETY * rows / (density * selected) * known.top / known.total
    # A stretch reaching back to the first id is every match (at most SAFETY times `rows`
    # by the same estimate): the planner already reads so few through the index bitmap.
    return int(known.top - ids) if ids < known.top else None


def fetch(stmt: sa.Select[Any]) -> list[tuple[Any, ...]]:
    """Rows as the driver gives them, plain tuples, in one fetchall (no SQLAlchemy Row
    objects: for thousands of rows they cost a fifth of the read)."""
    result = db.session.connection().execute(stmt)
    try:
        return list(result.cursor.fetchall())
    finally:
        result.close()


def newest_rows(filters: Filters, stmt: sa.Select[Any], rows: int) -> list[tuple[Any, ...]]:
    """The first `rows` rows of `stmt` (tracker.public.query.newest for `filters`)."""
    low = stretch(filters, rows)
    if low is None:
        return fetch(stmt.limit(rows))
    conn = db.session.connection()
    conn.exec_driver_sql("SET LOCAL enable_indexscan = off")  # for this statement only
    try:
        got = fetch(stmt.where(Finding.id > low).limit(rows))
    finally:
        # after a database error the transaction is aborted (its rollback ends the setting)
        # and this fails too: the error raised is the first one
        with contextlib.suppress(sa.exc.DBAPIError):
            conn.exec_driver_sql("SET LOCAL enable_indexscan TO DEFAULT")
    if len(got) < rows:
        got += fetch(stmt.where(Finding.id <= low).limit(rows - len(got)))
    return got
