"""Cases, their categories, and the yearly counter behind reference numbers."""

from __future__ import annotations

import enum
from datetime import date, datetime
from typing import TYPE_CHECKING

import sqlalchemy as sa
import sqlalchemy.orm as so

from tracker.dbtypes import UTCDateTime, enum_default, str_enum, utcnow
from tracker.extensions import db

if TYPE_CHECKING:
    from tracker.accounts.models import User
    from tracker.actors.models import CaseActor
    from tracker.evidence.models import Evidence
    from tracker.geo.models import Municipality


class CaseStatus(enum.StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    IN_REVIEW = "in_review"
    NEEDS_INFO = "needs_info"
    VERIFIED = "verified"
    PUBLISHED = "published"
    REJECTED = "rejected"
    RETRACTED = "retracted"
    ARCHIVED = "archived"


class DatePrecision(enum.StrEnum):
    DAY = "day"
    MONTH = "month"
    YEAR = "year"


class PointPrecision(enum.StrEnum):
    """How precisely a published case's point is shown to the public."""

    EXACT = "exact"
    ROUNDED = "rounded"
    MUNICIPALITY = "municipality"


class Category(db.Model):
    """A kind of capture. Names are data that admins edit; Cyrillic is transliterated."""

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    slug: so.Mapped[str] = so.mapped_column(sa.String(60), unique=True)
    name_sr: so.Mapped[str] = so.mapped_column(sa.String(120))
    name_en: so.Mapped[str] = so.mapped_column(sa.String(120))
    description: so.Mapped[str | None] = so.mapped_column(sa.Text)
    position: so.Mapped[int] = so.mapped_column(default=0)
    active: so.Mapped[bool] = so.mapped_column(default=True)


class ReferenceCounter(db.Model):
    """Last reference number handed out per year; incremented atomically."""

    year: so.Mapped[int] = so.mapped_column(primary_key=True, autoincrement=False)
    last: so.Mapped[int] = so.mapped_column(default=0)


MERGED = sa.text("merged_into_id IS NOT NULL")


class Case(db.Model):
    """One incident, from a member's draft to a published (or rejected) finding."""

    __table_args__ = (
        sa.Index("ix_case_status_published_at", "status", "published_at"),
        sa.Index("ix_case_municipality_status", "municipality_id", "status"),
        # Only merged cases: "merged into this one" and the foreign key's checks find them,
        # while the many "not merged" reads keep their own order (migration 0011).
        sa.Index(
            "ix_case_merged_into_id", "merged_into_id", sqlite_where=MERGED, postgresql_where=MERGED
        ),
    )

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    reference: so.Mapped[str] = so.mapped_column(sa.String(20), unique=True)
    title: so.Mapped[str] = so.mapped_column(sa.String(300), default="")
    description: so.Mapped[str] = so.mapped_column(sa.Text, default="")
    occurred_on: so.Mapped[date | None]
    occurred_precision: so.Mapped[DatePrecision] = so.mapped_column(
        str_enum(DatePrecision), default=enum_default(DatePrecision.DAY)
    )
    # Required to submit; a draft may be saved before the member has chosen it.
    municipality_id: so.Mapped[int | None] = so.mapped_column(
        sa.ForeignKey("municipality.id", ondelete="RESTRICT")
    )
    place: so.Mapped[str | None] = so.mapped_column(sa.String(300))
    lat: so.Mapped[float | None]
    lon: so.Mapped[float | None]
    point_precision: so.Mapped[PointPrecision] = so.mapped_column(
        str_enum(PointPrecision), default=enum_default(PointPrecision.MUNICIPALITY)
    )
    category_id: so.Mapped[int | None] = so.mapped_column(
        sa.ForeignKey("category.id", ondelete="SET NULL"), index=True
    )
    reporter_id: so.Mapped[int] = so.mapped_column(
        sa.ForeignKey("user.id", ondelete="RESTRICT"), index=True
    )
    assignee_id: so.Mapped[int | None] = so.mapped_column(
        sa.ForeignKey("user.id", ondelete="SET NULL"), index=True
    )
    status: so.Mapped[CaseStatus] = so.mapped_column(
        str_enum(CaseStatus), default=enum_default(CaseStatus.DRAFT)
    )
    public_summary: so.Mapped[str | None] = so.mapped_column(sa.Text)
    source_notes: so.Mapped[str | None] = so.mapped_column(sa.Text)  # confidential, never public
    retraction_reason: so.Mapped[str | None] = so.mapped_column(sa.Text)
    # When publication needs a second coordinator: who asked first (cleared on publication).
    publish_requested_by_id: so.Mapped[int | None] = so.mapped_column(
        sa.ForeignKey("user.id", ondelete="SET NULL")
    )
    merged_into_id: so.Mapped[int | None] = so.mapped_column(
        sa.ForeignKey("case.id", ondelete="SET NULL")
    )
    created_at: so.Mapped[datetime] = so.mapped_column(UTCDateTime, default=utcnow)
    updated_at: so.Mapped[datetime] = so.mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    submitted_at: so.Mapped[datetime | None] = so.mapped_column(UTCDateTime)
    published_at: so.Mapped[datetime | None] = so.mapped_column(UTCDateTime)
    retracted_at: so.Mapped[datetime | None] = so.mapped_column(UTCDateTime)
    version_id: so.Mapped[int] = so.mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version_id}

    municipality: so.Mapped[Municipality | None] = so.relationship()
    category: so.Mapped[Category | None] = so.relationship()
    reporter: so.Mapped[User] = so.relationship(foreign_keys=[reporter_id])
    publish_requested_by: so.Mapped[User | None] = so.relationship(
        foreign_keys=[publish_requested_by_id]
    )
    assignee: so.Mapped[User | None] = so.relationship(foreign_keys=[assignee_id])
    evidence: so.Mapped[list[Evidence]] = so.relationship(
        back_populates="case", order_by="Evidence.id"
    )
    actor_links: so.Mapped[list[CaseActor]] = so.relationship(
        back_populates="case", cascade="all, delete-orphan"
    )
    comments: so.Mapped[list[Comment]] = so.relationship(
        back_populates="case", order_by="Comment.created_at"
    )

    def __repr__(self) -> str:
        return f"<Case {self.reference} {self.status}>"


class Comment(db.Model):
    """A message on a case: with the reporting member, or internal among coordinators."""

    __table_args__ = (sa.Index("ix_comment_case_created", "case_id", "created_at"),)

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    case_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("case.id", ondelete="CASCADE"))
    author_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("user.id", ondelete="RESTRICT"))
    body: so.Mapped[str] = so.mapped_column(sa.Text)
    internal: so.Mapped[bool] = so.mapped_column(default=False)  # never shown to members
    created_at: so.Mapped[datetime] = so.mapped_column(UTCDateTime, default=utcnow)

    case: so.Mapped[Case] = so.relationship(back_populates="comments")
    author: so.Mapped[User] = so.relationship()
