"""The map of published findings, its data, and the statistics page (all public)."""

from __future__ import annotations

from flask import Blueprint, Response, current_app, jsonify, render_template, request
from flask.typing import ResponseReturnValue
from flask_login import current_user

from tracker.explore import grid, mapdata, statistics
from tracker.explore.options import options
from tracker.i18n import current_tag, is_cyrillic
from tracker.policy import Access, access
from tracker.public.filters import Parsed, parse
from tracker.public.http import respond

bp = Blueprint("explore", __name__)


def _parts(page: str, parsed: Parsed) -> tuple[object, ...]:
    """What a page depends on besides public data: the typed filters, language, who asks."""
    return (page, sorted(parsed.raw.items()), current_tag(), current_user.get_id())


def _page(template: str, parsed: Parsed, **context: object) -> str:
    return render_template(template, parsed=parsed, options=options(), **context)


@bp.route("/map")
@access(Access.PUBLIC)
def map_page() -> ResponseReturnValue:
    """The map: districts shaded by their findings, findings clustered, the list's filters."""
    parsed = parse(request.args)
    if parsed.errors:
        return _page("explore/map.html", parsed, counts=None), 400

    def build() -> str:
        return _page(
            "explore/map.html",
            parsed,
            counts=mapdata.choropleth(parsed.filters, "cyrillic" if is_cyrillic() else "latin"),
            grid=grid,
        )

    return respond(build, *_parts("map", parsed))


@bp.route("/map/data.json")
@access(Access.PUBLIC)
def map_data() -> ResponseReturnValue:
    """What the map draws for ?zoom=&bbox=west,south,east,north and the list's filters."""
    parsed = parse(request.args)
    view, errors = grid.parse_viewport(request.args)
    errors |= parsed.errors
    if errors or view is None:
        return jsonify(errors=errors), 400
    script = "cyrillic" if is_cyrillic() else "latin"

    def build() -> Response:
        body = mapdata.map_json(parsed.filters, view, script)
        return current_app.response_class(body, mimetype="application/json")

    # Zoomed out, the answer is the same whatever the zoom or box: one validator for all.
    where = grid.grid_for(view).key() if view.clustered else "municipalities"
    return respond(build, "map-data", where, parsed.filters.key(), script)


@bp.route("/statistics")
@access(Access.PUBLIC)
def statistics_page() -> ResponseReturnValue:
    """Charts and tables of published findings by category, month, district, municipality."""
    parsed = parse(request.args)
    if parsed.errors:
        return _page("explore/statistics.html", parsed, figures=None, charts=None), 400

    def build() -> str:
        figures = statistics.statistics(parsed.filters)
        charts = statistics.chart_images(figures)
        return _page("explore/statistics.html", parsed, figures=figures, charts=charts)

    return respond(build, *_parts("statistics", parsed))
