"""Data for the map and statistics tests: a few real publications, secrets, and bulk findings."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta

import sqlalchemy as sa

from tests.builders import make_case, make_published, make_user, municipality
from tracker.actors.models import Actor, ActorKind, ActorRole
from tracker.cases.categories import load_categories
from tracker.cases.drafts import ActorEntry
from tracker.cases.models import Case, CaseStatus, Category, PointPrecision
from tracker.dbtypes import utcnow
from tracker.extensions import db
from tracker.geo.models import Municipality
from tracker.public import index
from tracker.public.models import Finding

MARKER = "ZQXJ-CONFIDENTIAL-7731"  # never in a public response
MAYOR = "Gradonačelnik Čačka"
CACAK, NIS = "71242", "79022"  # Čačak (Moravički okrug), Niš (Nišavski okrug)


@dataclass
class Seeded:
    """What the tests look for: the published references and the hidden case's reference."""

    published: list[Case]
    hidden: Case


def seed_small() -> Seeded:
    """Three published findings (two in Čačak, one in Niš) and one unpublished secret case."""
    first = make_published(
        title="Zapošljavanje po partijskoj liniji",
        category="partisan-employment",
        occurred_on=date(2025, 11, 3),
        source_notes=f"SECRET source {MARKER}",
        actors=[ActorEntry(MAYOR, ActorKind.OFFICIAL, ActorRole.RESPONSIBLE)],
    )
    second = make_published(
        title="Pritisak na zaposlene u školi",
        occurred_on=date(2026, 1, 20),
        source_notes=f"SECRET {MARKER}",
    )
    third = make_published(
        title="Nameštena javna nabavka",
        category="public-procurement",
        municipality=municipality(NIS),
        occurred_on=date(2026, 1, 5),
    )
    hidden = make_case(
        make_user(),
        title=f"Unpublished {MARKER}",
        source_notes=MARKER,
        actors=[ActorEntry(f"Official {MARKER}", ActorKind.OFFICIAL, ActorRole.RESPONSIBLE)],
    )
    db.session.commit()
    return Seeded([first, second, third], hidden)


def seed_bulk(count: int, seed: int = 5) -> None:
    """`count` published findings spread over Serbia, inserted in bulk (cases and findings)."""
    rng = random.Random(seed)
    load_categories()
    reporter = make_user()
    places = list(db.session.scalars(sa.select(Municipality)))
    categories = list(db.session.scalars(sa.select(Category.id)))
    first = (db.session.scalar(sa.select(sa.func.max(Case.id))) or 0) + 1000
    cases, findings = [], []
    for ident in range(first, first + count):
        place = rng.choice(places)
        lat, lon = place.lat + rng.gauss(0, 0.05), place.lon + rng.gauss(0, 0.05)
        occurred = date(2024, 1, 1) + timedelta(days=rng.randrange(800))
        reference = f"BK-2026-{ident:06d}"
        category = rng.choice(categories)
        cases.append({
            "id": ident, "reference": reference, "title": f"Bulk finding {ident}",
            "description": "Bulk.", "municipality_id": place.id, "reporter_id": reporter.id,
            "status": CaseStatus.PUBLISHED, "point_precision": PointPrecision.ROUNDED,
            "source_notes": f"SECRET {MARKER}", "occurred_on": occurred,
        })  # fmt: skip
        findings.append({
            "id": ident, "case_id": ident, "reference": reference,
            "title": f"Bulk finding {ident}", "summary": "", "occurred_on": occurred,
            "month": occurred.strftime("%Y-%m"), "municipality_id": place.id,
            "district_code": place.district_code, "category_id": category,
            "lat": round(lat, 2), "lon": round(lon, 2),
            "published_at": utcnow(), "search_text": f"bulk finding {ident}",
        })  # fmt: skip
    db.session.execute(sa.insert(Case), cases)
    db.session.execute(sa.insert(Finding), findings)
    index.recount_all()
    index.touch()
    db.session.commit()


def count_findings(**where: object) -> int:
    """Published findings matching simple equalities on `finding` (the expected numbers)."""
    stmt = sa.select(sa.func.count()).select_from(Finding)
    for name, value in where.items():
        stmt = stmt.where(getattr(Finding, name) == value)
    return db.session.scalar(stmt) or 0


def mayor_id() -> int:
    """The id of the actor named in the first published finding."""
    return db.session.scalar(sa.select(Actor.id).where(Actor.name == MAYOR)) or 0
