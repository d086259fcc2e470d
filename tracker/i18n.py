"""Interface language: Serbian Latin (default), Serbian Cyrillic and English."""

from __future__ import annotations

from urllib.parse import urlencode

from flask import Flask, Response, current_app, has_request_context, request
from flask_babel import get_locale, refresh
from flask_login import current_user

from tracker.text import latin_to_cyrillic

# URL/cookie tag -> Babel locale, and the name each language calls itself.
LANGUAGES: dict[str, str] = {"sr-Latn": "sr_Latn", "sr-Cyrl": "sr_Cyrl", "en": "en"}
LANGUAGE_NAMES: dict[str, str] = {"sr-Latn": "Srpski", "sr-Cyrl": "Српски", "en": "English"}
HTML_LANG: dict[str, str] = {"sr_Latn": "sr-Latn", "sr_Cyrl": "sr-Cyrl", "en": "en"}
DEFAULT_LOCALE = "sr_Latn"
COOKIE = "lang"
# Accept-Language tags we answer; a bare "sr" gets the network's default, Latin.
_ACCEPT = {"sr-Latn": "sr_Latn", "sr-Cyrl": "sr_Cyrl", "sr": "sr_Latn", "en": "en"}


def _from_tag(tag: str | None) -> str | None:
    return LANGUAGES.get(tag or "")


def select_locale() -> str:
    """?lang=, then the language cookie, then the user's preference, Accept-Language, default."""
    if not has_request_context():
        return DEFAULT_LOCALE  # command line and mail outside a request: force_locale sets it
    chosen = (
        _from_tag(request.args.get("lang"))
        or _from_tag(request.cookies.get(COOKIE))
        or (current_user.locale if current_user.is_authenticated else None)
        or _ACCEPT.get(request.accept_languages.best_match(list(_ACCEPT)) or "")
        or DEFAULT_LOCALE
    )
    return chosen if chosen in LANGUAGES.values() else DEFAULT_LOCALE


def remember_language(response: Response) -> Response:
    """after_request: keep a ?lang= choice in a cookie."""
    tag = request.args.get("lang")
    if tag in LANGUAGES:
        response.set_cookie(
            COOKIE,
            tag,
            max_age=365 * 24 * 3600,
            samesite="Lax",
            httponly=True,
            secure=current_app.config["SESSION_COOKIE_SECURE"],
        )
        if response.cache_control.public:
            # A shared cache must not hand this visitor's cookie to the next one.
            response.cache_control.public = False
            response.cache_control.private = True
    return response


def current_tag() -> str:
    """The current interface language as a URL tag (sr-Latn, sr-Cyrl, en)."""
    return HTML_LANG.get(str(get_locale()), "sr-Latn")


def is_cyrillic() -> bool:
    """True when the interface is in Serbian Cyrillic."""
    return str(get_locale()) == "sr_Cyrl"


def lang_url(tag: str) -> str:
    """The current page's URL with ?lang= set to `tag`."""
    args = request.args.to_dict(flat=False)
    args["lang"] = [tag]
    return f"{request.path}?{urlencode(args, doseq=True)}"


def local_text(latin: str, english: str | None = None) -> str:
    """Data kept in Serbian Latin (and optionally English) shown in the current language."""
    locale = str(get_locale())
    if locale == "en" and english:
        return english
    return latin_to_cyrillic(latin) if locale == "sr_Cyrl" else latin


def init_app(app: Flask) -> None:
    """Register the cookie hook and template helpers."""
    # Flask-Babel caches the locale on `g`, which outlives a request when an app context
    # was pushed around several (tests, CLI): choose afresh for every request.
    app.before_request(refresh)
    app.after_request(remember_language)
    app.jinja_env.globals.update(
        LANGUAGE_NAMES=LANGUAGE_NAMES,
        lang_url=lang_url,
        current_tag=current_tag,
        is_cyrillic=is_cyrillic,
        local_text=local_text,
    )
