"""A real SMTP server for the notification tests (aiosmtpd on 127.0.0.1 and a free port)."""

from __future__ import annotations

import asyncio
import socket
import threading
import time
from collections.abc import Callable, Iterator
from email import message_from_bytes
from email.message import Message
from email.policy import default as default_policy
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from flask import Flask
from flask.testing import FlaskClient

from tests.builders import DEFAULT_PASSWORD
from tracker.accounts.models import User


class Inbox:
    """aiosmtpd handler that keeps every message it receives; it can be told to hold them."""

    def __init__(self) -> None:
        self.messages: list[Message] = []
        self.release = threading.Event()
        self.release.set()

    async def handle_DATA(self, _server: Any, _session: Any, envelope: Any) -> str:
        await asyncio.get_running_loop().run_in_executor(None, self.release.wait, 10)
        message = message_from_bytes(envelope.content, policy=default_policy)
        message["X-Envelope-To"] = ", ".join(envelope.rcpt_tos)
        self.messages.append(message)
        return "250 OK"

    def to(self, address: str) -> list[Message]:
        """Messages delivered to `address` (by envelope and header alike)."""
        return [m for m in self.messages if m["To"] == address == m["X-Envelope-To"]]

    def wait_for(self, count: int, timeout: float = 10) -> None:
        """Wait until `count` messages have arrived."""
        deadline = time.monotonic() + timeout
        while len(self.messages) < count and time.monotonic() < deadline:
            time.sleep(0.02)
        assert len(self.messages) >= count, self.messages


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def smtp() -> Iterator[tuple[Inbox, int]]:
    """A running SMTP server and its port."""
    inbox, port = Inbox(), free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    yield inbox, port
    inbox.release.set()
    controller.stop()


@pytest.fixture
def inbox(smtp: tuple[Inbox, int]) -> Inbox:
    return smtp[0]


@pytest.fixture
def mail_app(make_app: Callable[..., Flask], smtp: tuple[Inbox, int]) -> Iterator[Flask]:
    """The app sending through the test's SMTP server, with an app context pushed."""
    app = make_app(MAIL_SERVER="127.0.0.1", MAIL_PORT=smtp[1], MAIL_USE_TLS=False)
    with app.app_context():
        yield app


def client_for(app: Flask, user: User) -> FlaskClient:
    """A test client signed in as `user` (who must be committed)."""
    client = app.test_client()
    response = client.post("/login", data={"email": user.email, "password": DEFAULT_PASSWORD})
    assert response.status_code == 302, response.text
    return client
