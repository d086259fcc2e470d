"""The map's geometry, with no database: the requested view, its grid, choropleth classes.

A view is a zoom and a box (west, south, east, north in degrees). Its grid has square cells
of 360 / 2^k degrees, about 64 pixels at that zoom, aligned on multiples of the cell size,
and the box is widened to whole blocks of cells: nearby requests share a grid, so they share
a cache entry (and the map need not ask again for a small pan). When the box would hold more
than MAX_CELLS cells the cells grow (k falls) until it does not, so a response never has
more clusters than that, whatever the box asked for.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

MAX_ZOOM = 18
CLUSTER_ZOOM = 9  # below it: one bubble per municipality; from it: grid clusters
CELL_SHIFT = 2  # cells of 360 / 2^(zoom + 2) degrees: a quarter of a 256 px tile, 64 px
BLOCK = 4  # the box grows to whole blocks of 4 × 4 cells
MAX_CELLS = 480
STEPS = 5  # choropleth classes above zero


@dataclass(frozen=True)
class Viewport:
    """What the map shows: a whole zoom level and a box in degrees."""

    zoom: int
    west: float
    south: float
    east: float
    north: float

    @property
    def clustered(self) -> bool:
        return self.zoom >= CLUSTER_ZOOM


@dataclass(frozen=True)
class Grid:
    """Cells of 360 / 2^level degrees over a box given in whole cells from (0, 0)."""

    level: int
    west: int
    south: int
    east: int
    north: int

    @property
    def cell(self) -> float:
        return 360.0 / 2**self.level

    @property
    def columns(self) -> int:
        return self.east - self.west

    @property
    def rows(self) -> int:
        return self.north - self.south

    def box(self) -> tuple[float, float, float, float]:
        """The snapped box in degrees: west, south, east, north."""
        c = self.cell
        return self.west * c, self.south * c, self.east * c, self.north * c

    def key(self) -> tuple[int, int, int, int, int]:
        return (self.level, self.west, self.south, self.east, self.north)


def grid_for(view: Viewport) -> Grid:
    """The grid for a view: cells about 64 px wide, the box widened to whole blocks of BLOCK
    cells (so that small pans keep the same grid), at most MAX_CELLS cells in all."""
    level = view.zoom + CELL_SHIFT
    while True:
        block = 360.0 / 2**level * BLOCK
        west, south = math.floor(view.west / block), math.floor(view.south / block)
        east = max(math.ceil(view.east / block), west + 1)
        north = max(math.ceil(view.north / block), south + 1)
        grid = Grid(level, west * BLOCK, south * BLOCK, east * BLOCK, north * BLOCK)
        if grid.columns * grid.rows <= MAX_CELLS or level == 0:
            return grid
        level -= 1


def _number(value: str) -> float:
    number = float(value)
    if not math.isfinite(number):
        raise ValueError(value)
    return number


def parse_viewport(args: Mapping[str, str]) -> tuple[Viewport | None, dict[str, str]]:
    """The view from ?zoom=&bbox=west,south,east,north, or the errors (in the user's language)."""
    errors: dict[str, str] = {}
    raw_zoom = (args.get("zoom") or "").strip()
    zoom = int(raw_zoom) if raw_zoom.isdigit() and len(raw_zoom) <= 2 else -1
    if not 0 <= zoom <= MAX_ZOOM:
        errors["zoom"] = str(_l("The zoom must be a whole number from 0 to %(max)s.", max=MAX_ZOOM))
    try:
        parts = (args.get("bbox") or "").split(",")
        if len(parts) != 4 or any(len(p) > 24 for p in parts):
            raise ValueError(parts)
        west, south, east, north = (_number(p) for p in parts)
        if not (-180 <= west < east <= 180 and -90 <= south < north <= 90):
            raise ValueError(parts)
    except ValueError:
        errors["bbox"] = str(
            _l("The box must be west,south,east,north in degrees, west of east and south of north.")
        )
    if errors:
        return None, errors
    return Viewport(zoom, west, south, east, north), {}


def breaks(counts: Iterable[int], steps: int = STEPS) -> list[tuple[int, int]]:
    """Count ranges for the choropleth: up to `steps` quantile classes over the non-zero counts.

    Each range is (low, high) inclusive; zero is a class of its own, outside these.
    """
    values = sorted(c for c in counts if c > 0)
    if not values:
        return []
    n = len(values)
    uppers = sorted({values[max(0, math.ceil(n * (i + 1) / steps) - 1)] for i in range(steps)})
    ranges, low = [], 1
    for high in uppers:
        ranges.append((low, high))
        low = high + 1
    return ranges


def shade_of(klass: int, classes: int, steps: int = STEPS) -> int:
    """The shade (0 lightest to `steps` darkest) for a class: spread when there are few."""
    return 0 if klass <= 0 or classes <= 0 else math.ceil(klass * steps / classes)


def class_of(count: int, ranges: list[tuple[int, int]]) -> int:
    """0 for no findings, else 1 + the index of the range holding `count`."""
    if count <= 0:
        return 0
    for i, (_low, high) in enumerate(ranges):
        if count <= high:
            return i + 1
    return len(ranges)
