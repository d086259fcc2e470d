"""Coordinators write, edit, preview and publish publications, and choose the cases cited."""

from __future__ import annotations

import sqlalchemy as sa
from flask import abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.datastructures import FileStorage
from wtforms import SelectChoice

from tracker.cases.models import Case
from tracker.evidence.streaming import keeps_form, streams_to_storage
from tracker.extensions import db
from tracker.policy import Access, access, can
from tracker.publications import queries, services, signatories
from tracker.publications.forms import LinkForm, PublicationForm
from tracker.publications.models import Publication, PublicationKind, PublicationStatus
from tracker.publications.views import bp
from tracker.publications.views.pages import detail_page

MAX_CITED = 200
FIELDS = ("kind", "title", "body", "published_on", "signatories", "external_url", "pdf", "status")


def _publication_or_404(publication_id: int) -> Publication:
    publication = db.get_or_404(Publication, publication_id)
    if not can(current_user, "publications.edit", publication):
        abort(403)
    return publication


def _form(**data: object) -> PublicationForm:
    form = PublicationForm(**data)
    form.signatories.choices = [
        SelectChoice(o.id, f"{o.name} ({o.short_name})" if o.short_name else o.name)
        for o in signatories.all_organisations()
    ]
    return form


def _input(form: PublicationForm) -> services.PublicationInput:
    return services.PublicationInput(
        kind=PublicationKind(form.kind.data),
        title=form.title.data or "",
        body=form.body.data or "",
        published_on=form.published_on.data,
        external_url=form.external_url.data,
        status=PublicationStatus(form.status.data),
        signatory_ids=list(form.signatories.data or []),
        remove_pdf=bool(form.remove_pdf.data),
    )


def _upload(form: PublicationForm) -> FileStorage | None:
    """The chosen PDF; browsers send an empty part without a name when none was chosen."""
    upload = form.pdf.data
    return upload if isinstance(upload, FileStorage) and upload.filename else None


def _page(
    form: PublicationForm,
    publication: Publication | None,
    status: int = 200,
    link_form: LinkForm | None = None,
) -> ResponseReturnValue:
    if status == 400 and _upload(form) is not None and not form.pdf.errors:
        form.pdf.errors = [_("Choose the PDF again: it was not saved.")]
    references = [entry.form.reference.data or "" for entry in form.cases]
    cited, _unknown = queries.cases_by_reference(references)
    return render_template(
        "publications/form.html",
        form=form,
        publication=publication,
        cited={c.reference: c for c in cited},
        citations=queries.all_citations(publication) if publication else [],
        link_form=link_form or LinkForm(formdata=None),
    ), status


def _refused(
    form: PublicationForm, publication: Publication | None, err: services.PublicationError
) -> ResponseReturnValue:
    """Undo the attempt and show the form again as typed, with the reason by its field."""
    db.session.rollback()
    if err.field in FIELDS:
        target = getattr(form, err.field)
        target.errors = [*target.errors, str(err)]
    else:
        flash(str(err), "error")
    return _page(form, publication, 400)


@bp.route("/publications/manage")
@access(Access.COORDINATOR)
def manage() -> ResponseReturnValue:
    """Every publication, drafts first, for coordinators."""
    page = db.paginate(queries.everything(), per_page=50, error_out=False)
    return render_template("publications/manage.html", page=page)


def _prefill(form: PublicationForm) -> None:
    """A new publication started from the review queue: the chosen cases, ready to cite."""
    kind = request.args.get("kind", "")
    form.kind.data = kind if kind in PublicationKind.__members__.values() else "statement"
    cases, unknown = queries.cases_by_reference(request.args.getlist("case")[:MAX_CITED])
    for case in cases:
        form.cases.append_entry({"reference": case.reference, "keep": True, "note": ""})
    if unknown:
        flash(_("These cases cannot be cited: %(refs)s", refs=", ".join(unknown)), "error")


def _citations(form: PublicationForm) -> list[tuple[Case, str | None]]:
    found = []
    for entry in form.cases:
        if not entry.form.keep.data:
            continue
        try:
            found.append(
                (services.find_case(entry.form.reference.data or ""), entry.form.note.data)
            )
        except services.PublicationError as err:
            entry.form.note.errors = [*entry.form.note.errors, str(err)]
            raise services.PublicationError(str(err), "cases") from err
    return found


