"""The benchmark's two reference routes (only with TRACKER_BENCH_ROUTES set).

/bench/trivial: the cheapest answer the app can give (the stack's own cost).
/bench/reference: the public list page with 50 fixed rows and fixed facet counts, rendered
by the list view's own render function and template, with nothing read from the database
(names come from the per-process cache, the public version is pinned after the first
request). The distance between it and /findings/ is what reading the data costs.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from flask import Blueprint, Response, g, request
from flask.typing import ResponseReturnValue

from tracker.bench.words import Writer
from tracker.cases.models import DatePrecision
from tracker.policy import Access, access
from tracker.public import index
from tracker.public.facets import Facets
from tracker.public.filters import NAMES, Parsed
from tracker.public.names import Names, names
from tracker.public.search import Filters, Page
from tracker.public.views import render_findings

bp = Blueprint("bench", __name__, url_prefix="/bench")
UNCACHED = "X-Bench-Uncached"


@bp.before_app_request
def _uncached() -> None:
    """A "varied" benchmark request asks that no per-process cache answer it."""
    if request.headers.get(UNCACHED) == "1":
        g.uncached = True


ROWS = 50


@dataclass(frozen=True)
class Row:
    """A finding as the list query returns it (the columns of tracker.public.search)."""

    id: int
    reference: str
    title: str
    summary: str
    occurred_on: date | None
    occurred_precision: DatePrecision
    municipality_id: int
    district_code: int
    category_id: int | None
    published_at: datetime


@dataclass(frozen=True)
class Fixture:
    state: tuple[int, datetime | None]
    rows: list[Row]
    counts: Facets


_fixture: Fixture | None = None


def _rows(known: Names) -> list[Row]:
    rng = random.Random(50)  # noqa: S311 - fixed sample data
    writer = Writer(rng)
    places = list(known.places.items())
    kinds = list(known.categories)
    start = datetime(2025, 12, 31, 12, tzinfo=UTC)
    rows = []
    for n in range(ROWS):
        ident, place = places[(n * 7) % len(places)]
        cyrillic = n % 3 == 0
        rows.append(
            Row(
                id=100_000 - n,
                reference=f"IN-2025-{99_999 - n:05d}",
                title=writer.title(cyrillic).written,
                summary=writer.summary(cyrillic).written,
                occurred_on=date(2025, 12, 1) - timedelta(days=n * 3),
                occurred_precision=DatePrecision.DAY if n % 5 else DatePrecision.MONTH,
                municipality_id=ident,
                district_code=place.district_code,
                category_id=kinds[n % len(kinds)] if kinds else None,
                published_at=start - timedelta(hours=n),
            )
        )
    return rows


def _counts(known: Names) -> Facets:
    """Counts like a list page's: every category and district, the 25 largest places."""

    def spread(keys: list[object], top: int) -> list[tuple[str, int]]:
        return [(str(k), 20_000 // (i + 1)) for i, k in enumerate(keys[:top])]

    return Facets(
        total=100_000,
        counts={
            "category": spread(list(known.categories), 50),
            "district": spread(list(known.districts), 50),
            "municipality": spread(list(known.places), 25),
        },
    )


def _prepare() -> Fixture:
    """Made on the first request (the only one that reads the database), then kept."""
    global _fixture
    if _fixture is None:
        state = index.state()
        known = names()
        _fixture = Fixture(state, _rows(known), _counts(known))
    g.public_state = _fixture.state  # index.state() reads it: no query for the version
    return _fixture


@bp.route("/trivial")
@access(Access.PUBLIC)
def trivial() -> ResponseReturnValue:
    """The cheapest route: a fixed two-byte text."""
    return Response("ok", mimetype="text/plain")


@bp.route("/reference")
@access(Access.PUBLIC)
def reference() -> ResponseReturnValue:
    """The public list page with 50 fixed rows, from memory."""
    fixture = _prepare()
    parsed = Parsed(Filters(), {name: "" for name in NAMES})
    page = Page(rows=list(fixture.rows), next_cursor=str(fixture.rows[-1].id), more=True)
    return render_findings(parsed, page, fixture.counts)
