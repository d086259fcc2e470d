"""Keeping the public read model in step with the cases: the only writer of `finding`.

`sync(case)` runs in the same transaction as every change to what the public sees
(publish, correct, retract, merge), so the read model is never ahead of or behind the
cases. `rebuild()` recomputes everything from the cases (after a bulk load, or to repair).
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from datetime import datetime

import sqlalchemy as sa
from flask import current_app, g

from tracker.cases.models import Case, CaseStatus, DatePrecision
from tracker.dbtypes import utcnow
from tracker.extensions import db
from tracker.public.models import Finding, FindingActor, FindingCount, PublicState, actor_list
from tracker.public.services import public_point
from tracker.text import repeats, search_words

DIMENSIONS = ("all", "category", "district", "municipality", "month", "actor")


def touch() -> None:
    """Record that something public changed (new ETags, cached pages and counts expire)."""
    g.pop("public_state", None)
    _recent.clear()
    updated = db.session.execute(
        sa.update(PublicState)
        .where(PublicState.id == 1)
        .values(version=PublicState.version + 1, changed_at=utcnow())
    )
    if updated.rowcount == 0:
        db.session.add(PublicState(id=1, version=1, changed_at=utcnow()))
        db.session.flush()


# The version as last read by this process, and until when it may be reused (monotonic).
_recent: dict[str, tuple[tuple[int, datetime | None], float]] = {}


def state() -> tuple[int, datetime | None]:
    """The current public version and when it changed (0, None before anything is public).

    A request sees one version. A process reads it at most once per PUBLIC_STATE_TTL
    seconds (a change made elsewhere shows within that time; public pages may be cached
    for minutes anyway), and again at once after its own `touch`.
    """
    if "public_state" in g:
        return g.public_state  # type: ignore[no-any-return]
    now = time.monotonic()
    kept = _recent.get("state")
    if kept is not None and kept[1] > now:
        g.public_state = kept[0]
        return kept[0]
    row = db.session.execute(
        sa.select(PublicState.version, PublicState.changed_at).where(PublicState.id == 1)
    ).first()
    g.public_state = (row[0], row[1]) if row else (0, None)
    ttl = current_app.config["PUBLIC_STATE_TTL"]
    if ttl:
        _recent["state"] = (g.public_state, now + ttl)
    return g.public_state  # type: ignore[no-any-return]


def _search_text(case: Case) -> str:
    municipality = case.municipality
    parts = [case.reference, case.title, case.public_summary or ""]
    if municipality is not None:
        parts += [municipality.name_latin, municipality.district]
    if case.category is not None:
        parts += [case.category.name_sr, case.category.name_en]
    parts += [link.actor.name for link in case.actor_links]
    return search_words(" ".join(parts))


def _month(case: Case) -> str | None:
    if case.occurred_on is None or case.occurred_precision is DatePrecision.YEAR:
        return None
    return case.occurred_on.strftime("%Y-%m")


def _keys(finding: Finding, actor_ids: Iterable[int]) -> set[tuple[str, str]]:
    keys = {
        ("all", ""),
        ("category", str(finding.category_id or "")),
        ("district", str(finding.district_code)),
        ("municipality", str(finding.municipality_id)),
        ("month", finding.month or ""),
    }
    return keys | {("actor", str(a)) for a in actor_ids}


def _is_public(case: Case) -> bool:
    return (
        case.status is CaseStatus.PUBLISHED
        and case.merged_into_id is None
        and case.municipality is not None
    )


def sync(case: Case) -> None:
    """Bring the case's public row (and the counts it touches) in line with the case."""
    finding = db.session.scalar(sa.select(Finding).where(Finding.case_id == case.id))
    affected: set[tuple[str, str]] = set()
    if finding is not None:
        old_actors = db.session.scalars(
            sa.select(FindingActor.actor_id).where(FindingActor.finding_id == finding.id)
        )
        affected |= _keys(finding, old_actors)
    if not _is_public(case):
        if finding is not None:
            db.session.delete(finding)
    else:
        finding = finding or Finding(case_id=case.id)
        _fill(finding, case)
        db.session.add(finding)
        db.session.flush()
        actor_ids = {link.actor_id for link in case.actor_links}
        db.session.execute(sa.delete(FindingActor).where(FindingActor.finding_id == finding.id))
        if actor_ids:
            db.session.execute(
                sa.insert(FindingActor),
                [
                    {"finding_id": finding.id, "actor_id": a, "occurred_on": finding.occurred_on}
                    for a in sorted(actor_ids)
                ],
            )
        affected |= _keys(finding, actor_ids)
    db.session.flush()
    recount(affected)
    touch()


