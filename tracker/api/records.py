"""Published cases as API records: pages from the read model, one case in full.

Lists read `finding` through tracker.public.search (indexed, keyset or ranked pages); the
names of municipalities and categories come from the cached lookups and a page's actors and
points from one query each, so a page costs the same few queries however many rows it has.
A case in full is read through tracker.public.services.public_case (published or retracted).
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from flask import current_app, url_for
from werkzeug.routing import BuildError

from tracker.actors.models import Actor, CaseActor
from tracker.actors.services import actors_of
from tracker.api.lookups import Lookups, lookups
from tracker.api.params import CaseQuery
from tracker.cases.models import Case, CaseStatus, DatePrecision
from tracker.extensions import db
from tracker.public import services
from tracker.public.facets import facets
from tracker.public.models import Finding, FindingActor
from tracker.public.search import Page, find
from tracker.publications.models import Publication, PublicationCase, PublicationStatus


def occurred(day: date | None, precision: DatePrecision) -> str | None:
    """The incident date at its precision: YYYY-MM-DD, YYYY-MM or YYYY."""
    if day is None:
        return None
    if precision is DatePrecision.YEAR:
        return f"{day.year:04d}"
    if precision is DatePrecision.MONTH:
        return f"{day.year:04d}-{day.month:02d}"
    return day.isoformat()


def iso(moment: datetime | date | None) -> str | None:
    return moment.isoformat() if moment else None


def point(lat: float | None, lon: float | None) -> dict[str, float] | None:
    return {"lat": lat, "lon": lon} if lat is not None and lon is not None else None


def meta(total: int, exact: bool = True, **extra: Any) -> dict[str, Any]:
    """What every list says besides its rows: how many in all, and the data's licence."""
    licence = current_app.config["DATA_LICENCE"]
    return {"total": total, "total_exact": exact, "licence": licence, **extra}


def _case_fields(found: Lookups, municipality_id: int, category_id: int | None) -> dict[str, Any]:
    place = found.places.get(municipality_id)
    return {
        "municipality": place.brief() if place else None,
        "district": place.district.json() if place else None,
        "category": found.category(category_id),
    }


def _actors(finding_ids: list[int]) -> dict[int, list[dict[str, Any]]]:
    """The actors of these findings with their roles, in one query."""
    rows = db.session.execute(
        sa.select(FindingActor.finding_id, Actor.id, Actor.name, Actor.kind, CaseActor.role)
        .join(Finding, Finding.id == FindingActor.finding_id)
        .join(Actor, Actor.id == FindingActor.actor_id)
        .join(
            CaseActor,
            sa.and_(CaseActor.case_id == Finding.case_id, CaseActor.actor_id == Actor.id),
        )
        .where(FindingActor.finding_id.in_(finding_ids))
        .order_by(FindingActor.finding_id, Actor.name, Actor.id, CaseActor.role)
    )
    found: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for finding_id, actor_id, name, kind, role in rows:
        found[finding_id].append(
            {"id": actor_id, "name": name, "kind": kind.value, "role": role.value}
        )
    return found


def _points(finding_ids: list[int]) -> dict[int, dict[str, float] | None]:
    rows = db.session.execute(
        sa.select(Finding.id, Finding.lat, Finding.lon).where(Finding.id.in_(finding_ids))
    )
    return {ident: point(lat, lon) for ident, lat, lon in rows}


def page_url(endpoint: str, **values: Any) -> str | None:
    """The absolute URL of a public page, or None while the app has no such page."""
    try:
        return url_for(endpoint, _external=True, **values)
    except BuildError:
        return None


def urls(reference: str) -> dict[str, str]:
    return {
        "url": url_for("public.case", reference=reference, _external=True),
        "api_url": url_for("api.case", reference=reference, _external=True),
    }


def case_rows(page: Page) -> list[dict[str, Any]]:
    """One page of findings as records (public fields only)."""
    found = lookups()
    ids = [row.id for row in page.rows]
    actors, points = (_actors(ids), _points(ids)) if ids else ({}, {})
    return [
        {
            "reference": row.reference,
            "title": row.title,
            "summary": row.summary,
            "status": CaseStatus.PUBLISHED.value,
            "occurred": occurred(row.occurred_on, row.occurred_precision),
            "occurred_precision": row.occurred_precision.value,
            **_case_fields(found, row.municipality_id, row.category_id),
            "point": points.get(row.id),
            "actors": actors.get(row.id, []),
            "published_at": iso(row.published_at),
            **urls(row.reference),
        }
        for row in page.rows
    ]


def case_list(query: CaseQuery) -> dict[str, Any]:
    """A page of published cases for the filters, with the link to the next page."""
    filters = query.parsed.filters
    page = find(filters, query.cursor, query.page)
    following: dict[str, str | None] = {"cursor": None, "page": None}
    if filters.terms and page.more:
        following["page"] = str(page.page + 1)
    elif page.next_cursor:
        following["cursor"] = page.next_cursor
    nxt = None
    if following["page"] or following["cursor"]:
        nxt = url_for("api.cases", _external=True, **query.parsed.args(**following))
    counted = facets(filters, ())
    extra = {"page": page.page, "ranked_window": page.ranked_window} if filters.terms else {}
    return {
        "data": case_rows(page),
        "links": {"next": nxt},
        "meta": meta(counted.total, counted.exact_total, **extra),
    }


def _citing(case: Case) -> list[dict[str, Any]]:
    """Published publications that cite the case, newest first."""
    rows = db.session.execute(
        sa.select(Publication.id, Publication.title, Publication.kind, Publication.published_on)
        .join(PublicationCase, PublicationCase.publication_id == Publication.id)
        .where(
            PublicationCase.case_id == case.id,
            Publication.status == PublicationStatus.PUBLISHED,
        )
        .order_by(Publication.published_on.desc().nulls_last(), Publication.id.desc())
    )
    return [
        {
            "id": ident,
            "title": title,
            "kind": kind.value,
            "date": iso(day),
            "url": page_url("publications.detail", publication_id=ident),
            "api_url": url_for("api.publication", publication_id=ident, _external=True),
        }
        for ident, title, kind, day in rows
    ]


def _case_actors(case: Case) -> list[dict[str, Any]]:
    return actors_of([case.id]).get(case.id, [])


def _retraction(case: Case) -> dict[str, Any] | None:
    if case.status is not CaseStatus.RETRACTED:
        return None
    return {"date": iso(case.retracted_at), "reason": case.retraction_reason or ""}


def case_detail(reference: str) -> dict[str, Any] | None:
    """One public case in full (published, or retracted with its notice), or None."""
    case = services.public_case(reference)
    if case is None or case.municipality_id is None:
        return None
    where = services.public_point(case)
    return {
        "reference": case.reference,
        "title": case.title,
        "summary": case.public_summary or "",
        "status": case.status.value,
        "retraction": _retraction(case),
        "occurred": occurred(case.occurred_on, case.occurred_precision),
        "occurred_precision": case.occurred_precision.value,
        **_case_fields(lookups(), case.municipality_id, case.category_id),
        "point": point(*where) if where else None,
        "point_precision": case.point_precision.value,
        "actors": _case_actors(case),
        "publications": _citing(case),
        "corrections": [
            {"date": iso(e.created_at), "note": str(e.details.get("note") or "")}
            for e in services.corrections(case)
        ],
        "published_at": iso(case.published_at),
        **urls(case.reference),
    }
