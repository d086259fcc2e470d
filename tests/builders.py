"""Small builders for test data."""

from __future__ import annotations

import io
import itertools
from datetime import date
from typing import Any

import sqlalchemy as sa
from werkzeug.datastructures import FileStorage

from tracker.accounts.models import Organisation, Role, User
from tracker.accounts.services import create_user
from tracker.cases.categories import load_categories
from tracker.cases.drafts import CaseDraft, start_case
from tracker.cases.lifecycle import apply
from tracker.cases.models import Case, Category, PointPrecision
from tracker.evidence.files import add_files
from tracker.evidence.models import Evidence
from tracker.evidence.services import ItemInfo
from tracker.extensions import db
from tracker.geo.models import Municipality
from tracker.publications.models import Publication, PublicationKind, PublicationStatus
from tracker.publications.services import PublicationInput, create_publication
from tracker.review import publishing
from tracker.workflow import Action

DEFAULT_PASSWORD = "correct horse battery staple"
_counter = itertools.count(1)


def make_user(role: Role = Role.MEMBER, **fields: Any) -> User:
    """A new active user; flushed, not committed."""
    n = next(_counter)
    user = create_user(
        fields.get("email", f"{role.value}{n}@example.org"),
        fields.get("name", f"Test {role.value} {n}"),
        role,
        fields.get("password", DEFAULT_PASSWORD),
    )
    return user


def municipality(code: str = "71242") -> Municipality:
    """A municipality from the gazetteer (Čačak by default)."""
    found = db.session.scalar(sa.select(Municipality).where(Municipality.code == code))
    assert found is not None
    return found


def make_case(reporter: User | None = None, **fields: Any) -> Case:
    """A draft case (ready to submit unless told otherwise); flushed, not committed."""
    reporter = reporter or make_user()
    draft = CaseDraft(
        title=fields.pop("title", "Test case"),
        description=fields.pop("description", "What happened, in detail."),
        occurred_on=fields.pop("occurred_on", date(2026, 3, 14)),
        municipality=fields.pop("municipality", None) or municipality(),
        **fields,
    )
    return start_case(reporter, draft)


def make_evidence(
    case: Case,
    user: User | None = None,
    data: bytes = b"A plain-text note kept as evidence.\n",
    name: str = "note.txt",
) -> Evidence:
    """A file added to `case` through the evidence service (stored, with its event); flushed."""
    upload = FileStorage(stream=io.BytesIO(data), filename=name)
    return add_files(case, user or case.reporter, [upload], ItemInfo()).items[0]


def make_published(
    title: str = "Published finding",
    summary: str = "Public summary.",
    category: str = "other",
    precision: PointPrecision = PointPrecision.ROUNDED,
    **fields: Any,
) -> Case:
    """A case taken through the whole lifecycle to published (by a fresh coordinator),
    reported by `reporter` if given, else by a fresh member."""
    load_categories()
    member, coordinator = fields.pop("reporter", None) or make_user(), make_user(Role.COORDINATOR)
    fields.setdefault("source_notes", "SECRET SOURCE")
    case = make_case(member, title=title, **fields)
    apply(case, member, Action.SUBMIT)
    apply(case, coordinator, Action.TAKE)
    apply(case, coordinator, Action.VERIFY, checklist=["sources", "evidence", "safety"])
    chosen = db.session.scalar(sa.select(Category).where(Category.slug == category))
    choice = publishing.PublicationChoice(summary, chosen, precision, set())
    publishing.publish(case, coordinator, choice)
    return case


def make_publication(
    by: User | None = None, cites: tuple[Case, ...] = (), **fields: Any
) -> Publication:
    """A publication through the service (a published statement unless told otherwise); flushed."""
    data = PublicationInput(
        kind=fields.pop("kind", PublicationKind.STATEMENT),
        title=fields.pop("title", "Test statement"),
        status=fields.pop("status", PublicationStatus.PUBLISHED),
        **fields,
    )
    citations = [(case, f"Note on {case.reference}") for case in cites]
    return create_publication(data, by or make_user(Role.COORDINATOR), None, citations).publication


def make_organisation(name: str | None = None, **fields: Any) -> Organisation:
    """A member organisation of the network; flushed."""
    organisation = Organisation(name=name or f"Organisation {next(_counter)}", **fields)
    db.session.add(organisation)
    db.session.flush()
    return organisation
