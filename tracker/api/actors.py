"""Actors as API records: only those named in published cases, with their counts.

An actor is public while at least one published finding names them (`finding_actor`);
lists walk actors by id (keyset) and probe that index, counts come from `finding_count`.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from flask import url_for

from tracker.actors.models import Actor
from tracker.api.lookups import lookups
from tracker.api.records import meta, page_url
from tracker.extensions import db
from tracker.public.facets import facets
from tracker.public.models import FindingActor, FindingCount
from tracker.public.search import Filters
from tracker.text import fold

PAGE_SIZE = 100


def _named() -> sa.ColumnElement[bool]:
    """The actor is named in at least one published finding."""
    return sa.exists().where(FindingActor.actor_id == Actor.id)


def _counts(actor_ids: list[int]) -> dict[int, int]:
    rows = db.session.execute(
        sa.select(FindingCount.key, FindingCount.count).where(
            FindingCount.dimension == "actor",
            FindingCount.key.in_([str(a) for a in actor_ids]),
        )
    )
    return {int(key): count for key, count in rows}


def _record(actor: Actor, count: int) -> dict[str, Any]:
    return {
        "id": actor.id,
        "name": actor.name,
        "kind": actor.kind.value,
        "count": count,
        "url": page_url("public.actor", actor_id=actor.id),
        "api_url": url_for("api.actor", actor_id=actor.id, _external=True),
    }


def _matching(name: str) -> list[sa.ColumnElement[bool]]:
    where = [_named()]
    folded = fold(name)
    if folded:
        where.append(Actor.name_folded.contains(folded, autoescape=True))
    return where


def actor_list(name: str, after: int | None) -> dict[str, Any]:
    """A page of public actors by id, optionally those whose name contains `name`."""
    where = _matching(name)
    stmt = sa.select(Actor).where(*where).order_by(Actor.id).limit(PAGE_SIZE + 1)
    if after is not None:
        stmt = stmt.where(Actor.id > after)
    actors = list(db.session.scalars(stmt))
    more = len(actors) > PAGE_SIZE
    actors = actors[:PAGE_SIZE]
    counts = _counts([a.id for a in actors]) if actors else {}
    nxt = None
    if more:
        args = {"q": name} if name else {}
        nxt = url_for("api.actors", cursor=str(actors[-1].id), _external=True, **args)
    return {
        "data": [_record(a, counts.get(a.id, 0)) for a in actors],
        "links": {"next": nxt},
        "meta": meta(_total(where, bool(fold(name)))),
    }


def _total(where: list[sa.ColumnElement[bool]], named: bool) -> int:
    """How many actors match (unfiltered: the stored counts, one row per public actor)."""
    if named:
        stmt = sa.select(sa.func.count()).select_from(Actor).where(*where)
    else:
        stmt = sa.select(sa.func.count()).where(FindingCount.dimension == "actor")
    return db.session.scalar(stmt) or 0


def actor_detail(actor_id: int) -> dict[str, Any] | None:
    """One actor named in published cases, with their cases counted, or None."""
    actor = db.session.scalar(sa.select(Actor).where(Actor.id == actor_id, _named()))
    if actor is None:
        return None
    found = lookups()
    figures = facets(Filters(actor_id=actor.id), ("category", "municipality"), exact=True)
    by_category = []
    for key, count in figures.counts.get("category", []):
        kind = found.categories.get(int(key)) if key else None
        by_category.append({"category": kind.brief() if kind else None, "count": count})
    by_municipality = []
    for key, count in figures.counts.get("municipality", []):
        place = found.places.get(int(key))
        if place is not None:
            by_municipality.append({"municipality": place.brief(), "count": count})
    place = found.places.get(actor.municipality_id) if actor.municipality_id else None
    return {
        **_record(actor, figures.total),
        "municipality": place.brief() if place else None,
        "by_category": by_category,
        "by_municipality": by_municipality,
        "links": {"cases": url_for("api.cases", actor=actor.id, _external=True)},
    }
