"""Loading the gazetteer and looking municipalities up by name in any script."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

import sqlalchemy as sa
from flask import current_app

from tracker.extensions import db
from tracker.geo.location import PlacementCheck, Point, check_placement
from tracker.geo.models import Municipality, MunicipalityKind
from tracker.text import fold

DATA_DIR = Path(__file__).resolve().parent.parent / "data"
GAZETTEER = DATA_DIR / "municipalities.csv"


@dataclass(frozen=True)
class LoadReport:
    """What a gazetteer load did."""

    created: int
    updated: int

    @property
    def total(self) -> int:
        return self.created + self.updated


def load_municipalities(path: Path = GAZETTEER) -> LoadReport:
    """Insert or update every unit by official code (idempotent); flushes, caller commits."""
    with path.open(newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    existing = {m.code: m for m in db.session.scalars(sa.select(Municipality))}
    created = 0
    for row in rows:
        muni = existing.get(row["code"])
        if muni is None:
            muni = Municipality(code=row["code"])
            db.session.add(muni)
            existing[row["code"]] = muni
            created += 1
        muni.set_names(row["name_latin"], row["name_cyrillic"])
        muni.kind = MunicipalityKind(row["kind"])
        muni.district = row["district"]
        muni.district_cyrillic = row["district_cyrillic"]
        muni.district_code = int(row["district_code"])
        muni.seat = row["seat"]
        muni.lat, muni.lon = float(row["lat"]), float(row["lon"])
        muni.kosovo_metohija = row["kosovo_metohija"] == "true"
    db.session.flush()
    for row in rows:  # parents after every unit has an id
        parent = existing.get(row["parent_city_code"]) if row["parent_city_code"] else None
        existing[row["code"]].parent_id = parent.id if parent else None
    db.session.flush()
    return LoadReport(created=created, updated=len(rows) - created)


def find_municipalities(query: str, limit: int = 20) -> list[Municipality]:
    """Municipalities whose name matches `query` ignoring script, case and diacritics.

    Names that start with the query come first, then names that contain it.
    """
    folded = fold(query)
    if not folded:
        return []
    escaped = folded.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    starts = Municipality.name_folded.like(f"{escaped}%", escape="\\")
    contains = Municipality.name_folded.like(f"%{escaped}%", escape="\\")
    stmt = (
        sa.select(Municipality)
        .where(contains)
        .order_by(sa.case((starts, 0), else_=1), Municipality.name_folded)
        .limit(limit)
    )
    return list(db.session.scalars(stmt))


def municipality_by_code(code: str) -> Municipality | None:
    """The unit with this official code."""
    return db.session.scalar(sa.select(Municipality).where(Municipality.code == code))


def resolve_municipality(text: str) -> Municipality | None:
    """The one municipality `text` names (by official code or full name in any script)."""
    cleaned = text.strip()
    if cleaned.isdigit():
        return municipality_by_code(cleaned)
    folded = fold(cleaned)
    if not folded:
        return None
    found = db.session.scalars(
        sa.select(Municipality).where(Municipality.name_folded == folded).limit(2)
    ).all()
    if len(found) == 1:
        return found[0]
    matches = find_municipalities(cleaned, limit=2)
    return matches[0] if len(matches) == 1 else None


def placement_warning(case: object) -> PlacementCheck | None:
    """A check of the case's point against its municipality, when the point looks far off."""
    municipality = getattr(case, "municipality", None)
    lat, lon = getattr(case, "lat", None), getattr(case, "lon", None)
    if municipality is None or lat is None or lon is None:
        return None
    everything = db.session.scalars(sa.select(Municipality)).all()
    max_km = float(current_app.config["FAR_FROM_MUNICIPALITY_KM"])
    check = check_placement(Point(lat, lon), municipality, everything, max_km)
    return check if check.far else None
