"""The publications' Atom feed and open data, conditional on the public version."""

from __future__ import annotations

import json
from collections.abc import Iterator

from flask import Response, current_app, render_template, request, stream_with_context
from flask.typing import ResponseReturnValue
from flask_babel import get_locale

from tracker.markdown import render as markdown
from tracker.policy import Access, access
from tracker.public.http import respond
from tracker.publications import data
from tracker.publications.forms import KIND_LABELS
from tracker.publications.models import PublicationKind
from tracker.publications.views import bp

FEED_SIZE = 50


@bp.route("/feeds/publications.atom")
@access(Access.PUBLIC)
def feed() -> ResponseReturnValue:
    """The latest published publications as an Atom feed."""

    def make() -> ResponseReturnValue:
        entries = list(data.rows(limit=FEED_SIZE))
        for entry in entries:
            entry["html"] = str(markdown(entry["body"]))  # a plain string: escaped into the XML
            entry["kind_label"] = str(KIND_LABELS[PublicationKind(entry["kind"])])
        body = render_template("publications/feed.atom.xml", entries=entries)
        return Response(body, mimetype="application/atom+xml")

    return respond(make, get_locale(), request.full_path)


@bp.route("/data/publications.json")
@access(Access.PUBLIC)
def data_json() -> ResponseReturnValue:
    """Every published publication as JSON, with the licence and the public cases cited."""

    def body() -> Iterator[str]:
        licence = json.dumps(current_app.config["DATA_LICENCE"])
        yield f'{{"licence": {licence}, "publications": ['
        for n, item in enumerate(data.rows()):
            yield ("," if n else "") + json.dumps(item, ensure_ascii=False)
        yield "]}"

    def make() -> ResponseReturnValue:
        response = Response(stream_with_context(body()), mimetype="application/json")
        response.headers["Content-Disposition"] = 'attachment; filename="publications.json"'
        response.headers["X-Licence"] = current_app.config["DATA_LICENCE"]
        return response

    return respond(make, request.full_path)
