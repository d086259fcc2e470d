"""Actors and their links to cases, each link with a role."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import TYPE_CHECKING

import sqlalchemy as sa
import sqlalchemy.orm as so

from tracker.dbtypes import UTCDateTime, str_enum, utcnow
from tracker.extensions import db
from tracker.text import fold

if TYPE_CHECKING:
    from tracker.cases.models import Case


class ActorKind(enum.StrEnum):
    INSTITUTION = "institution"
    OFFICIAL = "official"
    COMPANY = "company"
    PARTY = "party"
    MEDIA = "media"
    OTHER = "other"


class ActorRole(enum.StrEnum):
    RESPONSIBLE = "responsible"
    AFFECTED = "affected"
    MENTIONED = "mentioned"


class Actor(db.Model):
    """An institution, official, company, party or media outlet named in cases."""

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    name: so.Mapped[str] = so.mapped_column(sa.String(200))
    name_folded: so.Mapped[str] = so.mapped_column(sa.String(200), index=True)
    kind: so.Mapped[ActorKind] = so.mapped_column(str_enum(ActorKind))
    description: so.Mapped[str | None] = so.mapped_column(sa.Text)
    municipality_id: so.Mapped[int | None] = so.mapped_column(
        sa.ForeignKey("municipality.id", ondelete="SET NULL"), index=True
    )
    created_at: so.Mapped[datetime] = so.mapped_column(UTCDateTime, default=utcnow)

    case_links: so.Mapped[list[CaseActor]] = so.relationship(back_populates="actor")

    def set_name(self, name: str) -> None:
        """Set the name and its folded form used for lookup."""
        self.name, self.name_folded = name, fold(name)


class CaseActor(db.Model):
    """An actor's part in a case: responsible, affected or mentioned."""

    case_id: so.Mapped[int] = so.mapped_column(
        sa.ForeignKey("case.id", ondelete="CASCADE"), primary_key=True
    )
    actor_id: so.Mapped[int] = so.mapped_column(
        sa.ForeignKey("actor.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    role: so.Mapped[ActorRole] = so.mapped_column(str_enum(ActorRole), primary_key=True)

    case: so.Mapped[Case] = so.relationship(back_populates="actor_links")
    actor: so.Mapped[Actor] = so.relationship(back_populates="case_links")
