"""The API's municipality list: filtered by district and by part of a name, any script."""

from __future__ import annotations

import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests.integration.confidential_support import Seeded, seed
from tests.integration.test_api import get


@pytest.fixture
def seeded(app: Flask) -> Seeded:
    return seed()


def test_municipalities_by_district_and_by_name_in_any_script(
    client: FlaskClient, seeded: Seeded
) -> None:
    cacak = get(client, "/api/v1/municipalities/71242")
    district = cacak["district"]["code"]
    within = get(client, f"/api/v1/municipalities?district={district}")["data"]
    assert "71242" in {m["code"] for m in within} and "89010" not in {m["code"] for m in within}
    assert {m["district"]["code"] for m in within} == {district} and 1 < len(within) < 20
    for name in ("čačak", "CACAK", "Чачак", "ačak"):
        found = get(client, "/api/v1/municipalities?q=" + name)
        assert [m["code"] for m in found["data"]] == ["71242"], name
        assert found["meta"]["total"] == 1
    both = get(client, f"/api/v1/municipalities?district={district}&q=novi")["data"]
    assert both == []
    errors = get(client, "/api/v1/municipalities?district=999&q=" + "x" * 201 + "&lang=en", 400)
    assert errors["errors"] == {"district": "There is no such district.",
                                "q": "The search text is too long."}  # fmt: skip
