"""tracker: documenting, verifying and publishing cases of state capture at the local level."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from flask import Flask
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from tracker import errors, i18n, labels, logs, markdown, notifications, security
from tracker.config import load_config
from tracker.extensions import babel, csrf, db, limiter, login_manager, migrate

ROOT = Path(__file__).resolve().parent.parent


def create_app(test_config: dict[str, Any] | None = None) -> Flask:
    """Build the application: configuration, extensions, hooks, blueprints and commands."""
    app = Flask(
        __name__,
        template_folder=str(ROOT / "templates"),
        static_folder=str(ROOT / "static"),
        instance_path=os.environ.get("TRACKER_INSTANCE_PATH") or str(ROOT / "instance"),
        instance_relative_config=True,
    )
    load_config(app, test_config)
    _register_extensions(app)
    _register_hooks(app)
    _register_blueprints(app)
    _register_commands(app)
    return app


def _register_extensions(app: Flask) -> None:
    from tracker import models  # noqa: F401 - every model registered before migrations look

    db.init_app(app)
    from tracker.public.models import is_search_object

    def include_name(name: str | None, kind: str, _parents: Any) -> bool:
        return not (kind in ("table", "index", "column") and is_search_object(name))

    migrate.init_app(
        app,
        db,
        directory=str(ROOT / "migrations"),
        compare_type=True,
        include_name=include_name,
    )
    csrf.init_app(app)
    babel.init_app(app, locale_selector=i18n.select_locale)
    limiter.init_app(app)
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = _l("Please sign in to open this page.")
    login_manager.login_message_category = "info"
    login_manager.session_protection = "basic"

    from tracker.accounts.services import load_user

    login_manager.user_loader(load_user)


def _register_hooks(app: Flask) -> None:
    from tracker import policy

    logs.init_app(app)
    i18n.init_app(app)  # first: error pages from the access check need the right language
    app.before_request(policy.enforce_route)
    security.init_app(app)
    notifications.init_app(app)
    errors.init_app(app)

    def can(action: str, obj: Any = None) -> bool:
        return policy.can(current_user, action, obj)

    def reach(endpoint: str) -> bool:
        level = policy.route_access(app, endpoint)
        return level is not None and policy.may_reach(current_user, level)

    app.jinja_env.globals.update(
        can=can,
        reach=reach,
        demo_mode=not app.config["REQUIRE_2FA"],
        role_label=labels.role_label,
        status_label=labels.status_label,
        kind_label=labels.kind_label,
        actor_role_label=labels.actor_role_label,
        actor_kind_label=labels.actor_kind_label,
        action_label=labels.action_label,
        event_label=labels.event_label,
        when_text=labels.when_text,
    )
    app.jinja_env.filters["markdown"] = markdown.render


def _register_blueprints(app: Flask) -> None:
    from tracker.accounts.views import bp as auth_bp
    from tracker.admin.views import bp as admin_bp
    from tracker.api.views import bp as api_bp
    from tracker.cases.views import bp as cases_bp
    from tracker.core.views import bp as core_bp
    from tracker.evidence.views import bp as evidence_bp
    from tracker.explore.views import bp as explore_bp
    from tracker.geo.views import bp as geo_bp
    from tracker.notifications.views import bp as notifications_bp
    from tracker.opendata.views import bp as opendata_bp
    from tracker.public.views import bp as public_bp
    from tracker.publications.views import bp as publications_bp
    from tracker.review.views import bp as review_bp
    from tracker.settings.views import bp as settings_bp
    from tracker.sitemap.views import bp as sitemap_bp

    blueprints = (
        core_bp,
        auth_bp,
        settings_bp,
        admin_bp,
        geo_bp,
        cases_bp,
        evidence_bp,
        review_bp,
        public_bp,
        notifications_bp,
        opendata_bp,
        publications_bp,
        api_bp,
        sitemap_bp,
        explore_bp,
    )
    for bp in blueprints:
        app.register_blueprint(bp)
    if app.config["BENCH_ROUTES"]:
        from tracker.bench.views import bp as bench_bp

        app.register_blueprint(bench_bp)


def _register_commands(app: Flask) -> None:
    from tracker.cli import register

    register(app)


@sa.event.listens_for(sa.Engine, "connect")
def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    """SQLite: enforce foreign keys, write-ahead log, wait on locks instead of failing; read
    the file through a memory map (the public read model's searches read thousands of rows
    by id: through the 2 MB page cache each miss was a system call; mapped, 2x faster, and
    the pages are the kernel's cache, shared by every worker rather than copied into each)."""
    if type(dbapi_connection).__module__ != "sqlite3":
        return
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA mmap_size=1099511627776")  # address space, not memory (capped: 2 GiB)
    cursor.close()
