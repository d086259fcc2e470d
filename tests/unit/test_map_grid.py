"""The map's geometry: parsing a view, grids that stay small and shareable, choropleth classes."""

from __future__ import annotations

import itertools

import pytest

from tracker.explore.grid import (
    BLOCK,
    CLUSTER_ZOOM,
    MAX_CELLS,
    Viewport,
    breaks,
    class_of,
    grid_for,
    parse_viewport,
    shade_of,
)


def test_a_good_view_parses() -> None:
    view, errors = parse_viewport({"zoom": "10", "bbox": "19.5,43.1,21.25,44"})
    assert errors == {}
    assert view == Viewport(10, 19.5, 43.1, 21.25, 44.0)
    assert view.clustered and not Viewport(CLUSTER_ZOOM - 1, 0, 0, 1, 1).clustered


@pytest.mark.parametrize(
    "args, fields",
    [
        ({}, {"zoom", "bbox"}),
        ({"zoom": "x", "bbox": "1,2,3,4"}, {"zoom"}),
        ({"zoom": "100", "bbox": "1,2,3,4"}, {"zoom"}),
        ({"zoom": "5", "bbox": "1,2,3"}, {"bbox"}),
        ({"zoom": "5", "bbox": "a,b,c,d"}, {"bbox"}),
        ({"zoom": "5", "bbox": "inf,2,3,4"}, {"bbox"}),
        ({"zoom": "5", "bbox": "3,2,1,4"}, {"bbox"}),
        ({"zoom": "5", "bbox": "1,4,3,2"}, {"bbox"}),
        ({"zoom": "5", "bbox": "-181,2,3,4"}, {"bbox"}),
        ({"zoom": "5", "bbox": "1,2,3," + "4" * 30}, {"bbox"}),
    ],
)
def test_nonsense_is_refused(args: dict[str, str], fields: set[str]) -> None:
    view, errors = parse_viewport(args)
    assert view is None and set(errors) == fields


def test_cells_follow_the_zoom_and_the_box_snaps_to_them() -> None:
    view = Viewport(10, 20.01, 43.01, 20.49, 43.49)
    grid = grid_for(view)
    assert grid.cell == 360 / 2**12
    west, south, east, north = grid.box()
    assert west <= view.west and south <= view.south and east >= view.east and north >= view.north
    assert all(round(edge / grid.cell, 9).is_integer() for edge in grid.box())
    assert grid_for(Viewport(10, 20.02, 43.02, 20.48, 43.48)) == grid  # shared cache entry
    assert grid_for(Viewport(11, 20.01, 43.01, 20.49, 43.49)).cell == grid.cell / 2


@pytest.mark.parametrize(
    "view",
    [
        Viewport(18, -180, -90, 180, 90),
        Viewport(9, 18.8, 41.85, 23.01, 46.19),
        Viewport(12, 18.8, 41.85, 23.01, 46.19),
        Viewport(0, -180, -90, 180, 90),
    ],
)
def test_a_grid_never_has_more_than_max_cells(view: Viewport) -> None:
    grid = grid_for(view)
    assert 1 <= grid.columns * grid.rows <= MAX_CELLS


def test_a_point_view_still_gets_a_cell() -> None:
    grid = grid_for(Viewport(12, 20.0, 43.0, 20.0000001, 43.0000001))
    assert grid.columns == grid.rows == BLOCK


def test_breaks_are_quantiles_of_the_non_zero_counts() -> None:
    assert breaks([]) == [] and breaks([0, 0]) == []
    assert breaks([5]) == [(1, 5)]
    assert breaks([1, 2, 3, 4, 5, 0]) == [(1, 1), (2, 2), (3, 3), (4, 4), (5, 5)]
    ranges = breaks([1, 1, 1, 2, 3, 10, 40, 41, 100, 500])
    assert ranges[0][0] == 1 and ranges[-1][1] == 500
    assert all(low <= high for low, high in ranges)
    assert all(a[1] + 1 == b[0] for a, b in itertools.pairwise(ranges))


def test_class_of() -> None:
    ranges = [(1, 2), (3, 10), (11, 50)]
    assert [class_of(n, ranges) for n in (0, 1, 2, 3, 10, 11, 50, 51)] == [0, 1, 1, 2, 2, 3, 3, 3]


def test_shades_spread_over_the_scale_and_end_at_the_darkest() -> None:
    assert [shade_of(k, 5) for k in range(6)] == [0, 1, 2, 3, 4, 5]
    assert [shade_of(k, 2) for k in range(3)] == [0, 3, 5]
    assert shade_of(1, 1) == 5 and shade_of(0, 0) == 0
