"""Forms for writing publications and citing cases. They parse; the services decide."""

from __future__ import annotations

from flask_babel import LazyString
from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField
from wtforms import (
    BooleanField,
    DateField,
    FieldList,
    FormField,
    HiddenField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
    URLField,
)
from wtforms.validators import DataRequired, Length, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from tracker.accounts.forms import REQUIRED
from tracker.forms import Subform, TrackerForm
from tracker.publications.models import PublicationKind, PublicationStatus
from tracker.publications.services import BODY_MAX, NOTE_MAX, REFERENCE_MAX, TITLE_MAX

KIND_LABELS: dict[PublicationKind, LazyString] = {
    PublicationKind.STATEMENT: _l("Statement"),
    PublicationKind.APPEAL: _l("Appeal"),
    PublicationKind.PRESS_RELEASE: _l("Press release"),
    PublicationKind.CONDEMNATION: _l("Condemnation"),
    PublicationKind.REPORT: _l("Report"),
    PublicationKind.ANALYSIS: _l("Analysis"),
}
STATUS_LABELS: dict[PublicationStatus, LazyString] = {
    PublicationStatus.DRAFT: _l("Draft (only coordinators see it)"),
    PublicationStatus.PUBLISHED: _l("Published (everyone sees it)"),
}


def kind_choices() -> list[SelectChoice]:
    return [SelectChoice(kind.value, str(label)) for kind, label in KIND_LABELS.items()]


def status_choices() -> list[SelectChoice]:
    return [SelectChoice(s.value, str(label)) for s, label in STATUS_LABELS.items()]


class CitedCaseForm(Subform):
    """A case the new publication will cite (no CSRF of its own: it lives in PublicationForm)."""

    reference = HiddenField(validators=[Length(max=REFERENCE_MAX)])
    keep = BooleanField(_l("Cite this case"), default=True)
    note = StringField(_l("Note on why it is cited"), validators=[Length(max=NOTE_MAX)])


class PublicationForm(TrackerForm):
    kind = SelectField(_l("Kind"), choices=kind_choices, default=PublicationKind.STATEMENT.value)
    title = StringField(_l("Title"), validators=[DataRequired(REQUIRED), Length(max=TITLE_MAX)])
    body = TextAreaField(
        _l("Text (Markdown)"), validators=[Length(max=BODY_MAX)], render_kw={"rows": 14}
    )
    published_on = DateField(_l("Date"), validators=[Optional()])
    signatories = SelectMultipleField(
        _l("Signatory organisations"),
        choices=[],
        coerce=int,
        widget=ListWidget(prefix_label=False),
        option_widget=CheckboxInput(),
    )
    external_url = URLField(
        _l("Link elsewhere (optional)"), validators=[Optional(), Length(max=2000)]
    )
    pdf = FileField(_l("PDF (for reports)"), render_kw={"accept": "application/pdf,.pdf"})
    remove_pdf = BooleanField(_l("Remove the attached PDF"))
    status = SelectField(_l("State"), choices=status_choices, default=PublicationStatus.DRAFT.value)
    cases = FieldList(FormField(CitedCaseForm), min_entries=0, max_entries=200)


class LinkForm(TrackerForm):
    """Cite one more case, or change the note of one cited already."""

    reference = StringField(
        _l("Case reference (e.g. IN-2026-00042)"),
        validators=[DataRequired(REQUIRED), Length(max=REFERENCE_MAX)],
    )
    note = StringField(_l("Note on why it is cited"), validators=[Length(max=NOTE_MAX)])


class KindFilterForm(TrackerForm):
    """The public list's filter: a GET form, so no CSRF token (it changes nothing)."""

    class Meta:
        csrf = False

    kind = SelectField(
        _l("Kind"),
        choices=lambda: [SelectChoice("", str(_l("All kinds"))), *kind_choices()],
        default="",
    )
