"""The review queue, the coordinator's view of a case, and the lifecycle decisions."""

from __future__ import annotations

import json
from collections.abc import Iterator

import sqlalchemy as sa
from flask import (
    Response,
    flash,
    redirect,
    render_template,
    request,
    stream_with_context,
    url_for,
)
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user
from wtforms import SelectChoice

from tracker.accounts.models import User
from tracker.audit.models import Event
from tracker.cases import lifecycle
from tracker.cases.messages import add_message
from tracker.cases.models import Case, CaseStatus, Category
from tracker.cases.views.common import case_or_404
from tracker.csvsafe import csv_chunks
from tracker.extensions import db
from tracker.geo.models import Municipality
from tracker.geo.services import resolve_municipality
from tracker.i18n import local_text
from tracker.labels import status_label
from tracker.policy import Access, access
from tracker.review import services
from tracker.review.forms import (
    AssignForm,
    CorrectForm,
    DecisionForm,
    MergeForm,
    NoteForm,
    QueueFilterForm,
    VerifyForm,
)
from tracker.review.publishing import VersionConflict
from tracker.review.views import bp
from tracker.workflow import Action


def _filter_form() -> tuple[QueueFilterForm, services.QueueFilter]:
    form = QueueFilterForm(request.args)
    form.status.choices = [SelectChoice("", "—")] + [
        SelectChoice(s.value, status_label(s)) for s in services.QUEUE_STATUSES
    ]
    districts = db.session.execute(
        sa.select(Municipality.district_code, Municipality.district)
        .distinct()
        .order_by(Municipality.district_code)
    ).all()
    form.district.choices = [SelectChoice("", "—")] + [
        SelectChoice(str(code), local_text(name)) for code, name in districts
    ]
    categories = db.session.scalars(sa.select(Category).order_by(Category.position)).all()
    form.category.choices = [SelectChoice("", "—")] + [
        SelectChoice(str(c.id), local_text(c.name_sr, c.name_en)) for c in categories
    ]
    form.assignee.choices = [
        SelectChoice("", "—"),
        SelectChoice("me", _("Me")),
        SelectChoice("none", _("Nobody")),
        *(SelectChoice(str(u.id), u.name) for u in services.coordinators()),
    ]
    form.validate()
    municipality = (
        resolve_municipality(form.municipality.data or "") if form.municipality.data else None
    )
    chosen = services.QueueFilter(
        status=CaseStatus(form.status.data)
        if form.status.data and not form.status.errors
        else None,
        municipality_id=municipality.id if municipality else None,
        district_code=int(form.district.data) if (form.district.data or "").isdigit() else None,
        category_id=int(form.category.data) if (form.category.data or "").isdigit() else None,
        assignee="" if form.assignee.errors else (form.assignee.data or ""),
        older_than_days=None if form.older_than.errors else form.older_than.data,
        sort=form.sort.data if not form.sort.errors else "oldest",
    )
    return form, chosen


@bp.route("/")
@access(Access.COORDINATOR)
def queue() -> ResponseReturnValue:
    """Submitted cases to review, filtered and sorted, with counts per status."""
    form, chosen = _filter_form()
    page = db.paginate(services.queue_query(chosen, current_user), per_page=50, error_out=False)
    status = 400 if form.errors else 200
    return render_template(
        "review/queue.html", form=form, page=page, counts=services.status_counts()
    ), status


