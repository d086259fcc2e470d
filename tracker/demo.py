"""Demo data for a local install: one account per role and a handful of cases."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import sqlalchemy as sa

from tracker.accounts.models import Organisation, Role, User
from tracker.accounts.services import create_user, user_by_email
from tracker.actors.models import Actor, ActorKind, ActorRole
from tracker.cases.categories import load_categories
from tracker.cases.drafts import ActorEntry, CaseDraft, start_case
from tracker.cases.lifecycle import apply
from tracker.cases.messages import add_message
from tracker.cases.models import Case, CaseStatus, Category
from tracker.extensions import db
from tracker.geo.models import Municipality
from tracker.geo.services import load_municipalities
from tracker.publications.models import PublicationKind
from tracker.publications.models import PublicationStatus as PubStatus
from tracker.publications.services import PublicationInput, create_publication
from tracker.workflow import Action


@dataclass(frozen=True)
class DemoLogin:
    role: Role
    email: str
    password: str


DEMO_LOGINS = [
    DemoLogin(Role.ADMIN, "admin@demo.tracker", "demo-admin-password"),
    DemoLogin(Role.COORDINATOR, "coordinator@demo.tracker", "demo-coordinator-password"),
    DemoLogin(Role.MEMBER, "member@demo.tracker", "demo-member-password"),
]

# (municipality code, category slug, title, status, responsible actor)
DEMO_CASES = [
    (
        "70637",
        "partisan-employment",
        "Direktor doma zdravlja postavljen bez konkursa",
        CaseStatus.PUBLISHED,
        0,
    ),
    (
        "80438",
        "pressure-employees-voters",
        "Zaposleni u javnom preduzeću pozvani da prikupljaju glasove",
        CaseStatus.PUBLISHED,
        1,
    ),
    (
        "70092",
        "misuse-public-funds",
        "Opštinski automobil korišćen za stranački skup",
        CaseStatus.IN_REVIEW,
        1,
    ),
    (
        "71293",
        "attacks-threats",
        "Pretnje lokalnom novinaru posle teksta o tenderu",
        CaseStatus.SUBMITTED,
        2,
    ),
    (
        "70645",
        "public-procurement",
        "Tender za rasvetu dodeljen firmi odbornika",
        CaseStatus.DRAFT,
        0,
    ),
    ("70254", "police-abuse", "Privođenje aktivista zbog transparenta", CaseStatus.NEEDS_INFO, 2),
    (
        "71242",
        "media-capture",
        "Притисак на уреднике локалне телевизије у Чачку",
        CaseStatus.PUBLISHED,
        0,
    ),
]
# The lifecycle actions that bring a demo case to each status (the lifecycle owns every change).
_TO_REVIEW = [(Action.SUBMIT, {}), (Action.TAKE, {})]
_VERIFIED = [*_TO_REVIEW, (Action.VERIFY, {"checklist": ["sources", "evidence", "safety"]})]
PATHS: dict[CaseStatus, list[tuple[Action, dict[str, object]]]] = {
    CaseStatus.DRAFT: [],
    CaseStatus.SUBMITTED: [(Action.SUBMIT, {})],
    CaseStatus.IN_REVIEW: _TO_REVIEW,
    CaseStatus.NEEDS_INFO: [*_TO_REVIEW, (Action.ASK, {"message": "Možete li poslati dokument?"})],
    CaseStatus.PUBLISHED: [*_VERIFIED, (Action.PUBLISH, {})],
}
DEMO_ACTORS = [
    ("Opštinska uprava", ActorKind.INSTITUTION),
    ("Javno komunalno preduzeće", ActorKind.COMPANY),
    ("Policijska uprava", ActorKind.INSTITUTION),
]


def load_demo() -> bool:
    """Create the demo accounts and cases unless they exist; returns True if anything was made."""
    load_municipalities()
    load_categories()
    if user_by_email(DEMO_LOGINS[0].email):
        return False
    org = Organisation(name="Mreža za integritet (demo)", short_name="MI")
    db.session.add(org)
    users = {
        d.role: create_user(d.email, f"Demo {d.role.value}", d.role, d.password, org)
        for d in DEMO_LOGINS
    }
    actors = []
    for name, kind in DEMO_ACTORS:
        actor = Actor(kind=kind)
        actor.set_name(name)
        actors.append(actor)
    db.session.add_all(actors)
    published = [_demo_case(users, actors, i, *row) for i, row in enumerate(DEMO_CASES)]
    db.session.flush()
    _demo_publication(
        users[Role.COORDINATOR], [c for c in published if c.status == CaseStatus.PUBLISHED], org
    )
    db.session.flush()
    return True


def _demo_case(
    users: dict[Role, User],
    actors: list[Actor],
    index: int,
    code: str,
    slug: str,
    title: str,
    status: CaseStatus,
    actor_index: int,
) -> Case:
    municipality = db.session.scalar(sa.select(Municipality).where(Municipality.code == code))
    category = db.session.scalar(sa.select(Category).where(Category.slug == slug))
    assert municipality is not None and category is not None
    member, coordinator = users[Role.MEMBER], users[Role.COORDINATOR]
    draft = CaseDraft(
        title=title,
        description=f"Opis događaja (demo). {title}.",
        occurred_on=date.today() - timedelta(days=20 + 7 * index),
        municipality=municipality,
        category=category,
        source_notes="Poverljivo: izvor je zaposleni u instituciji (demo).",
        actors=[
            ActorEntry(actors[actor_index].name, actors[actor_index].kind, ActorRole.RESPONSIBLE)
        ],
    )
    case = start_case(member, draft)
    if status is CaseStatus.PUBLISHED:
        case.public_summary = f"Mreža je utvrdila sledeće: {title.lower()}."
    for action, payload in PATHS[status]:
        actor = member if action in (Action.SUBMIT, Action.ANSWER) else coordinator
        if "message" in payload:
            add_message(case, actor, str(payload["message"]))
        apply(case, actor, action, **payload)
    return case


def _demo_publication(author: User, cases: list[Case], org: Organisation) -> None:
    """A statement and a report citing the published demo cases, through the service."""
    statement = PublicationInput(
        kind=PublicationKind.STATEMENT,
        title="Saopštenje: partijsko zapošljavanje u lokalnim institucijama",
        body="Mreža upozorava na obrasce **partijskog zapošljavanja** (demo).",
        published_on=date.today(),
        status=PubStatus.PUBLISHED,
        signatory_ids=[org.id],
    )
    create_publication(statement, author, None, [(c, "Primer iz prakse") for c in cases])
    report = PublicationInput(
        kind=PublicationKind.REPORT,
        title="Izveštaj: zarobljavanje države na lokalnom nivou (demo)",
        body="## Nalazi\n\nPregled dokumentovanih slučajeva po kategorijama i opštinama.",
        published_on=date.today(),
        status=PubStatus.PUBLISHED,
        signatory_ids=[org.id],
    )
    create_publication(report, author, None, [(c, None) for c in cases])
