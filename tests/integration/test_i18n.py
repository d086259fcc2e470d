"""Interface language: ?lang=, the lang cookie, the user's saved choice, Accept-Language, default.

These use the compiled catalogues (`make translations`, which `make install` runs).
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from flask.testing import FlaskClient
from wtforms import Form

from tracker.accounts.models import Role, User
from tracker.extensions import db
from tracker.forms import Subform, TrackerForm
from tracker.i18n_catalogues import LOCALES, po_path

LATIN_SIGN_IN = "Prijavite se"
CYRILLIC_SIGN_IN = "Пријавите се"
ENGLISH_SIGN_IN = "Sign in"


@pytest.fixture(scope="module", autouse=True)
def _compiled_catalogues() -> None:
    """Fail clearly when the .mo files are missing or older than the .po files."""
    for locale in LOCALES:
        po = po_path(locale)
        mo = po.with_suffix(".mo")
        if not mo.exists() or mo.stat().st_mtime < po.stat().st_mtime:
            pytest.fail(f"{mo} is missing or out of date: run `make translations`")


def _html_lang(text: str) -> str:
    start = text.index("<html lang=") + len('<html lang="')
    return text[start : text.index('"', start)]


def test_default_is_serbian_latin(client: FlaskClient) -> None:
    response = client.get("/login")
    assert response.status_code == 200
    assert _html_lang(response.text) == "sr-Latn"
    assert LATIN_SIGN_IN in response.text
    assert "Lozinka" in response.text
    assert CYRILLIC_SIGN_IN not in response.text
    assert "Forgot your password?" not in response.text


def test_lang_parameter_chooses_cyrillic(client: FlaskClient) -> None:
    response = client.get("/login?lang=sr-Cyrl")
    assert '<html lang="sr-Cyrl">' in response.text
    assert CYRILLIC_SIGN_IN in response.text
    assert "Лозинка" in response.text
    assert LATIN_SIGN_IN not in response.text


def test_lang_parameter_chooses_english(client: FlaskClient) -> None:
    response = client.get("/login?lang=en")
    assert _html_lang(response.text) == "en"
    assert ENGLISH_SIGN_IN in response.text
    assert "Forgot your password?" in response.text
    assert "Prijav" not in response.text


def test_cookie_remembers_the_choice(client: FlaskClient) -> None:
    client.get("/login?lang=en")
    cookie = client.get_cookie("lang")
    assert cookie is not None
    assert cookie.value == "en"
    assert cookie.http_only
    response = client.get("/login")
    assert ENGLISH_SIGN_IN in response.text
    assert _html_lang(response.text) == "en"

    client.get("/login?lang=sr-Cyrl")
    assert CYRILLIC_SIGN_IN in client.get("/login").text


def test_accept_language_when_nothing_else_chose(client: FlaskClient) -> None:
    english = client.get("/login", headers={"Accept-Language": "en-GB,en;q=0.9"})
    assert ENGLISH_SIGN_IN in english.text
    cyrillic = client.get("/login", headers={"Accept-Language": "sr-Cyrl"})
    assert CYRILLIC_SIGN_IN in cyrillic.text
    bare_serbian = client.get("/login", headers={"Accept-Language": "sr"})
    assert LATIN_SIGN_IN in bare_serbian.text
    unknown = client.get("/login", headers={"Accept-Language": "de"})
    assert LATIN_SIGN_IN in unknown.text


def test_cookie_beats_accept_language(client: FlaskClient) -> None:
    client.get("/login?lang=sr-Latn")
    response = client.get("/login", headers={"Accept-Language": "en"})
    assert LATIN_SIGN_IN in response.text


def test_unknown_lang_falls_back_to_default(client: FlaskClient) -> None:
    response = client.get("/login?lang=xx")
    assert response.status_code == 200
    assert _html_lang(response.text) == "sr-Latn"
    assert LATIN_SIGN_IN in response.text
    assert client.get_cookie("lang") is None


def test_saved_locale_of_a_signed_in_user(
    client: FlaskClient, login_as: Callable[..., User]
) -> None:
    user = login_as()
    user.locale = "en"
    db.session.commit()
    response = client.get("/", headers={"Accept-Language": "sr"})
    assert _html_lang(response.text) == "en"
    assert "Latest findings" in response.text
    # An explicit choice still wins, and is kept for the next request.
    assert "Најновији налази" in client.get("/?lang=sr-Cyrl").text
    assert "Најновији налази" in client.get("/").text


def test_saving_the_language_in_settings(
    client: FlaskClient, login_as: Callable[..., User]
) -> None:
    user = login_as()
    response = client.post("/account/", data={"locale": "sr_Cyrl"}, follow_redirects=True)
    assert response.status_code == 200
    assert user.locale == "sr_Cyrl"
    assert _html_lang(response.text) == "sr-Cyrl"
    assert "Мој налог" in response.text


@pytest.mark.parametrize(
    ("lang", "title", "message"),
    [
        ("sr-Latn", "Stranica nije pronađena", "Na ovoj adresi nema stranice."),
        ("sr-Cyrl", "Страница није пронађена", "На овој адреси нема странице."),
        ("en", "Page not found", "There is no page at this address."),
    ],
)
def test_not_found_page_is_translated(
    client: FlaskClient, lang: str, title: str, message: str
) -> None:
    response = client.get(f"/no-such-page?lang={lang}")
    assert response.status_code == 404
    assert _html_lang(response.text) == lang
    assert title in response.text
    assert message in response.text


@pytest.mark.parametrize(
    ("lang", "too_long", "actor_too_long", "not_a_number"),
    [
        ("sr-Latn", "Polje ne može biti duže od 300 karaktera.",
         "Polje ne može biti duže od 200 karaktera.", "Nije validna vrednost decimalnog broja."),
        ("sr-Cyrl", "Поље не може бити дуже од 300 карактера.",
         "Поље не може бити дуже од 200 карактера.", "Није валидна вредност децималног броја."),
        ("en", "Field cannot be longer than 300 characters.",
         "Field cannot be longer than 200 characters.", "Not a valid decimal value."),
    ],
)  # fmt: skip
def test_the_form_library_s_own_messages_follow_the_language(
    client: FlaskClient,
    login_as: Callable[..., User],
    lang: str,
    too_long: str,
    actor_too_long: str,
    not_a_number: str,
) -> None:
    """WTForms writes some messages itself (limits, unreadable numbers), also in a subform
    (an actor row); they come in the interface's language and script, with the form kept."""
    login_as(Role.MEMBER)
    data = {
        "title": "t" * 301, "description": "kept description", "when": "", "municipality": "",
        "place": "", "lat": "north", "lon": "", "category": "", "source_notes": "",
        "actors-0-name": "a" * 201, "actors-0-kind": "institution",
        "actors-0-role": "responsible", "action": "save",
    }  # fmt: skip
    response = client.post(f"/cases/new?lang={lang}", data=data)
    assert response.status_code == 400
    assert _html_lang(response.text) == lang
    for message in (too_long, actor_too_long, not_a_number):
        assert message in response.text
    assert "kept description" in response.text and "north" in response.text


def test_every_form_takes_the_translated_messages() -> None:
    """A form built on FlaskForm or Form directly would show WTForms' messages in Latin (or
    English) under the Cyrillic interface: every form in the package uses the bases."""
    import importlib
    import pkgutil

    import tracker

    for module in pkgutil.walk_packages(tracker.__path__, "tracker."):
        if module.name.endswith(".forms"):
            importlib.import_module(module.name)

    def every(cls: type) -> list[type]:
        return [cls, *(sub for child in cls.__subclasses__() for sub in every(child))]

    ours = [c for c in every(Form) if c.__module__.startswith("tracker.")]
    assert len(ours) > 20
    untranslated = [c for c in ours if not issubclass(c, (TrackerForm, Subform))]
    assert untranslated == []
