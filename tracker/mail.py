"""Outgoing mail through SMTP; with no server configured, mail goes to the log."""

from __future__ import annotations

import smtplib
import ssl
from email.message import EmailMessage

from flask import current_app


class MailFailure(Exception):
    """Sending failed; the message says why without naming any address."""


def send_mail(to: str, subject: str, body: str) -> bool:
    """Send a plain-text message (or log it when no SMTP server is set); False if sending failed."""
    try:
        deliver_mail(to, subject, body)
    except MailFailure as exc:
        current_app.logger.error("sending mail failed: %s (recipient not logged)", exc)
        return False
    return True


def deliver_mail(to: str, subject: str, body: str) -> None:
    """Send a plain-text message (or log it when no SMTP server is set); raise MailFailure."""
    cfg = current_app.config
    msg = EmailMessage()
    msg["From"] = cfg["MAIL_FROM"]
    msg["To"] = to
    msg["Subject"] = subject
    msg.set_content(body)
    if not cfg["MAIL_SERVER"]:
        current_app.logger.warning("mail (no SMTP server configured)\n%s", msg.as_string())
        return
    try:
        _deliver(msg)
    except (smtplib.SMTPException, OSError) as exc:
        raise MailFailure(failure_text(exc)) from None


def failure_text(exc: BaseException) -> str:
    """What went wrong, safe to log and store: servers often echo the recipient's address."""
    code = getattr(exc, "smtp_code", None) or getattr(exc, "errno", None)
    return f"{type(exc).__name__} ({code})" if code else type(exc).__name__


def _deliver(msg: EmailMessage) -> None:
    cfg = current_app.config
    context = ssl.create_default_context()
    smtp_cls = smtplib.SMTP_SSL if cfg["MAIL_USE_SSL"] else smtplib.SMTP
    kwargs = {"context": context} if cfg["MAIL_USE_SSL"] else {}
    with smtp_cls(cfg["MAIL_SERVER"], int(cfg["MAIL_PORT"]), timeout=10, **kwargs) as smtp:
        if cfg["MAIL_USE_TLS"] and not cfg["MAIL_USE_SSL"]:
            smtp.starttls(context=context)
        if cfg["MAIL_USERNAME"]:
            smtp.login(cfg["MAIL_USERNAME"], cfg["MAIL_PASSWORD"])
        smtp.send_message(msg)
