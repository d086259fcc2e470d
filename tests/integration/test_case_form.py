"""Members write cases: drafts with anything filled in, submission, conflicts, hints."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient

from tests.builders import DEFAULT_PASSWORD, make_case, make_user, municipality
from tracker.accounts.models import Role, User
from tracker.actors.models import Actor
from tracker.audit.models import Event
from tracker.cases.lifecycle import apply
from tracker.cases.models import Case, CaseStatus
from tracker.extensions import db
from tracker.workflow import Action


def form(**fields: Any) -> dict[str, Any]:
    data = {
        "title": "", "description": "", "when": "", "municipality": "", "place": "",
        "lat": "", "lon": "", "category": "", "source_notes": "",
        "actors-0-name": "", "actors-0-kind": "institution", "actors-0-role": "responsible",
    }  # fmt: skip
    data.update(fields)
    return data


def only_case() -> Case:
    return db.session.scalars(sa.select(Case)).one()


def test_draft_saves_with_whatever_is_filled_in(client: FlaskClient, login_as: Callable) -> None:
    login_as(Role.MEMBER)
    response = client.post("/cases/new", data=form(title="Half a thought", action="save"))
    case = only_case()
    assert response.status_code == 302
    assert response.headers["Location"] == f"/cases/{case.reference}/edit"
    assert case.status is CaseStatus.DRAFT and case.municipality is None
    assert case.title == "Half a thought"


def test_submit_says_what_is_missing_and_keeps_the_text(
    client: FlaskClient, login_as: Callable
) -> None:
    login_as(Role.MEMBER)
    response = client.post(
        "/cases/new?lang=en", data=form(title="Pressure at the utility", action="submit")
    )
    assert response.status_code == 400
    assert "Pressure at the utility" in response.text
    assert "/cases/IN-" in response.text  # the draft exists: nothing was lost
    case = only_case()
    assert case.status is CaseStatus.DRAFT
    # The message names each missing item.
    for needed in ("what happened", "the municipality", "when it happened"):
        assert needed in response.text


def test_municipality_typed_in_any_script(client: FlaskClient, login_as: Callable) -> None:
    login_as(Role.MEMBER)
    for typed in ("cacak", "Чачак"):
        client.post("/cases/new", data=form(title=typed, municipality=typed, action="save"))
    names = {c.municipality.name_latin for c in db.session.scalars(sa.select(Case))}
    assert names == {"Čačak"}


def test_bad_input_is_400_with_everything_kept(client: FlaskClient, login_as: Callable) -> None:
    login_as(Role.MEMBER)
    response = client.post(
        "/cases/new",
        data=form(
            title="Kept title",
            description="Kept **description**",
            when="32.13.2026",
            municipality="Atlantis",
            source_notes="kept secret note",
            action="save",
        ),
    )
    assert response.status_code == 400
    for kept in (
        "Kept title",
        "Kept **description**",
        "32.13.2026",
        "Atlantis",
        "kept secret note",
    ):
        assert kept in response.text
    case = only_case()  # saved what was valid
    assert case.title == "Kept title" and case.occurred_on is None and case.municipality is None


def submit_complete(client: FlaskClient) -> Case:
    response = client.post(
        "/cases/new",
        data=form(
            title="Director appointed without competition",
            description="The **board** met at night.",
            when="03.2026",
            municipality="Cacak",
            category="",
            **{"actors-0-name": "Dom zdravlja Čačak"},
            action="submit",
        ),
    )
    case = only_case()
    assert response.status_code == 302, response.text
    assert response.headers["Location"] == f"/cases/{case.reference}"
    return case


def test_submit_complete_case(client: FlaskClient, login_as: Callable) -> None:
    login_as(Role.MEMBER)
    case = submit_complete(client)
    assert case.status is CaseStatus.SUBMITTED and case.submitted_at is not None
    assert case.occurred_precision.value == "month"
    kinds = db.session.scalars(sa.select(Event.kind).where(Event.case_id == case.id)).all()
    assert kinds == ["case_created", "status_changed"]
    page = client.get(f"/cases/{case.reference}")
    assert "<strong>board</strong>" in page.text and "Dom zdravlja Čačak" in page.text
    # Withdrawing brings it back to a draft the member can edit again.
    assert client.post(f"/cases/{case.reference}/withdraw").status_code == 302
    db.session.refresh(case)
    assert case.status is CaseStatus.DRAFT


def test_actors_are_reused_across_scripts(client: FlaskClient, login_as: Callable) -> None:
    login_as(Role.MEMBER)
    client.post("/cases/new", data=form(title="A", **{"actors-0-name": "Opština Čačak"}))
    client.post("/cases/new", data=form(title="B", **{"actors-0-name": "Општина Чачак"}))
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Actor)) == 1


def second_client(app: Flask, user: User) -> FlaskClient:
    other = app.test_client()
    response = other.post("/login", data={"email": user.email, "password": DEFAULT_PASSWORD})
    assert response.status_code == 302
    return other


def test_other_members_never_learn_the_case_exists(
    app: Flask, client: FlaskClient, login_as: Callable
) -> None:
    login_as(Role.MEMBER)
    case = submit_complete(client)
    stranger = second_client(app, make_user(Role.MEMBER))
    db.session.commit()
    for path in ("", "/edit"):
        assert stranger.get(f"/cases/{case.reference}{path}").status_code == 404
    assert stranger.post(f"/cases/{case.reference}/withdraw").status_code == 404
    assert stranger.post(f"/cases/{case.reference}/autosave", data=form()).status_code == 404
    assert case.reference not in stranger.get("/cases/mine").text
    similar = stranger.get(
        "/cases/similar?municipality=Čačak&title=Director appointed without competition"
    )
    assert similar.json == []
    coordinator = second_client(app, make_user(Role.COORDINATOR))
    db.session.commit()
    page = coordinator.get(f"/cases/{case.reference}")
    assert page.status_code == 200
    assert coordinator.get(f"/cases/{case.reference}/edit").status_code == 403


def test_second_save_with_stale_version_is_a_conflict_that_keeps_the_text(
    app: Flask, client: FlaskClient, login_as: Callable
) -> None:
    user = login_as(Role.MEMBER)
    client.post("/cases/new", data=form(title="First"))
    case = only_case()
    version = case.version_id
    other_tab = second_client(app, user)
    db.session.commit()
    assert (
        other_tab.post(
            f"/cases/{case.reference}/edit", data=form(title="Second", version=str(version))
        ).status_code
        == 302
    )
    late = client.post(
        f"/cases/{case.reference}/edit",
        data=form(title="My careful rewrite", version=str(version)),
    )
    assert late.status_code == 409
    assert "My careful rewrite" in late.text
    db.session.refresh(case)
    assert case.title == "Second"


def test_autosave_creates_then_updates(client: FlaskClient, login_as: Callable) -> None:
    login_as(Role.MEMBER)
    first = client.post("/cases/autosave", data=form(title="Typed quickly"))
    assert first.status_code == 200 and first.json["ok"]
    reference, version = first.json["reference"], first.json["version"]
    again = client.post(
        f"/cases/{reference}/autosave", data=form(title="Typed more", version=str(version))
    )
    assert again.json["ok"] and again.json["version"] == version + 1
    stale = client.post(
        f"/cases/{reference}/autosave", data=form(title="Old tab", version=str(version))
    )
    assert stale.status_code == 409
    assert only_case().title == "Typed more"


def test_preview_is_sanitised(client: FlaskClient, login_as: Callable) -> None:
    login_as(Role.MEMBER)
    html = client.post("/cases/preview", data={"text": "**b** <script>x()</script>"}).json["html"]
    assert "<strong>b</strong>" in html and "<script>" not in html


def test_similar_cases_only_among_visible_ones(app: Flask, login_as: Callable) -> None:
    member = login_as(Role.MEMBER)
    other = make_user(Role.MEMBER)
    mine = make_case(member, title="Teachers threatened before the election")
    hidden = make_case(other, title="Teachers threatened before elections")
    published = make_case(other, title="Teachers threatened ahead of the election")
    coordinator = make_user(Role.COORDINATOR)
    apply(published, other, Action.SUBMIT)
    apply(published, coordinator, Action.TAKE)
    apply(published, coordinator, Action.VERIFY, checklist=["ok"])
    published.public_summary = "Summary"
    published.category_id = None
    db.session.commit()
    client = second_client(app, member)
    found = client.get(
        "/cases/similar",
        query_string={
            "municipality": "cacak",
            "title": "Teachers threatened before the election",
            "when": "14.03.2026",
        },
    ).json
    references = {f["reference"] for f in found}
    assert mine.reference in references
    assert hidden.reference not in references
    assert published.reference not in references  # verified, not yet published


def test_point_far_from_municipality_warns_and_offers_the_nearer_one(
    client: FlaskClient, login_as: Callable
) -> None:
    login_as(Role.MEMBER)
    client.post(
        "/cases/new",
        data=form(title="Far", municipality="Beograd", lat="43.3247", lon="21.9033"),
    )
    case = only_case()
    page = client.get(f"/cases/{case.reference}/edit")
    assert 'data-testid="placement-warning"' in page.text
    assert 'name="use_municipality" value="79022"' in page.text  # Niš, the city
    client.post(
        f"/cases/{case.reference}/edit",
        data=form(title="Far", municipality="Beograd", lat="43.3247", lon="21.9033",
                  use_municipality="79022"),
    )  # fmt: skip
    db.session.refresh(case)
    assert case.municipality.name_latin == "Niš"
    assert 'data-testid="placement-warning"' not in client.get(f"/cases/{case.reference}/edit").text


def test_answering_a_question_returns_the_case_to_review(
    app: Flask, client: FlaskClient, login_as: Callable
) -> None:
    member = login_as(Role.MEMBER)
    coordinator = make_user(Role.COORDINATOR)
    case = make_case(member)
    apply(case, member, Action.SUBMIT)
    apply(case, coordinator, Action.TAKE)
    apply(case, coordinator, Action.ASK, message="Which date?")
    db.session.commit()
    listing = client.get("/cases/mine").text
    assert "badge--attention" in listing
    empty = client.post(f"/cases/{case.reference}/answer", data={"message": ""})
    assert empty.status_code == 400
    answered = client.post(f"/cases/{case.reference}/answer", data={"message": "The 14th."})
    assert answered.status_code == 302
    db.session.refresh(case)
    assert case.status is CaseStatus.IN_REVIEW
    assert "The 14th." in client.get(f"/cases/{case.reference}").text


def test_confidential_notes_are_marked_and_shown_to_author(
    client: FlaskClient, login_as: Callable
) -> None:
    login_as(Role.MEMBER)
    client.post("/cases/new", data=form(title="T", source_notes="Source: M. at the depot"))
    page = client.get(f"/cases/{only_case().reference}")
    assert "Source: M. at the depot" in page.text
    assert 'class="confidential"' in page.text


def test_municipality_code_exists(app: Flask) -> None:
    assert municipality("79022").name_latin == "Niš"


def test_similar_never_offers_the_case_itself(client: FlaskClient, login_as: Callable) -> None:
    member = login_as(Role.MEMBER)
    case = make_case(member, title="Teachers threatened before the election")
    db.session.commit()
    query = {"municipality": "Čačak", "title": "Teachers threatened before the election"}
    offered = client.get("/cases/similar", query_string=query).json
    assert [f["reference"] for f in offered] == [case.reference]
    excluded = client.get("/cases/similar", query_string={**query, "exclude": case.reference})
    assert excluded.json == []


def test_lookup_gives_the_district_in_the_interface_script(client: FlaskClient) -> None:
    found = client.get("/municipalities/lookup?q=cacak&lang=sr-Cyrl").json[0]
    assert found["district"] == "Моравички округ"


def test_a_refused_action_shows_why_and_no_false_rejection(
    client: FlaskClient, login_as: Callable
) -> None:
    login_as(Role.MEMBER)
    client.post("/cases/new", data=form(title=""))
    case = only_case()
    response = client.post(f"/cases/{case.reference}/submit?lang=en")
    assert response.status_code == 400
    assert "Still missing" in response.text
    assert 'data-testid="rejection"' not in response.text


def test_a_case_naming_several_new_actors_keeps_every_one(
    client: FlaskClient, login_as: Callable
) -> None:
    """Two actors new to the network, and one of them again in another role: every link is
    kept, and the actor named twice is one actor."""
    login_as(Role.MEMBER)
    actors = [("Direktor JKP", "official", "responsible"), ("Firma Gradnja", "company",
              "mentioned"), ("direktor jkp", "official", "affected")]  # fmt: skip
    named = {
        f"actors-{n}-{field}": value
        for n, actor in enumerate(actors)
        for field, value in zip(("name", "kind", "role"), actor, strict=True)
    }
    response = client.post("/cases/new", data=form(title="Several actors", **named))
    assert response.status_code == 302
    case = db.session.scalar(sa.select(Case).where(Case.title == "Several actors"))
    assert case is not None
    links = sorted((link.actor.name, link.role.value) for link in case.actor_links)
    assert links == [
        ("Direktor JKP", "affected"), ("Direktor JKP", "responsible"),
        ("Firma Gradnja", "mentioned"),
    ]  # fmt: skip
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Actor)) == 2
