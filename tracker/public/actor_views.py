"""Actor pages: institutions, officials, companies, parties and media named in findings."""

from __future__ import annotations

from flask import abort, render_template, request
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _

from tracker.i18n import current_tag
from tracker.policy import Access, access
from tracker.public import actors
from tracker.public.facets import facets
from tracker.public.http import respond
from tracker.public.names import names
from tracker.public.search import Filters, browse
from tracker.public.views import bp


@bp.route("/actors/")
@access(Access.PUBLIC)
def actor_index() -> ResponseReturnValue:
    """Actors named in published findings, most often named first."""
    raw = request.args.get("page") or "1"
    if not raw.isdigit() or not 1 <= int(raw) <= actors.MAX_PAGES:
        return render_template("public/actors.html", entries=[], error=_("There is no such page."),
                               page=1, more=False), 400  # fmt: skip
    number = int(raw)

    def build() -> ResponseReturnValue:
        entries, more = actors.ranked(number)
        return render_template("public/actors.html", entries=entries, page=number, more=more)

    return respond(build, current_tag(), request.query_string)


@bp.route("/actors/<int:actor_id>")
@access(Access.PUBLIC)
def actor(actor_id: int) -> ResponseReturnValue:
    """One actor: what the published findings name them in, with figures per category."""
    found = actors.public_actor(actor_id)
    if found is None:
        abort(404)
    cursor = request.args.get("cursor")

    def build() -> ResponseReturnValue:
        filters = Filters(actor_id=actor_id)
        return render_template(
            "public/actor.html",
            actor=found,
            page=browse(filters, cursor),
            facets=facets(filters, ("category", "municipality")),
            names=names(),
        )

    return respond(build, current_tag(), request.query_string)
