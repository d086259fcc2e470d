"""The public portal's pages: home, the findings list with search and facets, actor pages."""

from __future__ import annotations

from datetime import date

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient

from tests.builders import make_case, make_publication, make_published, make_user, municipality
from tracker.accounts.models import Role
from tracker.actors.models import Actor, ActorKind, ActorRole
from tracker.cases.drafts import ActorEntry
from tracker.extensions import db
from tracker.public import search
from tracker.publications.models import PublicationStatus

MAYOR = ActorEntry("Gradonačelnik Čačka", ActorKind.OFFICIAL, ActorRole.RESPONSIBLE)


def page(client: FlaskClient, url: str, status: int = 200) -> str:
    response = client.get(url)
    assert response.status_code == status, url
    return response.get_data(as_text=True)


def test_home_shows_headline_figures_and_latest(app: Flask, client: FlaskClient) -> None:
    first = make_published(title="Zapošljavanje po partijskoj liniji", actors=[MAYOR])
    make_published(title="Second finding", municipality=municipality("70017"))
    make_case(make_user(), title="A draft nobody may see")
    db.session.commit()
    text = page(client, "/?lang=en")
    assert first.title in text and "A draft nobody may see" not in text
    assert "<strong>2</strong> published findings" in text
    assert "<strong>2</strong> municipalities" in text
    assert "<strong>1</strong> actor named" in text


def test_home_lists_the_latest_publications_published_only(app: Flask, client: FlaskClient) -> None:
    older = make_publication(title="Older appeal", published_on=date(2026, 1, 5))
    newer = make_publication(title="Newer statement", published_on=date(2026, 3, 2))
    make_publication(title="Unpublished draft", status=PublicationStatus.DRAFT)
    db.session.commit()
    text = page(client, "/?lang=en")
    assert "<strong>2</strong> publications" in text
    assert text.index("Newer statement") < text.index("Older appeal")
    assert f"/publications/{newer.id}" in text and f"/publications/{older.id}" in text
    assert "Unpublished draft" not in text


def test_search_ignores_script_and_diacritics(app: Flask, client: FlaskClient) -> None:
    written = make_published(title="Притисак на запослене у Чачку")
    other = make_published(title="Tender u Beogradu", municipality=municipality("70017"))
    db.session.commit()
    for query in ("Čačku", "Cacku", "Чачку"):
        text = page(client, f"/findings/?q={query}")
        assert written.reference in text and other.reference not in text, query
    assert "1 match" in page(client, "/findings/?q=cacku&lang=en")


def test_facets_count_and_filter(app: Flask, client: FlaskClient) -> None:
    a = make_published(title="One", category="partisan-employment")
    b = make_published(title="Two", category="partisan-employment")
    c = make_published(title="Three", municipality=municipality("70017"))
    db.session.commit()
    text = page(client, "/findings/?lang=en")
    assert "3 findings" in text
    assert 'data-facet="category"' in text and 'data-facet="municipality"' in text
    filtered = page(client, "/findings/?category=partisan-employment&lang=en")
    assert "2 findings" in filtered
    assert a.reference in filtered and b.reference in filtered and c.reference not in filtered
    both = page(client, "/findings/?category=partisan-employment&municipality=70017&lang=en")
    assert "0 findings" in both and "Nothing matches these filters." in both


def test_keyset_pages(app: Flask, client: FlaskClient, monkeypatch: pytest.MonkeyPatch) -> None:
    made = [make_published(title=f"Finding number {n}").reference for n in range(5)]
    db.session.commit()
    monkeypatch.setattr(search, "PAGE_SIZE", 2)
    pages: list[list[str]] = []
    url = "/findings/?lang=en"
    while url:
        text = page(client, url)
        pages.append([r for r in made if r in text])
        marker = 'rel="next">'
        url = ""
        if marker in text:
            url = text.split(marker)[0].rsplit('href="', 1)[1].split('"')[0].replace("&amp;", "&")
    assert [len(p) for p in pages] == [2, 2, 1]
    # newest first, each exactly once (references grow with creation)
    assert [r for p in pages for r in sorted(p, reverse=True)] == list(reversed(made))


