"""Publications, their signatories, and the cases they cite."""

from __future__ import annotations

import enum
from datetime import date, datetime
from typing import TYPE_CHECKING

import sqlalchemy as sa
import sqlalchemy.orm as so

from tracker.dbtypes import UTCDateTime, enum_default, str_enum, utcnow
from tracker.extensions import db

if TYPE_CHECKING:
    from tracker.accounts.models import Organisation, User
    from tracker.cases.models import Case


class PublicationKind(enum.StrEnum):
    STATEMENT = "statement"
    APPEAL = "appeal"
    PRESS_RELEASE = "press_release"
    CONDEMNATION = "condemnation"
    REPORT = "report"
    ANALYSIS = "analysis"


class PublicationStatus(enum.StrEnum):
    DRAFT = "draft"
    PUBLISHED = "published"


publication_signatory = sa.Table(
    "publication_signatory",
    db.metadata,
    sa.Column(
        "publication_id",
        sa.ForeignKey("publication.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    sa.Column(
        "organisation_id",
        sa.ForeignKey("organisation.id", ondelete="CASCADE"),
        primary_key=True,
    ),
)


class Publication(db.Model):
    """What the network says in public, linked to the cases behind it."""

    __table_args__ = (sa.Index("ix_publication_status_date", "status", "published_on"),)

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    kind: so.Mapped[PublicationKind] = so.mapped_column(str_enum(PublicationKind))
    title: so.Mapped[str] = so.mapped_column(sa.String(300))
    body: so.Mapped[str] = so.mapped_column(sa.Text, default="")
    published_on: so.Mapped[date | None]
    external_url: so.Mapped[str | None] = so.mapped_column(sa.String(2000))
    pdf_sha256: so.Mapped[str | None] = so.mapped_column(sa.String(64))
    pdf_name: so.Mapped[str | None] = so.mapped_column(sa.String(255))
    status: so.Mapped[PublicationStatus] = so.mapped_column(
        str_enum(PublicationStatus), default=enum_default(PublicationStatus.DRAFT)
    )
    created_by_id: so.Mapped[int | None] = so.mapped_column(
        sa.ForeignKey("user.id", ondelete="SET NULL")
    )
    created_at: so.Mapped[datetime] = so.mapped_column(UTCDateTime, default=utcnow)
    updated_at: so.Mapped[datetime] = so.mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    created_by: so.Mapped[User | None] = so.relationship()
    signatories: so.Mapped[list[Organisation]] = so.relationship(secondary=publication_signatory)
    case_links: so.Mapped[list[PublicationCase]] = so.relationship(
        back_populates="publication", cascade="all, delete-orphan"
    )


class PublicationCase(db.Model):
    """A publication citing a case, with a short note on why."""

    publication_id: so.Mapped[int] = so.mapped_column(
        sa.ForeignKey("publication.id", ondelete="CASCADE"), primary_key=True
    )
    case_id: so.Mapped[int] = so.mapped_column(
        sa.ForeignKey("case.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    note: so.Mapped[str | None] = so.mapped_column(sa.String(500))

    publication: so.Mapped[Publication] = so.relationship(back_populates="case_links")
    case: so.Mapped[Case] = so.relationship()
