"""Adding evidence through the forms: files end to end, links, testimony, bad input, receipts."""

from __future__ import annotations

import hashlib
import io
import json
import re
import stat
from collections.abc import Callable
from datetime import UTC, datetime

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient
from markupsafe import escape
from PIL import Image

from tests.builders import make_case
from tests.evidence_support import (
    PDF,
    nothing_stored,
    photo,
    post_files,
    storage_of,
    stored_path,
)
from tracker.accounts.models import User
from tracker.audit.models import Event
from tracker.evidence.models import Evidence, EvidenceKind
from tracker.extensions import db


@pytest.fixture(autouse=True)
def english(client: FlaskClient) -> None:
    """These tests read the interface's messages in English (the source language)."""
    client.set_cookie("lang", "en")


def _events(kind: str) -> list[Event]:
    return list(db.session.scalars(sa.select(Event).where(Event.kind == kind).order_by(Event.id)))


def test_file_upload_end_to_end(
    app: Flask, client: FlaskClient, login_as: Callable[..., User]
) -> None:
    member = login_as()
    case = make_case(member)
    db.session.commit()
    response = post_files(
        client, case, [(PDF, "zapisnik.pdf")], description="Minutes", obtained_how="From a clerk"
    )
    assert response.status_code == 302, response.text
    assert f"/cases/{case.reference}/evidence/receipt?items=" in response.headers["Location"]

    row = db.session.scalars(sa.select(Evidence)).one()
    sha = hashlib.sha256(PDF).hexdigest()
    assert (row.kind, row.sha256, row.size, row.media_type) == (
        EvidenceKind.FILE,
        sha,
        len(PDF),
        "application/pdf",
    )
    assert (row.original_name, row.description, row.obtained_how) == (
        "zapisnik.pdf",
        "Minutes",
        "From a clerk",
    )
    assert row.added_by_id == member.id and row.public is False and row.parent_id is None
    path = stored_path(app, sha)
    assert path.read_bytes() == PDF
    assert not path.stat().st_mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH)
    assert list(storage_of(app).hashes()) == [sha] and storage_of(app).leftovers() == []

    [event] = _events("evidence_added")
    assert event.case_id == case.id and event.user_id == member.id
    assert event.details == {
        "evidence": row.id,
        "kind": "file",
        "sha256": sha,
        "size": len(PDF),
        "type": "application/pdf",
    }

    receipt = client.get(response.headers["Location"])
    assert receipt.status_code == 200
    for text in ("zapisnik.pdf", sha, "application/pdf", f"{len(PDF)} bytes"):
        assert text in receipt.text
    as_text = client.get(
        f"/cases/{case.reference}/evidence/receipt.txt", query_string={"items": str(row.id)}
    )
    assert as_text.mimetype == "text/plain"
    assert as_text.headers["Content-Disposition"].startswith("attachment;")
    assert f"SHA-256: {sha}" in as_text.text and "zapisnik.pdf" in as_text.text

    page = client.get(f"/cases/{case.reference}")
    assert f'<code class="hash">{sha}</code>' in page.text
    assert f"/evidence/{row.id}/download" in page.text


def test_files_stream_into_storage_not_werkzeug_temp_files(
    client: FlaskClient, login_as: Callable[..., User], monkeypatch: pytest.MonkeyPatch
) -> None:
    def refuse(**_kwargs: object) -> None:
        raise AssertionError("the upload went through werkzeug's temporary file")

    monkeypatch.setattr("werkzeug.wrappers.request.default_stream_factory", refuse)
    case = make_case(login_as())
    db.session.commit()
    assert post_files(client, case, [(PDF, "a.pdf")]).status_code == 302


