"""Names for the ids the read model stores: municipalities, districts, categories, actors.

Loaded once per public version into the per-process cache, so a page of fifty findings
costs no query per row.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property

import sqlalchemy as sa

from tracker.actors.models import Actor
from tracker.cases.models import Category
from tracker.extensions import db
from tracker.geo.models import Municipality
from tracker.public import index
from tracker.public.cache import figures


@dataclass(frozen=True)
class Place:
    code: str
    latin: str
    cyrillic: str
    district_code: int
    lat: float = 0.0  # the seat
    lon: float = 0.0


@dataclass(frozen=True)
class District:
    code: int
    latin: str
    cyrillic: str


@dataclass(frozen=True)
class Kind:
    id: int
    slug: str
    name_sr: str
    name_en: str


@dataclass(frozen=True)
class Names:
    places: dict[int, Place]
    districts: dict[int, District]
    categories: dict[int, Kind]

    def place_by_code(self, code: str) -> int | None:
        """The id of the municipality with this official code."""
        return self.codes.get(code)

    def category_by_slug(self, slug: str) -> int | None:
        return self.slugs.get(slug)

    @cached_property
    def codes(self) -> dict[str, int]:
        return {place.code: ident for ident, place in self.places.items()}

    @cached_property
    def slugs(self) -> dict[str, int]:
        return {kind.slug: ident for ident, kind in self.categories.items()}


def _load() -> Names:
    places: dict[int, Place] = {}
    districts: dict[int, District] = {}
    for m in db.session.scalars(sa.select(Municipality).order_by(Municipality.name_folded)):
        places[m.id] = Place(m.code, m.name_latin, m.name_cyrillic, m.district_code, m.lat, m.lon)
        districts.setdefault(
            m.district_code, District(m.district_code, m.district, m.district_cyrillic)
        )
    categories = {
        c.id: Kind(c.id, c.slug, c.name_sr, c.name_en)
        for c in db.session.scalars(sa.select(Category).order_by(Category.position, Category.id))
    }
    ordered = dict(sorted(districts.items(), key=lambda kv: kv[1].latin))
    return Names(places, ordered, categories)


def names() -> Names:
    """Every municipality, district and category name (cached per public version)."""
    return figures.get(index.state(), "names", _load)


def actor_names(ids: Iterable[int]) -> dict[int, str]:
    """Names of these actors (one query per set of ids and public version)."""
    wanted = tuple(sorted(set(ids)))
    if not wanted:
        return {}

    def load() -> dict[int, str]:
        rows = db.session.execute(sa.select(Actor.id, Actor.name).where(Actor.id.in_(wanted)))
        return {ident: name for ident, name in rows}

    return figures.get(index.state(), ("actor-names", wanted), load)
