"""What the map draws, from the public read model, small however many findings there are.

Every answer carries the choropleth (published findings per district, in classes). Zoomed
out (below grid.CLUSTER_ZOOM) it adds one bubble per municipality at its seat, from the
stored counts (or counts grouped over the filtered findings). Zoomed in it adds grid clusters
over the requested box: per cell the count, the centroid and extent of its findings; a cell
of FEW findings or fewer is sent as those findings instead (reference and title). So a
response holds at most ~200 bubbles, or grid.MAX_CELLS clusters and MAX_POINTS points.

Each answer is built once per public version, grid (zoom and box snapped to whole cells),
filters and script, and kept as JSON text in the per-process cache.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa

from tracker.explore.grid import Grid, Viewport, breaks, class_of, grid_for, shade_of
from tracker.extensions import db
from tracker.geo.models import Municipality
from tracker.public import index
from tracker.public.cache import figures
from tracker.public.facets import facets, stored
from tracker.public.models import Finding
from tracker.public.search import Filters, conditions
from tracker.text import fold

FEW = 3  # a cell with this many findings or fewer shows them one by one
MAX_POINTS = 600
TITLE_CHARS = 100


@dataclass(frozen=True)
class Seat:
    """A municipality as the map needs it."""

    code: str
    latin: str
    cyrillic: str
    lat: float
    lon: float
    district_code: int

    def name(self, script: str) -> str:
        return self.cyrillic if script == "cyrillic" else self.latin


@dataclass(frozen=True)
class Places:
    """Municipalities by id and by seat, and district names by code (both scripts)."""

    seats: dict[int, Seat]
    districts: dict[int, tuple[str, str]]
    at: dict[tuple[float, float], Seat]  # by the seat's coordinates

    def district(self, code: int, script: str) -> str:
        latin, cyrillic = self.districts.get(code, (str(code), str(code)))
        return cyrillic if script == "cyrillic" else latin


def _load_places() -> Places:
    seats: dict[int, Seat] = {}
    districts: dict[int, tuple[str, str]] = {}
    for m in db.session.scalars(sa.select(Municipality).order_by(Municipality.name_folded)):
        seats[m.id] = Seat(m.code, m.name_latin, m.name_cyrillic, m.lat, m.lon, m.district_code)
        districts.setdefault(m.district_code, (m.district, m.district_cyrillic))
    ordered = dict(sorted(districts.items(), key=lambda kv: fold(kv[1][0])))
    return Places(seats, ordered, {(s.lat, s.lon): s for s in seats.values()})


def places() -> Places:
    """Every municipality's seat and every district's name (cached per public version)."""
    return figures.get(index.state(), ("explore", "places"), _load_places)


def district_counts(filters: Filters) -> dict[int, int]:
    """Published findings per district code (stored counts when unfiltered)."""
    rows = facets(filters, ("district",), exact=True).counts["district"]
    return {int(key): n for key, n in rows if key.isdigit()}


def municipalities_statement(filters: Filters) -> sa.Select[Any]:
    """Filtered findings per municipality, read through the filters' indexes.

    Grouping by `municipality_id + 0` keeps a planner from walking the whole municipality
    index to save the grouping step (SQLite does when only a date range is given).
    """
    column = (Finding.municipality_id + 0).label("municipality_id")
    return sa.select(column, sa.func.count()).where(*conditions(filters)).group_by(column)


def municipality_counts(filters: Filters) -> dict[int, int]:
    """Published findings per municipality id, every municipality (not only the top ones)."""

    def make() -> dict[int, int]:
        if filters.empty:
            rows: Any = stored("municipality")
        else:
            rows = db.session.execute(municipalities_statement(filters))
        return {int(key): n for key, n in rows if str(key).isdigit()}

    key = ("explore", "municipalities", filters.key())
    return figures.get(index.state(), key, make, query=True)


def choropleth(filters: Filters, script: str) -> dict[str, Any]:
    """Findings per district in classes: every district with its name, count, class and shade.

    `classes` are [low, high, shade] from the lightest up; shade 0 is for no findings.
    """
    counts = district_counts(filters)
    known = places()
    ranges = breaks(counts.values())
    rows = []
    for code in sorted(set(known.districts) | set(counts)):
        n = counts.get(code, 0)
        klass = class_of(n, ranges)
        rows.append({"code": code, "name": known.district(code, script), "n": n, "c": klass,
                     "s": shade_of(klass, len(ranges))})  # fmt: skip
    classes = [[low, high, shade_of(i + 1, len(ranges))] for i, (low, high) in enumerate(ranges)]
    return {"districts": rows, "classes": classes}


def _floor(value: sa.ColumnElement[Any]) -> sa.ColumnElement[int]:
    """Whole cells from the box's edge; the value is never negative inside the box."""
    if db.session.get_bind().dialect.name == "sqlite":
        return sa.cast(value, sa.Integer)  # truncation, which is floor for values >= 0
    return sa.cast(sa.func.floor(value), sa.Integer)


