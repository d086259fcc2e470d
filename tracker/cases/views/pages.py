"""A member's cases: the list, the case page with its timeline, and lifecycle buttons."""

from __future__ import annotations

import sqlalchemy as sa
from flask import abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from tracker.accounts.forms import ConfirmForm
from tracker.audit.models import Event
from tracker.cases import lifecycle
from tracker.cases.drafts import use_photo_position
from tracker.cases.messages import add_message, visible_messages
from tracker.cases.models import Case, CaseStatus
from tracker.cases.views import bp
from tracker.cases.views.common import case_or_404
from tracker.evidence.models import Evidence
from tracker.extensions import db
from tracker.policy import Access, access
from tracker.workflow import Action

MEMBER_ACTIONS = {Action.SUBMIT, Action.WITHDRAW, Action.ANSWER}


@bp.route("/mine")
@access(Access.MEMBER)
def mine() -> ResponseReturnValue:
    """My cases, those waiting for my answer first, then by last activity."""
    stmt = (
        sa.select(Case)
        .where(Case.reporter_id == current_user.id)
        .order_by(
            sa.case((Case.status == CaseStatus.NEEDS_INFO, 0), else_=1), Case.updated_at.desc()
        )
    )
    page = db.paginate(stmt, per_page=25, error_out=False)
    return render_template("cases/mine.html", page=page)


@bp.route("/<reference>")
@access(Access.MEMBER)
def detail(reference: str) -> ResponseReturnValue:
    """The case as its reporter and coordinators see it: content, evidence, timeline."""
    return _render_detail(case_or_404(reference))


def _render_detail(case: Case, status: int = 200, typed_message: str = "") -> ResponseReturnValue:
    events = db.session.scalars(
        sa.select(Event).where(Event.case_id == case.id).order_by(Event.id)
    ).all()
    return render_template(
        "cases/detail.html",
        case=case,
        events=events,
        messages=visible_messages(case, current_user),
        actions=[a for a in lifecycle.available(case, current_user) if a in MEMBER_ACTIONS],
        confirm=ConfirmForm(),
        rejection=_rejection(case),
        typed_message=typed_message,
    ), status


def _rejection(case: Case) -> str | None:
    if case.status is not CaseStatus.REJECTED:
        return None
    return lifecycle.last_reason(case, Action.REJECT) or ""


DONE = {
    Action.SUBMIT: _l("Submitted for review. Coordinators will look at it."),
    Action.WITHDRAW: _l("The case is a draft again: you can edit it."),
    Action.ANSWER: _l("Your answer is sent and the case is back in review."),
}


@bp.route("/<reference>/<any(submit, withdraw, answer):action>", methods=["POST"])
@access(Access.MEMBER)
def act(reference: str, action: str) -> ResponseReturnValue:
    """Submit, withdraw or answer, through the lifecycle; the message is kept if it fails."""
    case = case_or_404(reference)
    if not ConfirmForm().validate_on_submit():
        flash(_("The form expired. Please try again."), "error")
        return redirect(url_for("cases.detail", reference=reference))
    message = request.form.get("message", "").strip()[:20_000]
    step = Action(action)
    try:
        if message:
            add_message(case, current_user, message)
        lifecycle.apply(case, current_user, step, message=message)
    except lifecycle.TransitionError as err:
        db.session.rollback()
        flash(str(err), "error")
        return _render_detail(case_or_404(reference), 400, typed_message=message)
    db.session.commit()
    flash(str(DONE[step]), "success")
    return redirect(url_for("cases.detail", reference=reference))


@bp.route("/<reference>/point-from/<int:evidence_id>", methods=["POST"])
@access(Access.MEMBER)
def point_from_photo(reference: str, evidence_id: int) -> ResponseReturnValue:
    """Use a photo's EXIF position as the case's point."""
    case = case_or_404(reference, "cases.edit")
    evidence = db.session.get(Evidence, evidence_id)
    if evidence is None or evidence.case_id != case.id or not ConfirmForm().validate_on_submit():
        abort(404)
    try:
        use_photo_position(case, current_user, evidence)
    except ValueError:
        abort(404)
    db.session.commit()
    flash(_("The case's point is now the photo's position."), "success")
    return redirect(url_for("cases.detail", reference=reference))
