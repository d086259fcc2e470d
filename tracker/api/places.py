"""Municipalities and categories as API records, with their published-case counts.

Counts come from the stored facet counts (`finding_count`) for all findings, and from the
cached facets of the read model for one municipality's categories.
"""

from __future__ import annotations

from typing import Any

from flask import url_for

from tracker.api.lookups import Kind, Place, lookups, names
from tracker.api.records import meta, page_url
from tracker.geo.services import find_municipalities
from tracker.public.facets import facets, stored
from tracker.public.search import Filters
from tracker.text import fold


def _counts(dimension: str) -> dict[str, int]:
    return dict(stored(dimension))


def _place(place: Place, count: int) -> dict[str, Any]:
    return {
        **place.brief(),
        "kind": place.kind,
        "district": place.district.json(),
        "seat": place.seat,
        "point": {"lat": place.lat, "lon": place.lon},
        "kosovo_metohija": place.kosovo_metohija,
        "count": count,
        "url": page_url("geo.detail", code=place.code),
        "api_url": url_for("api.municipality", code=place.code, _external=True),
    }


def municipality_list(district: int | None = None, name: str = "") -> dict[str, Any]:
    """The municipalities of the gazetteer (of one district, or whose name holds `name` in
    either script, diacritics ignored) with their counts of published cases: one page, as
    the gazetteer has some two hundred."""
    counts = _counts("municipality")
    found = lookups().places
    # the gazetteer's own matcher; a name with nothing to search for (spaces) filters nothing
    named = {m.code for m in find_municipalities(name, limit=len(found))} if fold(name) else None
    places = sorted(
        (
            p
            for p in found.values()
            if (district is None or p.district.code == district)
            and (named is None or p.code in named)
        ),
        key=lambda p: (p.district.code, p.code),
    )
    data = [_place(p, counts.get(str(p.id), 0)) for p in places]
    return {"data": data, "links": {"next": None}, "meta": meta(len(data))}


def municipality_detail(code: str) -> dict[str, Any] | None:
    """One municipality with its published cases counted by category, or None."""
    found = lookups()
    place = found.codes.get(code)
    if place is None:
        return None
    figures = facets(Filters(municipality_id=place.id), ("category",), exact=True)
    by_category = []
    for key, count in figures.counts.get("category", []):
        kind = found.categories.get(int(key)) if key else None
        by_category.append({"category": kind.brief() if kind else None, "count": count})
    cases = url_for("api.cases", municipality=place.code, _external=True)
    return {
        **_place(place, figures.total),
        "by_category": by_category,
        "links": {"cases": cases},
    }


def _category(kind: Kind, count: int) -> dict[str, Any]:
    return {
        "slug": kind.slug,
        "names": names(kind.name_sr, None, kind.name_en),
        "description": kind.description,
        "count": count,
        "cases_url": url_for("api.cases", category=kind.slug, _external=True),
    }


def category_list() -> dict[str, Any]:
    """Categories in their order, with their counts (hidden ones only if cases use them)."""
    counts = _counts("category")
    data = [
        _category(kind, counts.get(str(kind.id), 0))
        for kind in lookups().categories.values()
        if kind.active or counts.get(str(kind.id))
    ]
    return {"data": data, "links": {"next": None}, "meta": meta(len(data))}