def test_bad_filters_answer_400_and_keep_what_was_typed(app: Flask, client: FlaskClient) -> None:
    make_published(title="Kept out of a failed search")
    db.session.commit()
    text = page(client, "/findings/?q=tender&from=13.13.2025&category=nope&lang=en", 400)
    assert "Write the date as YYYY-MM-DD, YYYY-MM or YYYY." in text
    assert "There is no such category." in text
    assert 'value="tender"' in text and 'value="13.13.2025"' in text
    assert "Kept out of a failed search" not in text
    serbian = page(client, "/findings/?to=x&lang=sr-Latn", 400)
    assert "Upišite datum kao GGGG-MM-DD, GGGG-MM ili GGGG." in serbian
    assert page(client, "/findings/?page=0", 400)


def test_conditional_requests_answer_304_until_something_changes(
    app: Flask, client: FlaskClient
) -> None:
    make_published(title="First")
    db.session.commit()
    first = client.get("/findings/")
    tag = first.headers["ETag"]
    assert first.headers["Cache-Control"].startswith("public")
    assert client.get("/findings/", headers={"If-None-Match": tag}).status_code == 304
    other_language = client.get("/findings/?lang=en", headers={"If-None-Match": tag})
    assert other_language.status_code == 200
    make_published(title="Second")
    db.session.commit()
    again = client.get("/findings/", headers={"If-None-Match": tag})
    assert again.status_code == 200 and "Second" in again.get_data(as_text=True)


def test_actor_pages_list_only_published_findings(app: Flask, client: FlaskClient) -> None:
    shown = make_published(title="Named in public", actors=[MAYOR])
    hidden = make_case(make_user(), title="Named in a draft", actors=[MAYOR])
    lonely = make_case(
        make_user(),
        title="Draft only",
        actors=[ActorEntry("Skriveni direktor", ActorKind.OFFICIAL, ActorRole.RESPONSIBLE)],
    )
    db.session.commit()
    mayor = db.session.scalar(sa.select(Actor).where(Actor.name == MAYOR.name))
    secret = db.session.scalar(sa.select(Actor).where(Actor.name == "Skriveni direktor"))
    text = page(client, f"/actors/{mayor.id}?lang=en")
    assert shown.reference in text and hidden.reference not in text
    assert "Named in a draft" not in text
    page(client, f"/actors/{secret.id}", 404)
    listing = page(client, "/actors/")
    assert MAYOR.name in listing and "Skriveni direktor" not in listing
    filtered = page(client, f"/findings/?actor={mayor.id}&lang=en")
    assert "1 finding" in filtered and shown.reference in filtered
    assert lonely.reference not in filtered
    page(client, "/actors/?page=abc", 400)


def test_a_language_choice_is_never_stored_by_shared_caches(
    app: Flask, client: FlaskClient
) -> None:
    response = client.get("/findings/?lang=en")
    assert "Set-Cookie" in response.headers
    assert "private" in response.headers["Cache-Control"]
    assert "public" not in response.headers["Cache-Control"]
    plain = client.get("/findings/")
    assert "Set-Cookie" not in plain.headers and "public" in plain.headers["Cache-Control"]


def test_case_pages_answer_304_until_the_case_is_corrected(app: Flask, client: FlaskClient) -> None:
    from tracker.review import publishing

    case = make_published(title="Cached case", summary="First words.")
    db.session.commit()
    first = client.get(f"/findings/{case.reference}")
    tag = first.headers["ETag"]
    fresh = client.get(f"/findings/{case.reference}", headers={"If-None-Match": tag})
    assert fresh.status_code == 304
    publishing.correct(case, make_user(Role.COORDINATOR), "Corrected words.", "A name was wrong.")
    db.session.commit()
    changed = client.get(f"/findings/{case.reference}", headers={"If-None-Match": tag})
    assert changed.status_code == 200 and "Corrected words." in changed.text
    assert client.get("/findings/IN-1999-99999").status_code == 404
