"""The benchmark's seeder writes what the read model would, and its reference routes."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask
from sqlalchemy.engine import make_url

from tracker.bench.database import fresh_seed, seeded_count
from tracker.bench.seed import SeedError, seed
from tracker.bench.words import COMMON_WORD
from tracker.cases.models import Case, CaseStatus
from tracker.extensions import db
from tracker.public import index
from tracker.public.models import Finding, FindingActor, FindingCount
from tracker.public.search import Filters, find


def _public_rows() -> tuple[dict[int, tuple[Any, ...]], set[tuple[Any, ...]], set[Any]]:
    """Every column of the public rows (but the finding's id, which a rebuild reassigns),
    by case: a column the read model gains and the seeder misses shows here."""
    finding = [c for c in Finding.__table__.columns if c.name != "id"]
    findings = {row.case_id: tuple(row) for row in db.session.execute(sa.select(*finding))}
    links = [c for c in FindingActor.__table__.columns if c.name != "finding_id"]
    actors = set(
        db.session.execute(
            sa.select(Finding.case_id, *links).join(Finding, Finding.id == FindingActor.finding_id)
        ).all()
    )
    counts = set(db.session.execute(sa.select(FindingCount.dimension, FindingCount.key,
                                              FindingCount.count)).all())  # fmt: skip
    return findings, actors, counts


def test_seeded_public_rows_are_what_the_read_model_builds(app: Flask) -> None:
    report = seed(400)
    assert report.cases == 400
    assert db.session.scalar(
        sa.select(sa.func.count()).select_from(Case).where(Case.status == CaseStatus.PUBLISHED)
    ) == 400  # fmt: skip
    seeded = _public_rows()
    assert len(seeded[0]) == 400 and seeded[1] and seeded[2]
    index.rebuild()  # recomputes every public row from the cases
    db.session.commit()
    rebuilt = _public_rows()
    for case_id, row in seeded[0].items():
        assert rebuilt[0][case_id] == row, case_id
    assert seeded[1] == rebuilt[1]
    assert seeded[2] == rebuilt[2]


def test_seeded_cases_are_found_in_either_script(app: Flask) -> None:
    seed(200)
    latin = find(Filters(text=COMMON_WORD)).rows
    assert latin
    assert [r.id for r in find(Filters(text="ОПШТИНА")).rows] == [r.id for r in latin]
    assert any(any("\u0400" <= ch <= "\u04ff" for ch in r.title) for r in latin)


def test_seeding_refuses_a_database_with_cases(app: Flask) -> None:
    seed(10)
    with pytest.raises(SeedError):
        seed(10)


def test_reference_routes_only_when_configured(make_app: Callable[..., Flask]) -> None:
    plain = make_app()
    assert plain.test_client().get("/bench/trivial").status_code == 404
    bench = make_app(BENCH_ROUTES=True)
    client = bench.test_client()
    trivial = client.get("/bench/trivial")
    assert trivial.status_code == 200 and trivial.text == "ok"
    assert client.get("/bench/reference").status_code == 200  # loads names once
    statements: list[str] = []

    def record(_c: Any, _cu: Any, sql: str, *_rest: Any) -> None:
        statements.append(sql)

    with bench.app_context():
        engine = db.engine
    sa.event.listen(engine, "before_cursor_execute", record)
    try:
        page = client.get("/bench/reference")
    finally:
        sa.event.remove(engine, "before_cursor_execute", record)
    assert page.status_code == 200
    assert page.text.count('class="card"') == 50
    assert statements == [], "the reference page must not read the database"


def test_varied_requests_bypass_the_caches_only_in_bench_mode(
    make_app: Callable[..., Flask],
) -> None:
    """X-Bench-Uncached makes the benchmark measure the database path; elsewhere it is
    ignored (a visitor cannot make the site skip its caches)."""
    from tracker.public.cache import figures

    for bench_mode, cached in ((False, True), (True, False)):
        app = make_app(BENCH_ROUTES=bench_mode)
        with app.app_context():
            db.create_all()
        figures.clear()
        client = app.test_client()
        response = client.get("/findings/?q=word", headers={"X-Bench-Uncached": "1"})
        assert response.status_code == 200
        stored = [k for k in figures.entries if isinstance(k, tuple) and k[0] == "find"]
        assert bool(stored) is cached


def test_seeding_creates_a_missing_benchmark_database(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`make bench BENCH_DB=…` on a server without that database creates it (PostgreSQL),
    as it creates the file and its folder on SQLite."""
    monkeypatch.setenv("TRACKER_INSTANCE_PATH", str(tmp_path / "instance"))
    base = os.environ.get("TEST_DATABASE_URL")
    if base:  # the suite's own server: a database named after the suite's, made absent first
        parsed = make_url(base)
        url = parsed.set(database=f"{parsed.database}_bench_missing")
        admin = sa.create_engine(parsed, isolation_level="AUTOCOMMIT")
        drop = f"DROP DATABASE IF EXISTS {url.database} WITH (FORCE)"
        with admin.connect() as conn:
            conn.exec_driver_sql(drop)
        target = url.render_as_string(hide_password=False)
    else:
        target = f"sqlite:///{tmp_path / 'missing' / 'bench-5.db'}"
    try:
        fresh_seed(target, 5, progress=False)
        assert seeded_count(target) == 5
        # Made before a migration (one the models do not show, like the search index's):
        # seeded again, never measured with objects the code no longer expects.
        engine = sa.create_engine(target)
        with engine.begin() as conn:
            conn.exec_driver_sql("UPDATE alembic_version SET version_num = '0009'")
        engine.dispose()
        assert seeded_count(target) is None
    finally:
        if base:
            with admin.connect() as conn:
                conn.exec_driver_sql(drop)
            admin.dispose()


def test_compared_pages_are_full_pages_and_searches_pairs_of_words(app: Flask) -> None:
    """Sizes are compared page for page: the filtered list fills a page at 1,000 cases too,
    and varied searches are two-word searches at every size (a one-word search costs less
    than a pair, so a size offered only a few full pairs repeats them)."""
    from urllib.parse import parse_qsl, unquote

    from tracker.bench.routes import _fills, pick
    from tracker.public.filters import parse

    seed(1000)
    params = pick(variants=40)
    filtered = parse(dict(parse_qsl(params.values["filtered"])))
    assert not filtered.errors and filtered.filters.category_id is not None
    assert _fills(filtered.filters)
    searches = params.lists["words"]
    assert len(searches) == 40
    for text in set(searches):
        first, second = unquote(text).split()
        assert first != second
        assert _fills(Filters(text=f"{first} {second}")), text
