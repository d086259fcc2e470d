"""Benchmark databases: one per size, never the development database.

SQLite (default): instance/bench/bench-<cases>.db. PostgreSQL: a database whose name contains
"bench" (say postgresql+psycopg://postgres@127.0.0.1:5432/bench), emptied before seeding.
"""

from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa
from alembic.script import ScriptDirectory
from flask import Flask
from flask_migrate import stamp
from sqlalchemy.engine import make_url

from tracker import ROOT, create_app
from tracker import models as _models  # noqa: F401 - every model, for the schema check
from tracker.bench.seed import SeedReport, seed
from tracker.extensions import db
from tracker.public.models import Finding

BENCH_DIR = ROOT / "instance" / "bench"


def default_url(cases: int) -> str:
    return f"sqlite:///{BENCH_DIR / f'bench-{cases}.db'}"


def check_url(url: str) -> str:
    """Refuse any database that is not obviously a benchmark one."""
    parsed = make_url(url)
    name = Path(parsed.database or "").name
    if "bench" not in name:
        raise SystemExit(f"refusing {url!r}: a benchmark database's name must contain 'bench'")
    return url


def bench_app(url: str, **config: object) -> Flask:
    return create_app({"DATABASE_URL": check_url(url), **config})


def _schema(conn: sa.Connection) -> set[tuple[str, str, str]]:
    """Tables, columns and indexes of the database, as the models name them."""
    inspector = sa.inspect(conn)
    names = set(inspector.get_table_names())
    found = set()
    for table in db.metadata.sorted_tables:
        if table.name not in names:
            continue
        found |= {(table.name, "column", c["name"]) for c in inspector.get_columns(table.name)}
        found |= {(table.name, "index", str(i["name"])) for i in inspector.get_indexes(table.name)}
    return found


def _expected() -> set[tuple[str, str, str]]:
    expected = set()
    for table in db.metadata.sorted_tables:
        expected |= {(table.name, "column", c.name) for c in table.columns}
        expected |= {(table.name, "index", str(i.name)) for i in table.indexes}
    return expected


def seeded_count(url: str) -> int | None:
    """How many findings the database holds; None when it is missing, incomplete, or made
    for other models or migrations (a column, index or search index changed since: seed it
    again)."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite" and not Path(parsed.database or "").exists():
        return None
    engine = sa.create_engine(url)
    try:
        with engine.connect() as conn:
            expected = _expected()
            if conn.dialect.name == "postgresql":  # full-text search's column (not modelled)
                expected.add(("finding", "column", "search_vector"))
            if not expected <= _schema(conn) or _version(conn) != _head():
                return None
            if conn.execute(sa.text("SELECT count(*) FROM public_state")).scalar():
                return conn.execute(sa.select(sa.func.count()).select_from(Finding)).scalar()
            return None
    except sa.exc.SQLAlchemyError:
        return None
    finally:
        engine.dispose()


def _head() -> str | None:
    """The newest migration: a database stamped at another was made for other objects
    (say the full-text index, which the models do not describe)."""
    return ScriptDirectory(str(ROOT / "migrations")).get_current_head()


def _version(conn: sa.Connection) -> str | None:
    return conn.execute(sa.text("SELECT version_num FROM alembic_version")).scalar()


def _empty(url: str) -> None:
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        path = Path(parsed.database or "")
        path.parent.mkdir(parents=True, exist_ok=True)
        for suffix in ("", "-wal", "-shm", "-journal"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        return
    _create_database(parsed)
    engine = sa.create_engine(url)
    with engine.begin() as conn:
        conn.exec_driver_sql("DROP SCHEMA public CASCADE")
        conn.exec_driver_sql("CREATE SCHEMA public")
    engine.dispose()


def _create_database(parsed: sa.URL) -> None:
    """PostgreSQL: create the benchmark database when it does not exist yet."""
    admin = sa.create_engine(parsed.set(database="postgres"), isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            found = conn.execute(
                sa.text("SELECT 1 FROM pg_database WHERE datname = :name"),
                {"name": parsed.database},
            ).scalar()
            if not found:
                quoted = conn.dialect.identifier_preparer.quote(parsed.database or "")
                conn.exec_driver_sql(f"CREATE DATABASE {quoted}")
    finally:
        admin.dispose()


def fresh_seed(url: str, cases: int, progress: bool = True) -> SeedReport:
    """An empty schema (from the models, stamped at the newest migration), then `cases`."""
    check_url(url)
    _empty(url)
    app = bench_app(url)
    with app.app_context():
        db.create_all()
        stamp()
        db.session.commit()
        report = seed(cases, progress=print if progress else None)
        db.engine.dispose()
    return report
