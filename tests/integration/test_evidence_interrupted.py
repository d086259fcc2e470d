"""Interrupted uploads leave no row and no file: disconnects, storage and database failures."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient

from tests.builders import make_case, make_evidence
from tests.evidence_support import (
    MB,
    MULTIPART,
    PDF,
    GeneratedBody,
    files_url,
    multipart_parts,
    nothing_stored,
    photo,
    post_files,
    storage_of,
)
from tracker.accounts.models import User
from tracker.audit.models import Event
from tracker.cases.models import Case
from tracker.evidence.models import Evidence
from tracker.extensions import db


@pytest.fixture(autouse=True)
def english(client: FlaskClient) -> None:
    """These tests read the interface's messages in English (the source language)."""
    client.set_cookie("lang", "en")


def _draft(login_as: Callable[..., User]) -> Case:
    case = make_case(login_as())
    db.session.commit()
    return case


def _no_evidence() -> bool:
    rows = db.session.scalar(sa.select(sa.func.count()).select_from(Evidence))
    events = db.session.scalar(
        sa.select(sa.func.count()).select_from(Event).where(Event.kind == "evidence_added")
    )
    return rows == 0 and events == 0


@pytest.mark.parametrize("cut_at", [0.01, 0.5, 0.999])
def test_client_disconnect_mid_body(
    app: Flask, client: FlaskClient, login_as: Callable[..., User], cut_at: float
) -> None:
    case = _draft(login_as)
    head, tail = multipart_parts({"file-description": "half"}, "video.txt")
    body = GeneratedBody(head, 3 * MB, tail)
    body.cut = int(body.length * cut_at)  # the client goes away; Content-Length stays full
    response = client.post(files_url(case), input_stream=body, content_type=MULTIPART)
    assert response.status_code == 400
    assert body.served == body.cut
    assert _no_evidence()
    assert nothing_stored(app)


def test_body_ending_without_its_closing_boundary(
    app: Flask, client: FlaskClient, login_as: Callable[..., User]
) -> None:
    case = _draft(login_as)
    head, _tail = multipart_parts({}, "notes.txt")
    response = client.post(
        files_url(case), data=head + b"some text that never ends", content_type=MULTIPART
    )
    assert response.status_code == 400
    assert _no_evidence()
    assert nothing_stored(app)


def test_storage_failure_keeps_nothing_and_says_so(
    app: Flask,
    client: FlaskClient,
    login_as: Callable[..., User],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    case = _draft(login_as)
    real_replace, calls = os.replace, []

    def fail_second(src: Any, dst: Any) -> None:
        calls.append(dst)
        if len(calls) == 2:
            raise OSError(28, "No space left on device")
        real_replace(src, dst)

    monkeypatch.setattr("tracker.evidence.storage.os.replace", fail_second)
    response = post_files(
        client, case, [(PDF, "first.pdf"), (b"second\n", "second.txt")], description="typed"
    )
    assert response.status_code == 503
    assert "could not be stored. Nothing was saved" in response.text
    assert "typed" in response.text
    assert len(calls) == 2  # the first file was in place, and was removed again
    assert _no_evidence()
    assert nothing_stored(app)


def test_storage_failure_on_the_photo_copy(
    app: Flask,
    client: FlaskClient,
    login_as: Callable[..., User],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    case = _draft(login_as)
    real_replace = os.replace

    def fail_on_copy(src: Any, dst: Any) -> None:
        if list(storage_of(app).hashes()):
            raise OSError(5, "I/O error")
        real_replace(src, dst)

    monkeypatch.setattr("tracker.evidence.storage.os.replace", fail_on_copy)
    assert post_files(client, case, [(photo(), "photo.jpg")]).status_code == 503
    assert _no_evidence()
    assert nothing_stored(app)


def _database_down(*_args: Any, **_kwargs: Any) -> None:
    raise sa.exc.OperationalError("COMMIT", {}, Exception("server closed the connection"))


@pytest.mark.parametrize("step", ["flush", "commit"])
def test_database_failure_after_the_file_is_written(
    app: Flask,
    client: FlaskClient,
    login_as: Callable[..., User],
    monkeypatch: pytest.MonkeyPatch,
    step: str,
) -> None:
    case = _draft(login_as)
    stored: list[str] = []
    real_keep = type(storage_of(app)).keep

    def keep_and_note(self: Any, incoming: Any) -> Any:
        result = real_keep(self, incoming)
        stored.append(result.sha256)
        return result

    monkeypatch.setattr(type(storage_of(app)), "keep", keep_and_note)
    monkeypatch.setattr(db.session, step, _database_down)
    response = post_files(client, case, [(PDF, "a.pdf"), (photo(), "b.jpg")])
    monkeypatch.undo()
    assert response.status_code == 503
    assert len(stored) == 3  # both files and the photo's copy were in place before the failure
    assert _no_evidence()
    assert nothing_stored(app)


def test_failed_commit_keeps_a_file_another_row_uses(
    app: Flask,
    client: FlaskClient,
    login_as: Callable[..., User],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    case = _draft(login_as)
    make_evidence(case, data=PDF, name="earlier.pdf")
    db.session.commit()
    monkeypatch.setattr(db.session, "commit", _database_down)
    assert post_files(client, case, [(PDF, "again.pdf"), (b"new\n", "new.txt")]).status_code == 503
    monkeypatch.undo()
    assert list(storage_of(app).hashes()) == [hashlib.sha256(PDF).hexdigest()]
    assert storage_of(app).leftovers() == []
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Evidence)) == 1


def test_unexpected_error_in_the_view_leaves_nothing(
    app: Flask,
    client: FlaskClient,
    login_as: Callable[..., User],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    case = _draft(login_as)

    def broken(*_args: Any, **_kwargs: Any) -> None:
        raise RuntimeError("bug")

    monkeypatch.setattr("tracker.evidence.files.record_event", broken)
    with pytest.raises(RuntimeError):  # TESTING propagates; in production a 500 page
        post_files(client, case, [(PDF, "a.pdf")])
    assert _no_evidence()
    assert nothing_stored(app)
