"""Send the mail a request queued once it has committed, without making the request wait."""

from __future__ import annotations

import threading

from flask import Flask, current_app

from tracker.notifications.outbox import committed_ids, deliver_pending


def _deliver(app: Flask, ids: list[int]) -> None:
    with app.app_context():  # a session of its own, apart from the request's
        try:
            deliver_pending(limit=len(ids), ids=ids)
        except Exception:  # a mail or database hiccup: the rows stay queued for the cron job
            app.logger.exception("delivering mail failed; it will be retried")


def send_what_the_request_committed(_error: BaseException | None = None) -> None:
    """After the request: send what it committed to the outbox (in a thread by default)."""
    ids = committed_ids()
    if not ids:
        return
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    if app.config["MAIL_DELIVERY"] == "inline":
        _deliver(app, ids)  # tests: deterministic, failures still contained
    else:
        threading.Thread(target=_deliver, args=(app, ids), daemon=True).start()
