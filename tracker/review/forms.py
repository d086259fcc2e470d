"""Forms of the review queue and the coordinator's case page."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    HiddenField,
    IntegerField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, NumberRange, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from tracker.accounts.forms import REQUIRED
from tracker.forms import TrackerForm


class QueueFilterForm(TrackerForm):
    """The queue's filters: a GET form, so no CSRF token (it changes nothing)."""

    class Meta:
        csrf = False

    status = SelectField(_l("Status"), choices=[], default="")
    municipality = StringField(_l("Municipality"), validators=[Optional(), Length(max=120)])
    district = SelectField(_l("District"), choices=[], default="")
    category = SelectField(_l("Category"), choices=[], default="")
    assignee = SelectField(_l("Assigned to"), choices=[], default="")
    older_than = IntegerField(
        _l("Waiting more than (days)"), validators=[Optional(), NumberRange(0, 3650)]
    )
    sort = SelectField(
        _l("Order"),
        choices=lambda: [
            SelectChoice("oldest", str(_l("Waiting longest first"))),
            SelectChoice("newest", str(_l("Newest first"))),
            SelectChoice("activity", str(_l("Recent activity first"))),
            SelectChoice("reference", str(_l("By reference"))),
        ],
        default="oldest",
    )


class AssignForm(TrackerForm):
    assignee = SelectField(_l("Assign to"), choices=[])


class NoteForm(TrackerForm):
    body = TextAreaField(
        _l("Message"),
        validators=[DataRequired(REQUIRED), Length(max=20_000)],
        render_kw={"rows": 3},
    )
    internal = BooleanField(_l("Internal note (coordinators only)"), default=True)


class DecisionForm(TrackerForm):
    """The text some lifecycle actions require: a question, a reason, a correction note."""

    text = TextAreaField(_l("Text"), validators=[Length(max=20_000)], render_kw={"rows": 3})


class VerifyForm(TrackerForm):
    sources = BooleanField(_l("Sources corroborated"))
    evidence = BooleanField(_l("Evidence reviewed"))
    safety = BooleanField(_l("Consent and safety of sources considered"))
    remarks = TextAreaField(_l("Remarks"), validators=[Length(max=5_000)], render_kw={"rows": 2})


class PublishForm(TrackerForm):
    summary = TextAreaField(
        _l("Public summary (what the public will read)"),
        validators=[Length(max=20_000)],
        render_kw={"rows": 5},
    )
    category = SelectField(_l("Category"), choices=[])
    precision = SelectField(
        _l("Point shown to the public"),
        choices=lambda: [
            SelectChoice("municipality", str(_l("Municipality only (safest)"))),
            SelectChoice("rounded", str(_l("Rounded to about 1 km"))),
            SelectChoice("exact", str(_l("Exact point"))),
        ],
        default="municipality",
    )
    evidence = SelectMultipleField(
        _l("Evidence shown to the public"),
        choices=[],
        coerce=int,
        widget=ListWidget(prefix_label=False),
        option_widget=CheckboxInput(),
    )
    version = HiddenField()


class CorrectForm(TrackerForm):
    summary = TextAreaField(
        _l("Corrected public summary"), validators=[Length(max=20_000)], render_kw={"rows": 5}
    )
    note = StringField(
        _l("Public note on what was corrected"),
        validators=[DataRequired(REQUIRED), Length(max=500)],
    )
    version = HiddenField()


class MergeForm(TrackerForm):
    into = StringField(
        _l("Reference of the case to keep (e.g. IN-2026-00042)"),
        validators=[DataRequired(REQUIRED), Length(max=20)],
    )
