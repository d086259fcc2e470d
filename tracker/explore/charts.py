"""Charts as inline SVG, built on the server: readable without JavaScript or colour.

Pure functions from numbers and already translated text to markup. Each chart is an
image with a title and a description (role="img"); every bar carries its value as text,
so nothing is told by colour alone, and the page shows the same numbers as a table.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from markupsafe import Markup, escape

WIDTH = 640
BAR = 16  # bar thickness
ROW = 42  # a horizontal bar with its label above it
PLOT = 200  # height of the columns' plot area
INK, BRAND, LINE = "#1b1f24", "#0b4f8a", "#d0d6dd"


@dataclass(frozen=True)
class Bar:
    """One labelled value of a bar chart."""

    label: str
    value: int


@dataclass(frozen=True)
class Column:
    """One period of a time series; `tick` is the axis label shown under it, if any."""

    label: str
    value: int
    tick: str | None = None


def nice_ceiling(value: int) -> int:
    """The smallest of 1, 2, 5 × 10^k (or 1) at or above `value`: a round axis end."""
    if value <= 1:
        return 1
    power = 10 ** math.floor(math.log10(value))
    for step in (1, 2, 5, 10):
        if step * power >= value:
            return step * power
    return 10 * power  # pragma: no cover - the loop always returns


def ticks(top: int) -> list[int]:
    """Gridline values from 0 to `top` (a nice ceiling): five or fewer, whole numbers."""
    for parts in (5, 4, 2, 1):
        if top % parts == 0:
            return [top * i // parts for i in range(parts + 1)]
    return [0, top]  # pragma: no cover - 1 always divides


def _text(x: float, y: float, content: str, css: str, anchor: str = "start") -> str:
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" class="{css}" text-anchor="{anchor}" fill="{INK}">'
        f"{escape(content)}</text>"
    )


def _frame(ident: str, title: str, description: str, height: float, body: list[str]) -> Markup:
    head = (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" id="{escape(ident)}"'
        f' viewBox="0 0 {WIDTH} {height:.0f}" width="{WIDTH}" height="{height:.0f}"'
        f' role="img" aria-labelledby="{escape(ident)}-title {escape(ident)}-desc"'
        ' preserveAspectRatio="xMinYMin meet">'
        f'<title id="{escape(ident)}-title">{escape(title)}</title>'
        f'<desc id="{escape(ident)}-desc">{escape(description)}</desc>'
    )
    return Markup(head + "".join(body) + "</svg>")  # noqa: S704 - every text escaped above


def bar_chart(bars: Sequence[Bar], ident: str, title: str, description: str) -> Markup:
    """Horizontal bars, largest as given first: the label above each bar, the value after it."""
    top = max((b.value for b in bars), default=0) or 1
    room = WIDTH - 70  # the longest bar leaves space for its value
    body: list[str] = []
    for i, bar in enumerate(bars):
        y = i * ROW
        length = max(bar.value / top * room, 2 if bar.value else 0)
        body.append(_text(0, y + 14, bar.label, "chart-label"))
        body.append(
            f'<rect x="0" y="{y + 20}" width="{length:.1f}" height="{BAR}" class="chart-bar"'
            f' fill="{BRAND}"><title>{escape(bar.label)}: {bar.value}</title></rect>'
        )
        body.append(_text(length + 6, y + 33, f"{bar.value:,}".replace(",", " "), "chart-value"))
    return _frame(ident, title, description, max(len(bars), 1) * ROW + 4, body)


def column_chart(columns: Sequence[Column], ident: str, title: str, description: str) -> Markup:
    """A time series as columns over a scale with gridlines; values on the columns if few."""
    top = nice_ceiling(max((c.value for c in columns), default=0))
    left, bottom = 48, PLOT + 12
    step = (WIDTH - left - 4) / max(len(columns), 1)
    width = max(step * 0.8, 1.0)
    body: list[str] = []
    for value in ticks(top):
        y = bottom - value / top * PLOT
        body.append(
            f'<line x1="{left}" x2="{WIDTH}" y1="{y:.1f}" y2="{y:.1f}" class="chart-grid"'
            f' stroke="{LINE}"/>'
        )
        body.append(_text(left - 6, y + 4, f"{value:,}".replace(",", " "), "chart-axis", "end"))
    labelled = len(columns) <= 24
    for i, column in enumerate(columns):
        x = left + i * step + (step - width) / 2
        height = column.value / top * PLOT
        body.append(
            f'<rect x="{x:.1f}" y="{bottom - height:.1f}" width="{width:.1f}"'
            f' height="{height:.1f}" class="chart-bar" fill="{BRAND}">'
            f"<title>{escape(column.label)}: {column.value}</title></rect>"
        )
        if labelled and column.value:
            body.append(_text(x + width / 2, bottom - height - 4, str(column.value),
                              "chart-value", "middle"))  # fmt: skip
        if column.tick:
            body.append(
                f'<line x1="{x + width / 2:.1f}" x2="{x + width / 2:.1f}" y1="{bottom}"'
                f' y2="{bottom + 5}" stroke="{INK}"/>'
            )
            body.append(_text(x + width / 2, bottom + 20, column.tick, "chart-axis", "middle"))
    body.append(
        f'<line x1="{left}" x2="{WIDTH}" y1="{bottom}" y2="{bottom}" stroke="{INK}"'
        ' class="chart-baseline"/>'
    )
    return _frame(ident, title, description, bottom + 28, body)
