"""Forms for notifications: which kinds also come by email."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import SelectMultipleField
from wtforms.widgets import CheckboxInput, ListWidget

from tracker.forms import TrackerForm


class EmailChoicesForm(TrackerForm):
    """One checkbox per kind of notification the user can receive (choices set by the view)."""

    email = SelectMultipleField(
        _l("Send me an email when"),
        choices=[],
        widget=ListWidget(prefix_label=False),
        option_widget=CheckboxInput(),
    )
