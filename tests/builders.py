"""Small builders for test data."""

from __future__ import annotations

import itertools
from datetime import date
from typing import Any

import sqlalchemy as sa

from tracker.accounts.models import Role, User
from tracker.accounts.services import create_user
from tracker.cases.drafts import CaseDraft, start_case
from tracker.cases.models import Case
from tracker.extensions import db
from tracker.geo.models import Municipality

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
