"""The case form. It validates and parses; saving is the services' job."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    DecimalField,
    FieldList,
    FormField,
    HiddenField,
    SelectChoice,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import Length, NumberRange, Optional, ValidationError

from tracker.actors.models import ActorKind, ActorRole
from tracker.cases.dates import parse_when
from tracker.forms import Subform, TrackerForm
from tracker.labels import ACTOR_KIND_LABELS, ACTOR_ROLE_LABELS

ACTOR_ROWS = 3


def _choices(labels: dict) -> list[SelectChoice]:
    return [SelectChoice(key.value, str(label)) for key, label in labels.items()]


class ActorRowForm(Subform):
    """One actor named in the case (no CSRF of its own: it lives inside CaseForm)."""

    name = StringField(
        _l("Name"),
        validators=[Optional(), Length(max=200)],
        render_kw={"list": "actor-options", "autocomplete": "off"},
    )
    kind = SelectField(
        _l("Kind"), choices=lambda: _choices(ACTOR_KIND_LABELS), default=ActorKind.INSTITUTION
    )
    role = SelectField(
        _l("Role in the case"),
        choices=lambda: _choices(ACTOR_ROLE_LABELS),
        default=ActorRole.RESPONSIBLE,
    )


def _valid_when(_form: FlaskForm, field: StringField) -> None:
    if field.data and field.data.strip():
        try:
            parse_when(field.data)
        except ValueError as err:
            raise ValidationError(
                _l("Write the date as 14.03.2026, 03.2026 or 2026 (not in the future).")
            ) from err


class CaseForm(TrackerForm):
    title = StringField(_l("Title"), validators=[Length(max=300)])
    description = TextAreaField(
        _l("What happened"), validators=[Length(max=100_000)], render_kw={"rows": 10}
    )
    when = StringField(
        _l("When it happened"),
        validators=[Length(max=20), _valid_when],
        render_kw={"placeholder": "14.03.2026"},
    )
    municipality = StringField(
        _l("Municipality"),
        validators=[Length(max=120)],
        render_kw={"list": "municipality-options", "autocomplete": "off"},
    )
    place = StringField(_l("Place (address, building, area)"), validators=[Length(max=300)])
    lat = DecimalField(_l("Latitude"), places=None, validators=[Optional(), NumberRange(-90, 90)])
    lon = DecimalField(
        _l("Longitude"), places=None, validators=[Optional(), NumberRange(-180, 180)]
    )
    category = SelectField(_l("Category"), choices=[])
    actors = FieldList(FormField(ActorRowForm), min_entries=ACTOR_ROWS, max_entries=20)
    source_notes = TextAreaField(
        _l("Confidential source notes"), validators=[Length(max=20_000)], render_kw={"rows": 4}
    )
    version = HiddenField()
