"""Municipality, district and category names for the ids the read model stores.

Loaded once per public version into the per-process cache (tracker.public.cache), as plain
values, so serialising a page of cases costs no query per row.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa

from tracker.cases.models import Category
from tracker.extensions import db
from tracker.geo.models import Municipality
from tracker.public import index
from tracker.public.cache import figures
from tracker.text import latin_to_cyrillic


def names(latin: str, cyrillic: str | None = None, english: str | None = None) -> dict[str, str]:
    """A name in each interface language, keyed by the language tags ?lang= takes."""
    return {
        "sr-Latn": latin,
        "sr-Cyrl": cyrillic or latin_to_cyrillic(latin),
        "en": english or latin,
    }


@dataclass(frozen=True)
class District:
    code: int
    latin: str
    cyrillic: str

    def json(self) -> dict[str, Any]:
        return {"code": self.code, "names": names(self.latin, self.cyrillic)}


@dataclass(frozen=True)
class Place:
    id: int
    code: str
    latin: str
    cyrillic: str
    kind: str
    district: District
    seat: str
    lat: float
    lon: float
    kosovo_metohija: bool

    def brief(self) -> dict[str, Any]:
        """Code and names: how a case names its municipality."""
        return {"code": self.code, "names": names(self.latin, self.cyrillic)}


@dataclass(frozen=True)
class Kind:
    id: int
    slug: str
    name_sr: str
    name_en: str
    description: str | None
    position: int
    active: bool

    def brief(self) -> dict[str, Any]:
        """Slug and names: how a case names its category."""
        return {"slug": self.slug, "names": names(self.name_sr, None, self.name_en)}


@dataclass(frozen=True)
class Lookups:
    places: dict[int, Place]
    codes: dict[str, Place]
    categories: dict[int, Kind]

    def category(self, category_id: int | None) -> dict[str, Any] | None:
        kind = self.categories.get(category_id) if category_id is not None else None
        return kind.brief() if kind else None


def _load() -> Lookups:
    places: dict[int, Place] = {}
    for m in db.session.scalars(sa.select(Municipality).order_by(Municipality.code)):
        district = District(m.district_code, m.district, m.district_cyrillic)
        places[m.id] = Place(m.id, m.code, m.name_latin, m.name_cyrillic, m.kind.value,
                             district, m.seat, m.lat, m.lon, m.kosovo_metohija)  # fmt: skip
    categories = {
        c.id: Kind(c.id, c.slug, c.name_sr, c.name_en, c.description, c.position, c.active)
        for c in db.session.scalars(sa.select(Category).order_by(Category.position, Category.id))
    }
    return Lookups(places, {p.code: p for p in places.values()}, categories)


def lookups() -> Lookups:
    """The names, loaded once per public version and process."""
    return figures.get(index.state(), ("api", "lookups"), _load)
