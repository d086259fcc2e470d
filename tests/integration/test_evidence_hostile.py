"""Hostile files: each is refused with a message, or stored and only ever served as a download."""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient
from markupsafe import escape
from PIL import Image
from werkzeug.test import TestResponse

from tests.builders import DEFAULT_PASSWORD, make_case
from tests.evidence_support import (
    MULTIPART,
    GeneratedBody,
    files_url,
    multipart_parts,
    new_member,
    nothing_stored,
    post_files,
    sign_in,
    storage_of,
)
from tracker.accounts.models import User
from tracker.cases.models import Case
from tracker.evidence.models import Evidence
from tracker.extensions import db


@pytest.fixture(autouse=True)
def english(client: FlaskClient) -> None:
    """These tests read the interface's messages in English (the source language)."""
    client.set_cookie("lang", "en")


SVG_SCRIPT = (
    b'<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg">'
    b"<script>alert(document.cookie)</script></svg>"
)
SVG_BARE = b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><rect/></svg>'
HTML = b"<!DOCTYPE html><html><body><script>alert(1)</script></body></html>"
HTML_LATE = b"Harmless first line\n" + b"<html><script>alert(1)</script></html>"


def _png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (8, 8), (0, 128, 0)).save(out, "PNG")
    return out.getvalue()


def _jpeg_with_html_comment() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (8, 8)).save(out, "JPEG", comment=b"<html><script>alert(1)</script>")
    return out.getvalue()


def _draft(login_as: Callable[..., User]) -> Case:
    case = make_case(login_as())
    db.session.commit()
    return case


REFUSED = [
    (SVG_SCRIPT, "drawing.svg", "script-svg"),
    (SVG_BARE, "drawing.svg", "bare-svg"),
    (HTML, "photo.jpg", "html-named-jpg"),
    (HTML_LATE, "notes.txt", "html-after-text"),
    (b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 200, "setup.pdf", "windows-executable"),
    (b"\x7fELF\x02\x01\x01" + b"\x00" * 200, "tool.txt", "elf-executable"),
    (b"text with a \x1b[31mterminal escape\x1b[0m\n", "ansi.txt", "control-characters"),
]


@pytest.mark.parametrize(("content", "name"), [r[:2] for r in REFUSED], ids=[r[2] for r in REFUSED])
def test_refused_with_a_message(
    app: Flask, client: FlaskClient, login_as: Callable[..., User], content: bytes, name: str
) -> None:
    case = _draft(login_as)
    response = post_files(client, case, [(content, name)], description="kept text")
    assert response.status_code == 400
    assert f"{escape(name)} cannot be added" in response.text
    assert "kept text" in response.text
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Evidence)) == 0
    assert nothing_stored(app)


def test_one_bad_file_refuses_the_whole_upload(
    app: Flask, client: FlaskClient, login_as: Callable[..., User]
) -> None:
    case = _draft(login_as)
    response = post_files(client, case, [(_png(), "fine.png"), (HTML, "bad.jpg")])
    assert response.status_code == 400 and "bad.jpg cannot be added" in response.text
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Evidence)) == 0
    assert nothing_stored(app)


def test_empty_file_refused(app: Flask, client: FlaskClient, login_as: Callable[..., User]) -> None:
    case = _draft(login_as)
    response = post_files(client, case, [(b"", "empty.pdf")])
    assert response.status_code == 400 and "The file empty.pdf is empty." in response.text
    assert nothing_stored(app)


