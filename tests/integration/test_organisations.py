"""Admins keep the list of member organisations that sign publications."""

from __future__ import annotations

from collections.abc import Callable

import sqlalchemy as sa
from flask.testing import FlaskClient

from tests.builders import make_organisation, make_publication
from tracker.accounts.models import Organisation, Role, User
from tracker.extensions import db
from tracker.public import index
from tracker.publications.models import PublicationStatus

Login = Callable[..., User]


def test_admin_lists_creates_and_edits_organisations(client: FlaskClient, login_as: Login) -> None:
    login_as(Role.ADMIN)
    assert "admin-organisations" in client.get("/admin/organisations").text
    response = client.post(
        "/admin/organisations/new",
        data={
            "name": " Transparency  Serbia ",
            "short_name": "TS",
            "website": "https://ts.example",
        },
    )
    assert response.status_code == 302
    organisation = db.session.scalars(sa.select(Organisation)).one()
    assert organisation.name == "Transparency Serbia" and organisation.short_name == "TS"
    assert "Transparency Serbia" in client.get("/admin/organisations").text
    edit = f"/admin/organisations/{organisation.id}"
    assert client.get(edit).status_code == 200
    changed = client.post(edit, data={"name": "Transparentnost Srbija", "website": ""})
    assert changed.status_code == 302
    db.session.refresh(organisation)
    assert organisation.name == "Transparentnost Srbija" and organisation.website is None


def test_bad_organisations_are_refused_with_the_values_kept(
    client: FlaskClient, login_as: Login
) -> None:
    login_as(Role.ADMIN)
    make_organisation("CRTA")
    db.session.commit()
    duplicate = client.post(
        "/admin/organisations/new?lang=en", data={"name": "crta", "short_name": "Kept"}
    )
    assert duplicate.status_code == 400
    assert "exists already" in duplicate.text and 'value="Kept"' in duplicate.text
    bad_site = client.post(
        "/admin/organisations/new?lang=en",
        data={"name": "New one", "website": "javascript:alert(1)"},
    )
    assert bad_site.status_code == 400 and 'value="New one"' in bad_site.text
    assert "http://" in bad_site.text
    empty = client.post("/admin/organisations/new", data={"name": ""})
    assert empty.status_code == 400
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Organisation)) == 1


def test_renaming_a_signatory_of_a_published_publication_changes_the_public_version(
    client: FlaskClient, login_as: Login
) -> None:
    login_as(Role.ADMIN)
    signing = make_organisation("Signing")
    idle = make_organisation("Idle")
    make_publication(signatory_ids=[signing.id])
    make_publication(signatory_ids=[idle.id], status=PublicationStatus.DRAFT)
    db.session.commit()
    before = index.state()[0]
    client.post(f"/admin/organisations/{idle.id}", data={"name": "Idle renamed"})
    assert index.state()[0] == before
    client.post(f"/admin/organisations/{signing.id}", data={"name": "Signing renamed"})
    assert index.state()[0] > before


def test_coordinators_and_members_cannot_manage_organisations(
    client: FlaskClient, login_as: Login
) -> None:
    organisation = make_organisation("Untouched")
    db.session.commit()
    login_as(Role.COORDINATOR)
    for path in ("/admin/organisations", "/admin/organisations/new",
                 f"/admin/organisations/{organisation.id}"):  # fmt: skip
        assert client.get(path).status_code == 403
    assert (
        client.post(f"/admin/organisations/{organisation.id}", data={"name": "x"}).status_code
        == 403
    )
    db.session.refresh(organisation)
    assert organisation.name == "Untouched"
