"""Crafted values in the case form get a 400 with the text kept, never a 500."""

from __future__ import annotations

from collections.abc import Callable

import pytest
import sqlalchemy as sa
from flask.testing import FlaskClient

from tests.integration.test_case_form import form
from tracker.accounts.models import Role
from tracker.cases.models import Case
from tracker.extensions import db


@pytest.mark.parametrize(
    "fields",
    [
        {"category": "not-a-number"},
        {"category": "999999"},
        {"actors-0-name": "Opština", "actors-0-kind": "emperor"},
        {"actors-0-name": "Opština", "actors-0-role": "villain"},
        {"lat": "nan", "lon": "20.3"},
        {"lat": "inf", "lon": "-inf"},
        {"lat": "1e999", "lon": "20"},
        {"version": "not-a-version"},
    ],
    ids=lambda f: "-".join(f),
)
def test_crafted_values_are_refused_and_the_text_kept(
    client: FlaskClient, login_as: Callable, fields: dict[str, str]
) -> None:
    login_as(Role.MEMBER)
    response = client.post("/cases/new", data=form(title="Kept title", **fields))
    assert response.status_code in (302, 400), response.status_code
    if response.status_code == 400:
        assert "Kept title" in response.text


def test_no_impossible_point_is_stored(client: FlaskClient, login_as: Callable) -> None:
    login_as(Role.MEMBER)
    for lat, lon in (("nan", "20.3"), ("inf", "-inf"), ("1e999", "20"), ("91", "20")):
        response = client.post("/cases/new", data=form(title="T", lat=lat, lon=lon))
        assert response.status_code == 400
    points = db.session.execute(sa.select(Case.lat, Case.lon)).all()
    assert all(p == (None, None) for p in points)
