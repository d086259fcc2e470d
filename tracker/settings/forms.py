"""Forms for a user's own settings."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import PasswordField, SelectChoice, SelectField, StringField
from wtforms.validators import DataRequired, Length

from tracker.accounts.forms import REQUIRED, NewPasswordForm
from tracker.forms import TrackerForm
from tracker.i18n import LANGUAGE_NAMES, LANGUAGES


class LanguageForm(TrackerForm):
    locale = SelectField(
        _l("Language"),
        choices=[SelectChoice(LANGUAGES[tag], name) for tag, name in LANGUAGE_NAMES.items()],
    )


class PasswordChangeForm(NewPasswordForm):
    current = PasswordField(
        _l("Current password"),
        validators=[DataRequired(REQUIRED)],
        render_kw={"autocomplete": "current-password"},
    )


class TwoFactorCodeForm(TrackerForm):
    code = StringField(
        _l("Six-digit code from your authenticator app"),
        validators=[DataRequired(REQUIRED), Length(max=20)],
        render_kw={"autocomplete": "one-time-code", "inputmode": "numeric"},
    )
