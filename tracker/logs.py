"""Logging that never keeps a raw IP address (the adversary could subpoena or seize logs)."""

from __future__ import annotations

import ipaddress
import logging
import re

from flask import Flask

# Candidates: runs of hex digits, dots and colons; ipaddress decides (times like 01:00:00
# and versions like 0.1.0 are not addresses).
CANDIDATE = re.compile(r"(?<![\w:.])[0-9A-Fa-f:.]{2,45}(?![\w:])")
MASK = "[address removed]"
# Loggers that see client addresses: the development server, the rate limiter, the app.
SCRUBBED_LOGGERS = ("werkzeug", "flask-limiter", "gunicorn.access", "gunicorn.error")


def _mask(match: re.Match[str]) -> str:
    token = match.group(0)
    core = token.rstrip(".")
    try:
        ipaddress.ip_address(core)
    except ValueError:
        return token
    return MASK + token[len(core) :]


def scrub(text: str) -> str:
    """The text with every IPv4/IPv6 address replaced."""
    return CANDIDATE.sub(_mask, text)


class ScrubAddresses(logging.Filter):
    """Rewrites a record's message so that no IP address reaches any handler."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        cleaned = scrub(message)
        if cleaned != message:
            record.msg, record.args = cleaned, None
        return True


def init_app(app: Flask) -> None:
    """Attach the filter to the app's logger and to the loggers that see addresses."""
    scrubber = ScrubAddresses()
    for name in (app.logger.name, *SCRUBBED_LOGGERS):
        logger = logging.getLogger(name)
        if not any(isinstance(f, ScrubAddresses) for f in logger.filters):
            logger.addFilter(scrubber)
