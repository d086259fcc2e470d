"""Reading actors: who a set of cases names, and in which role."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa

from tracker.actors.models import Actor, CaseActor
from tracker.extensions import db


def actors_of(case_ids: Sequence[int]) -> dict[int, list[dict[str, Any]]]:
    """The actors named in these cases, with their role in each, in one query (by name)."""
    found: dict[int, list[dict[str, Any]]] = {}
    if not case_ids:
        return found
    rows = db.session.execute(
        sa.select(CaseActor.case_id, Actor.id, Actor.name, Actor.kind, CaseActor.role)
        .join(Actor, Actor.id == CaseActor.actor_id)
        .where(CaseActor.case_id.in_(case_ids))
        .order_by(CaseActor.case_id, Actor.name, Actor.id, CaseActor.role)
    )
    for case_id, ident, name, kind, role in rows:
        found.setdefault(case_id, []).append(
            {"id": ident, "name": name, "kind": kind.value, "role": role.value}
        )
    return found
