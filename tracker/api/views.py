"""The read-only JSON API: published records only, cacheable, open to any origin."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Blueprint, Response, abort, jsonify, request
from flask.typing import ResponseReturnValue

from tracker.api import actors, openapi, params, places, publications, records
from tracker.policy import Access, access
from tracker.public.http import respond

bp = Blueprint("api", __name__, url_prefix="/api/v1")

CORS = {
    "Access-Control-Allow-Origin": "*",
    "Access-Control-Expose-Headers": "ETag, Last-Modified",
}
PREFLIGHT = {
    "Access-Control-Allow-Methods": "GET, HEAD, OPTIONS",
    "Access-Control-Allow-Headers": "Accept, Accept-Language, If-None-Match, If-Modified-Since",
    "Access-Control-Max-Age": "86400",
}


@bp.after_app_request
def open_to_any_origin(response: Response) -> Response:
    """Public open data: any site may read it (no credentials are ever involved)."""
    if request.path.startswith("/api/") and request.method in ("GET", "HEAD", "OPTIONS"):
        response.headers.update(CORS)
        if request.method == "OPTIONS":
            response.headers.update(PREFLIGHT)
    return response


def _invalid(errors: dict[str, str]) -> ResponseReturnValue:
    return jsonify(errors=errors, status=400), 400


def _answer(build: Callable[[], dict[str, Any] | None]) -> Response:
    """JSON from `build` (404 when it finds nothing), validated by the public version."""

    def render() -> ResponseReturnValue:
        body = build()
        if body is None:
            abort(404)
        return jsonify(body)

    return respond(render, request.url)


@bp.route("/cases")
@access(Access.PUBLIC)
def cases() -> ResponseReturnValue:
    """Published cases: the public list's filters; cursor pages, or numbered for text."""

    def build() -> ResponseReturnValue:
        query = params.case_query(request.args)
        return _invalid(query.errors) if query.errors else jsonify(records.case_list(query))

    return respond(build, request.url)


@bp.route("/cases/<reference>")
@access(Access.PUBLIC)
def case(reference: str) -> ResponseReturnValue:
    """One published (or retracted) case, public fields only."""
    return _answer(lambda: records.case_detail(reference))


@bp.route("/municipalities")
@access(Access.PUBLIC)
def municipalities() -> ResponseReturnValue:
    """The municipalities (?district=, ?q= part of a name) with their published cases."""

    def build() -> ResponseReturnValue:
        errors: dict[str, str] = {}
        district = params.district(request.args.get("district"), errors)
        name = params.name_query(request.args, errors)
        if errors:
            return _invalid(errors)
        return jsonify(places.municipality_list(district, name))

    return respond(build, request.url)


@bp.route("/municipalities/<code>")
@access(Access.PUBLIC)
def municipality(code: str) -> ResponseReturnValue:
    """One municipality with its published cases counted by category."""
    return _answer(lambda: places.municipality_detail(code))


@bp.route("/categories")
@access(Access.PUBLIC)
def categories() -> ResponseReturnValue:
    """The categories with their counts of published cases."""
    return _answer(places.category_list)


@bp.route("/actors", endpoint="actors")
@access(Access.PUBLIC)
def actor_list() -> ResponseReturnValue:
    """Actors named in published cases, by id, optionally by name (?q=)."""

    def build() -> ResponseReturnValue:
        errors: dict[str, str] = {}
        name = params.name_query(request.args, errors)
        after = params.id_cursor(request.args.get("cursor"), errors)
        return _invalid(errors) if errors else jsonify(actors.actor_list(name, after))

    return respond(build, request.url)


@bp.route("/actors/<int:actor_id>")
@access(Access.PUBLIC)
def actor(actor_id: int) -> ResponseReturnValue:
    """One actor named in published cases, with their cases counted."""
    return _answer(lambda: actors.actor_detail(actor_id))


@bp.route("/publications", endpoint="publications")
@access(Access.PUBLIC)
def publication_list() -> ResponseReturnValue:
    """Published statements and reports, newest first, optionally of one kind."""

    def build() -> ResponseReturnValue:
        errors: dict[str, str] = {}
        kind = params.publication_kind(request.args.get("kind"), errors)
        page = params.page_number(request.args.get("page"), errors)
        return _invalid(errors) if errors else jsonify(publications.publication_list(kind, page))

    return respond(build, request.url)


@bp.route("/publications/<int:publication_id>")
@access(Access.PUBLIC)
def publication(publication_id: int) -> ResponseReturnValue:
    """One published publication and the public cases it cites."""
    return _answer(lambda: publications.publication_detail(publication_id))


@bp.route("/openapi.json", endpoint="openapi")
@access(Access.PUBLIC)
def openapi_document() -> ResponseReturnValue:
    """The OpenAPI description of this API."""
    return _answer(lambda: openapi.document(request.url_root + "api/v1"))