def cells_statement(filters: Filters, grid: Grid) -> sa.Select[Any]:
    """Findings in the box grouped by cell: through the (lat, lon) index or a filter's.

    Unfiltered, it reads the (lat, lon) index alone (the id is in every index entry), never
    the table.
    """
    west, south, east, north = grid.box()
    # Literal numbers (computed here, never typed by anyone) so that the GROUP BY expressions
    # are the very text of the selected ones, as PostgreSQL requires.
    cell = sa.literal_column(repr(grid.cell))
    row = _floor((Finding.lat - sa.literal_column(repr(south))) / cell).label("r")
    col = _floor((Finding.lon - sa.literal_column(repr(west))) / cell).label("c")
    return (
        sa.select(
            row,
            col,
            sa.func.count().label("n"),
            sa.func.avg(Finding.lat).label("lat"),
            sa.func.avg(Finding.lon).label("lon"),
            sa.func.min(Finding.lat).label("s"),
            sa.func.max(Finding.lat).label("north"),
            sa.func.min(Finding.lon).label("w"),
            sa.func.max(Finding.lon).label("e"),
            sa.func.min(Finding.id).label("first"),
            sa.func.max(Finding.id).label("last"),
            sa.func.sum(Finding.id).label("ids"),
        )
        .where(
            Finding.lat >= south,
            Finding.lat < north,
            Finding.lon >= west,
            Finding.lon < east,
            *conditions(filters),
        )
        .group_by(row, col)
    )


def _ids(cell: Any) -> list[int]:
    """The findings of a cell of FEW or fewer: the smallest, the largest, and for three the
    one between them, which is what the sum of the three leaves when those two are taken out."""
    if cell.n == 1:
        return [cell.first]
    if cell.n == 2:
        return [cell.first, cell.last]
    return [cell.first, int(cell.ids) - cell.first - cell.last, cell.last]


def _point(row: Any) -> dict[str, Any]:
    title = row.title if len(row.title) <= TITLE_CHARS else row.title[: TITLE_CHARS - 1] + "…"
    return {"lat": round(row.lat, 5), "lon": round(row.lon, 5), "ref": row.reference, "t": title}


def _cluster(cell: Any, seats: dict[tuple[float, float], Seat]) -> dict[str, Any]:
    # All at one municipality's seat (the public point of findings placed by municipality):
    # the list filtered by that municipality shows them.
    one = seats.get((cell.s, cell.w)) if (cell.s, cell.w) == (cell.north, cell.e) else None
    return {
        "lat": round(cell.lat, 5),
        "lon": round(cell.lon, 5),
        "n": cell.n,
        "b": [round(cell.s, 5), round(cell.w, 5), round(cell.north, 5), round(cell.e, 5)],
        "m": one.code if one else None,
    }


def clusters(filters: Filters, grid: Grid) -> dict[str, Any]:
    """Clusters and points over a grid: at most MAX_CELLS clusters and MAX_POINTS points."""
    cells = list(db.session.execute(cells_statement(filters, grid)))
    seats = places().at
    wanted: list[int] = []
    grouped: list[dict[str, Any]] = []
    for cell in sorted(cells, key=lambda c: c.n):
        if cell.n <= FEW and len(wanted) + cell.n <= MAX_POINTS:
            wanted += _ids(cell)
        else:
            grouped.append(_cluster(cell, seats))
    points: list[dict[str, Any]] = []
    if wanted:
        stmt = sa.select(
            Finding.id, Finding.reference, Finding.title, Finding.lat, Finding.lon
        ).where(Finding.id.in_(wanted))
        points = [_point(row) for row in db.session.execute(stmt.order_by(Finding.id))]
    return {
        "level": "grid",
        "cell": grid.cell,
        "box": list(grid.box()),
        "inside": sum(c.n for c in cells),
        "clusters": grouped,
        "points": points,
    }


def bubbles(filters: Filters, script: str) -> dict[str, Any]:
    """One bubble per municipality with findings, at its seat, largest first."""
    seats = places().seats
    rows = [
        {"code": s.code, "name": s.name(script), "lat": s.lat, "lon": s.lon, "n": n}
        for ident, n in municipality_counts(filters).items()
        if (s := seats.get(ident)) is not None
    ]
    rows.sort(key=lambda r: (-r["n"], r["name"]))
    return {"level": "municipality", "municipalities": rows}


def _build(filters: Filters, view: Viewport, script: str) -> str:
    body = clusters(filters, grid_for(view)) if view.clustered else bubbles(filters, script)
    body |= choropleth(filters, script)
    body["total"] = sum(r["n"] for r in body["districts"])
    return json.dumps(body, ensure_ascii=False, separators=(",", ":"))


def map_json(filters: Filters, view: Viewport, script: str) -> str:
    """The map's data for a view and filters, as JSON text (cached per public version)."""
    where = grid_for(view).key() if view.clustered else "municipalities"
    key = ("explore", "map", where, filters.key(), script)
    return figures.get(index.state(), key, lambda: _build(filters, view, script), query=True)
