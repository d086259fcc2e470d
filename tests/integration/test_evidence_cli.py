"""`flask evidence verify` and `flask evidence sweep`."""

from __future__ import annotations

import io
import os
import time
from collections.abc import Callable

import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner

from tests.builders import make_case, make_evidence
from tests.evidence_support import PDF, photo, post_files, storage_of, stored_path
from tracker.accounts.models import User
from tracker.evidence.models import Evidence
from tracker.extensions import db


def test_verify_passes_then_names_a_corrupted_and_a_missing_file(
    app: Flask, client: FlaskClient, runner: FlaskCliRunner, login_as: Callable[..., User]
) -> None:
    case = make_case(login_as())
    db.session.commit()
    assert post_files(client, case, [(PDF, "a.pdf"), (photo(), "p.jpg")]).status_code == 302
    ok = runner.invoke(args=["evidence", "verify"])
    assert ok.exit_code == 0, ok.output
    assert "Evidence intact: 3 stored files" in ok.output  # the photo's copy counts

    pdf = db.session.scalars(sa.select(Evidence).where(Evidence.media_type == "application/pdf"))
    sha = pdf.one().sha256 or ""
    path = stored_path(app, sha)
    os.chmod(path, 0o640)  # files are stored read-only
    path.write_bytes(PDF + b"tampered")
    bad = runner.invoke(args=["evidence", "verify"])
    assert bad.exit_code == 1
    assert f"mismatch: {sha}" in bad.output

    path.unlink()
    gone = runner.invoke(args=["evidence", "verify"])
    assert gone.exit_code == 1 and f"missing: {sha}" in gone.output


def test_verify_checks_rows_against_their_events(
    app: Flask, runner: FlaskCliRunner, login_as: Callable[..., User]
) -> None:
    evidence = make_evidence(make_case(login_as()), data=b"first\n")
    db.session.commit()
    other = storage_of(app).save(io.BytesIO(b"other content\n"), 1 << 20)
    evidence.sha256 = other.sha256  # the row now points at another (intact) file
    db.session.commit()
    result = runner.invoke(args=["evidence", "verify"])
    assert result.exit_code == 1
    assert f"no matching evidence_added event: evidence {evidence.id}" in result.output


def test_sweep_lists_and_removes_orphans_and_stale_temporary_files(
    app: Flask, runner: FlaskCliRunner, login_as: Callable[..., User]
) -> None:
    storage = storage_of(app)
    kept = make_evidence(make_case(login_as()), data=b"kept\n")
    db.session.commit()
    orphan = storage.save(io.BytesIO(b"nobody uses me\n"), 1 << 20).sha256
    stale = storage.incoming(1 << 20)
    stale.write(b"half an upload")
    stale.flush()
    old = time.time() - 3 * 24 * 3600
    os.utime(storage.path(orphan), (old, old))
    os.utime(stale.path, (old, old))
    fresh = storage.incoming(1 << 20)  # an upload in progress right now

    listed = runner.invoke(args=["evidence", "sweep"])
    assert listed.exit_code == 0, listed.output
    assert f"orphan: {orphan}" in listed.output and stale.path.name in listed.output
    assert kept.sha256 not in listed.output and fresh.path.name not in listed.output
    assert storage.exists(orphan) and stale.path.exists()

    removed = runner.invoke(args=["evidence", "sweep", "--delete"])
    assert removed.exit_code == 0 and "Removed 2 file(s)." in removed.output
    assert not storage.exists(orphan) and not stale.path.exists()
    assert storage.exists(kept.sha256 or "") and fresh.path.exists()
    stale.close()
    fresh.close()
    assert storage.leftovers() == []