def test_several_files_at_once_and_same_content_stored_once(
    app: Flask, client: FlaskClient, login_as: Callable[..., User]
) -> None:
    case = make_case(login_as())
    db.session.commit()
    text = b"A witness's notes, typed up.\n"
    response = post_files(client, case, [(PDF, "one.pdf"), (text, "notes.txt")])
    assert response.status_code == 302
    receipt = client.get(response.headers["Location"])
    assert receipt.text.count('data-testid="receipt-item"') == 2
    again = post_files(client, case, [(PDF, "one-again.pdf")])
    assert again.status_code == 302
    rows = db.session.scalars(sa.select(Evidence).order_by(Evidence.id)).all()
    assert [r.original_name for r in rows] == ["one.pdf", "notes.txt", "one-again.pdf"]
    assert sorted(storage_of(app).hashes()) == sorted(
        {hashlib.sha256(PDF).hexdigest(), hashlib.sha256(text).hexdigest()}
    )


def test_link_with_date_and_note(client: FlaskClient, login_as: Callable[..., User]) -> None:
    case = make_case(login_as())
    db.session.commit()
    response = client.post(
        f"/cases/{case.reference}/evidence/link",
        data={
            "link-url": "https://example.org/tender?id=7",
            "link-seen_on": "2026-03-01",
            "link-description": "The tender notice",
        },
    )
    assert response.status_code == 302, response.text
    row = db.session.scalars(sa.select(Evidence)).one()
    assert row.kind is EvidenceKind.LINK and row.url == "https://example.org/tender?id=7"
    assert row.seen_at is not None and row.seen_at.date().isoformat() == "2026-03-01"
    assert row.description == "The tender notice"
    [event] = _events("evidence_added")
    assert event.details == {"evidence": row.id, "kind": "link"}
    assert "https://example.org/tender?id=7" in client.get(response.headers["Location"]).text


def test_testimony_is_confidential_by_default_and_never_in_events(
    client: FlaskClient, login_as: Callable[..., User]
) -> None:
    case = make_case(login_as())
    db.session.commit()
    page = client.get(f"/cases/{case.reference}/evidence/add")
    assert re.search(r'<input[^>]*checked[^>]*name="testimony-confidential"', page.text) or (
        re.search(r'<input[^>]*name="testimony-confidential"[^>]*checked', page.text)
    )
    secret = "I saw the director take the envelope."
    response = client.post(
        f"/cases/{case.reference}/evidence/testimony",
        data={"testimony-text": f"  {secret}\r\n", "testimony-confidential": "y"},
    )
    assert response.status_code == 302, response.text
    row = db.session.scalars(sa.select(Evidence)).one()
    assert row.kind is EvidenceKind.TESTIMONY and row.testimony == secret
    assert row.confidential is True and row.public is False
    assert row.sha256 == hashlib.sha256(secret.encode()).hexdigest()
    [event] = _events("evidence_added")
    assert secret not in json.dumps(event.details) and event.details["sha256"] == row.sha256
    assert secret in client.get(f"/cases/{case.reference}").text  # the author reads it


def test_confidential_testimony_cannot_be_public(
    client: FlaskClient, login_as: Callable[..., User]
) -> None:
    case = make_case(login_as())
    db.session.commit()
    response = client.post(
        f"/cases/{case.reference}/evidence/testimony",
        data={"testimony-text": "Words", "testimony-confidential": "y", "testimony-public": "y"},
    )
    assert response.status_code == 400
    assert "cannot be shown publicly" in response.text
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Evidence)) == 0


