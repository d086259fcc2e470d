"""Writing a case: the form (new and edit), autosave, Markdown preview, duplicate hints."""

from __future__ import annotations

import sqlalchemy as sa
from flask import flash, jsonify, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.orm.exc import StaleDataError

from tracker.cases import lifecycle
from tracker.cases.dates import parse_when
from tracker.cases.drafts import EditConflict, NotEditable, save_case, start_case
from tracker.cases.forms import CaseForm
from tracker.cases.models import Case
from tracker.cases.similar import similar_cases
from tracker.cases.views import bp
from tracker.cases.views.common import (
    actor_names,
    build_form,
    case_or_404,
    draft_from_form,
    municipality_options,
)
from tracker.extensions import db
from tracker.geo.services import placement_warning, resolve_municipality
from tracker.markdown import render
from tracker.policy import Access, access
from tracker.workflow import Action


def _render(
    form: CaseForm, case: Case | None, status: int = 200, **extra: object
) -> ResponseReturnValue:
    draft_case = case
    hints = similar_cases(
        current_user,
        draft_case.municipality_id if draft_case else None,
        draft_case.title if draft_case else "",
        draft_case.occurred_on if draft_case else None,
        exclude_id=draft_case.id if draft_case else None,
    )
    return (
        render_template(
            "cases/form.html",
            form=form,
            case=case,
            similar=hints,
            municipalities=municipality_options(),
            actor_names=actor_names(),
            warning=placement_warning(case) if case else None,
            **extra,
        ),
        status,
    )


def _save(form: CaseForm, case: Case | None) -> tuple[Case | None, str | None]:
    """Save what the form holds; returns the case and a conflict message, if any."""
    draft = draft_from_form(form)
    if case is None:
        return start_case(current_user, draft), None
    seen = int(form.version.data) if (form.version.data or "").isdigit() else None
    try:
        save_case(case, current_user, draft, seen)
    except EditConflict as err:
        db.session.rollback()
        return case, str(err)
    return case, None


@bp.route("/new", methods=["GET", "POST"])
@access(Access.MEMBER)
def new() -> ResponseReturnValue:
    """Start a case: save a draft with whatever is filled in, or submit it for review."""
    form = build_form()
    if not form.is_submitted():
        return _render(form, None)
    return _handle_post(form, None)


@bp.route("/<reference>/edit", methods=["GET", "POST"])
@access(Access.MEMBER)
def edit(reference: str) -> ResponseReturnValue:
    """Edit a draft (or a case a coordinator asked about)."""
    case = case_or_404(reference, "cases.edit")
    form = build_form(case)
    if not form.is_submitted():
        return _render(form, case)
    return _handle_post(form, case)


def _handle_post(form: CaseForm, case: Case | None) -> ResponseReturnValue:
    form.validate()
    switch = request.form.get("use_municipality", "")
    if switch.isdigit():  # the member took the nearer municipality the warning offered
        form.municipality.data = switch
    try:
        case, conflict = _save(form, case)
    except (NotEditable, StaleDataError):
        db.session.rollback()
        conflict, case = _("Someone saved this case after you opened it."), case
    if conflict:
        flash(
            _("%(msg)s Your text is below: copy what you need, then reload.", msg=conflict), "error"
        )
        return _render(form, case, 409)
    db.session.commit()
    form.version.data = str(case.version_id)
    if request.form.get("action") == "submit":
        return _submit(form, case)
    if request.form.get("action") == "preview":
        return _render(form, case, preview=render(form.description.data))
    if form.errors:
        return _render(form, case, 400)
    flash(_("Draft saved."), "success")
    return redirect(url_for("cases.edit", reference=case.reference))


def _submit(form: CaseForm, case: Case) -> ResponseReturnValue:
    if form.errors:
        return _render(form, case, 400)
    try:
        lifecycle.apply(case, current_user, Action.SUBMIT)
    except lifecycle.TransitionError as err:
        db.session.rollback()
        flash(
            _("The draft is saved, but it cannot be submitted yet. %(why)s", why=str(err)), "error"
        )
        return _render(form, case, 400)
    db.session.commit()
    flash(_("Submitted for review. Coordinators will look at it."), "success")
    return redirect(url_for("cases.detail", reference=case.reference))


@bp.route("/autosave", methods=["POST"])
@bp.route("/<reference>/autosave", methods=["POST"])
@access(Access.MEMBER)
def autosave(reference: str | None = None) -> ResponseReturnValue:
    """Save the form in the background (JavaScript); answers JSON, never loses the text."""
    case = case_or_404(reference, "cases.edit") if reference else None
    form = build_form(case)
    form.validate()
    try:
        case, conflict = _save(form, case)
    except (NotEditable, StaleDataError):
        db.session.rollback()
        conflict = _("Someone saved this case after you opened it.")
    if conflict or case is None:
        return jsonify(ok=False, message=conflict), 409
    db.session.commit()
    return jsonify(
        ok=True,
        reference=case.reference,
        version=case.version_id,
        edit_url=url_for("cases.edit", reference=case.reference),
        autosave_url=url_for("cases.autosave", reference=case.reference),
        message=_("Saved automatically."),
    )


@bp.route("/preview", methods=["POST"])
@access(Access.MEMBER)
def preview() -> ResponseReturnValue:
    """The Markdown of `text` as the case page will show it (sanitised)."""
    return jsonify(html=str(render(request.form.get("text", "")[:100_000])))


@bp.route("/similar")
@access(Access.MEMBER)
def similar() -> ResponseReturnValue:
    """Likely duplicates of what is being typed, among cases this member may see (JSON)."""
    municipality = resolve_municipality(request.args.get("municipality", "")[:120])
    try:
        when = parse_when(request.args.get("when", ""))[0]
    except ValueError:
        when = None
    # The page knows its case by reference (an autosaved draft must not match itself).
    excluded = request.args.get("exclude", "")[:20]
    exclude = (
        db.session.scalar(sa.select(Case.id).where(Case.reference == excluded))
        if excluded
        else None
    )
    found = similar_cases(
        current_user,
        municipality.id if municipality else None,
        request.args.get("title", "")[:300],
        when,
        exclude_id=exclude,
    )
    return jsonify(
        [
            {
                "reference": c.reference,
                "title": c.title,
                "url": url_for("cases.detail", reference=c.reference),
            }
            for c in found
        ]
    )
