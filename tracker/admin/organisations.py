"""Administrators keep the list of the network's member organisations (the signatories)."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.exc import IntegrityError

from tracker.accounts.models import Organisation
from tracker.admin.forms import OrganisationForm
from tracker.admin.views import bp
from tracker.extensions import db
from tracker.policy import Access, access, can
from tracker.publications import signatories


def _allowed() -> None:
    if not can(current_user, "organisations.manage"):
        abort(403)


@bp.route("/organisations")
@access(Access.ADMIN)
def organisations() -> ResponseReturnValue:
    """Every member organisation, by name."""
    _allowed()
    return render_template(
        "admin/organisations.html", organisations=signatories.all_organisations()
    )


def _input(form: OrganisationForm) -> signatories.OrganisationInput:
    return signatories.OrganisationInput(
        name=form.name.data or "", short_name=form.short_name.data, website=form.website.data
    )


def _save(form: OrganisationForm, organisation: Organisation | None) -> Organisation | None:
    """Create or change the organisation and commit; None (errors on the form) if refused."""
    try:
        if organisation is None:
            organisation = signatories.create_organisation(_input(form), current_user)
        else:
            signatories.update_organisation(organisation, _input(form), current_user)
        db.session.commit()
    except signatories.OrganisationError as err:
        db.session.rollback()
        field = getattr(form, err.field)
        field.errors = [*field.errors, str(err)]
        return None
    except IntegrityError:  # the same name saved meanwhile by someone else
        db.session.rollback()
        form.name.errors = [*form.name.errors, _("An organisation with this name exists already.")]
        return None
    return organisation


@bp.route("/organisations/new", methods=["GET", "POST"])
@access(Access.ADMIN)
def organisation_new() -> ResponseReturnValue:
    """Add a member organisation."""
    _allowed()
    form = OrganisationForm()
    if form.validate_on_submit():
        saved = _save(form, None)
        if saved is not None:
            flash(_("The organisation is added."), "success")
            return redirect(url_for("admin.organisations"))
    status = 400 if form.is_submitted() else 200
    return render_template("admin/organisation.html", form=form, organisation=None), status


@bp.route("/organisations/<int:organisation_id>", methods=["GET", "POST"])
@access(Access.ADMIN)
def organisation_edit(organisation_id: int) -> ResponseReturnValue:
    """Change a member organisation's name, short name or website."""
    _allowed()
    organisation = db.get_or_404(Organisation, organisation_id)
    form = OrganisationForm(obj=organisation)
    if form.validate_on_submit() and _save(form, organisation) is not None:
        flash(_("The organisation is saved."), "success")
        return redirect(url_for("admin.organisations"))
    status = 400 if form.is_submitted() else 200
    return render_template("admin/organisation.html", form=form, organisation=organisation), status
