"""An item of evidence attached to a case."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import TYPE_CHECKING

import sqlalchemy as sa
import sqlalchemy.orm as so

from tracker.dbtypes import UTCDateTime, str_enum, utcnow
from tracker.extensions import db

if TYPE_CHECKING:
    from tracker.accounts.models import User
    from tracker.cases.models import Case


class EvidenceKind(enum.StrEnum):
    FILE = "file"
    LINK = "link"
    TESTIMONY = "testimony"


class Evidence(db.Model):
    """A file (stored by SHA-256, immutable), a link, or a written testimony."""

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    case_id: so.Mapped[int] = so.mapped_column(
        sa.ForeignKey("case.id", ondelete="CASCADE"), index=True
    )
    kind: so.Mapped[EvidenceKind] = so.mapped_column(str_enum(EvidenceKind))
    sha256: so.Mapped[str | None] = so.mapped_column(sa.String(64), index=True)
    size: so.Mapped[int | None] = so.mapped_column(sa.BigInteger)
    media_type: so.Mapped[str | None] = so.mapped_column(sa.String(120))
    original_name: so.Mapped[str | None] = so.mapped_column(sa.String(255))
    url: so.Mapped[str | None] = so.mapped_column(sa.String(2000))
    seen_at: so.Mapped[datetime | None] = so.mapped_column(UTCDateTime)
    testimony: so.Mapped[str | None] = so.mapped_column(sa.Text)
    description: so.Mapped[str | None] = so.mapped_column(sa.Text)
    obtained_how: so.Mapped[str | None] = so.mapped_column(sa.Text)
    confidential: so.Mapped[bool] = so.mapped_column(default=False)
    public: so.Mapped[bool] = so.mapped_column(default=False)  # the member allows public use
    # Chosen by a coordinator at publication (only among items the member allowed).
    published: so.Mapped[bool] = so.mapped_column(default=False)
    # A metadata-free derivative points at the original it was made from.
    parent_id: so.Mapped[int | None] = so.mapped_column(
        sa.ForeignKey("evidence.id", ondelete="SET NULL")
    )
    exif_taken_at: so.Mapped[datetime | None] = so.mapped_column(UTCDateTime)
    exif_lat: so.Mapped[float | None]
    exif_lon: so.Mapped[float | None]
    exif_device: so.Mapped[str | None] = so.mapped_column(sa.String(200))
    added_by_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("user.id", ondelete="RESTRICT"))
    created_at: so.Mapped[datetime] = so.mapped_column(UTCDateTime, default=utcnow)
    withdrawn_at: so.Mapped[datetime | None] = so.mapped_column(UTCDateTime)
    withdrawn_reason: so.Mapped[str | None] = so.mapped_column(sa.Text)
    withdrawn_by_id: so.Mapped[int | None] = so.mapped_column(
        sa.ForeignKey("user.id", ondelete="SET NULL")
    )

    case: so.Mapped[Case] = so.relationship(back_populates="evidence")
    added_by: so.Mapped[User] = so.relationship(foreign_keys=[added_by_id])
    parent: so.Mapped[Evidence | None] = so.relationship(remote_side=[id])