def _fill(finding: Finding, case: Case) -> None:
    municipality = case.municipality
    assert municipality is not None
    point = public_point(case)
    finding.reference = case.reference
    finding.title = case.title
    finding.summary = case.public_summary or ""
    finding.occurred_on = case.occurred_on
    finding.occurred_precision = case.occurred_precision
    finding.month = _month(case)
    finding.municipality_id = municipality.id
    finding.district_code = municipality.district_code
    finding.category_id = case.category_id
    finding.lat, finding.lon = point if point else (None, None)
    finding.published_at = case.published_at or utcnow()
    finding.search_text = _search_text(case)
    finding.word_count = len(finding.search_text.split())
    finding.repeats = repeats(finding.search_text)
    finding.actor_ids = actor_list(link.actor_id for link in case.actor_links)


def _count_where(dimension: str, key: str) -> sa.ColumnElement[bool] | None:
    column = {
        "category": Finding.category_id,
        "district": Finding.district_code,
        "municipality": Finding.municipality_id,
        "month": Finding.month,
    }.get(dimension)
    if dimension == "all":
        return None
    if dimension == "actor":
        return Finding.id.in_(
            sa.select(FindingActor.finding_id).where(FindingActor.actor_id == int(key))
        )
    assert column is not None
    if key == "":
        return column.is_(None)
    return column == (key if dimension == "month" else int(key))


def recount(keys: Iterable[tuple[str, str]]) -> None:
    """Recompute the stored counts for these facet values (exact, from indexed counts)."""
    for dimension, key in sorted(set(keys)):
        where = _count_where(dimension, key)
        stmt = sa.select(sa.func.count()).select_from(Finding)
        count = db.session.scalar(stmt if where is None else stmt.where(where)) or 0
        row = db.session.get(FindingCount, (dimension, key))
        if count == 0:
            if row is not None:
                db.session.delete(row)
        elif row is None:
            db.session.add(FindingCount(dimension=dimension, key=key, count=count))
        else:
            row.count = count
    db.session.flush()


def rebuild() -> int:
    """Recompute the whole read model from the cases; returns how many findings it holds."""
    db.session.execute(sa.delete(FindingCount))
    db.session.execute(sa.delete(FindingActor))
    db.session.execute(sa.delete(Finding))
    cases = db.session.scalars(
        sa.select(Case)
        .where(Case.status == CaseStatus.PUBLISHED, Case.merged_into_id.is_(None))
        .order_by(Case.published_at, Case.id)
        .execution_options(yield_per=1000)
    )
    n = 0
    for case in cases:
        if not _is_public(case):
            continue
        finding = Finding(case_id=case.id)
        _fill(finding, case)
        db.session.add(finding)
        db.session.flush()
        db.session.add_all(
            FindingActor(finding_id=finding.id, actor_id=a, occurred_on=finding.occurred_on)
            for a in {link.actor_id for link in case.actor_links}
        )
        n += 1
    db.session.flush()
    recount_all()
    touch()
    return n


def recount_all() -> None:
    """Recompute every stored count with one grouped query per dimension."""
    db.session.execute(sa.delete(FindingCount))
    grouped = {
        "category": Finding.category_id,
        "district": Finding.district_code,
        "municipality": Finding.municipality_id,
        "month": Finding.month,
    }
    rows: list[dict[str, object]] = []
    total = db.session.scalar(sa.select(sa.func.count()).select_from(Finding)) or 0
    if total:
        rows.append({"dimension": "all", "key": "", "count": total})
    for dimension, column in grouped.items():
        for value, count in db.session.execute(sa.select(column, sa.func.count()).group_by(column)):
            rows.append(
                {"dimension": dimension, "key": "" if value is None else str(value), "count": count}
            )
    for actor_id, count in db.session.execute(
        sa.select(FindingActor.actor_id, sa.func.count()).group_by(FindingActor.actor_id)
    ):
        rows.append({"dimension": "actor", "key": str(actor_id), "count": count})
    if rows:
        db.session.execute(sa.insert(FindingCount), rows)
    db.session.flush()
