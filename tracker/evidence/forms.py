"""Forms for adding evidence and withdrawing it. They validate and parse; services decide."""

from __future__ import annotations

from datetime import date

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import MultipleFileField
from werkzeug.datastructures import FileStorage
from wtforms import BooleanField, DateField, TextAreaField, URLField
from wtforms.validators import DataRequired, Length, Optional, ValidationError

from tracker.dbtypes import utcnow
from tracker.evidence.services import MAX_FILES, ItemInfo
from tracker.forms import TrackerForm

REQUIRED = _l("This field is required.")


class AboutForm(TrackerForm):
    """What the member tells about any item."""

    description = TextAreaField(
        _l("Description"), validators=[Length(max=20_000)], render_kw={"rows": 3}
    )
    obtained_how = TextAreaField(
        _l("How it was obtained"), validators=[Length(max=5_000)], render_kw={"rows": 2}
    )
    public = BooleanField(_l("May be shown publicly once the case is published"), default=False)

    def info(self) -> ItemInfo:
        return ItemInfo(self.description.data, self.obtained_how.data, bool(self.public.data))


def chosen_files(data: list[FileStorage] | None) -> list[FileStorage]:
    """The parts that carry a file (a browser sends an empty part when none is chosen)."""
    return [f for f in data or [] if isinstance(f, FileStorage) and f.filename]


def _some_files(_form: FlaskForm, field: MultipleFileField) -> None:
    chosen = chosen_files(field.data)
    if not chosen:
        raise ValidationError(_l("Choose at least one file."))
    if len(chosen) > MAX_FILES:
        raise ValidationError(_l("Add at most %(count)s files at once.", count=MAX_FILES))


class FilesForm(AboutForm):
    upload = MultipleFileField(_l("Files"), validators=[_some_files])

    def uploads(self) -> list[FileStorage]:
        return chosen_files(self.upload.data)


def _not_in_future(_form: FlaskForm, field: DateField) -> None:
    if isinstance(field.data, date) and field.data > utcnow().date():
        raise ValidationError(_l("This date is in the future."))


class LinkForm(AboutForm):
    url = URLField(
        _l("Web address"),
        validators=[DataRequired(REQUIRED), Length(max=2000)],
        render_kw={"placeholder": "https://"},
    )
    seen_on = DateField(
        _l("When you saw it"),
        validators=[Optional(), _not_in_future],
    )


class TestimonyForm(AboutForm):
    text = TextAreaField(
        _l("Testimony"),
        validators=[DataRequired(_l("Write the testimony.")), Length(max=100_000)],
        render_kw={"rows": 12},
    )
    confidential = BooleanField(
        _l("Confidential: only you and the coordinators may read it"), default=True
    )

    def validate_public(self, field: BooleanField) -> None:
        if field.data and self.confidential.data:
            raise ValidationError(_l("A confidential testimony cannot be shown publicly."))


class WithdrawForm(TrackerForm):
    reason = TextAreaField(
        _l("Why is it withdrawn?"),
        validators=[DataRequired(_l("Give a reason for withdrawing it.")), Length(max=2000)],
        render_kw={"rows": 3},
    )
