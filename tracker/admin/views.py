"""Administrators invite people, change roles and deactivate accounts."""

from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user
from wtforms import SelectChoice

from tracker.accounts import services
from tracker.accounts.forms import ConfirmForm
from tracker.accounts.models import AccountToken, Organisation, Role, TokenPurpose, User
from tracker.admin.forms import InviteForm, RoleForm
from tracker.audit.models import Event
from tracker.cases.models import Case
from tracker.dbtypes import utcnow
from tracker.extensions import db
from tracker.policy import Access, access, can

bp = Blueprint("admin", __name__, url_prefix="/admin")


@bp.route("/users")
@access(Access.ADMIN)
def users() -> ResponseReturnValue:
    """All accounts, newest first, with their role and state."""
    page = db.paginate(sa.select(User).order_by(User.created_at.desc()), per_page=50)
    return render_template("admin/users.html", page=page)


def _get_user(user_id: int) -> User:
    return db.get_or_404(User, user_id)


@bp.route("/users/<int:user_id>", methods=["GET", "POST"])
@access(Access.ADMIN)
def user(user_id: int) -> ResponseReturnValue:
    """One account: change its role."""
    target = _get_user(user_id)
    form = RoleForm(role=target.role.value)
    if form.validate_on_submit():
        if not can(current_user, "users.change_role", target):
            abort(403)
        services.change_role(target, Role(form.role.data), by=current_user)
        db.session.commit()
        flash(_("The role is changed."), "success")
        return redirect(url_for("admin.user", user_id=target.id))
    status = 400 if form.is_submitted() else 200
    return render_template(
        "admin/user.html", target=target, form=form, confirm=ConfirmForm()
    ), status


@bp.route("/users/<int:user_id>/<any(deactivate, reactivate):action>", methods=["POST"])
@access(Access.ADMIN)
def set_active(user_id: int, action: str) -> ResponseReturnValue:
    """Deactivate an account (its sessions end, its cases stay) or let it back in."""
    target = _get_user(user_id)
    if not ConfirmForm().validate_on_submit() or not can(current_user, f"users.{action}", target):
        abort(403)
    if action == "deactivate":
        services.deactivate(target, by=current_user)
        flash(_("The account is deactivated and signed out everywhere."), "success")
    else:
        services.reactivate(target, by=current_user)
        flash(_("The account can sign in again."), "success")
    db.session.commit()
    return redirect(url_for("admin.user", user_id=target.id))


@bp.route("/invitations", methods=["GET", "POST"])
@access(Access.ADMIN)
def invitations() -> ResponseReturnValue:
    """Invite someone by email and role; list invitations still open."""
    form = InviteForm()
    organisations = db.session.scalars(sa.select(Organisation).order_by(Organisation.name)).all()
    form.organisation.choices = [
        SelectChoice("0", "—"),
        *(SelectChoice(str(o.id), o.name) for o in organisations),
    ]
    if form.validate_on_submit():
        organisation = db.session.get(Organisation, form.organisation.data or 0)
        try:
            services.invite(form.email.data or "", Role(form.role.data), current_user, organisation)
        except services.AccountError as err:
            db.session.rollback()
            form.email.errors.append(str(err))
        else:
            db.session.commit()
            flash(_("The invitation is sent to %(email)s.", email=form.email.data), "success")
            return redirect(url_for("admin.invitations"))
    pending = db.session.scalars(
        sa.select(AccountToken)
        .where(
            AccountToken.purpose == TokenPurpose.INVITE,
            AccountToken.used_at.is_(None),
            AccountToken.expires_at > utcnow(),
        )
        .order_by(AccountToken.created_at.desc())
    ).all()
    status = 400 if request.method == "POST" else 200
    return render_template("admin/invitations.html", form=form, pending=pending), status


@bp.route("/audit")
@access(Access.ADMIN)
def audit() -> ResponseReturnValue:
    """The whole audit trail, newest first, filtered by kind, person or case."""
    kind = request.args.get("kind", "").strip()[:40]
    reference = request.args.get("case", "").strip()[:20]
    person = request.args.get("user", "").strip()[:254]
    stmt = sa.select(Event).order_by(Event.id.desc())
    if kind:
        stmt = stmt.where(Event.kind == kind)
    if reference:
        stmt = stmt.join(Case, Case.id == Event.case_id).where(Case.reference == reference)
    if person:
        stmt = stmt.join(User, User.id == Event.user_id).where(User.email == person.lower())
    page = db.paginate(stmt, per_page=100, error_out=False)
    kinds = db.session.scalars(sa.select(Event.kind).distinct().order_by(Event.kind)).all()
    return render_template(
        "admin/audit.html", page=page, kinds=kinds, kind=kind, case=reference, person=person
    )


import tracker.admin.organisations  # noqa: E402, F401 - member organisations' routes
