"""Public pages: the list of published publications, one publication, its PDF."""

from __future__ import annotations

from flask import abort, render_template, request, send_file
from flask.typing import ResponseReturnValue
from flask_babel import get_locale
from flask_login import current_user

from tracker.evidence.names import content_disposition, download_name
from tracker.evidence.services import get_storage
from tracker.extensions import db
from tracker.policy import Access, access, can
from tracker.public.http import respond
from tracker.publications import figures, queries
from tracker.publications.forms import KindFilterForm
from tracker.publications.models import Publication, PublicationKind
from tracker.publications.pdf import PDF
from tracker.publications.views import bp

PER_PAGE = 20
# A PDF is never shown inside our pages: downloaded, sandboxed, its type taken as given.
DOWNLOAD_HEADERS = {
    "Content-Security-Policy": "sandbox; default-src 'none'",
    "X-Content-Type-Options": "nosniff",
    "Cross-Origin-Resource-Policy": "same-origin",
}
KINDS = {k.value: k for k in PublicationKind}


@bp.route("/publications/")
@access(Access.PUBLIC)
def index() -> ResponseReturnValue:
    """Published statements, appeals, press releases, condemnations, reports and analyses."""

    def render() -> ResponseReturnValue:
        form = KindFilterForm(request.args)
        kind = KINDS.get(form.kind.data or "")
        if kind is None:
            form.kind.data = ""
        page = db.paginate(queries.published(kind), per_page=PER_PAGE, error_out=False)
        return render_template("publications/index.html", form=form, page=page)

    return respond(render, get_locale(), request.full_path)


def detail_page(publication: Publication, preview: bool = False) -> str:
    """A publication as visitors see it (also the coordinators' preview of a draft)."""
    return render_template(
        "publications/detail.html",
        publication=publication,
        citations=queries.public_citations(publication),
        figures=figures.report_figures(publication),
        preview=preview,
    )


@bp.route("/publications/<int:publication_id>")
@access(Access.PUBLIC)
def detail(publication_id: int) -> ResponseReturnValue:
    """A published publication: text, signatories, PDF, the public cases it cites."""

    def render() -> ResponseReturnValue:
        publication = queries.public_publication(publication_id)
        if publication is None:
            abort(404)
        return detail_page(publication)

    return respond(render, get_locale(), request.full_path)


@bp.route("/publications/<int:publication_id>/pdf")
@access(Access.PUBLIC)
def pdf(publication_id: int) -> ResponseReturnValue:
    """The publication's PDF, always as a download; a draft's only for coordinators."""
    publication = db.session.get(Publication, publication_id)
    if publication is None or publication.pdf_sha256 is None:
        abort(404)
    public = queries.public_publication(publication_id) is not None
    if not public and not can(current_user, "publications.edit", publication):
        abort(404)
    try:
        stream = get_storage().open(publication.pdf_sha256)
    except FileNotFoundError:
        abort(404)
    response = send_file(
        stream,
        mimetype="application/pdf",
        etag=publication.pdf_sha256,
        conditional=True,
    )
    name = download_name(publication.pdf_name, PDF, f"publication-{publication.id}")
    response.headers["Content-Disposition"] = content_disposition(name)
    response.headers.update(DOWNLOAD_HEADERS)
    if public:
        response.cache_control.public = True  # the content never changes under its hash
        response.cache_control.max_age = 300
    return response
