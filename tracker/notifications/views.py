"""A user's notifications and which of them they also want by email."""

from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user

from tracker.accounts.forms import ConfirmForm
from tracker.dbtypes import utcnow
from tracker.extensions import db
from tracker.notifications.models import Notification, NotificationPreference
from tracker.notifications.services import KINDS, wants_email
from tracker.policy import Access, access, can

bp = Blueprint("notifications", __name__, url_prefix="/notifications")


@bp.route("/")
@access(Access.SIGNED_IN)
def index() -> ResponseReturnValue:
    """Unread first, then newest first."""
    stmt = (
        sa.select(Notification)
        .where(Notification.user_id == current_user.id)
        .order_by(Notification.read_at.is_not(None), Notification.id.desc())
    )
    page = db.paginate(stmt, per_page=50, error_out=False)
    return render_template(
        "notifications/index.html", page=page, kinds=KINDS, confirm=ConfirmForm()
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
    item.read_at = item.read_at or utcnow()
    db.session.commit()
    return redirect(url_for("notifications.index"))


@bp.route("/read-all", methods=["POST"])
@access(Access.SIGNED_IN)
def read_all() -> ResponseReturnValue:
    """Mark every notification as read."""
    if not ConfirmForm().validate_on_submit():
        abort(400)
    db.session.execute(
        sa.update(Notification)
        .where(Notification.user_id == current_user.id, Notification.read_at.is_(None))
        .values(read_at=utcnow())
    )
    db.session.commit()
    return redirect(url_for("notifications.index"))


@bp.route("/settings", methods=["GET", "POST"])
@access(Access.SIGNED_IN)
def settings() -> ResponseReturnValue:
    """Choose which notifications also come by email."""
    form = ConfirmForm()
    if form.validate_on_submit():
        chosen = set(request.form.getlist("email"))
        for kind in KINDS:
            choice = db.session.get(NotificationPreference, (current_user.id, kind))
            if choice is None:
                choice = NotificationPreference(user_id=current_user.id, kind=kind)
                db.session.add(choice)
            choice.email = kind in chosen
        db.session.commit()
        flash(_("Your email choices are saved."), "success")
        return redirect(url_for("notifications.settings"))
    wanted = {kind: wants_email(current_user, kind) for kind in KINDS}
    return render_template("notifications/settings.html", form=form, kinds=KINDS, wanted=wanted)
