"""Municipality pages and the lookup behind municipality pickers."""

from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, abort, jsonify, render_template, request, send_from_directory
from flask.typing import ResponseReturnValue

from tracker.extensions import db
from tracker.geo.models import Municipality
from tracker.geo.services import DATA_DIR, find_municipalities, municipality_by_code
from tracker.i18n import current_tag, is_cyrillic
from tracker.policy import Access, access
from tracker.public.facets import facets
from tracker.public.http import respond
from tracker.public.names import names
from tracker.public.search import Filters, browse

bp = Blueprint("geo", __name__, url_prefix="/municipalities")


@bp.route("/")
@access(Access.PUBLIC)
def index() -> ResponseReturnValue:
    """All municipalities by district, or those matching ?q= in any script."""
    query = request.args.get("q", "").strip()[:100]

    def build() -> ResponseReturnValue:
        if query:
            found = find_municipalities(query, limit=50)
        else:
            found = db.session.scalars(
                sa.select(Municipality).order_by(
                    Municipality.district_code, Municipality.name_folded
                )
            ).all()
        return render_template("geo/index.html", municipalities=found, query=query)

    return respond(build, current_tag(), request.query_string)


@bp.route("/lookup")
@access(Access.PUBLIC)
def lookup() -> ResponseReturnValue:
    """JSON for pickers: municipalities matching ?q= regardless of script or diacritics."""
    script = "cyrillic" if is_cyrillic() else "latin"
    query = request.args.get("q", "")[:100]

    def build() -> ResponseReturnValue:
        return jsonify(
            [
                {
                    "code": m.code,
                    "name": m.name(script),
                    "district": m.district_cyrillic if script == "cyrillic" else m.district,
                    "kind": m.kind.value,
                }
                for m in find_municipalities(query, limit=15)
            ]
        )

    return respond(build, script, query)


@bp.route("/districts.geojson")
@access(Access.PUBLIC)
def districts() -> ResponseReturnValue:
    """District outlines (Natural Earth, public domain): the base map when no tiles are set."""
    response = send_from_directory(DATA_DIR, "districts.geojson", max_age=24 * 3600)
    response.mimetype = "application/geo+json"
    response.cache_control.public = True
    return response


@bp.route("/<code>")
@access(Access.PUBLIC)
def detail(code: str) -> ResponseReturnValue:
    """One municipality: its kind, district and seat, its published findings and figures."""
    municipality = municipality_by_code(code) if code.isdigit() else None
    if municipality is None:
        abort(404)
    cursor = request.args.get("cursor")

    def build() -> ResponseReturnValue:
        filters = Filters(municipality_id=municipality.id)
        return render_template(
            "geo/detail.html",
            m=municipality,
            page=browse(filters, cursor),
            facets=facets(filters, ("category",)),
            names=names(),
        )

    return respond(build, current_tag(), request.query_string)
