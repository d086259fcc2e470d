"""robots.txt: crawlers are pointed at the sitemap and kept out of every private path, and
no public page is kept from them."""

from __future__ import annotations

import re

from flask import Flask
from flask.testing import FlaskClient

from tests.integration.confidential_support import seed
from tests.integration.test_sitemap import everything
from tracker.extensions import db
from tracker.policy import Access, route_access


def rules(client: FlaskClient) -> tuple[list[str], list[str]]:
    response = client.get("/robots.txt")
    assert response.status_code == 200 and response.mimetype == "text/plain"
    lines = response.get_data(as_text=True).splitlines()
    assert lines[0] == "User-agent: *"
    disallowed = [line.removeprefix("Disallow: ") for line in lines if line.startswith("Disallow:")]
    sitemaps = [line.removeprefix("Sitemap: ") for line in lines if line.startswith("Sitemap:")]
    return disallowed, sitemaps


def blocked(path: str, disallowed: list[str]) -> bool:
    """RFC 9309 matching: a pattern matches a path's start, `*` any run of characters."""
    return any(
        re.match(".*".join(map(re.escape, pattern.split("*"))), path) for pattern in disallowed
    )


def is_public_page(app: Flask, endpoint: str) -> bool:
    return route_access(app, endpoint) == Access.PUBLIC and not endpoint.startswith("auth.")


def test_points_at_the_sitemap_and_keeps_crawlers_out_of_private_paths(
    app: Flask, client: FlaskClient
) -> None:
    disallowed, sitemaps = rules(client)
    assert sitemaps == ["http://localhost/sitemap.xml"]
    private = 0
    for rule in app.url_map.iter_rules():
        if route_access(app, rule.endpoint) is None or is_public_page(app, rule.endpoint):
            continue
        path = re.sub(r"<[^>]+>", "1", rule.rule)  # a concrete URL of the route
        assert blocked(path, disallowed), f"{rule.rule} ({rule.endpoint}) is not disallowed"
        private += 1
    assert private > 20  # members', coordinators' and admins' pages, sign-in and its links
    assert blocked("/review/", disallowed) and blocked("/publications/7/edit", disallowed)


def test_no_public_page_is_disallowed(app: Flask, client: FlaskClient) -> None:
    seeded = seed()
    db.session.commit()
    disallowed, _ = rules(client)
    public = [url.removeprefix("http://localhost") for url in everything(client)]
    page = client.get(f"/findings/{seeded.shown.reference}").get_data(as_text=True)
    links = [href.partition("?")[0] for href in re.findall(r'href="(/[^"]*)"', page)]
    urls = app.url_map.bind("localhost")
    public += [href for href in links if is_public_page(app, urls.match(href)[0])]
    public += ["/findings/?q=ca", "/map", "/statistics", "/data/cases.csv", "/api/v1/cases"]
    assert len(public) > 20
    assert not [path for path in public if blocked(path, disallowed)]
