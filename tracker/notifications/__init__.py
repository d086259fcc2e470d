"""Notifications: in the app, and by email in the recipient's language."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Track the outbox per transaction, send after each request, and add the unread count."""
    from flask_login import current_user

    from tracker.notifications import delivery, outbox, services

    outbox.listen()
    app.teardown_request(delivery.send_what_the_request_committed)

    def unread_notifications() -> int:
        return services.unread_count(current_user) if current_user.is_authenticated else 0

    app.jinja_env.globals["unread_notifications"] = unread_notifications