def _download(client: FlaskClient, evidence: Evidence) -> TestResponse:
    response = client.get(f"/evidence/{evidence.id}/download")
    assert response.status_code == 200
    assert response.headers["Content-Disposition"].startswith("attachment; filename=")
    assert "filename*=UTF-8''" in response.headers["Content-Disposition"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Content-Security-Policy"] == "sandbox; default-src 'none'"
    assert response.headers["Cache-Control"] == "no-store"
    response.get_data()
    response.close()  # what a WSGI server does: closes the stored file
    return response


STORED = [
    (_png(), "report.pdf", "image/png", "report.pdf.png", "png-named-pdf"),
    (b"just text\n", "tool.exe", "text/plain", "tool.exe.txt", "text-named-exe"),
    (b"echo hi\r\n", "run.bat", "text/plain", "run.bat.txt", "script-named-bat"),
    (_jpeg_with_html_comment(), "polyglot.jpg", "image/jpeg", "polyglot.jpg", "jpeg-with-html"),
    (b"root:x:0:0\n", "../../etc/passwd", "text/plain", "passwd.txt", "path-traversal"),
    (b"dots\n", "..", "text/plain", "evidence-{id}.txt", "dot-dot"),
    (b"hidden\n", ".bashrc", "text/plain", "bashrc.txt", "hidden-name"),
]


@pytest.mark.parametrize(
    ("content", "name", "media_type", "offered"),
    [r[:4] for r in STORED],
    ids=[r[4] for r in STORED],
)
def test_stored_as_data_and_served_only_as_attachment(
    app: Flask,
    client: FlaskClient,
    login_as: Callable[..., User],
    content: bytes,
    name: str,
    media_type: str,
    offered: str,
) -> None:
    case = _draft(login_as)
    assert post_files(client, case, [(content, name)]).status_code == 302
    row = db.session.scalars(sa.select(Evidence).where(Evidence.parent_id.is_(None))).one()
    assert row.media_type == media_type and row.original_name == name
    response = _download(client, row)
    assert response.data == content
    assert response.mimetype == media_type
    assert f'filename="{offered.format(id=row.id)}"' in response.headers["Content-Disposition"]
    storage_root = Path(app.config["STORAGE_DIR"])
    assert not (storage_root.parent / "etc").exists()
    assert all(p.parent.parent.parent == storage_root for p in storage_root.glob("??/??/*"))


def test_control_characters_in_names_are_dropped(
    client: FlaskClient, login_as: Callable[..., User]
) -> None:
    case = _draft(login_as)
    name = "bad\x07\x1bname\u202egpj.exe\x7f.txt"
    assert post_files(client, case, [(b"plain\n", name)]).status_code == 302
    row = db.session.scalars(sa.select(Evidence)).one()
    assert row.original_name == "badnamegpj.exe.txt"
    disposition = _download(client, row).headers["Content-Disposition"]
    assert all(32 <= ord(ch) < 127 for ch in disposition)


def test_names_are_capped(client: FlaskClient, login_as: Callable[..., User]) -> None:
    case = _draft(login_as)
    assert post_files(client, case, [(b"plain\n", "n" * 600 + ".txt")]).status_code == 302
    row = db.session.scalars(sa.select(Evidence)).one()
    assert row.original_name is not None
    assert len(row.original_name) == 255 and row.original_name.endswith("….txt")


def test_header_injection_in_name_is_harmless(
    client: FlaskClient, login_as: Callable[..., User]
) -> None:
    case = _draft(login_as)
    head, tail = multipart_parts({}, 'x".txt\r\nX-Injected: yes')
    body = head + b"plain\n" + tail
    client.post(files_url(case), data=body, content_type=MULTIPART)
    for row in db.session.scalars(sa.select(Evidence)):
        response = _download(client, row)
        assert "X-Injected" not in response.headers


def _small_app_client(make_app: Callable[..., Flask]) -> tuple[Flask, FlaskClient, Case]:
    app = make_app(MAX_UPLOAD_MB=1)
    member = new_member(app)
    with app.app_context():
        case = make_case(db.session.get(User, member.id))
        db.session.commit()
        db.session.refresh(case)
        db.session.expunge(case)
    client = app.test_client()
    sign_in(client, member)
    return app, client, case


def test_oversized_file_gets_a_413_naming_the_limit(make_app: Callable[..., Flask]) -> None:
    app, client, case = _small_app_client(make_app)
    # Encoded here: werkzeug's test client leaves its own temporary file open for large bodies.
    head, tail = multipart_parts({"file-description": "big"}, "big.txt")
    big = b"x" * (1024 * 1024 + 1)
    response = client.post(
        files_url(case) + "?lang=en", data=head + big + tail, content_type=MULTIPART
    )
    assert response.status_code == 413
    assert '<html lang="en">' in response.text
    assert "Each file may be at most 1 MB" in response.text
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Evidence)) == 0
    assert nothing_stored(app)
    exactly = client.post(files_url(case), data=head + big[:-1] + tail, content_type=MULTIPART)
    assert exactly.status_code == 302  # the limit itself is allowed
    assert len(list(storage_of(app).hashes())) == 1


def test_body_over_the_request_limit_is_refused_before_reading(
    make_app: Callable[..., Flask],
) -> None:
    app, client, case = _small_app_client(make_app)
    head, tail = multipart_parts({}, "big.txt")
    body = GeneratedBody(head, 50 * 1024 * 1024, tail)
    response = client.post(files_url(case) + "?lang=en", input_stream=body, content_type=MULTIPART)
    assert response.status_code == 413 and "at most 1 MB" in response.text
    assert body.served == 0
    assert nothing_stored(app)


def test_with_csrf_protection_on(make_app: Callable[..., Flask]) -> None:
    """In production the CSRF check parses the body first: it streams, refuses, cleans up."""
    app = make_app(WTF_CSRF_ENABLED=True, MAX_UPLOAD_MB=1)
    member = new_member(app)
    with app.app_context():
        case = make_case(db.session.get(User, member.id))
        db.session.commit()
        reference = case.reference
    client = app.test_client()
    login_page = client.get("/login").text
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', login_page)
    assert token
    response = client.post(
        "/login",
        data={"email": member.email, "password": DEFAULT_PASSWORD, "csrf_token": token[1]},
    )
    assert response.status_code == 302
    page = client.get(f"/cases/{reference}/evidence/add").text
    found = re.search(r'name="file-csrf_token" type="hidden" value="([^"]+)"', page)
    assert found
    url = f"/cases/{reference}/evidence/files"

    forged = client.post(url, data={"file-upload": (io.BytesIO(b"text\n"), "a.txt")})
    assert forged.status_code == 400
    assert nothing_stored(app)

    head, tail = multipart_parts({"file-csrf_token": found[1]}, "big.txt")
    too_big = client.post(
        url + "?lang=en", data=head + b"x" * (1024 * 1024 + 1) + tail, content_type=MULTIPART
    )
    assert too_big.status_code == 413 and "at most 1 MB" in too_big.text
    assert nothing_stored(app)

    ok = client.post(
        url, data={"file-csrf_token": found[1], "file-upload": (io.BytesIO(b"text\n"), "a.txt")}
    )
    assert ok.status_code == 302
    assert len(list(storage_of(app).hashes())) == 1 and storage_of(app).leftovers() == []
