"""Publishing a verified case (with a second approval when required), corrections,
retractions, and merging duplicates."""

from __future__ import annotations

import sqlalchemy as sa
from flask import flash, redirect, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user
from wtforms import SelectChoice

from tracker.cases import lifecycle
from tracker.cases.models import Case, Category, PointPrecision
from tracker.cases.views.common import case_or_404, category_choices
from tracker.extensions import db
from tracker.policy import Access, access
from tracker.review import publishing
from tracker.review.forms import CorrectForm, DecisionForm, MergeForm, PublishForm
from tracker.review.views import bp
from tracker.review.views.queue import case_page, refused


def publish_form(case: Case) -> PublishForm:
    """The publication form with this case's categories and shareable evidence."""
    form = PublishForm()
    form.category.choices = category_choices()
    form.evidence.choices = [
        SelectChoice(item.id, item.original_name or item.url or _("Testimony"))
        for item in case.evidence
        if item.public and item.parent_id is None and item.withdrawn_at is None
    ]
    if not form.is_submitted():
        form.summary.data = case.public_summary
        form.category.data = str(case.category_id or "")
        form.precision.data = case.point_precision.value
        form.evidence.data = [i.id for i in case.evidence if i.published]
        form.version.data = str(case.version_id)
    return form


def _seen(version: str | None) -> int | None:
    return int(version) if (version or "").isdigit() else None


@bp.route("/<reference>/publish", methods=["POST"])
@access(Access.COORDINATOR)
def publish(reference: str) -> ResponseReturnValue:
    """Publish with a public summary and chosen evidence, or give the first approval."""
    case = case_or_404(reference)
    form = publish_form(case)
    if not form.validate_on_submit():
        return case_page(case, 400, publish_form=form)
    category = db.session.get(Category, int(form.category.data)) if form.category.data else None
    choice = publishing.PublicationChoice(
        summary=form.summary.data or "",
        category=category,
        precision=PointPrecision(form.precision.data),
        evidence_ids=set(form.evidence.data or []),
    )
    try:
        publishing.check_version(case, _seen(form.version.data))
        published = publishing.publish(case, current_user, choice)
    except (publishing.PublishingError, lifecycle.TransitionError) as err:
        return refused(reference, err, publish_form=form)
    db.session.commit()
    flash(_("Published.") if published else _("Approved; a second coordinator must now publish."),
          "success")  # fmt: skip
    return redirect(url_for("review.case", reference=reference))


@bp.route("/<reference>/correct", methods=["POST"])
@access(Access.COORDINATOR)
def correct(reference: str) -> ResponseReturnValue:
    """Correct a published case, with a public note on what changed."""
    case = case_or_404(reference)
    form = CorrectForm()
    if not form.validate_on_submit():
        return case_page(case, 400, correct_form=form)
    try:
        publishing.check_version(case, _seen(form.version.data))
        publishing.correct(case, current_user, form.summary.data or "", form.note.data or "")
    except (publishing.PublishingError, lifecycle.TransitionError) as err:
        return refused(reference, err, correct_form=form)
    db.session.commit()
    flash(_("The correction is published."), "success")
    return redirect(url_for("review.case", reference=reference))


@bp.route("/<reference>/retract", methods=["POST"])
@access(Access.COORDINATOR)
def retract(reference: str) -> ResponseReturnValue:
    """Retract a published case; a public notice keeps the reason and the date."""
    case = case_or_404(reference)
    form = DecisionForm(prefix="retract")
    if not form.validate_on_submit():
        return case_page(case, 400, retract_form=form)
    try:
        publishing.retract(case, current_user, form.text.data or "")
    except lifecycle.TransitionError as err:
        return refused(reference, err, retract_form=form)
    db.session.commit()
    flash(_("The case is retracted."), "success")
    return redirect(url_for("review.case", reference=reference))


@bp.route("/<reference>/merge", methods=["POST"])
@access(Access.COORDINATOR)
def merge(reference: str) -> ResponseReturnValue:
    """Merge this case into another one, which survives."""
    case = case_or_404(reference)
    form = MergeForm()
    survivor = None
    if form.validate_on_submit():
        wanted = (form.into.data or "").strip().upper()
        survivor = db.session.scalar(sa.select(Case).where(Case.reference == wanted))
        if survivor is None:
            form.into.errors = [_("No case has that reference.")]
    if survivor is None:
        return case_page(case, 400, merge_form=form)
    try:
        publishing.merge(case, survivor, current_user)
    except publishing.PublishingError as err:
        db.session.rollback()
        form.into.errors = [str(err)]
        return case_page(case_or_404(reference), 400, merge_form=form)
    db.session.commit()
    flash(_("Merged into %(ref)s.", ref=survivor.reference), "success")
    return redirect(url_for("review.case", reference=survivor.reference))
