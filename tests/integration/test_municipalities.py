"""Municipality lookup ignores script and diacritics; pages show the gazetteer."""

from __future__ import annotations

import pytest
from flask.testing import FlaskClient

from tracker.geo.services import find_municipalities


@pytest.mark.parametrize("query", ["Čačak", "Cacak", "cacak", "Чачак", "ЧАЧАК", "čač"])
def test_lookup_across_scripts(app, query: str) -> None:
    found = find_municipalities(query)
    assert [m.name_latin for m in found][:1] == ["Čačak"]


def test_prefix_matches_come_first(app) -> None:
    names = [m.name_folded for m in find_municipalities("novi")]
    assert names[:3] == sorted(names[:3])
    assert all(n.startswith("novi") for n in names[:3])
    assert find_municipalities("%") == []
    assert find_municipalities("   ") == []


def test_lookup_json_in_the_interface_script(client: FlaskClient) -> None:
    latin = client.get("/municipalities/lookup?q=Cacak").json
    assert latin[0] == {
        "code": "71242",
        "name": "Čačak",
        "district": "Moravički okrug",
        "kind": "city",
    }
    cyrillic = client.get("/municipalities/lookup?q=cacak&lang=sr-Cyrl").json
    assert cyrillic[0]["name"] == "Чачак"


def test_search_page_and_detail(client: FlaskClient) -> None:
    page = client.get("/municipalities/?q=Чачак")
    assert page.status_code == 200 and "Čačak" in page.text
    detail = client.get("/municipalities/71242")
    assert detail.status_code == 200 and "Moravički okrug" in detail.text
    assert client.get("/municipalities/99999").status_code == 404
    assert client.get("/municipalities/abc").status_code == 404


def test_kosovo_units_are_flagged(client: FlaskClient) -> None:
    page = client.get("/municipalities/?q=pristina")
    assert "Priština" in page.text
    assert 'class="tag"' in page.text
