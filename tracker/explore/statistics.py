"""The statistics page's figures: published findings by category, month, district, municipality.

Counts come from tracker.public.facets: the stored counts when nothing is filtered, counts
grouped over the filtered findings (cached per public version) otherwise. Here they get
their names in the visitor's language, the months their gaps filled, and their charts.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import sqlalchemy as sa
from flask_babel import format_date
from flask_babel import gettext as _
from markupsafe import Markup

from tracker.cases.models import Category
from tracker.explore import charts
from tracker.explore.mapdata import places
from tracker.extensions import db
from tracker.i18n import is_cyrillic, local_text
from tracker.public import index
from tracker.public.cache import figures
from tracker.public.facets import facets
from tracker.public.search import Filters

TOP_MUNICIPALITIES = 15
MAX_MONTHS = 120  # the chart's span; longer series show their latest ten years


@dataclass(frozen=True)
class Row:
    """A named count, and the list filter that shows its findings."""

    label: str
    value: int
    args: dict[str, str] = field(default_factory=dict)


@dataclass
class Statistics:
    """Every figure of the page, named, largest first (months in order)."""

    total: int
    categories: list[Row]
    months: list[Row]
    undated: int
    districts: list[Row]
    municipalities: list[Row]
    months_cut: bool = False  # the series is longer than the chart shows


def _categories() -> dict[int, tuple[str, str, str]]:
    def load() -> dict[int, tuple[str, str, str]]:
        rows = db.session.execute(sa.select(Category.id, Category.slug, Category.name_sr,
                                            Category.name_en))  # fmt: skip
        return {ident: (slug, sr, en) for ident, slug, sr, en in rows}

    return figures.get(index.state(), ("explore", "categories"), load)


def month_span(counts: dict[str, int]) -> list[str]:
    """Every month from the first to the last with findings ("YYYY-MM"), gaps included."""
    known = sorted(k for k in counts if len(k) == 7 and k[4] == "-")
    if not known:
        return []
    year, month = int(known[0][:4]), int(known[0][5:])
    months = []
    while (key := f"{year:04d}-{month:02d}") <= known[-1]:
        months.append(key)
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


def statistics(filters: Filters) -> Statistics:
    """The figures for the findings `filters` select."""
    found = facets(filters, ("category", "district", "municipality", "month"), exact=True)
    known, names = places(), _categories()
    script = "cyrillic" if is_cyrillic() else "latin"
    categories = []
    for key, n in found.counts["category"]:
        entry = names.get(int(key)) if key.isdigit() else None
        label = local_text(entry[1], entry[2]) if entry else _("No category")
        categories.append(Row(label, n, {"category": entry[0]} if entry else {}))
    districts = [
        Row(known.district(int(key), script), n, {"district": key})
        for key, n in found.counts["district"]
        if key.isdigit()
    ]
    municipalities = []
    for key, n in found.counts["municipality"][:TOP_MUNICIPALITIES]:
        seat = known.seats.get(int(key)) if key.isdigit() else None
        if seat is not None:
            municipalities.append(Row(seat.name(script), n, {"municipality": seat.code}))
    by_month = found.of("month")
    span = month_span(by_month)
    months = [Row(_month_name(key), by_month.get(key, 0), {"from": key, "to": key})
              for key in span[-MAX_MONTHS:]]  # fmt: skip
    return Statistics(
        total=found.total,
        categories=categories,
        months=months,
        undated=by_month.get("", 0),
        districts=districts,
        municipalities=municipalities,
        months_cut=len(span) > MAX_MONTHS,
    )


def _month_name(key: str) -> str:
    return format_date(date(int(key[:4]), int(key[5:]), 1), "LLLL y")


def _ticks(months: list[Row]) -> list[str | None]:
    """Axis labels: every third month for two years or less, else every January."""
    keys = [row.args["from"] for row in months]
    if len(keys) <= 24:
        return [format_date(date(int(k[:4]), int(k[5:]), 1), "LLL y") if i % 3 == 0 else None
                for i, k in enumerate(keys)]  # fmt: skip
    every = 1 if len(keys) <= 72 else 2
    return [k[:4] if k.endswith("-01") and int(k[:4]) % every == 0 else None for k in keys]


def chart_images(figures_: Statistics) -> dict[str, Markup]:
    """The four charts, titled and described in the visitor's language."""
    same = _("The table after the chart gives the same numbers.")
    bars = charts.bar_chart
    months = figures_.months
    ticks = _ticks(months)
    return {
        "categories": bars(
            [charts.Bar(r.label, r.value) for r in figures_.categories],
            "chart-categories",
            _("Published findings by category"),
            _("One bar per category, the largest first.") + " " + same,
        ),
        "months": charts.column_chart(
            [
                charts.Column(r.label, r.value, t)
                for r, t in zip(figures_.months, ticks, strict=True)
            ],
            "chart-months",
            _("Published findings by month of the incident"),
            _("One column per month, from the earliest to the latest.") + " " + same,
        ),
        "districts": bars(
            [charts.Bar(r.label, r.value) for r in figures_.districts],
            "chart-districts",
            _("Published findings by district"),
            _("One bar per district, the largest first.") + " " + same,
        ),
        "municipalities": bars(
            [charts.Bar(r.label, r.value) for r in figures_.municipalities],
            "chart-municipalities",
            _("Municipalities with the most published findings"),
            _("One bar per municipality, the largest first.") + " " + same,
        ),
    }
