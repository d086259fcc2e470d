"""Open data (/data/…) and Atom feeds (/feeds/…), cacheable and conditional."""

from __future__ import annotations

import json
from collections.abc import Iterator

from flask import Blueprint, Response, current_app, render_template, request, stream_with_context
from flask.typing import ResponseReturnValue

from tracker.csvsafe import csv_chunks
from tracker.i18n import current_tag
from tracker.opendata import services
from tracker.policy import Access, access
from tracker.public.http import conditional

bp = Blueprint("opendata", __name__)
FEED_SIZE = 50


def _conditional(response: Response) -> Response:
    """ETag/Last-Modified from the public data; 304 when the client has it already."""
    return conditional(response, request.path)


def _stream(body: Iterator[str], mimetype: str, filename: str) -> ResponseReturnValue:
    response = Response(stream_with_context(body), mimetype=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.headers["X-Licence"] = current_app.config["DATA_LICENCE"]
    return _conditional(response)


@bp.route("/data/cases.csv")
@access(Access.PUBLIC)
def cases_csv() -> ResponseReturnValue:
    """Published cases as CSV (formula cells neutralised)."""
    return _stream(csv_chunks(services.FIELDS, services.csv_rows()), "text/csv", "cases.csv")


@bp.route("/data/cases.json")
@access(Access.PUBLIC)
def cases_json() -> ResponseReturnValue:
    """Published cases as JSON, with the licence."""

    def body() -> Iterator[str]:
        licence = json.dumps(current_app.config["DATA_LICENCE"])
        yield f'{{"licence": {licence}, "cases": ['
        for n, item in enumerate(services.rows()):
            yield ("," if n else "") + json.dumps(item, ensure_ascii=False)
        yield "]}"

    return _stream(body(), "application/json", "cases.json")


@bp.route("/data/cases.geojson")
@access(Access.PUBLIC)
def cases_geojson() -> ResponseReturnValue:
    """Published cases as GeoJSON points (at their public precision)."""

    def body() -> Iterator[str]:
        licence = json.dumps(current_app.config["DATA_LICENCE"])
        yield f'{{"type": "FeatureCollection", "licence": {licence}, "features": ['
        first = True
        for item in services.rows():
            if item["lat"] is None:
                continue
            geometry = {"type": "Point", "coordinates": [item["lon"], item["lat"]]}
            feature = {"type": "Feature", "geometry": geometry, "properties": item}
            yield ("" if first else ",") + json.dumps(feature, ensure_ascii=False)
            first = False
        yield "]}"

    return _stream(body(), "application/geo+json", "cases.geojson")


@bp.route("/feeds/cases.atom")
@access(Access.PUBLIC)
def cases_feed() -> ResponseReturnValue:
    """The latest published and retracted findings as an Atom feed."""
    entries = services.newest(FEED_SIZE)
    body = render_template("opendata/cases.atom.xml", entries=entries)
    response = Response(body, mimetype="application/atom+xml")
    return conditional(response, current_tag(), request.path)  # the feed's text is translated