@pytest.mark.parametrize(
    ("path", "data", "message", "kept"),
    [
        (
            "files",
            {"file-description": "Typed description", "file-upload": (b"", "")},
            "Choose at least one file.",
            "Typed description",
        ),
        (
            "link",
            {"link-url": "javascript:alert(1)", "link-description": "My note"},
            "Enter a full web address starting with http:// or https://.",
            "javascript:alert(1)",
        ),
        (
            "link",
            {"link-url": "ftp://example.org/file", "link-description": "My note"},
            "Enter a full web address starting with http:// or https://.",
            "ftp://example.org/file",
        ),
        (
            "link",
            {"link-url": "https://example.org", "link-seen_on": "2999-01-01"},
            "This date is in the future.",
            "https://example.org",
        ),
        (
            "testimony",
            {"testimony-text": "   ", "testimony-description": "Who the witness is"},
            "Write the testimony.",
            "Who the witness is",
        ),
    ],
    ids=["no-file", "javascript-url", "ftp-url", "future-date", "empty-testimony"],
)
def test_bad_input_is_refused_with_a_message_and_kept(
    app: Flask,
    client: FlaskClient,
    login_as: Callable[..., User],
    path: str,
    data: dict[str, object],
    message: str,
    kept: str,
) -> None:
    case = make_case(login_as())
    db.session.commit()
    if path == "files":
        content, name = data["file-upload"]  # type: ignore[misc]
        data = {**data, "file-upload": (io.BytesIO(content), name)}
    response = client.post(f"/cases/{case.reference}/evidence/{path}", data=data)
    assert response.status_code == 400
    assert str(escape(message)) in response.text
    assert str(escape(kept)) in response.text
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Evidence)) == 0
    assert nothing_stored(app)


def test_page_in_english_when_asked(client: FlaskClient, login_as: Callable[..., User]) -> None:
    case = make_case(login_as())
    db.session.commit()
    page = client.get(f"/cases/{case.reference}/evidence/add?lang=en")
    assert page.status_code == 200 and '<html lang="en">' in page.text
    assert 'enctype="multipart/form-data"' in page.text and "multiple" in page.text
    assert "<script>" not in page.text and "style=" not in page.text


def test_add_link_shown_only_when_allowed(
    client: FlaskClient, login_as: Callable[..., User]
) -> None:
    case = make_case(login_as())
    db.session.commit()
    assert f"/cases/{case.reference}/evidence/add" in client.get(f"/cases/{case.reference}").text


def test_photo_exif_read_and_copy_made_without_metadata(
    app: Flask, client: FlaskClient, login_as: Callable[..., User]
) -> None:
    case = make_case(login_as())
    db.session.commit()
    data = photo(orientation=6)
    assert post_files(client, case, [(data, "IMG_0001.JPG")], public="y").status_code == 302
    original = db.session.scalars(sa.select(Evidence).where(Evidence.parent_id.is_(None))).one()
    copy = db.session.scalars(sa.select(Evidence).where(Evidence.parent_id.is_not(None))).one()
    assert original.sha256 == hashlib.sha256(data).hexdigest()
    assert stored_path(app, original.sha256).read_bytes() == data  # the original is untouched
    assert original.exif_taken_at == datetime(2024, 5, 17, 14, 30, tzinfo=UTC)
    assert (original.exif_lat, original.exif_lon) == (pytest.approx(44.51), pytest.approx(20.25))
    assert original.exif_device == "Canon EOS 5D" and original.public is True

    assert copy.parent_id == original.id and copy.parent is original
    assert copy.media_type == "image/jpeg" and copy.original_name == "IMG_0001-no-metadata.jpg"
    assert copy.public is True and copy.exif_lat is None
    with Image.open(stored_path(app, copy.sha256 or "")) as image:
        assert len(image.getexif()) == 0 and len(image.getexif().get_ifd(0x8825)) == 0
        assert image.size == (48, 64)
    [event] = _events("evidence_added")
    assert event.details["sha256"] == original.sha256
    assert event.details["derivative"] == copy.id
    assert event.details["derivative_sha256"] == copy.sha256


def test_broken_photo_is_stored_without_exif_or_copy(
    client: FlaskClient, login_as: Callable[..., User]
) -> None:
    case = make_case(login_as())
    db.session.commit()
    broken = photo()[:300]  # a JPEG header and little else
    assert post_files(client, case, [(broken, "cut.jpg")]).status_code == 302
    row = db.session.scalars(sa.select(Evidence)).one()
    assert row.media_type == "image/jpeg" and row.exif_taken_at is None
