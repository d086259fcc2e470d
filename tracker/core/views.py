"""Home page and health check."""

from __future__ import annotations

import sqlalchemy as sa
import xstatic.pkg.leaflet
from flask import Blueprint, jsonify, render_template, send_from_directory
from flask.typing import ResponseReturnValue
from sqlalchemy.exc import SQLAlchemyError

from tracker import __name__ as package_name
from tracker.extensions import db
from tracker.i18n import current_tag
from tracker.policy import Access, access
from tracker.public import home
from tracker.public.http import respond
from tracker.public.names import names
from tracker.public.search import Filters, browse

bp = Blueprint("core", __name__)
LEAFLET_DIR = xstatic.pkg.leaflet.BASE_DIR


@bp.route("/")
@access(Access.PUBLIC)
def index() -> ResponseReturnValue:
    """Home: headline figures, the latest published findings and publications."""

    def build() -> ResponseReturnValue:
        return render_template(
            "core/index.html",
            headline=home.headline(),
            latest=browse(Filters(), size=home.LATEST).rows,
            publications=home.latest_publications(),
            names=names(),
        )

    return respond(build, current_tag())


@bp.route("/healthz")
@access(Access.PUBLIC)
def healthz() -> ResponseReturnValue:
    """Machine-readable state of the app and its database (503 when the database is down)."""
    try:
        db.session.execute(sa.text("SELECT 1"))
        database = "ok"
    except SQLAlchemyError:
        db.session.rollback()
        database = "unavailable"
    healthy = database == "ok"
    body = {"app": package_name, "status": "ok" if healthy else "degraded", "database": database}
    return jsonify(body), 200 if healthy else 503


@bp.route("/vendor/leaflet/<path:filename>")
@access(Access.PUBLIC)
def leaflet(filename: str) -> ResponseReturnValue:
    """Leaflet's files, served from the XStatic-Leaflet package (never copied into the repo)."""
    response = send_from_directory(LEAFLET_DIR, filename, max_age=7 * 24 * 3600)
    response.cache_control.public = True
    return response
