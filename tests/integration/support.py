"""Helpers shared by the account and security tests: signing in, reading mail, translations."""

from __future__ import annotations

import email
import email.policy
import re
from email.message import EmailMessage

import pytest
from flask import Flask
from flask.testing import FlaskClient
from flask_babel import force_locale, gettext
from markupsafe import escape
from werkzeug.test import TestResponse

from tests.builders import DEFAULT_PASSWORD

MAIL_LOG = "mail (no SMTP server configured)"


def sign_in(
    client: FlaskClient,
    email_address: str,
    password: str = DEFAULT_PASSWORD,
    **query: str,
) -> TestResponse:
    """POST the login form (with an optional ?next= and other query arguments)."""
    return client.post(
        "/login", query_string=query, data={"email": email_address, "password": password}
    )


def signed_in(client: FlaskClient) -> bool:
    """True when the client's session still opens a page behind login."""
    response = client.get("/account/")
    if response.status_code == 200:
        return True
    assert response.status_code == 302, response.status_code
    assert response.headers["Location"].startswith("/login")
    return False


def sent_mail(caplog: pytest.LogCaptureFixture) -> list[EmailMessage]:
    """Every message the app wrote to the log instead of sending it, decoded."""
    found = []
    for record in caplog.records:
        text = record.getMessage()
        if text.startswith(MAIL_LOG):
            raw = text.removeprefix(MAIL_LOG).lstrip("\n")
            found.append(email.message_from_string(raw, policy=email.policy.default))
    return found  # type: ignore[return-value]


def token_from_mail(message: EmailMessage, path: str) -> str:
    """The token in the message's link to `path` (e.g. "/invite/")."""
    body = message.get_content()
    found = re.findall(re.escape(path) + r"([A-Za-z0-9_-]+)", body)
    assert len(found) == 1, body
    return found[0]


def in_language(app: Flask, locale: str, text: str, **variables: object) -> str:
    """`text` translated into `locale` by the app's catalogues."""
    with app.app_context(), force_locale(locale):
        return gettext(text, **variables)


def translated(app: Flask, locale: str, text: str, **variables: object) -> str:
    """`text` as a page shows it in `locale` (HTML-escaped, as templates render it)."""
    return str(escape(in_language(app, locale, text, **variables)))


def html_lang(response: TestResponse) -> str:
    """The language the page declares on its <html> element."""
    found = re.search(r'<html lang="([^"]+)"', response.text)
    assert found, response.text[:200]
    return found.group(1)
