"""Actors as the public sees them: only those named in published findings."""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa

from tracker.actors.models import Actor, ActorKind
from tracker.extensions import db
from tracker.public.models import FindingCount

PAGE = 50
MAX_PAGES = 200


@dataclass(frozen=True)
class PublicActor:
    """An actor's public fields and how many published findings name them."""

    id: int
    name: str
    kind: ActorKind
    count: int


def public_actor(actor_id: int) -> PublicActor | None:
    """The actor, if at least one published finding names them (else they are not public)."""
    row = db.session.execute(
        sa.select(Actor.id, Actor.name, Actor.kind, FindingCount.count)
        .join(
            FindingCount,
            sa.and_(
                FindingCount.dimension == "actor",
                FindingCount.key == sa.cast(Actor.id, sa.String(40)),
            ),
        )
        .where(Actor.id == actor_id)
    ).first()
    return PublicActor(*row) if row else None


def ranked(page: int = 1) -> tuple[list[PublicActor], bool]:
    """Actors by how many published findings name them; one page, and whether more follow."""
    rows = db.session.execute(
        sa.select(FindingCount.key, FindingCount.count)
        .where(FindingCount.dimension == "actor")
        .order_by(FindingCount.count.desc(), FindingCount.key)
        .limit(PAGE + 1)
        .offset((page - 1) * PAGE)
    ).all()
    more = len(rows) > PAGE
    counts = {int(key): count for key, count in rows[:PAGE]}
    found = {
        a.id: a for a in db.session.scalars(sa.select(Actor).where(Actor.id.in_(list(counts))))
    }
    entries = [
        PublicActor(a.id, a.name, a.kind, counts[a.id])
        for a in (found.get(i) for i in counts)
        if a is not None
    ]
    return entries, more
