"""The migrations build exactly the schema the models describe, and come down cleanly."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade

from tracker import create_app
from tracker.extensions import db
from tracker.public.models import is_search_object
from tracker.public.query import text_ids
from tracker.text import repeats


@pytest.fixture
def empty_database(tmp_path: Path) -> Iterator[str]:
    """A database with nothing in it, on the engine the suite runs on."""
    base = os.environ.get("TEST_DATABASE_URL")
    if not base:
        yield f"sqlite:///{tmp_path / 'migrations.db'}"
        return
    # Named after the suite's database, so suites on different databases never collide.
    scratch = f"{sa.make_url(base).database}_migrations"
    admin = sa.create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f"DROP DATABASE IF EXISTS {scratch} WITH (FORCE)"))
        conn.execute(sa.text(f"CREATE DATABASE {scratch}"))
    yield sa.make_url(base).set(database=scratch).render_as_string(hide_password=False)
    with admin.connect() as conn:
        conn.execute(sa.text(f"DROP DATABASE IF EXISTS {scratch} WITH (FORCE)"))
    admin.dispose()


def test_upgrade_matches_models_and_downgrade_empties(
    empty_database: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TRACKER_INSTANCE_PATH", str(tmp_path / "instance"))
    app = create_app({"ENV_NAME": "testing", "SECRET_KEY": "t", "DATABASE_URL": empty_database})
    with app.app_context():
        upgrade()
        with db.engine.connect() as conn:
            opts = {"compare_type": True, "include_name": _described}
            context = MigrationContext.configure(conn, opts=opts)
            diff = compare_metadata(context, db.metadata)
            tables = set(sa.inspect(conn).get_table_names())
            search = _search_objects(conn)
        assert diff == [], f"models and migrations disagree: {diff}"
        described = {t.name for t in db.metadata.sorted_tables} | {"alembic_version"}
        assert {t for t in tables if not is_search_object(t)} == described
        # The full-text index the models create outside their tables exists too.
        expected = (
            {"finding_fts"}
            if conn.dialect.name == "sqlite"
            else {
                "ix_finding_search",
                "search_vector",
            }
        )
        assert expected <= search, "migrations did not create the full-text search objects"

        downgrade(revision="base")
        with db.engine.connect() as conn:
            left = set(sa.inspect(conn).get_table_names())
        assert left <= {"alembic_version"}
        db.engine.dispose()


def _described(name: str | None, kind: str, _parents: object) -> bool:
    return not (kind in ("table", "index", "column") and is_search_object(name))


def _search_objects(conn: sa.Connection) -> set[str]:
    if conn.dialect.name == "sqlite":
        sql = "SELECT name FROM sqlite_master WHERE name LIKE 'finding_fts%'"
    else:
        sql = (
            "SELECT indexname FROM pg_indexes WHERE indexname = 'ix_finding_search'"
            " UNION SELECT column_name FROM information_schema.columns"
            " WHERE table_name = 'finding' AND column_name = 'search_vector'"
        )
    return {name for (name,) in conn.exec_driver_sql(sql)}


def test_upgrade_keeps_existing_data(
    empty_database: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Later migrations run on a database that already holds cases (not only empty ones)."""
    monkeypatch.setenv("TRACKER_INSTANCE_PATH", str(tmp_path / "instance"))
    app = create_app({"ENV_NAME": "testing", "SECRET_KEY": "t", "DATABASE_URL": empty_database})
    with app.app_context():
        upgrade(revision="0001")
        with db.engine.begin() as conn:
            now = "2026-01-01 00:00:00"
            conn.execute(
                sa.text(
                    "INSERT INTO municipality (id, code, name_latin, name_cyrillic, name_folded,"
                    " kind, district, district_cyrillic, district_code, seat, lat, lon,"
                    " kosovo_metohija) VALUES (1, '71242', 'Čačak', 'Чачак', 'cacak', 'city',"
                    " 'Moravički okrug', 'Моравички округ', 14, 'Čačak', 43.9, 20.3, false)"
                )
            )
            conn.execute(
                sa.text(
                    'INSERT INTO "user" (id'
                    ", email, name, password_hash, role, active,"
                    " session_token, created_at) VALUES (1, 'a@example.org', 'A', 'x', 'member',"
                    " true, 't', :now)"
                ),
                {"now": now},
            )
            conn.execute(
                sa.text(
                    'INSERT INTO "case" (id'
                    ", reference, title, description, occurred_precision,"
                    " municipality_id, point_precision, reporter_id, status, created_at,"
                    " updated_at, version_id) VALUES (1, 'IN-2026-00001', 'Kept', '', 'day', 1,"
                    " 'municipality', 1, 'draft', :now, :now, 1)"
                ),
                {"now": now},
            )
            conn.execute(
                sa.text(
                    "INSERT INTO event (id, kind, case_id, user_id, details, created_at,"
                    " prev_hash, hash) VALUES (1, 'case_created', 1, 1, '{}', :now,"
                    " :prev, :hash)"
                ),
                {"prev": "0" * 64, "hash": "1" * 64, "now": now},
            )  # a row pointing at the case, which SQLite's table rebuild must survive
            conn.execute(
                sa.text(
                    'INSERT INTO "case" (id'
                    ", reference, title, description, occurred_precision,"
                    " municipality_id, point_precision, reporter_id, status, created_at,"
                    " updated_at, published_at, public_summary, source_notes, version_id)"
                    " VALUES (2, 'IN-2026-00002', 'Pritisak u Чачку', '', 'day', 1,"
                    " 'municipality', 1, 'published', :now, :now, :now, 'Sažetak',"
                    " 'SECRET-SOURCE', 1)"
                ),
                {"now": now},
            )  # published before the read model existed: the migration copies it in
            for actor_id, role in ((7, "responsible"), (3, "affected"), (7, "mentioned")):
                conn.execute(
                    sa.text(
                        "INSERT INTO actor (id, name, name_folded, kind, created_at) VALUES"
                        " (:id, :name, :name, 'official', :now) ON CONFLICT DO NOTHING"
                    ),
                    {"id": actor_id, "name": f"Actor {actor_id}", "now": now},
                )
                conn.execute(
                    sa.text("INSERT INTO case_actor (case_id, actor_id, role) VALUES (2, :a, :r)"),
                    {"a": actor_id, "r": role},
                )
        upgrade()
        with db.engine.connect() as conn:
            title = conn.execute(sa.text('SELECT title FROM "case" WHERE id = 1')).scalar()
            found = conn.execute(sa.text("SELECT reference, search_text FROM finding")).all()
            counted = conn.execute(
                sa.text("SELECT word_count, actor_ids, repeats FROM finding")
            ).one()
            total = conn.execute(
                sa.text("SELECT count FROM finding_count WHERE dimension = 'all'")
            ).scalar()
        assert title == "Kept"
        assert [reference for reference, _ in found] == ["IN-2026-00002"]
        assert " pritisak  u  cacku " in found[0][1] and "SECRET" not in found[0][1]  # 0008: words
        assert total == 1
        # 0009: the words counted and the actors' ids copied, for relevance and the facets
        assert counted == (len(found[0][1].split()), "3 7", repeats(found[0][1]))
        assert counted[2] == " actor "  # named twice: "Actor 3" and "Actor 7"
        # 0010 (SQLite): the index was made again, newest first; its triggers keep it in step.
        [ident] = db.session.scalars(sa.text("SELECT id FROM finding")).all()
        assert db.session.scalars(text_ids(("pritisak", "cacku"))).all() == [ident]
        db.session.execute(sa.text("UPDATE finding SET search_text = ' drugo  slovo '"))
        assert db.session.scalars(text_ids(("cacku",))).all() == []
        assert db.session.scalars(text_ids(("drugo",))).all() == [ident]
        db.session.execute(sa.text("DELETE FROM finding"))
        assert db.session.scalars(text_ids(("drugo",))).all() == []
        db.session.rollback()
        db.engine.dispose()
