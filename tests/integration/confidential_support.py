"""A seeded mix of public and non-public records, with a marker in everything non-public.

Whatever public response is searched, the marker must never be in it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from tests.builders import make_case, make_published, municipality
from tracker.accounts.models import Organisation
from tracker.actors.models import ActorKind, ActorRole
from tracker.cases.drafts import ActorEntry
from tracker.cases.models import Case
from tracker.extensions import db
from tracker.publications.models import (
    Publication,
    PublicationCase,
    PublicationKind,
    PublicationStatus,
)

MARKER = "CONFIDENTIAL-MARKER"


@dataclass
class Seeded:
    shown: Case  # published, with confidential source notes
    other: Case  # published, another municipality and category
    draft: Case  # never published, the marker everywhere
    statement: Publication  # published, cites `shown` and the draft
    hidden_statement: Publication  # a draft citing `shown`


def publication(
    title: str, status: PublicationStatus, *cites: Case, **fields: object
) -> Publication:
    """A publication built from the models, citing `cites` with a note each."""
    made = Publication(
        kind=fields.pop("kind", PublicationKind.STATEMENT),
        title=title,
        body=fields.pop("body", "What the network says."),
        published_on=fields.pop("published_on", date(2026, 4, 1)),
        status=status,
        **fields,
    )
    db.session.add(made)
    db.session.flush()
    for case in cites:
        db.session.add(PublicationCase(publication_id=made.id, case_id=case.id,
                                       note=f"Cites {case.title}"))  # fmt: skip
    db.session.flush()
    return made


def seed() -> Seeded:
    """The records every leak test searches: two public cases, one draft, two publications."""
    shown = make_published(
        title="Čačak hospital jobs",
        summary="Jobs given by party card.",
        category="partisan-employment",
        source_notes=MARKER,
        lat=43.89123,
        lon=20.34987,
        actors=[ActorEntry("Mayor of Čačak", ActorKind.OFFICIAL, ActorRole.RESPONSIBLE)],
    )
    other = make_published(
        title="Novi Sad tender",
        summary="A tender written for one bidder.",
        category="public-procurement",
        municipality=municipality("89010"),
        occurred_on=date(2025, 11, 2),
        actors=[ActorEntry("City Hall", ActorKind.INSTITUTION, ActorRole.RESPONSIBLE)],
    )
    draft = make_case(
        title=f"{MARKER} draft title",
        description=f"{MARKER} description",
        source_notes=MARKER,
        actors=[ActorEntry(f"{MARKER} actor", ActorKind.OFFICIAL, ActorRole.MENTIONED)],
    )
    signatory = Organisation(name="Open Council")
    db.session.add(signatory)
    statement = publication("Stop partisan hiring", PublicationStatus.PUBLISHED, shown, draft)
    statement.signatories.append(signatory)
    hidden = publication(f"{MARKER} statement", PublicationStatus.DRAFT, shown,
                         body=f"{MARKER} body")  # fmt: skip
    db.session.commit()
    return Seeded(shown, other, draft, statement, hidden)
