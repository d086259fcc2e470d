"""Server-side SVG charts: accessible, labelled, escaped, scaled; no app needed."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pytest

from tracker.explore.charts import Bar, Column, bar_chart, column_chart, nice_ceiling, ticks

SVG = "{http://www.w3.org/2000/svg}"


def parse(markup: str) -> ET.Element:
    return ET.fromstring(str(markup))


@pytest.mark.parametrize(
    "value, expected",
    [(0, 1), (1, 1), (2, 2), (3, 5), (7, 10), (10, 10), (11, 20), (480, 500), (501, 1000)],
)
def test_nice_ceiling(value: int, expected: int) -> None:
    assert nice_ceiling(value) == expected


@pytest.mark.parametrize(
    "top, expected",
    [(1, [0, 1]), (2, [0, 1, 2]), (5, [0, 1, 2, 3, 4, 5]), (20, [0, 4, 8, 12, 16, 20])],
)
def test_ticks_are_whole_and_even(top: int, expected: list[int]) -> None:
    assert ticks(top) == expected


def test_bar_chart_is_an_image_with_title_description_and_values_as_text() -> None:
    svg = parse(bar_chart([Bar("Javne nabavke", 12), Bar("Ostalo", 3)], "c1", "By kind", "Bars."))
    assert svg.get("role") == "img"
    assert svg.get("aria-labelledby") == "c1-title c1-desc"
    assert svg.find(f"{SVG}title").text == "By kind"  # type: ignore[union-attr]
    assert svg.find(f"{SVG}desc").text == "Bars."  # type: ignore[union-attr]
    texts = [t.text for t in svg.iter(f"{SVG}text")]
    assert texts == ["Javne nabavke", "12", "Ostalo", "3"]
    widths = [float(r.get("width") or 0) for r in svg.iter(f"{SVG}rect")]
    assert widths[0] > widths[1] > 0
    assert widths[0] / widths[1] == pytest.approx(4, rel=0.01)


def test_labels_are_escaped() -> None:
    markup = str(bar_chart([Bar('<script>alert("x")</script>', 1)], "c", "<b>t</b>", "d & e"))
    assert "<script>" not in markup and "<b>" not in markup
    svg = parse(markup)
    assert svg.find(f"{SVG}title").text == "<b>t</b>"  # type: ignore[union-attr]
    assert next(t.text for t in svg.iter(f"{SVG}text")) == '<script>alert("x")</script>'


def test_a_zero_value_has_no_bar_but_keeps_its_label() -> None:
    svg = parse(bar_chart([Bar("A", 5), Bar("B", 0)], "c", "t", "d"))
    assert [float(r.get("width") or 0) for r in svg.iter(f"{SVG}rect")][1] == 0
    assert [t.text for t in svg.iter(f"{SVG}text")] == ["A", "5", "B", "0"]


def test_empty_charts_still_render() -> None:
    assert parse(bar_chart([], "c", "t", "d")).get("role") == "img"
    assert parse(column_chart([], "m", "t", "d")).get("role") == "img"


def test_column_chart_scale_ticks_and_values() -> None:
    columns = [Column("Jan 2026", 3, "Jan 2026"), Column("Feb 2026", 0), Column("Mar 2026", 7)]
    svg = parse(column_chart(columns, "m", "By month", "Columns."))
    texts = [t.text for t in svg.iter(f"{SVG}text")]
    # The scale runs to a round 10; the columns are labelled with their values and ticks.
    assert texts[:6] == ["0", "2", "4", "6", "8", "10"]
    assert "Jan 2026" in texts and "Feb 2026" not in texts
    assert "3" in texts and "7" in texts
    heights = [float(r.get("height") or 0) for r in svg.iter(f"{SVG}rect")]
    assert heights[1] == 0 and heights[2] / heights[0] == pytest.approx(7 / 3, rel=0.01)
    titles = [t.text for t in svg.iter(f"{SVG}title")]
    assert "Feb 2026: 0" in titles


def test_long_series_have_no_value_labels_but_keep_the_scale() -> None:
    columns = [Column(f"m{i}", i % 5, "Y" if i % 12 == 0 else None) for i in range(60)]
    markup = str(column_chart(columns, "m", "t", "d"))
    values = re.findall(r'class="chart-value"', markup)
    assert values == []
    assert len(re.findall(r">Y</text>", markup)) == 5
