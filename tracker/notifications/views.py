"""A user's notifications and which of them they also want by email."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user

from tracker.accounts.forms import ConfirmForm
from tracker.extensions import db
from tracker.notifications import services
from tracker.notifications.forms import EmailChoicesForm
from tracker.notifications.models import Notification
from tracker.policy import Access, access, can

bp = Blueprint("notifications", __name__, url_prefix="/notifications")
PER_PAGE = 30


@bp.route("/")
@access(Access.SIGNED_IN)
def index() -> ResponseReturnValue:
    """The user's notifications: unread first, then newest first."""
    page = db.paginate(services.listing(current_user), per_page=PER_PAGE, error_out=False)
    return render_template(
        "notifications/index.html",
        page=page,
        kinds=services.KINDS,
        case_endpoint=services.case_endpoint(current_user),
        confirm=ConfirmForm(),
    )


@bp.route("/<int:notification_id>/read", methods=["POST"])
@access(Access.SIGNED_IN)
def read(notification_id: int) -> ResponseReturnValue:
    """Mark one notification as read (only one's own: others answer 404)."""
    item = db.session.get(Notification, notification_id)
    if item is None or not can(current_user, "notifications.read", item):
        abort(404)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    services.mark_read(item)
    db.session.commit()
    return redirect(url_for("notifications.index", page=request.args.get("page", type=int)))


@bp.route("/read-all", methods=["POST"])
@access(Access.SIGNED_IN)
def read_all() -> ResponseReturnValue:
    """Mark every notification as read."""
    if not ConfirmForm().validate_on_submit():
        abort(400)
    services.mark_all_read(current_user)
    db.session.commit()
    return redirect(url_for("notifications.index"))


@bp.route("/settings", methods=["GET", "POST"])
@access(Access.SIGNED_IN)
def settings() -> ResponseReturnValue:
    """Choose which notifications also come by email."""
    form = EmailChoicesForm(email=services.email_choices(current_user))
    form.email.choices = [(k, services.KINDS[k]) for k in services.email_kinds(current_user)]
    if form.validate_on_submit():
        services.save_email_choices(current_user, set(form.email.data or ()))
        db.session.commit()
        flash(_("Your email choices are saved."), "success")
        return redirect(url_for("notifications.settings"))
    return render_template("notifications/settings.html", form=form)
