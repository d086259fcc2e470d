"""Fast bulk seeding of published cases for the benchmark and the query-plan test.

`seed(n)` writes n published cases, their actors and their public rows (`finding`,
`finding_actor`, the stored counts) with Core bulk inserts, ten thousand rows a transaction,
into the database of the current app. The public rows are exactly what
tracker.public.index would build for those cases (tests/integration/test_bench.py rebuilds
them and compares). Meant for a fresh database: it refuses one that already holds cases.
"""

from __future__ import annotations

import random
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass, field

import sqlalchemy as sa

from tracker.accounts.models import Role, User
from tracker.accounts.services import create_user
from tracker.actors.models import Actor, ActorKind, CaseActor
from tracker.bench.rows import Generator, Kind, Place
from tracker.bench.words import actor_names
from tracker.bench.words import word as folded_word
from tracker.cases.categories import load_categories
from tracker.cases.models import Case, Category, ReferenceCounter
from tracker.extensions import db
from tracker.geo.models import Municipality
from tracker.geo.services import load_municipalities
from tracker.public import index
from tracker.public.models import (
    POSTGRES_SEARCH_INDEX,
    SQLITE_FTS,
    SQLITE_FTS_FILL,
    Finding,
    FindingActor,
)
from tracker.text import fold

BATCH = 10_000
ACTORS = 300
BENCH_EMAIL = "bench@bench.tracker"


class SeedError(RuntimeError):
    """The database cannot be seeded (it already holds cases)."""


@dataclass
class SeedReport:
    cases: int
    seconds: float = 0.0
    phases: dict[str, float] = field(default_factory=dict)


def _folded(*parts: str) -> str:
    return fold(" ".join(parts))


def _prerequisites(
    rng: random.Random,
) -> tuple[int, list[Place], list[Kind], list[tuple[int, str]]]:
    """Gazetteer, categories, the bench reporter and the actors (through the session)."""
    load_municipalities()
    load_categories()
    user = db.session.scalar(sa.select(User).where(User.email == BENCH_EMAIL))
    if user is None:
        password = secrets.token_urlsafe(24)  # nobody signs in as the bench reporter
        user = create_user(BENCH_EMAIL, "Benchmark reporter", Role.MEMBER, password)
    municipalities = db.session.scalars(sa.select(Municipality).order_by(Municipality.id)).all()
    places = [
        Place(m.id, m.district_code, m.lat, m.lon, _folded(m.name_latin, m.district))
        for m in municipalities
    ]
    kinds = [
        Kind(c.id, _folded(c.name_sr, c.name_en))
        for c in db.session.scalars(sa.select(Category).order_by(Category.position, Category.id))
    ]
    names = actor_names(ACTORS, [m.name_latin for m in municipalities], rng)
    db.session.execute(
        sa.insert(Actor),
        [{"name": n, "name_folded": fold(n), "kind": ActorKind(k)} for n, k in names],
    )
    actors = [
        (ident, fold(name))
        for ident, name in db.session.execute(sa.select(Actor.id, Actor.name).order_by(Actor.id))
    ]
    return user.id, places, kinds, actors


TABLES = (
    ("case", Case.__table__),
    ("case_actor", CaseActor.__table__),
    ("finding", Finding.__table__),
    ("finding_actor", FindingActor.__table__),
)


def seed(
    count: int, random_seed: int = 2026, batch: int = BATCH,
    progress: Callable[[str], None] | None = None,
) -> SeedReport:  # fmt: skip
    """Write `count` published cases and their public rows; commit; analyse."""
    started = time.perf_counter()
    report = SeedReport(count)
    if db.session.scalar(sa.select(sa.func.count()).select_from(Case)):
        raise SeedError("the database already holds cases: seed a fresh one")
    rng = random.Random(random_seed)  # noqa: S311 - reproducible test data, not secrets
    reporter_id, places, kinds, actors = _prerequisites(rng)
    db.session.commit()
    generator = Generator(rng, places, kinds, actors, reporter_id, count)
    folded_word("opština")  # warm the token cache before timing
    report.phases["prerequisites"] = time.perf_counter() - started
    mark = time.perf_counter()
    with db.engine.connect() as conn:
        _tune(conn)
        restore = _defer_indexes(conn)
        try:
            for first in range(1, count + 1, batch):
                rows = generator.batch(first, min(batch, count + 1 - first))
                with conn.begin():
                    for name, table in TABLES:
                        if rows[name]:
                            conn.execute(sa.insert(table), rows[name])
                done = first - 1 + len(rows["case"])
                if progress and (done % (10 * batch) == 0 or done == count):
                    progress(f"  {done:,} cases ({time.perf_counter() - mark:.1f} s)")
            report.phases["insert"] = time.perf_counter() - mark
        finally:
            mark = time.perf_counter()
            restore()
    report.phases["indexes"] = time.perf_counter() - mark
    mark = time.perf_counter()
    _finish(generator.numbers)
    report.phases["counts"] = time.perf_counter() - mark
    mark = time.perf_counter()
    analyze()
    report.phases["analyze"] = time.perf_counter() - mark
    report.seconds = time.perf_counter() - started
    return report


def _tune(conn: sa.Connection) -> None:
    """SQLite: a large page cache and no fsync while bulk loading (a throwaway database)."""
    if conn.dialect.name == "sqlite":
        conn.exec_driver_sql("PRAGMA synchronous=OFF")
        conn.exec_driver_sql("PRAGMA cache_size=-262144")  # 256 MB
        conn.exec_driver_sql("PRAGMA wal_autocheckpoint=100000")  # pages: fewer, larger copies
        conn.commit()


def _defer_indexes(conn: sa.Connection) -> Callable[[], None]:
    """Drop the secondary indexes and the search-index trigger for the load; return how to
    put them back (built once from sorted data: several times faster than row by row)."""
    dropped = [ix for _name, table in TABLES for ix in table.indexes]
    sqlite = conn.dialect.name == "sqlite"
    with conn.begin():
        for ix in dropped:
            ix.drop(conn)
        conn.exec_driver_sql(
            "DROP TRIGGER finding_fts_insert" if sqlite else "DROP INDEX ix_finding_search"
        )

    def restore() -> None:
        with conn.begin():
            for ix in dropped:
                ix.create(conn)
            if sqlite:
                conn.exec_driver_sql(SQLITE_FTS_FILL)
                conn.exec_driver_sql(SQLITE_FTS[1])
            else:
                conn.exec_driver_sql(POSTGRES_SEARCH_INDEX)

    return restore


def _finish(numbers: dict[int, int]) -> None:
    """Reference counters, sequences, stored counts and the public version."""
    for year, last in numbers.items():
        db.session.merge(ReferenceCounter(year=year, last=last))
    if db.session.get_bind().dialect.name == "postgresql":
        for table in ("case", "finding", "actor", "user"):
            db.session.execute(
                sa.text(
                    f"SELECT setval(pg_get_serial_sequence('\"{table}\"', 'id'),"  # noqa: S608
                    f' (SELECT max(id) FROM "{table}"))'
                )
            )
    index.recount_all()
    index.touch()
    db.session.commit()


def analyze() -> None:
    """Give the planner statistics of the seeded tables (and compact the search index)."""
    with db.engine.connect() as conn:
        if conn.dialect.name == "sqlite":
            conn.exec_driver_sql("INSERT INTO finding_fts(finding_fts) VALUES ('optimize')")
            conn.exec_driver_sql("ANALYZE")
            conn.exec_driver_sql("PRAGMA optimize")
        else:
            conn.exec_driver_sql("ANALYZE")
        conn.commit()
