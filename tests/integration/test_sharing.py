"""Open Graph tags for sharing (public fields only) and the print stylesheet."""

from __future__ import annotations

from datetime import date
from html.parser import HTMLParser

from flask import Flask
from flask.testing import FlaskClient

from tests.builders import make_publication, make_published, make_user
from tests.integration.confidential_support import MARKER, seed
from tracker.accounts.models import Role
from tracker.extensions import db
from tracker.publications.models import PublicationKind
from tracker.review import publishing


class Head(HTMLParser):
    """The <meta> tags (property or name → content) and stylesheet links of a page."""

    def __init__(self) -> None:
        super().__init__()
        self.meta: dict[str, str] = {}
        self.styles: list[dict[str, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k: v or "" for k, v in attrs}
        if tag == "meta" and "content" in values:
            self.meta[values.get("property") or values.get("name", "")] = values["content"]
        if tag == "link" and values.get("rel") == "stylesheet":
            self.styles.append(values)


def head(client: FlaskClient, url: str) -> Head:
    response = client.get(url)
    assert response.status_code == 200
    parsed = Head()
    parsed.feed(response.get_data(as_text=True))
    return parsed


def test_case_page_is_shared_as_an_article(app: Flask, client: FlaskClient) -> None:
    seeded = seed()
    case = seeded.shown
    tags = head(client, f"/findings/{case.reference}?lang=en").meta
    assert tags["og:type"] == "article"
    assert tags["og:title"] == "Čačak hospital jobs"
    assert tags["og:description"] == "Jobs given by party card." == tags["description"]
    assert tags["og:url"] == f"http://localhost/findings/{case.reference}"
    assert tags["og:site_name"] and tags["og:locale"] == "en_GB"
    assert tags["twitter:card"] == "summary"
    assert tags["article:published_time"].startswith(case.published_at.date().isoformat())
    assert not any(MARKER in value for value in tags.values())


def test_markup_in_titles_stays_text_and_summaries_are_cut(app: Flask, client: FlaskClient) -> None:
    case = make_published(title='Say "no" & <b>mean</b> it', summary="word " * 100)
    db.session.commit()
    tags = head(client, f"/findings/{case.reference}").meta
    assert tags["og:title"] == 'Say "no" & <b>mean</b> it'
    assert len(tags["og:description"]) <= 201 and tags["og:description"].endswith("…")
    assert tags["og:locale"] == "sr_RS"


def test_retracted_case_says_so(app: Flask, client: FlaskClient) -> None:
    case = make_published(title="Withdrawn", summary="Later retracted.")
    publishing.retract(case, make_user(Role.COORDINATOR), "Not confirmed.")
    db.session.commit()
    tags = head(client, f"/findings/{case.reference}?lang=en").meta
    assert tags["og:description"] == "Retracted: Later retracted."


def test_publication_page_is_shared_as_an_article_with_its_text(
    app: Flask, client: FlaskClient
) -> None:
    publication = make_publication(
        title="Appeal on the <hospital> jobs",
        kind=PublicationKind.APPEAL,
        body="We call on the **council** to [annul](https://example.org) it. " + "More. " * 60,
        published_on=date(2026, 4, 1),
    )
    db.session.commit()
    tags = head(client, f"/publications/{publication.id}?lang=en").meta
    assert tags["og:type"] == "article"
    assert tags["og:title"] == "Appeal on the <hospital> jobs"
    description = tags["og:description"]
    assert description == tags["description"]
    assert description.startswith("Appeal, April 1, 2026: We call on the council to annul it.")
    assert "**" not in description and "<" not in description and description.endswith("…")
    assert len(description) <= 240
    assert tags["article:published_time"] == "2026-04-01"


def test_every_page_has_defaults_and_the_print_stylesheet(app: Flask, client: FlaskClient) -> None:
    page = head(client, "/municipalities/?lang=en")
    assert page.meta["og:type"] == "website" and page.meta["og:title"]
    assert page.meta["og:description"] == page.meta["description"] != ""
    assert {"media": "print", "href": "/static/css/print.css"}.items() <= next(
        s for s in page.styles if s.get("media") == "print"
    ).items()
    stylesheet = client.get("/static/css/print.css")
    stylesheet.close()
    assert stylesheet.status_code == 200
