"""No public query scans the findings or sorts them, for any combination of filters.

A few thousand findings are seeded with the benchmark's bulk seeder and analysed, so the
planner sees realistic statistics. Then every public query family (the list and its next
page, relevance-ranked search, facet counts windowed and exact, the API's total, the map
zoomed out and in, the statistics) runs for each of the 128 combinations of the seven
filters (text, municipality, district, category, actor, from, to) while its statements are
recorded, and each statement's plan is judged by the rules documented in
tracker/bench/plans.py. In short:

- no full pass over `finding`, `finding_actor` or `case` (a scan of the table or of a whole
  index), except the unfiltered newest-first page, which reads its LIMIT of rows along the
  primary key and stops;
- no sort step over findings (ORDER BY through a temporary B-tree, a Sort node), except
  over inputs bounded by construction: the facets' and the search's window of the newest n
  matches (relevance is ranked in Python over that window: no statement sorts by it).
  GROUP BY over indexed matches is counting, not a sort of the list, and is allowed;
- on PostgreSQL, whose planner prefers sequential scans and sorts on a small table, plans
  are taken with enable_seqscan and enable_sort off: a Seq Scan or a Sort that remains
  means no index can avoid it. SQLite's plans do not depend on table size or values, so
  the small seeded table shows the plans of a large one.

Filter values are the busiest of the seeded data (the municipality, district, category and
actor with the most findings, two years, a word in ~70% of the findings, so that relevance
ranking works within its window): SQLite plans do not depend on the values (no STAT4); for
PostgreSQL, whose plans do, large match sets are where a sort or a walk costs.

A failure prints each offending statement with its plan and the filters that produced it.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator
from dataclasses import replace
from datetime import date

import pytest
import sqlalchemy as sa
from flask import Flask

from tracker.bench.plans import Family, Problem, capture, check, problems
from tracker.bench.seed import seed
from tracker.bench.words import COMMON_WORD
from tracker.explore import grid, mapdata, statistics
from tracker.extensions import db
from tracker.geo.models import Municipality
from tracker.public import rank, recent
from tracker.public.cache import figures
from tracker.public.facets import facets
from tracker.public.models import FindingCount
from tracker.public.query import count_text, newest
from tracker.public.search import COLUMNS, Filters, browse, search

SEEDED = 3000  # the common word (~70%) matches more than RANK_WINDOW: the window is full
DIMENSIONS = ("category", "district", "municipality", "actor", "month")
ZOOMED_OUT = (7, 18.8, 42.2, 23.1, 46.2)
ZOOMED_IN = (13, 20.40, 44.78, 20.50, 44.83)


@pytest.fixture
def fresh_statistics(db_url: str) -> Iterator[None]:
    """After the test (and after its tables are emptied), analyse again: later tests must
    not plan with the seeded statistics."""
    yield
    engine = sa.create_engine(db_url)
    with engine.begin() as conn:
        conn.exec_driver_sql("ANALYZE")
    engine.dispose()


def _busiest(dimension: str) -> int:
    key = db.session.scalar(
        sa.select(FindingCount.key)
        .where(FindingCount.dimension == dimension, FindingCount.key != "")
        .order_by(FindingCount.count.desc(), FindingCount.key)
        .limit(1)
    )
    assert key is not None
    return int(key)


@pytest.fixture
def seeded(fresh_statistics: None, app: Flask) -> Filters:
    """The seeded database, and the value of every filter that selects the most findings."""
    db.session.commit()
    seed(SEEDED)
    place = db.session.get(Municipality, _busiest("municipality"))
    assert place is not None
    return Filters(
        text=COMMON_WORD,
        municipality_id=place.id,
        district_code=place.district_code,
        category_id=_busiest("category"),
        actor_id=_busiest("actor"),
        date_from=date(2023, 1, 1),
        date_to=date(2024, 12, 31),
    )


def _list_pages(filters: Filters) -> None:
    """The first and the next page, as the list, the API, actor and municipality pages ask."""
    if filters.terms:
        search(filters, 1)
        search(filters, 2)
        return
    first = browse(filters)
    dated = filters.date_from is not None or filters.date_to is not None
    browse(filters, first.next_cursor or ("2024-06-01.1500" if dated else "1500"))


def _assert_clean(families: dict[str, Family], full: Filters) -> None:
    found, judged = check(families, full, before_each=figures.clear)
    assert judged > 0, "no statement reading the findings was recorded"
    unknown = list(found)
    distinct: dict[tuple[str, str, str], list[Problem]] = {}
    for problem in unknown:
        distinct.setdefault((problem.family, problem.reason, problem.plan), []).append(problem)
    report = [
        f"{len(group)} combination(s): {' | '.join(', '.join(p.filters) for p in group)}\n"
        f"e.g. {group[0]}"
        for group in list(distinct.values())[:12]
    ]
    assert not unknown, f"{len(unknown)} plan problems in {judged} statements:\n" + "\n".join(
        report
    )


def test_list_and_search_plans(seeded: Filters) -> None:
    _assert_clean({"list and search": _list_pages}, seeded)


def test_facet_plans(seeded: Filters) -> None:
    families: dict[str, Family] = {
        "facets (list)": lambda f: facets(f, DIMENSIONS),
        "facets (exact)": lambda f: facets(f, DIMENSIONS, exact=True),
        "total (API)": lambda f: facets(f, ()),
    }
    _assert_clean(families, seeded)


def test_map_plans(seeded: Filters) -> None:
    views = {name: grid.Viewport(*box) for name, box in (("out", ZOOMED_OUT), ("in", ZOOMED_IN))}
    families: dict[str, Family] = {
        f"map zoomed {name}": (lambda v: lambda f: mapdata.map_json(f, v, "latin"))(view)
        for name, view in views.items()
    }
    _assert_clean(families, seeded)


def test_statistics_plans(seeded: Filters, app: Flask) -> None:
    run: Callable[[Filters], object] = statistics.statistics
    with app.test_request_context("/statistics"):
        _assert_clean({"statistics": run}, seeded)


def _stretched(narrowed: Filters, rows: int) -> Filters:
    """`narrowed` with the two seeded words, each in at least a sixth of the findings, that
    meet least often while their stretch still starts above the first id: their newest
    `rows` matches would take a walk of more than recent.WALK findings."""
    shares = recent._shares()
    assert shares is not None, "the seeded database was analysed"
    common = [word for word, share in shares.words.items() if share >= 1 / 6 and word.isalpha()]
    candidates = [
        replace(narrowed, text=f"{first} {second}")
        for first in common
        for second in common
        if first < second and recent.stretch(replace(narrowed, text=f"{first} {second}"), rows)
    ]
    assert candidates, "no seeded pair of words is common apart and rarer together"
    return min(candidates, key=lambda f: math.prod(shares.words[w] for w in f.terms))


NARROWED = ("category_id", "district_code")


@pytest.mark.parametrize("narrowed", [None, *NARROWED], ids=["words", "category", "district"])
@pytest.mark.parametrize("safety", [1.3, 0.2], ids=["stretch holds the window", "walk goes on"])
def test_a_rarer_pair_of_common_words_reads_a_recent_stretch(
    seeded: Filters, monkeypatch: pytest.MonkeyPatch, safety: float, narrowed: str | None
) -> None:
    """PostgreSQL reads the newest matches of two common words that rarely meet (alone, or
    in a category or district) from a recent stretch of ids (index bitmaps, sorted), not by
    walking the archive, and gets exactly the rows the walk gets; when the stretch holds too
    few, the walk goes on below it. SQLite's index gives the newest first: it never
    stretches."""
    rows = 100
    monkeypatch.setattr(recent, "WALK", 150)
    figures.clear()
    only = Filters(**{narrowed: getattr(seeded, narrowed)}) if narrowed else Filters()
    if db.session.get_bind().dialect.name == "sqlite":
        filters = replace(only, text=f"{COMMON_WORD} {COMMON_WORD}")
        assert recent.stretch(filters, rows) is None
    else:
        filters = _stretched(only, rows)  # expected to hold the window at the usual SAFETY
    monkeypatch.setattr(recent, "SAFETY", safety)
    stmt = newest(filters, *COLUMNS)
    walked = recent.fetch(stmt.limit(rows))
    assert len(walked) == rows
    with capture() as seen:
        got = recent.newest_rows(filters, stmt, rows)
    assert got == walked
    low = recent.stretch(filters, rows)
    if low is None:
        return  # SQLite
    # the rest of the request plans as usual
    assert db.session.connection().exec_driver_sql("SHOW enable_indexscan").scalar() == "on"
    stretched = [s for s in seen if "finding.id >" in s.sql]
    assert len(stretched) == 1
    reasons, plan = problems(stretched[0], False, settings=("enable_indexscan = off",))  # as run
    assert not reasons, plan
    assert "Bitmap Heap Scan on finding" in plan and "Index Scan Backward" not in plan
    below = [s for s in seen if "finding.id <=" in s.sql]
    assert len(below) == (1 if sum(1 for r in got if r[0] > low) < rows else 0)
    assert (safety < 1) == bool(below)


def test_common_word_counts_come_from_the_statistics_on_postgres(seeded: Filters) -> None:
    """Relevance weighs a common word by the count PostgreSQL's statistics give (counting
    its matches would read each); rarer words, and SQLite's, are counted."""
    figures.clear()
    (word,) = Filters(text=COMMON_WORD).terms  # folded, as searched
    exact = count_text((word,))
    estimate = recent.estimated(word)
    if db.session.get_bind().dialect.name == "sqlite":
        assert estimate is None
        assert rank.holding(word) == min(exact, rank.IDF_CAP)
        return
    assert estimate is not None and abs(estimate - exact) <= SEEDED * 0.02
    assert rank.holding(word) == min(estimate, rank.IDF_CAP)
    assert recent.estimated("nowordlikethis") is None
    assert rank.holding("nowordlikethis") == 0