@bp.route("/export.<any(csv, json):fmt>")
@access(Access.COORDINATOR)
def export(fmt: str) -> ResponseReturnValue:
    """The filtered queue as CSV or JSON, without confidential notes; every export is logged."""
    _form, chosen = _filter_form()
    services.record_export(current_user, fmt, chosen)
    db.session.commit()
    rows = services.export_rows(services.queue_query(chosen, current_user))
    if fmt == "csv":
        body: Iterator[str] = csv_chunks(services.EXPORT_FIELDS, rows)
        mimetype = "text/csv"
    else:
        body = _json_array(rows)
        mimetype = "application/json"
    response = Response(stream_with_context(body), mimetype=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="queue.{fmt}"'
    return response


def _json_array(rows: Iterator[dict[str, object]]) -> Iterator[str]:
    yield "["
    for n, row in enumerate(rows):
        yield ("," if n else "") + json.dumps(row, ensure_ascii=False)
    yield "]"


@bp.route("/<reference>")
@access(Access.COORDINATOR)
def case(reference: str) -> ResponseReturnValue:
    """A case as coordinators see it: both threads, the timeline, the next steps."""
    item = case_or_404(reference)
    return case_page(item)


def case_page(item: Case, status: int = 200, **forms: object) -> ResponseReturnValue:
    # The timeline includes the history of duplicates merged into this case.
    merged_ids = sa.select(Case.id).where(Case.merged_into_id == item.id)
    events = db.session.scalars(
        sa.select(Event)
        .where(sa.or_(Event.case_id == item.id, Event.case_id.in_(merged_ids)))
        .order_by(Event.id)
    ).all()
    assign_form = forms.get("assign_form") or AssignForm(assignee=str(item.assignee_id or ""))
    assign_form.assignee.choices = [SelectChoice("", _("Nobody"))] + [
        SelectChoice(str(u.id), u.name) for u in services.coordinators()
    ]
    return render_template(
        "review/case.html",
        case=item,
        events=events,
        actions=lifecycle.available(item, current_user),
        assign_form=assign_form,
        note_form=forms.get("note_form") or NoteForm(),
        decision_form=forms.get("decision_form") or DecisionForm(),
        verify_form=forms.get("verify_form") or VerifyForm(),
        publish_form=forms.get("publish_form") or publication.publish_form(item),
        correct_form=forms.get("correct_form") or CorrectForm(version=str(item.version_id)),
        retract_form=forms.get("retract_form") or DecisionForm(prefix="retract"),
        merge_form=forms.get("merge_form") or MergeForm(),
        merged=merged_into(item),
    ), status


@bp.route("/<reference>/assign", methods=["POST"])
@access(Access.COORDINATOR)
def assign(reference: str) -> ResponseReturnValue:
    """Assign the case to oneself or another coordinator."""
    item = case_or_404(reference)
    form = AssignForm()
    form.assignee.choices = [SelectChoice("", "")] + [
        SelectChoice(str(u.id), u.name) for u in services.coordinators()
    ]
    if not form.validate_on_submit():
        return case_page(item, 400, assign_form=form)
    assignee = db.session.get(User, int(form.assignee.data)) if form.assignee.data else None
    services.assign(item, assignee, current_user)
    db.session.commit()
    flash(_("Assignment saved."), "success")
    return redirect(url_for("review.case", reference=reference))


@bp.route("/<reference>/note", methods=["POST"])
@access(Access.COORDINATOR)
def note(reference: str) -> ResponseReturnValue:
    """Write an internal note, or a message the member will see."""
    item = case_or_404(reference)
    form = NoteForm()
    if not form.validate_on_submit():
        return case_page(item, 400, note_form=form)
    add_message(item, current_user, form.body.data or "", internal=bool(form.internal.data))
    db.session.commit()
    return redirect(url_for("review.case", reference=reference))


@bp.route(
    "/<reference>/<any(take, ask, verify, reject, reopen, archive):action>",
    methods=["POST"],
)
@access(Access.COORDINATOR)
def decide(reference: str, action: str) -> ResponseReturnValue:
    """Move the case through the lifecycle; what was typed is kept if it cannot happen."""
    item = case_or_404(reference)
    step = Action(action)
    form = VerifyForm() if step is Action.VERIFY else DecisionForm()
    key = "verify_form" if step is Action.VERIFY else "decision_form"
    if not form.validate_on_submit():  # too long, or an expired form: show it again as typed
        return case_page(item, 400, **{key: form})
    try:
        payload = _payload(step, form)
        if step is Action.ASK and payload.get("message"):
            add_message(item, current_user, str(payload["message"]))
        lifecycle.apply(item, current_user, step, **payload)
    except lifecycle.TransitionError as err:
        return refused(reference, err, **{key: form})
    db.session.commit()
    flash(_("Done."), "success")
    return redirect(url_for("review.case", reference=reference))


def _payload(step: Action, form: DecisionForm | VerifyForm) -> dict[str, object]:
    if isinstance(form, VerifyForm):
        checked = [n for n in ("sources", "evidence", "safety") if getattr(form, n).data]
        if len(checked) < 3:
            raise lifecycle.TransitionError(_("Tick every item of the checklist to verify."))
        return {"checklist": checked, "note": form.remarks.data or None}
    text = (form.text.data or "").strip()
    key = "message" if step is Action.ASK else "reason"
    return {key: text} if text else {}


def refused(reference: str, err: Exception, **forms: object) -> ResponseReturnValue:
    """Undo the attempt, say why, and show the case again with what the coordinator typed."""
    db.session.rollback()
    flash(str(err), "error")
    status = 409 if isinstance(err, VersionConflict) else 400
    return case_page(case_or_404(reference), status, **forms)


def merged_into(item: Case) -> Case | None:
    """The case this one was merged into, if any."""
    return db.session.get(Case, item.merged_into_id) if item.merged_into_id else None


from tracker.review.views import publication  # noqa: E402 - forms of the publication routes
