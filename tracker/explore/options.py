"""The choices of the filter form the map and the statistics share with the public list."""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa

from tracker.actors.models import Actor
from tracker.cases.models import Category
from tracker.explore.mapdata import places
from tracker.extensions import db
from tracker.i18n import is_cyrillic, local_text
from tracker.public import index
from tracker.public.cache import figures
from tracker.public.facets import stored

MAX_ACTORS = 100  # the actors most named in published findings


@dataclass(frozen=True)
class Options:
    """(value, label) pairs for each select; municipalities grouped by district."""

    districts: list[tuple[str, str]]
    municipalities: list[tuple[str, list[tuple[str, str]]]]
    categories: list[tuple[str, str]]
    actors: list[tuple[str, str]]


def _actors() -> list[tuple[str, str]]:
    def load() -> list[tuple[str, str]]:
        top = [int(key) for key, _n in stored("actor")[:MAX_ACTORS] if key.isdigit()]
        if not top:
            return []
        stmt = sa.select(Actor.id, Actor.name).where(Actor.id.in_(top))
        names = dict(db.session.execute(stmt).tuples().all())
        return [(str(ident), names[ident]) for ident in top if ident in names]

    return figures.get(index.state(), ("explore", "actors"), load)


def _categories() -> list[tuple[str, str, str]]:
    def load() -> list[tuple[str, str, str]]:
        stmt = sa.select(Category.slug, Category.name_sr, Category.name_en).order_by(
            Category.position, Category.id
        )
        return [(slug, sr, en) for slug, sr, en in db.session.execute(stmt)]

    return figures.get(index.state(), ("explore", "category-options"), load)


def options() -> Options:
    """The filter form's choices in the visitor's language."""
    script = "cyrillic" if is_cyrillic() else "latin"
    known = places()
    districts = [(str(code), known.district(code, script)) for code in known.districts]
    grouped: dict[int, list[tuple[str, str]]] = {code: [] for code in known.districts}
    for seat in known.seats.values():
        grouped.setdefault(seat.district_code, []).append((seat.code, seat.name(script)))
    municipalities = [(known.district(code, script), rows) for code, rows in grouped.items()]
    categories = [(slug, local_text(sr, en)) for slug, sr, en in _categories()]
    return Options(districts, municipalities, categories, _actors())
