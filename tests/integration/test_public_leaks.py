"""Nothing unpublished or confidential reaches anything public, whatever the route.

Confidential markers are seeded everywhere they could hide (a draft's title, a published
case's source notes, internal comments, unpublished evidence, the reporting member's name,
a draft publication, a published statement's link to an unpublished case), then every
public GET route in the app's URL map is requested with every public object it can take,
in all three languages, plus searches for the markers themselves. No response may contain
a marker. A public route this test cannot fill in fails it, so new routes are covered.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

import pytest
import sqlalchemy as sa
from flask import Flask, url_for
from flask.testing import FlaskClient

from tests.builders import make_case, make_evidence, make_publication, make_published, make_user
from tracker.accounts.models import Role
from tracker.actors.models import ActorKind, ActorRole
from tracker.cases.drafts import ActorEntry
from tracker.cases.models import Comment
from tracker.extensions import db
from tracker.policy import Access, route_access
from tracker.publications.models import PublicationKind, PublicationStatus
from tracker.review import publishing

MARK = "ZQXJMARKER"  # one word, so searches for it reach the full-text index
SKIP = {"static", "core.leaflet"}  # files from disk and packages, no data


def seed() -> dict[str, list[Any]]:
    """Public objects to request, with confidential markers all around them."""
    reporter = make_user(name=f"Reporter {MARK}1")
    secret_actor = ActorEntry(f"Official {MARK}2", ActorKind.OFFICIAL, ActorRole.RESPONSIBLE)
    public_actor = ActorEntry("Javni direktor", ActorKind.OFFICIAL, ActorRole.RESPONSIBLE)
    shown = make_published(
        title="Published finding",
        reporter=reporter,
        source_notes=f"Source {MARK}3",
        description=f"Internal description {MARK}4",
        actors=[public_actor],
    )
    db.session.add(
        Comment(case=shown, author=make_user(Role.COORDINATOR), body=f"{MARK}5", internal=True)
    )
    # the thread between the reporting member and the coordinators: not internal, not public
    db.session.add(Comment(case=shown, author=reporter, body=f"Reply {MARK}11", internal=False))
    make_evidence(shown, data=f"unpublished file {MARK}6".encode(), name=f"{MARK}7.txt")
    draft = make_case(reporter, title=f"Draft {MARK}8", actors=[secret_actor])
    make_published(title="Second published", source_notes=f"{MARK}9")
    # retracted: still public (its page, the feed's retraction entry, the exports)
    withdrawn = make_published(title="Withdrawn finding", source_notes=f"{MARK}12",
                               description=f"Internal {MARK}13", reporter=reporter)  # fmt: skip
    publishing.retract(withdrawn, make_user(Role.COORDINATOR), "Not confirmed.")
    make_publication(title=f"Draft statement {MARK}10", status=PublicationStatus.DRAFT,
                     cites=(shown,))  # fmt: skip
    statement = make_publication(
        title="Published statement", kind=PublicationKind.REPORT, cites=(shown, draft)
    )
    db.session.commit()
    actor_id = shown.actor_links[0].actor_id
    return {
        "reference": [shown.reference, draft.reference, withdrawn.reference],
        "publication_id": [statement.id, statement.id + 1],
        "actor_id": [actor_id, draft.actor_links[0].actor_id],
        "code": [shown.municipality.code],
        "evidence_id": [e.id for e in shown.evidence] or [1],
    }


def public_urls(app: Flask, values: dict[str, list[Any]]) -> list[str]:
    urls = []
    for rule in app.url_map.iter_rules():
        if rule.endpoint in SKIP or "GET" not in (rule.methods or ()):
            continue
        if route_access(app, rule.endpoint) is not Access.PUBLIC:
            continue
        missing = [a for a in rule.arguments if a not in values and a not in EXTRA]
        assert not missing, f"{rule.rule}: add public sample values for {missing}"
        combos: list[dict[str, Any]] = [{}]
        for arg in sorted(rule.arguments):
            combos = [{**c, arg: v} for c in combos for v in values.get(arg, EXTRA.get(arg, []))]
        for combo in combos:
            url = url_for(rule.endpoint, **combo)
            urls += [url] + [f"{url}?{urlencode(q)}" for q in ROUTE_QUERIES.get(rule.endpoint, [])]
    return urls


EXTRA: dict[str, list[Any]] = {
    "fmt": ["csv", "json"],
    "name": ["cases-1"],
    "n": [1],
    "token": ["x"],
    "section": ["pages", "cases", "actors", "publications"],
    "chunk": [1],
}
# Queries a route needs before it shows data (the map's points: zoomed out, and in on Čačak).
ROUTE_QUERIES: dict[str, list[dict[str, Any]]] = {
    "explore.map_data": [
        {"zoom": 7, "bbox": "18.8,41.85,23.01,46.19"},
        {"zoom": 11, "bbox": "20.0,43.5,20.8,44.2"},
    ],
}
# Searched for in lower case: the search folds case, and the page may echo what was typed.
QUERIES = [{}, {"q": MARK.lower()}, {"q": f"{MARK.lower()}8"}, {"q": "draft"}]


@pytest.mark.parametrize("lang", ["sr-Latn", "sr-Cyrl", "en"])
def test_no_public_response_carries_a_confidential_marker(
    app: Flask, client: FlaskClient, lang: str
) -> None:
    values = seed()
    with app.test_request_context():
        urls = public_urls(app, values)
    assert len(urls) > 20
    checked = 0
    for url in urls:
        for query in QUERIES:
            full = url + ("&" if "?" in url else "?") + urlencode({**query, "lang": lang})
            response = client.get(full)
            body = response.get_data(as_text=True)
            response.close()
            assert response.status_code < 500, full
            if url.endswith("/feeds/cases.atom") and not query:  # the retraction is in it
                assert "Withdrawn finding" in body, full
            if "zoom=" in url:  # the map's payload itself, not a 400 for a missing zoom
                assert response.status_code == 200, full
                if "zoom=11" in url and not query:  # zoomed in, unfiltered: the points
                    assert "Published finding" in body, full
            assert MARK not in body, f"{full} reveals confidential data"
            for header, value in response.headers.items():
                assert MARK not in value, f"{full}: header {header}"
            checked += 1
    assert checked > 100
    # and the seeded secrets are really there, so the test would notice a leak
    found = db.session.scalar(sa.select(sa.func.count()).select_from(Comment))
    assert found == 2


def test_searching_for_a_confidential_word_finds_nothing(app: Flask, client: FlaskClient) -> None:
    """A leak need not show the secret: finding a case by it is a leak too."""
    seed()
    for n in range(1, 11):
        body = client.get(f"/findings/?q={MARK.lower()}{n}&lang=en").get_data(as_text=True)
        assert "Nothing matches these filters." in body, n
        assert 'data-testid="findings"' not in body
    assert "Published finding" in client.get("/findings/?q=published&lang=en").text
