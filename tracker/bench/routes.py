"""What `make bench` requests: one table of routes, and the values its paths need.

To benchmark another page, add a Route to ROUTES. A path may name values from `Params`
({reference}, {municipality}, …). `varied` routes are requested with a different URL each
time (deeper list pages, other cases, other words) so that the per-process caches cannot
answer them: they measure the database path. A route that answers 404 (not built yet) is
skipped with a note, never silently.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

import sqlalchemy as sa

from tracker.bench.words import COMMON_WORD, RARE_WORD, SURNAMES, VOCABULARY
from tracker.cases.models import Category
from tracker.extensions import db
from tracker.geo.models import Municipality
from tracker.public.models import Finding, FindingCount
from tracker.public.query import count_text, newest
from tracker.public.search import PAGE_SIZE, Filters

# Serbia, whole (the map's first view) and a city block (clusters and points).
ZOOMED_OUT = "zoom=7&bbox=18.8,42.2,23.1,46.2"
ZOOMED_IN = "zoom=13&bbox=20.40,44.78,20.50,44.83"


@dataclass(frozen=True)
class Route:
    """One row of the table.

    kind: "load" (the load generator), "revalidate" (load with If-None-Match set to the
    probe's ETag: answered 304) or "export" (a timed download, with the worker's memory).
    """

    name: str
    path: str
    kind: str = "load"
    varied: str = ""  # a Params list name: the path is formatted with each of its values


ROUTES: tuple[Route, ...] = (
    Route("trivial", "/bench/trivial"),
    Route("reference (50 rows)", "/bench/reference"),
    Route("home", "/"),
    Route("public list", "/findings/"),
    Route("public list, other pages", "/findings/?cursor={value}", varied="cursors"),
    Route("filtered list", "/findings/?{filtered}"),
    Route("filtered lists, varied", "/findings/?{value}", varied="filters"),
    Route("search, rare word", "/findings/?q={rare}"),  # the rarest filling a page
    Route("search, common word", "/findings/?q={common}"),
    Route("searches, varied words", "/findings/?q={value}", varied="words"),
    Route("case page", "/findings/{reference}"),
    Route("case pages, varied", "/findings/{value}", varied="references"),
    Route("municipality page", "/municipalities/{municipality}"),
    Route("map data, zoomed out", f"/map/data.json?{ZOOMED_OUT}"),
    Route("map data, zoomed in", f"/map/data.json?{ZOOMED_IN}"),
    Route("map page", "/map"),
    Route("statistics", "/statistics"),
    Route("API cases", "/api/v1/cases"),
    Route("list, repeat view (304)", "/findings/", kind="revalidate"),
    Route("case, repeat view (304)", "/findings/{reference}", kind="revalidate"),
    Route("statistics, repeat (304)", "/statistics", kind="revalidate"),
    Route("CSV export", "/data/cases.csv", kind="export"),
)

TRIVIAL, REFERENCE = ROUTES[0].name, ROUTES[1].name
# Which rows the targets speak of.
LIST_LIKE = ("public list", "filtered list", "municipality page", "search, rare word",
             "search, common word")  # fmt: skip
SEARCHES = ("search, rare word", "search, common word", "searches, varied words")


@dataclass
class Params:
    """Values picked from the seeded database (the busiest municipality, a middle case…)."""

    values: dict[str, str]
    lists: dict[str, list[str]]

    def paths(self, route: Route) -> list[str]:
        if not route.varied:
            return [route.path.format(**self.values)]
        return [route.path.format(**self.values, value=v) for v in self.lists[route.varied]]


def _top(dimension: str, offset: int = 0) -> str | None:
    return db.session.scalar(
        sa.select(FindingCount.key)
        .where(FindingCount.dimension == dimension, FindingCount.key != "")
        .order_by(FindingCount.count.desc(), FindingCount.key)
        .offset(offset)
        .limit(1)
    )


def _rare_word(page: int = 51) -> str:
    """The rarest word that still fills a page (so that every size renders as many rows):
    RARE_WORD from about 500,000 cases, a surname or a rarer word of the vocabulary below."""
    candidates = [RARE_WORD, *(s.lower() for s in SURNAMES), *reversed(VOCABULARY)]
    for candidate in candidates:
        if count_text(Filters(text=candidate).terms, page) >= page:
            return candidate
    return RARE_WORD


# Varied lists and searches ask for pages that are full at every size (51 matches: a page
# and its "next" link), so that page times at 1,000 and 1,000,000 cases compare pages of the
# same 50 rows, not a near-empty page with a full one.
FULL = PAGE_SIZE + 1


def _fills(filters: Filters, skip: int = 0) -> list[int]:
    """Ids of the matches from the `skip`th newest on, if there are a page and one more."""
    ids = list(db.session.scalars(newest(filters, Finding.id).offset(skip).limit(FULL)))
    return ids if len(ids) == FULL else []


def _full_searches(rng: random.Random, words: list[str], variants: int) -> list[str]:
    """Two-word searches that fill a page (pairs of words frequent enough to, checked). A
    small archive has fewer such pairs than variants: they are repeated (varied requests
    bypass the caches, so a repeat costs what the first did), not mixed with one-word
    searches, which cost less and would flatter the small size in a comparison of sizes.
    Single words only where no pair fills a page."""
    total = db.session.scalar(sa.select(sa.func.count()).select_from(Finding)) or 1
    share = {w: count_text(Filters(text=w).terms) / total for w in set(words)}
    likely = [w for w in words if share[w] * total >= FULL]
    found: list[str] = []
    for _ in range(variants * 4):
        if len(found) == variants or not likely:
            break
        first, second = rng.choice(likely), rng.choice(likely)
        if (
            first != second
            and share[first] * share[second] * total >= 2 * FULL
            and _fills(Filters(text=f"{first} {second}"))
        ):
            found.append(f"{first} {second}")
    pairs = list(found)
    while (pairs or likely) and len(found) < variants:
        found.append(rng.choice(pairs or likely))
    return [quote(text) for text in found] or [quote(COMMON_WORD)]


def _full_filters(rng: random.Random, slugs: list[tuple[str, int]], districts: list[str],
                  variants: int) -> list[str]:  # fmt: skip
    """A category and a district (or one of them, where the pair is too small), with a
    cursor that leaves a full page of older matches."""
    found: list[str] = []
    for _ in range(variants * 2):
        if len(found) == variants or not (slugs and districts):
            break
        (slug, kind), district = rng.choice(slugs), rng.choice(districts)
        for query, filters in (
            (f"category={slug}&district={district}", Filters(category_id=kind,
                                                             district_code=int(district))),
            (f"category={slug}", Filters(category_id=kind)),
            (f"district={district}", Filters(district_code=int(district))),
        ):  # fmt: skip
            ids = next(filter(None, (_fills(filters, skip) for skip in _skips(rng))), [])
            if ids:
                found.append(f"{query}&cursor={ids[0]}")
                break
    return found or [""]


def _filtered() -> str:
    """The filtered list's query: the second commonest category in the commonest district,
    or the next commonest pair that fills a page; where no pair does (at 1,000 cases the
    commonest has some twenty findings), the category alone, so that sizes compare full
    pages, not a part page with full ones."""
    kinds = [k for k in (_top("category", n) for n in (1, 0, 2, 3, 4)) if k]
    places = [k for k in (_top("district", n) for n in range(5)) if k]
    slugs = dict(db.session.execute(sa.select(Category.id, Category.slug)).tuples().all())
    for place in places:
        for kind in kinds:
            if _fills(Filters(category_id=int(kind), district_code=int(place))):
                return f"category={slugs[int(kind)]}&district={place}"
    return f"category={slugs[int(kinds[0])]}" if kinds else ""


def _skips(rng: random.Random) -> list[int]:
    """How deep into a list to start: a random depth, then shallower ones."""
    return [rng.randint(0, 1000), rng.randint(0, 100), 0]


def pick(variants: int = 4000, seed: int = 7) -> Params:
    """Values for the paths, read from the seeded database (in an app context)."""
    rng = random.Random(seed)  # noqa: S311 - fixed sample data
    top = db.session.scalar(sa.select(sa.func.max(Finding.id))) or 0
    middle = db.session.scalar(sa.select(Finding.reference).where(Finding.id >= top // 2).limit(1))
    place = db.session.get(Municipality, int(_top("municipality") or 0))
    ids = [rng.randint(1, top) for _ in range(variants)] if top else []
    refs = db.session.scalars(sa.select(Finding.reference).where(Finding.id.in_(ids[:1000])))
    slugs = [(kind.slug, kind.id) for kind in db.session.scalars(sa.select(Category))]
    districts = [k for k, in db.session.execute(
        sa.select(FindingCount.key).where(FindingCount.dimension == "district"))]  # fmt: skip
    words = VOCABULARY + [s.lower() for s in SURNAMES]
    return Params(
        values={
            "reference": middle or "none",
            "municipality": place.code if place else "none",
            "filtered": _filtered(),
            "rare": quote(_rare_word()),
            "common": quote(COMMON_WORD),
        },
        lists={
            "cursors": [str(i) for i in ids],
            "references": list(refs) or ["none"],
            "words": _full_searches(rng, words, variants),
            "filters": _full_filters(rng, slugs, districts, variants),
        },
    )


def describe(params: Params) -> dict[str, Any]:
    return {"values": params.values, "variants": {k: len(v) for k, v in params.lists.items()}}
