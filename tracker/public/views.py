"""Published findings for visitors: the list with search and facets, and each case."""

from __future__ import annotations

from flask import Blueprint, abort, render_template, request, send_file
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _

from tracker.evidence.services import get_storage
from tracker.i18n import current_tag
from tracker.policy import Access, access
from tracker.public import present, services
from tracker.public.facets import Facets, facets
from tracker.public.filters import Parsed, parse
from tracker.public.http import respond
from tracker.public.names import actor_names, names
from tracker.public.search import PAGE_SIZE, RANK_WINDOW, Page, find

bp = Blueprint("public", __name__)
MAX_PAGE = RANK_WINDOW // PAGE_SIZE


def render_findings(
    parsed: Parsed, page: Page, counts: Facets, status: int = 200
) -> ResponseReturnValue:
    """The list page for these filters, results and counts (also the benchmark's reference)."""
    actor_ids = [int(key) for key, _n in counts.counts.get("actor", [])]
    if parsed.filters.actor_id is not None:
        actor_ids.append(parsed.filters.actor_id)
    known, actors = names(), actor_names(actor_ids)
    body = render_template(
        "public/index.html",
        parsed=parsed,
        page=page,
        facets=counts,
        facet_groups=present.groups(counts, known, actors, parsed),
        names=known,
        actors=actors,
        max_page=MAX_PAGE,
        window=RANK_WINDOW,
    )
    return body, status


def _page_number(value: str | None) -> int | None:
    if not value:
        return 1
    if value.isdigit() and 1 <= int(value) <= MAX_PAGE:
        return int(value)
    return None


@bp.route("/findings/")
@access(Access.PUBLIC)
def index() -> ResponseReturnValue:
    """Published findings: free text, filters with counts, newest first or by relevance."""
    parsed = parse(request.args)
    number = _page_number(request.args.get("page"))
    if number is None:
        parsed.errors["page"] = _("There is no such page.")
    if parsed.errors:
        return render_findings(parsed, Page(rows=[]), Facets(0, {}), status=400)
    cursor = request.args.get("cursor")

    def build() -> ResponseReturnValue:
        page = find(parsed.filters, cursor=cursor, page=number or 1)
        return render_findings(parsed, page, facets(parsed.filters))

    return respond(build, current_tag(), request.query_string)


@bp.route("/findings/<reference>")
@access(Access.PUBLIC)
def case(reference: str) -> ResponseReturnValue:
    """A published case: public summary and fields, chosen evidence, corrections."""

    def build() -> ResponseReturnValue:
        item = services.public_case(reference)
        if item is None:
            abort(404)
        return render_template(
            "public/case.html",
            case=item,
            point=services.public_point(item),
            evidence=services.public_evidence(item),
            corrections=services.corrections(item),
        )

    # Whatever changes a public case (correction, retraction, merge, a citing publication)
    # moves the public version, so the version and the reference validate the page.
    return respond(build, current_tag(), reference)


@bp.route("/findings/<reference>/evidence/<int:evidence_id>")
@access(Access.PUBLIC)
def evidence(reference: str, evidence_id: int) -> ResponseReturnValue:
    """A metadata-free copy of a published photo, always as a download."""
    item = services.public_case(reference)
    copy = services.public_download(item, evidence_id) if item else None
    if copy is None or copy.sha256 is None:
        abort(404)
    response = send_file(
        get_storage().open(copy.sha256),
        mimetype=copy.media_type or "application/octet-stream",
        as_attachment=True,
        download_name=f"{reference}-{copy.id}.{(copy.media_type or 'x/bin').split('/')[1]}",
        etag=copy.sha256,  # content-addressed: a repeat download is answered with 304
    )
    response.headers["Content-Security-Policy"] = "sandbox; default-src 'none'"
    return response


from tracker.public import actor_views  # noqa: E402, F401 - registers /actors on this blueprint
