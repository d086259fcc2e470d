"""sitemap.xml: an index of files of public URLs only, absolute, streamed, conditional."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests.builders import make_published
from tests.integration.confidential_support import MARKER, Seeded, seed
from tracker.extensions import db
from tracker.sitemap import entries

NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}


def locs(client: FlaskClient, url: str, tag: str = "url") -> list[str]:
    response = client.get(url)
    assert response.status_code == 200 and response.mimetype == "application/xml"
    body = response.get_data(as_text=True)
    assert MARKER not in body
    return [el.text or "" for el in ET.fromstring(body).findall(f"s:{tag}/s:loc", NS)]


def everything(client: FlaskClient) -> list[str]:
    """Every URL the sitemap lists, through its index."""
    found = []
    for part in locs(client, "/sitemap.xml", "sitemap"):
        assert part.startswith("http://localhost/sitemaps/")
        found += locs(client, part.removeprefix("http://localhost"))
    return found


def test_public_pages_only(app: Flask, client: FlaskClient) -> None:
    seeded: Seeded = seed()
    urls = everything(client)
    assert all(u.startswith("http://localhost/") for u in urls)
    paths = {u.removeprefix("http://localhost") for u in urls}
    assert {"/", "/municipalities/", "/municipalities/71242", "/municipalities/89010"} <= paths
    assert f"/findings/{seeded.shown.reference}" in paths
    assert f"/findings/{seeded.other.reference}" in paths
    assert f"/findings/{seeded.draft.reference}" not in paths
    assert not any(p.startswith("/municipalities/7") and p != "/municipalities/71242"
                   for p in paths)  # fmt: skip
    if "publications.detail" in app.view_functions:
        assert f"/publications/{seeded.statement.id}" in paths
        assert f"/publications/{seeded.hidden_statement.id}" not in paths
    if "public.actor" in app.view_functions:
        assert len([p for p in paths if p.startswith("/actors/") and p != "/actors/"]) == 2
    assert len(urls) == len(set(urls))


def test_files_of_at_most_chunk_urls(
    app: Flask, client: FlaskClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    made = [make_published(title=f"Case {n}").reference for n in range(5)]
    db.session.commit()
    monkeypatch.setattr(entries, "CHUNK", 2)
    monkeypatch.setattr(entries, "BATCH", 1)
    parts = [p for p in locs(client, "/sitemap.xml", "sitemap") if "/cases-" in p]
    assert [p.rsplit("/", 1)[1] for p in parts] == ["cases-1.xml", "cases-2.xml", "cases-3.xml"]
    listed = []
    for part in parts:
        urls = locs(client, part.removeprefix("http://localhost"))
        assert 1 <= len(urls) <= 2
        listed += [u.rsplit("/", 1)[1] for u in urls]
    assert sorted(listed) == sorted(made)
    assert client.get("/sitemaps/cases-4.xml").status_code == 404
    assert client.get("/sitemaps/cases-0.xml").status_code == 404
    assert client.get("/sitemaps/secrets-1.xml").status_code == 404


def test_conditional_and_streamed(app: Flask, client: FlaskClient) -> None:
    make_published(title="Cached")
    db.session.commit()
    for url in ("/sitemap.xml", "/sitemaps/cases-1.xml", "/sitemaps/pages-1.xml"):
        first = client.get(url)
        first.close()  # a streamed body holds its request context until it is closed
        assert first.cache_control.public
        again = client.get(url, headers={"If-None-Match": first.headers["ETag"]})
        assert again.status_code == 304
    streamed = client.get("/sitemaps/cases-1.xml")
    assert streamed.is_streamed
    streamed.close()
    make_published(title="Newer")
    db.session.commit()
    tag = client.get("/sitemap.xml").headers["ETag"]
    make_published(title="Newest")
    db.session.commit()
    assert client.get("/sitemap.xml", headers={"If-None-Match": tag}).status_code == 200


def test_empty_site_still_has_its_pages(app: Flask, client: FlaskClient) -> None:
    parts = locs(client, "/sitemap.xml", "sitemap")
    assert [p.rsplit("/", 1)[1] for p in parts] == ["pages-1.xml"]
    assert "http://localhost/" in locs(client, "/sitemaps/pages-1.xml")
