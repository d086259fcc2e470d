"""No raw IP address reaches the logs."""

from __future__ import annotations

import logging

import pytest
from flask import Flask

from tracker.logs import MASK, ScrubAddresses, scrub


@pytest.mark.parametrize(
    "line",
    [
        '127.0.0.1 - - [27/Nov/2026 01:00:00] "GET / HTTP/1.1" 200 -',
        "ratelimit 5 per 1 minute (203.0.113.7) exceeded at endpoint: auth.login",
        "client 2001:db8::8a2e:370:7334 disconnected",
        "::1 - - GET /healthz",
    ],
)
def test_addresses_are_removed(line: str) -> None:
    cleaned = scrub(line)
    assert MASK in cleaned
    for address in ("127.0.0.1", "203.0.113.7", "2001:db8", "::1 "):
        assert address not in cleaned


def test_versions_and_dates_stay() -> None:
    assert scrub("tracker 0.1.0 on 2026-11-27 at 01:00") == "tracker 0.1.0 on 2026-11-27 at 01:00"


def test_the_werkzeug_logger_is_filtered(app: Flask, caplog: pytest.LogCaptureFixture) -> None:
    logger = logging.getLogger("werkzeug")
    assert any(isinstance(f, ScrubAddresses) for f in logger.filters)
    with caplog.at_level(logging.INFO, logger="werkzeug"):
        logger.info('%s - - "GET / HTTP/1.1" 200', "198.51.100.23")
    assert "198.51.100.23" not in caplog.text and MASK in caplog.text