@bp.route("/publications/new", methods=["GET", "POST"])
@access(Access.COORDINATOR)
@streams_to_storage
@keeps_form
def new() -> ResponseReturnValue:
    """Write a new publication; `?case=` references (from the review queue) are cited."""
    if not can(current_user, "publications.create"):
        abort(403)
    form = _form()
    if request.method == "GET":
        _prefill(form)
        return _page(form, None)
    if not form.validate_on_submit():
        return _page(form, None, 400)
    try:
        citations = _citations(form)
        saved = services.create_publication(_input(form), current_user, _upload(form), citations)
    except services.PublicationError as err:
        return _refused(form, None, err)
    saved.commit()
    flash(_("The publication is saved."), "success")
    return redirect(url_for("publications.edit", publication_id=saved.publication.id))


@bp.route("/publications/<int:publication_id>/edit", methods=["GET", "POST"])
@access(Access.COORDINATOR)
@streams_to_storage
@keeps_form
def edit(publication_id: int) -> ResponseReturnValue:
    """Change a publication, publish or unpublish it; the cases it cites are below."""
    publication = _publication_or_404(publication_id)
    if request.method == "GET":
        form = _form(
            kind=publication.kind.value,
            title=publication.title,
            body=publication.body,
            published_on=publication.published_on,
            external_url=publication.external_url,
            status=publication.status.value,
            signatories=[o.id for o in publication.signatories],
        )
        return _page(form, publication)
    form = _form()
    if not form.validate_on_submit():
        return _page(form, publication, 400)
    try:
        saved = services.update_publication(publication, _input(form), current_user, _upload(form))
    except services.PublicationError as err:
        return _refused(form, publication, err)
    saved.commit()
    flash(_("The publication is saved."), "success")
    return redirect(url_for("publications.edit", publication_id=publication.id))


@bp.route("/publications/<int:publication_id>/preview")
@access(Access.COORDINATOR)
def preview(publication_id: int) -> ResponseReturnValue:
    """The publication as visitors will see it, also while it is a draft."""
    return detail_page(_publication_or_404(publication_id), preview=True)


def _edit_page(publication: Publication, link_form: LinkForm) -> ResponseReturnValue:
    form = _form(
        formdata=None,
        kind=publication.kind.value,
        title=publication.title,
        body=publication.body,
        published_on=publication.published_on,
        external_url=publication.external_url,
        status=publication.status.value,
        signatories=[o.id for o in publication.signatories],
    )
    return _page(form, publication, 400, link_form)


@bp.route("/publications/<int:publication_id>/cases", methods=["POST"])
@access(Access.COORDINATOR)
def link(publication_id: int) -> ResponseReturnValue:
    """Cite a case by its reference with a short note (or change the note)."""
    publication = _publication_or_404(publication_id)
    form = LinkForm()
    if not form.validate_on_submit():
        return _edit_page(publication, form)
    try:
        case = services.find_case(form.reference.data or "")
        services.link_case(publication, case, form.note.data, current_user)
    except services.PublicationError as err:
        db.session.rollback()
        target = form.note if err.field == "note" else form.reference
        target.errors = [*target.errors, str(err)]
        return _edit_page(publication, form)
    db.session.commit()
    flash(_("%(ref)s is cited.", ref=case.reference), "success")
    return redirect(url_for("publications.edit", publication_id=publication.id) + "#cases")


@bp.route("/publications/<int:publication_id>/cases/<reference>/remove", methods=["POST"])
@access(Access.COORDINATOR)
def unlink(publication_id: int, reference: str) -> ResponseReturnValue:
    """Stop citing a case."""
    publication = _publication_or_404(publication_id)
    case = db.session.scalar(sa.select(Case).where(Case.reference == reference))
    if case is None:
        abort(404)
    try:
        services.unlink_case(publication, case, current_user)
    except services.PublicationError:
        abort(404)
    db.session.commit()
    flash(_("%(ref)s is no longer cited.", ref=case.reference), "success")
    return redirect(url_for("publications.edit", publication_id=publication.id) + "#cases")
