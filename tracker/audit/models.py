"""Events: every change to a case or an account, chained by hash."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa
import sqlalchemy.orm as so

from tracker.dbtypes import UTCDateTime, utcnow
from tracker.extensions import db

if TYPE_CHECKING:
    from tracker.accounts.models import User

GENESIS_HASH = "0" * 64


class Event(db.Model):
    """One entry of the timeline and audit trail; `hash` covers it and the previous hash."""

    __table_args__ = (sa.Index("ix_event_case_created", "case_id", "created_at"),)

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    kind: so.Mapped[str] = so.mapped_column(sa.String(40), index=True)
    case_id: so.Mapped[int | None] = so.mapped_column(sa.ForeignKey("case.id", ondelete="RESTRICT"))
    user_id: so.Mapped[int | None] = so.mapped_column(
        sa.ForeignKey("user.id", ondelete="RESTRICT"), index=True
    )
    subject_user_id: so.Mapped[int | None] = so.mapped_column(
        sa.ForeignKey("user.id", ondelete="RESTRICT")
    )
    details: so.Mapped[dict[str, Any]] = so.mapped_column(sa.JSON, default=dict)
    created_at: so.Mapped[datetime] = so.mapped_column(UTCDateTime, default=utcnow)
    # Unique: two events can never claim the same predecessor, so the chain cannot fork.
    prev_hash: so.Mapped[str] = so.mapped_column(sa.String(64), unique=True)
    hash: so.Mapped[str] = so.mapped_column(sa.String(64), unique=True)

    user: so.Mapped[User | None] = so.relationship(foreign_keys=[user_id])
    subject_user: so.Mapped[User | None] = so.relationship(foreign_keys=[subject_user_id])
