"""The public read model: what visitors may see of published cases, shaped for fast reading.

Only published cases have a row in `finding`, and only their public fields are copied there
(the point already at its public precision). Public lists, search, facets, the map and the
statistics read these tables and never the cases table, so a confidential field cannot leak
through them: it is not there. `finding.id` grows with publication order, which makes
"newest first" the primary key's order (keyset pagination without a sort).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime

import sqlalchemy as sa
import sqlalchemy.orm as so

from tracker.cases.models import DatePrecision
from tracker.dbtypes import UTCDateTime, enum_default, str_enum, utcnow
from tracker.extensions import db

# What the facets of a filtered list count, besides the id: kept in the id-ordered indexes.
COVERED = ("category_id", "district_code", "municipality_id", "actor_ids")


def covered(*leading: str) -> tuple[str, ...]:
    """The COVERED columns an index does not already lead with."""
    return tuple(column for column in COVERED if column not in leading)


def actor_list(actor_ids: Iterable[int]) -> str:
    """`Finding.actor_ids` for these actors: their ids, ascending, space-separated."""
    return " ".join(str(a) for a in sorted(set(actor_ids)))


class Finding(db.Model):
    """One published case as the public sees it."""

    __table_args__ = (
        # Newest first by publication (id). These also carry what the facets count of the
        # newest matches (COVERED), so that window of a filtered list is read from the index
        # alone: at a million findings, looking up 2,000 rows in the table cost 5 ms.
        sa.Index("ix_finding_municipality_id", "municipality_id", "id",
                 *covered("municipality_id")),
        sa.Index("ix_finding_district_id", "district_code", "id", *covered("district_code")),
        sa.Index("ix_finding_category_id", "category_id", "id", *covered("category_id")),
        # a kind of case in a place: the pairs a visitor combines most; one index each, or
        # the newest of a rare pair is found by walking all of the category (or place)
        sa.Index("ix_finding_category_district", "category_id", "district_code", "id",
                 *covered("category_id", "district_code")),
        sa.Index("ix_finding_category_municipality", "category_id", "municipality_id", "id",
                 *covered("category_id", "municipality_id")),
        # by incident date, for date ranges
        sa.Index("ix_finding_occurred_id", "occurred_on", "id"),
        sa.Index("ix_finding_municipality_occurred", "municipality_id", "occurred_on", "id"),
        sa.Index("ix_finding_district_occurred", "district_code", "occurred_on", "id"),
        sa.Index("ix_finding_category_occurred", "category_id", "occurred_on", "id"),
        sa.Index("ix_finding_lat_lon", "lat", "lon"),
    )  # fmt: skip

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    case_id: so.Mapped[int] = so.mapped_column(
        sa.ForeignKey("case.id", ondelete="CASCADE"), unique=True
    )
    reference: so.Mapped[str] = so.mapped_column(sa.String(20), unique=True)
    title: so.Mapped[str] = so.mapped_column(sa.String(300))
    summary: so.Mapped[str] = so.mapped_column(sa.Text, default="")
    occurred_on: so.Mapped[date | None]
    occurred_precision: so.Mapped[DatePrecision] = so.mapped_column(
        str_enum(DatePrecision), default=enum_default(DatePrecision.DAY)
    )
    month: so.Mapped[str | None] = so.mapped_column(sa.String(7))  # YYYY-MM when known
    municipality_id: so.Mapped[int] = so.mapped_column(
        sa.ForeignKey("municipality.id", ondelete="RESTRICT")
    )
    district_code: so.Mapped[int]
    category_id: so.Mapped[int | None] = so.mapped_column(
        sa.ForeignKey("category.id", ondelete="SET NULL")
    )
    lat: so.Mapped[float | None]  # at the public precision
    lon: so.Mapped[float | None]
    published_at: so.Mapped[datetime] = so.mapped_column(UTCDateTime)
    search_text: so.Mapped[str] = so.mapped_column(sa.Text, default="")  # folded, Latin
    # What relevance ranking counts, so that it need not read the text: how many words it
    # holds, and the words it repeats (tracker.text.repeats).
    word_count: so.Mapped[int] = so.mapped_column(default=0, server_default="0")
    repeats: so.Mapped[str] = so.mapped_column(sa.Text, default="", server_default="")
    # the named actors' ids, "3 17" (a copy of finding_actor's, for the actor facet)
    actor_ids: so.Mapped[str] = so.mapped_column(sa.Text, default="", server_default="")


class FindingActor(db.Model):
    """An actor named in a published case (for the actor facet and actor pages)."""

    __table_args__ = (
        sa.Index("ix_finding_actor_actor", "actor_id", "finding_id"),
        sa.Index("ix_finding_actor_occurred", "actor_id", "occurred_on", "finding_id"),
    )

    finding_id: so.Mapped[int] = so.mapped_column(
        sa.ForeignKey("finding.id", ondelete="CASCADE"), primary_key=True
    )
    actor_id: so.Mapped[int] = so.mapped_column(
        sa.ForeignKey("actor.id", ondelete="CASCADE"), primary_key=True
    )
    occurred_on: so.Mapped[date | None]  # the finding's, so an actor's list needs no sort


class FindingCount(db.Model):
    """Published findings per facet value, kept current as findings change.

    `dimension` is one of "all", "category", "district", "municipality", "month", "actor";
    `key` the value as text ("" for "all" and for an unknown category or month).
    """

    dimension: so.Mapped[str] = so.mapped_column(sa.String(20), primary_key=True)
    key: so.Mapped[str] = so.mapped_column(sa.String(40), primary_key=True)
    count: so.Mapped[int] = so.mapped_column(default=0)


class PublicState(db.Model):
    """One row: a version that changes whenever anything public changes (ETags, caches)."""

    id: so.Mapped[int] = so.mapped_column(primary_key=True, autoincrement=False)
    version: so.Mapped[int] = so.mapped_column(default=0)
    changed_at: so.Mapped[datetime] = so.mapped_column(UTCDateTime, default=utcnow)


# Full-text search over `finding.search_text` (already folded: one script, no diacritics).
# SQLite: a contentless FTS5 index, kept in step by triggers (a contentless index is told a
# row's old text to forget it). Its rowid is FTS_BASE minus the finding's id, so that its
# natural, ascending order is newest first: every search reads its newest matches, and
# FTS5 walks a word's list backwards (ORDER BY rowid DESC) a third slower than forwards
# (0.8 ms of a two-word search at a million findings). Migration 0010.
# PostgreSQL: the text's tsvector ('simple': no stemming, folded words) kept in a stored
# generated column, `search_vector`, with a GIN index over it: matching reads the
# stored vector instead of parsing every row's text again. The models do not describe the
# column (SQLite has no such type); migrations 0005 and 0006 create the same objects.
FTS_BASE = 9_007_199_254_740_992  # 2**53, written out in the statements below
SQLITE_FTS = (
    "CREATE VIRTUAL TABLE finding_fts USING fts5(search_text, content='',"
    " tokenize='unicode61 remove_diacritics 2')",
    "CREATE TRIGGER finding_fts_insert AFTER INSERT ON finding BEGIN"
    " INSERT INTO finding_fts(rowid, search_text)"
    " VALUES (9007199254740992 - new.id, new.search_text); END",
    "CREATE TRIGGER finding_fts_delete AFTER DELETE ON finding BEGIN"
    " INSERT INTO finding_fts(finding_fts, rowid, search_text)"
    " VALUES ('delete', 9007199254740992 - old.id, old.search_text); END",
    "CREATE TRIGGER finding_fts_update AFTER UPDATE OF search_text ON finding BEGIN"
    " INSERT INTO finding_fts(finding_fts, rowid, search_text)"
    " VALUES ('delete', 9007199254740992 - old.id, old.search_text);"
    " INSERT INTO finding_fts(rowid, search_text)"
    " VALUES (9007199254740992 - new.id, new.search_text); END",
)
# Indexes every finding again (after a bulk load without the insert trigger).
SQLITE_FTS_FILL = (
    "INSERT INTO finding_fts(rowid, search_text)"
    " SELECT 9007199254740992 - id, search_text FROM finding"
)
POSTGRES_SEARCH_INDEX = "CREATE INDEX ix_finding_search ON finding USING gin (search_vector)"
POSTGRES_FTS = (
    "ALTER TABLE finding ADD COLUMN search_vector tsvector"
    " GENERATED ALWAYS AS (to_tsvector('simple', search_text)) STORED",
    POSTGRES_SEARCH_INDEX,
)


def _create_search(target: sa.Table, connection: sa.Connection, **_kw: object) -> None:
    statements = SQLITE_FTS if connection.dialect.name == "sqlite" else POSTGRES_FTS
    for statement in statements:
        connection.exec_driver_sql(statement)


def _drop_search(target: sa.Table, connection: sa.Connection, **_kw: object) -> None:
    if connection.dialect.name == "sqlite":
        connection.exec_driver_sql("DROP TABLE IF EXISTS finding_fts")


sa.event.listen(Finding.__table__, "after_create", _create_search)
sa.event.listen(Finding.__table__, "before_drop", _drop_search)


def is_search_object(name: str | None) -> bool:
    """Objects (tables, indexes, the column) full-text search adds, which the models do not
    describe."""
    return bool(name) and (
        name in ("ix_finding_search", "search_vector") or name.startswith("finding_fts")
    )
