"""The progress-bar script sends one file per request and reads a JSON answer."""

from __future__ import annotations

import hashlib
import io
from collections.abc import Callable

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient

from tests.builders import make_case
from tests.evidence_support import PDF, files_url, nothing_stored, photo
from tracker.accounts.models import User
from tracker.evidence.models import Evidence
from tracker.extensions import db

JSON = {"Accept": "application/json"}


def test_one_file_answers_json_with_ids_and_receipt(
    client: FlaskClient, login_as: Callable[..., User]
) -> None:
    case = make_case(login_as())
    db.session.commit()
    response = client.post(
        files_url(case),
        data={"file-upload": [(io.BytesIO(PDF), "report.pdf")], "file-description": "A report"},
        content_type="multipart/form-data",
        headers=JSON,
    )
    assert response.status_code == 201
    [evidence_id] = response.json["ids"]
    stored = db.session.get(Evidence, evidence_id)
    assert stored is not None and stored.sha256 == hashlib.sha256(PDF).hexdigest()
    assert response.json["receipt_url"] == f"/cases/{case.reference}/evidence/receipt"


def test_refusals_answer_json_with_a_message(
    app: Flask, client: FlaskClient, login_as: Callable[..., User]
) -> None:
    case = make_case(login_as())
    db.session.commit()
    nothing = client.post(
        files_url(case), data={}, content_type="multipart/form-data", headers=JSON
    )
    assert nothing.status_code == 400 and nothing.json["ok"] is False and nothing.json["message"]
    html = client.post(
        files_url(case),
        data={"file-upload": [(io.BytesIO(b"<html><script>x</script>"), "a.jpg")]},
        content_type="multipart/form-data",
        headers=JSON,
    )
    assert html.status_code >= 400 and html.json["ok"] is False and html.json["message"]
    assert nothing_stored(app)


def test_photo_position_becomes_the_case_point(
    client: FlaskClient, login_as: Callable[..., User]
) -> None:
    member = login_as()
    case = make_case(member)
    db.session.commit()
    client.post(
        files_url(case),
        data={"file-upload": [(io.BytesIO(photo()), "street.jpg")]},
        content_type="multipart/form-data",
    )
    original = db.session.scalars(
        sa.select(Evidence).where(Evidence.case_id == case.id, Evidence.parent_id.is_(None))
    ).one()
    assert original.exif_lat == pytest.approx(44.51, abs=0.01)
    page = client.get(f"/cases/{case.reference}").text
    assert f"/cases/{case.reference}/point-from/{original.id}" in page
    response = client.post(f"/cases/{case.reference}/point-from/{original.id}")
    assert response.status_code == 302
    db.session.refresh(case)
    assert (case.lat, case.lon) == (original.exif_lat, original.exif_lon)
    assert client.post(f"/cases/{case.reference}/point-from/999999").status_code == 404
