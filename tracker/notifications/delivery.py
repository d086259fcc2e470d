"""Send the outbox after the request that filled it, without making that request wait."""

from __future__ import annotations

import threading

from flask import Flask, Response, current_app, g

from tracker.notifications.services import deliver_pending


def _deliver_in_background(app: Flask) -> None:
    with app.app_context():
        try:
            deliver_pending()
        except Exception:  # never let a mail problem escape into a thread's traceback
            app.logger.exception("delivering mail failed; it will be retried")


def after_request(response: Response) -> Response:
    """Once the view has committed, start sending what it queued."""
    if not g.pop("mail_pending", False):
        return response
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    if app.config["MAIL_DELIVERY"] == "inline":
        _deliver_in_background(app)  # tests: deterministic, failures still contained
    else:
        threading.Thread(target=_deliver_in_background, args=(app,), daemon=True).start()
    return response


def init_app(app: Flask) -> None:
    """Register the hook."""
    app.after_request(after_request)
