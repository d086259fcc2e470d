"""Helpers for the publication tests: published and confidential cases, the form's fields."""

from __future__ import annotations

from datetime import date
from typing import Any

import sqlalchemy as sa

from tests.builders import make_case, make_user, municipality
from tracker.accounts.models import Role, User
from tracker.cases.categories import load_categories
from tracker.cases.lifecycle import apply
from tracker.cases.models import Case, Category, PointPrecision
from tracker.extensions import db
from tracker.review import publishing
from tracker.workflow import Action

SECRET = "CONFIDENTIAL-MARKER-7Q"  # must never reach anything public


def category(slug: str) -> Category:
    load_categories()
    found = db.session.scalar(sa.select(Category).where(Category.slug == slug))
    assert found is not None
    return found


def reviewed_case(coordinator: User | None = None, **fields: Any) -> Case:
    """A case taken into review (never public): confidential fields carry SECRET."""
    coordinator = coordinator or make_user(Role.COORDINATOR)
    member = make_user()
    fields.setdefault("source_notes", f"Source notes {SECRET}")
    case = make_case(member, **fields)
    apply(case, member, Action.SUBMIT)
    apply(case, coordinator, Action.TAKE)
    return case


def published_case(
    title: str = "Published finding",
    slug: str = "other",
    code: str = "71242",
    occurred_on: date = date(2026, 3, 14),
) -> Case:
    """A published case in a municipality and category (its source notes carry SECRET)."""
    coordinator = make_user(Role.COORDINATOR)
    case = reviewed_case(
        coordinator, title=title, municipality=municipality(code), occurred_on=occurred_on
    )
    apply(case, coordinator, Action.VERIFY, checklist=["sources", "evidence", "safety"])
    choice = publishing.PublicationChoice(
        "Public summary.", category(slug), PointPrecision.MUNICIPALITY, set()
    )
    publishing.publish(case, coordinator, choice)
    return case


def form_data(**fields: Any) -> dict[str, Any]:
    """The publication form as a browser sends it (a draft statement unless told otherwise)."""
    data: dict[str, Any] = {
        "kind": "statement",
        "title": "The network condemns the dismissals",
        "body": "We **condemn** the dismissals.",
        "published_on": "2026-04-02",
        "external_url": "",
        "status": "draft",
    }
    data.update(fields)
    return data
