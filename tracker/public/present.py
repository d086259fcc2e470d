"""Facet counts as the list page shows them: labels in the user's language, query values."""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _

from tracker.i18n import is_cyrillic, local_text
from tracker.public.facets import Facets
from tracker.public.filters import Parsed
from tracker.public.names import Names


@dataclass(frozen=True)
class Entry:
    label: str
    value: str  # the query-string value that selects it
    count: int
    active: bool


@dataclass(frozen=True)
class Group:
    title: str
    param: str
    entries: list[Entry]


def groups(counts: Facets, names: Names, actors: dict[int, str], parsed: Parsed) -> list[Group]:
    """One group per facet dimension, entries in count order; values that have no label
    (a category without name, an unknown id) are left out."""
    cyr = is_cyrillic()
    raw = parsed.raw

    def category(key: str) -> tuple[str, str] | None:
        kind = names.categories.get(int(key)) if key else None
        return (local_text(kind.name_sr, kind.name_en), kind.slug) if kind else None

    def district(key: str) -> tuple[str, str] | None:
        d = names.districts.get(int(key)) if key else None
        return ((d.cyrillic if cyr else d.latin), str(d.code)) if d else None

    def place(key: str) -> tuple[str, str] | None:
        p = names.places.get(int(key)) if key else None
        return ((p.cyrillic if cyr else p.latin), p.code) if p else None

    def actor(key: str) -> tuple[str, str] | None:
        name = actors.get(int(key)) if key else None
        return (name, key) if name else None

    spec = [
        (_("Category"), "category", category),
        (_("District"), "district", district),
        (_("Municipality"), "municipality", place),
        (_("Actor"), "actor", actor),
    ]
    result = []
    for title, param, label in spec:
        entries = []
        for key, n in counts.counts.get(param, []):
            found = label(key)
            if found:
                entries.append(Entry(found[0], found[1], n, raw.get(param) == found[1]))
        if entries:
            result.append(Group(title, param, entries))
    return result
