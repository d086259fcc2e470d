"""Helpers for the evidence tests: multipart bodies, generated streams, photos, submitting."""

from __future__ import annotations

import hashlib
import io
from collections.abc import Iterable
from datetime import date
from pathlib import Path

from flask import Flask
from flask.testing import FlaskClient
from PIL import Image
from werkzeug.test import TestResponse

from tests.builders import DEFAULT_PASSWORD, make_user, municipality
from tracker.accounts.models import Role, User
from tracker.cases import lifecycle
from tracker.cases.models import Case
from tracker.evidence.services import get_storage
from tracker.evidence.storage import LocalStorage
from tracker.extensions import db
from tracker.workflow import Action

MB = 1024 * 1024
BOUNDARY = "----evidence-test-boundary-7f3a"
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << >>\n%%EOF\n"


def files_url(case: Case) -> str:
    return f"/cases/{case.reference}/evidence/files"


def post_files(
    client: FlaskClient, case: Case, files: Iterable[tuple[bytes, str]], **fields: str
) -> TestResponse:
    """Send the files form through the test client (werkzeug builds the multipart body)."""
    data: dict[str, object] = {f"file-{name}": value for name, value in fields.items()}
    data["file-upload"] = [(io.BytesIO(content), name) for content, name in files]
    return client.post(files_url(case), data=data, content_type="multipart/form-data")


def multipart_parts(
    fields: dict[str, str], filename: str, content_type: str = "application/octet-stream"
) -> tuple[bytes, bytes]:
    """The bytes before and after one file's content in a multipart body."""
    head = b""
    for name, value in fields.items():
        head += (
            f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'
        ).encode()
    head += (
        f"--{BOUNDARY}\r\n"
        f'Content-Disposition: form-data; name="file-upload"; filename="{filename}"\r\n'
        f"Content-Type: {content_type}\r\n\r\n"
    ).encode()
    return head, f"\r\n--{BOUNDARY}--\r\n".encode()


MULTIPART = f"multipart/form-data; boundary={BOUNDARY}"


class GeneratedBody(io.RawIOBase):
    """A request body made on the fly: head, `size` bytes of a repeating text, tail.

    Nothing of the content is ever held whole, in the test or in the app. With `cut`, the
    data ends there although the body claims its full length (a client that went away).
    """

    LINE = b"evidence line 0123456789 abcdefghijklmnopqrstuvwxyz ABCDEFGHIJKLMNOPQRSTUVWXYZ\n"

    def __init__(self, head: bytes, size: int, tail: bytes, cut: int | None = None) -> None:
        self.head, self.size, self.tail = head, size, tail
        self.block = self.LINE * (64 * 1024 // len(self.LINE) + 2)
        self.pos = 0
        self.cut = self.length if cut is None else cut
        self.served = 0  # bytes handed out, to show what was (not) read

    @property
    def length(self) -> int:
        return len(self.head) + self.size + len(self.tail)

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True  # werkzeug's test client measures the body by seeking to its end

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        base = {io.SEEK_SET: 0, io.SEEK_CUR: self.pos, io.SEEK_END: self.length}[whence]
        self.pos = base + offset
        return self.pos

    def tell(self) -> int:
        return self.pos

    def readinto(self, buffer: bytearray | memoryview) -> int:  # type: ignore[override]
        view = memoryview(buffer).cast("B")
        written = 0
        while written < len(view) and self.pos < self.cut:
            chunk = self._at(self.pos, min(len(view) - written, self.cut - self.pos))
            view[written : written + len(chunk)] = chunk
            written += len(chunk)
            self.pos += len(chunk)
        self.served += written
        return written

    def _at(self, pos: int, most: int) -> bytes:
        if pos < len(self.head):
            return self.head[pos : pos + most]
        pos -= len(self.head)
        if pos < self.size:
            offset = pos % len(self.LINE)
            return self.block[offset : offset + min(most, self.size - pos, 64 * 1024)]
        pos -= self.size
        return self.tail[pos : pos + most]

    @classmethod
    def content_sha256(cls, size: int) -> str:
        """The SHA-256 of the generated content alone, computed the same streaming way."""
        body, digest = cls(b"", size, b""), hashlib.sha256()
        buffer = bytearray(256 * 1024)
        while read := body.readinto(buffer):
            digest.update(buffer[:read])
        return digest.hexdigest()


def storage_of(app: Flask) -> LocalStorage:
    with app.app_context():
        return get_storage()


def nothing_stored(app: Flask) -> bool:
    """No stored file and no temporary upload file left."""
    storage = storage_of(app)
    return list(storage.hashes()) == [] and storage.leftovers() == []


def sign_in(client: FlaskClient, user: User) -> None:
    response = client.post("/login", data={"email": user.email, "password": DEFAULT_PASSWORD})
    assert response.status_code == 302, response.text


def new_member(app: Flask, role: Role = Role.MEMBER) -> User:
    with app.app_context():
        user = make_user(role)
        db.session.commit()
        db.session.refresh(user)
        db.session.expunge(user)
        return user


def submit(case: Case) -> None:
    """Submit the case for review as its reporter (filling what submission requires)."""
    case.title = case.title or "A case"
    case.description = case.description or "What happened."
    case.municipality = case.municipality or municipality()
    case.occurred_on = case.occurred_on or date(2026, 3, 14)
    lifecycle.apply(case, case.reporter, Action.SUBMIT)
    db.session.commit()


def photo(
    *,
    size: tuple[int, int] = (64, 48),
    fmt: str = "JPEG",
    mode: str = "RGB",
    taken: str | None = "2024:05:17 14:30:00",
    offset: str | None = None,
    gps: tuple[str, tuple[float, float, float], str, tuple[float, float, float]] | None = (
        "N",
        (44.0, 30.0, 36.0),
        "E",
        (20.0, 15.0, 0.0),
    ),
    make: str | None = "Canon",
    model: str | None = "Canon EOS 5D",
    orientation: int | None = None,
) -> bytes:
    """A photo with the EXIF asked for, written by Pillow."""
    image = Image.new(mode, size, (200, 30, 30, 128) if mode == "RGBA" else (200, 30, 30))
    exif = Image.Exif()
    if make:
        exif[0x010F] = make
    if model:
        exif[0x0110] = model
    if orientation:
        exif[0x0112] = orientation
    if taken:
        exif.get_ifd(0x8769)[0x9003] = taken
    if offset:
        exif.get_ifd(0x8769)[0x9011] = offset
    if gps:
        ifd = exif.get_ifd(0x8825)
        ifd[1], ifd[2], ifd[3], ifd[4] = gps
    out = io.BytesIO()
    extra = {"comment": b"secret comment"} if fmt == "JPEG" else {}
    image.save(out, fmt, exif=exif, **extra)
    return out.getvalue()


def stored_path(app: Flask, sha256: str) -> Path:
    return Path(app.config["STORAGE_DIR"]) / sha256[:2] / sha256[2:4] / sha256
