"""Forms for administrators."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import EmailField, SelectChoice, SelectField, StringField, URLField
from wtforms.validators import DataRequired, Email, Length

from tracker.accounts.forms import REQUIRED
from tracker.accounts.models import Role
from tracker.forms import TrackerForm
from tracker.labels import ROLE_LABELS


def role_choices() -> list[SelectChoice]:
    """Roles as choices, labelled in the interface language."""
    return [SelectChoice(role.value, str(label)) for role, label in ROLE_LABELS.items()]


class InviteForm(TrackerForm):
    email = EmailField(
        _l("Email"),
        validators=[
            DataRequired(REQUIRED),
            Email(_l("Enter a valid email address.")),
            Length(max=254),
        ],
    )
    role = SelectField(_l("Role"), choices=role_choices, default=Role.MEMBER.value)
    organisation = SelectField(_l("Organisation"), coerce=int, default=0)


class RoleForm(TrackerForm):
    role = SelectField(_l("Role"), choices=role_choices)


class OrganisationForm(TrackerForm):
    """A member organisation of the network (a signatory of publications)."""

    name = StringField(_l("Name"), validators=[DataRequired(REQUIRED), Length(max=200)])
    short_name = StringField(_l("Short name"), validators=[Length(max=60)])
    website = URLField(_l("Website"), validators=[Length(max=300)])
