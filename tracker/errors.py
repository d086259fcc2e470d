"""Error pages in the user's language, never with a stack trace."""

from __future__ import annotations

from flask import Flask, Response, jsonify, make_response, render_template, request
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import OperationalError
from werkzeug.exceptions import HTTPException, InternalServerError, MethodNotAllowed

from tracker.extensions import db

MESSAGES = {
    400: (
        _l("Bad request"),
        _l("The request could not be understood. Please go back and try again."),
    ),
    403: (_l("Not allowed"), _l("You do not have permission to open this page.")),
    404: (_l("Page not found"), _l("There is no page at this address.")),
    405: (_l("Method not allowed"), _l("This page cannot be used that way.")),
    413: (_l("File too large"), _l("What you sent is larger than the allowed size.")),
    429: (_l("Too many attempts"), _l("Too many attempts. Wait a minute and try again.")),
    500: (_l("Something went wrong"), _l("An error occurred on our side. It has been logged.")),
    503: (_l("Service unavailable"), _l("The service is unavailable right now. Try again soon.")),
}
CSRF_MESSAGE = _l(
    "The form expired or was sent from elsewhere. Go back, reload the page and send it again."
)


def _wants_json() -> bool:
    best = request.accept_mimetypes.best_match(["text/html", "application/json"])
    return request.path.startswith("/api/") or best == "application/json"


def render_error(code: int, message: str | None = None) -> tuple[object, int]:
    """The error page (or JSON for API clients) for an HTTP status."""
    title, default = MESSAGES.get(code, MESSAGES[500])
    text = message or default
    if _wants_json():
        return jsonify(error=str(title), message=str(text), status=code), code
    return render_template("errors/error.html", code=code, title=title, message=text), code


def handle_http(error: HTTPException) -> Response:
    """Any HTTP error the app raises."""
    code = error.code or 500
    if code >= 500:
        db.session.rollback()
    known = code if code in MESSAGES else (500 if code >= 500 else 400)
    response = make_response(render_error(known))
    response.status_code = code
    if isinstance(error, MethodNotAllowed) and error.valid_methods:
        response.headers["Allow"] = ", ".join(error.valid_methods)
    return response


def handle_csrf(_error: CSRFError) -> tuple[object, int]:
    """A form without a valid CSRF token."""
    return render_error(400, str(CSRF_MESSAGE))


def handle_database_down(_error: OperationalError) -> tuple[object, int]:
    """The database cannot be reached."""
    db.session.rollback()
    return render_error(503)


def handle_unexpected(_error: Exception) -> tuple[object, int]:
    """Any other exception: log it (Flask does), roll back, show a plain page."""
    db.session.rollback()
    return render_error(500)


def init_app(app: Flask) -> None:
    """Register the handlers."""
    app.register_error_handler(CSRFError, handle_csrf)
    app.register_error_handler(HTTPException, handle_http)
    app.register_error_handler(OperationalError, handle_database_down)
    app.register_error_handler(InternalServerError, handle_unexpected)
