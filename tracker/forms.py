"""The base of every form: WTForms' own messages in the interface language.

Our validators carry their own translated messages, but WTForms writes some itself ("Not a
valid choice.", the length and range limits, dates and numbers it cannot read). Flask-WTF
looks those up in WTForms' catalogues by the current locale. WTForms ships Serbian in
Latin only ("sr"), which sr_Cyrl falls back to, so the Cyrillic interface showed them in
Latin: here they are transliterated, as our own Cyrillic catalogue is made from the Latin
one (tracker.i18n_catalogues). Subforms (a FieldList of FormFields) are built with their
own meta: they take the same translations, or their messages would stay in English.
"""

from __future__ import annotations

from typing import Any

from flask_wtf import FlaskForm
from flask_wtf.i18n import translations as wtforms_catalogue
from wtforms import Form

from tracker.i18n import is_cyrillic
from tracker.text import latin_to_cyrillic


class Translations:
    """WTForms' messages for the current locale, in Cyrillic under the Cyrillic interface."""

    def gettext(self, string: str) -> str:
        return _script(wtforms_catalogue.gettext(string))

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return _script(wtforms_catalogue.ngettext(singular, plural, n))


def _script(text: str) -> str:
    return latin_to_cyrillic(text) if is_cyrillic() else text


TRANSLATIONS = Translations()


class _Translated:
    def get_translations(self, form: Any) -> Translations:
        return TRANSLATIONS


class TrackerForm(FlaskForm):
    """A page's form: CSRF-protected (Flask-WTF), messages in the interface language."""

    class Meta(_Translated):
        pass


class Subform(Form):
    """A repeated part of a form (no CSRF token of its own), messages translated."""

    class Meta(_Translated):
        pass
