"""Likely duplicates: cases the member may see, nearby in place and time, with similar titles."""

from __future__ import annotations

from datetime import date, timedelta
from difflib import SequenceMatcher

import sqlalchemy as sa

from tracker.accounts.models import Role, User
from tracker.cases.models import Case, CaseStatus
from tracker.extensions import db
from tracker.text import fold

WINDOW = timedelta(weeks=6)
THRESHOLD = 0.5
CANDIDATES = 200


def visible_to(user: User) -> sa.ColumnElement[bool]:
    """Cases `user` may know exist: their own, or published ones (coordinators see all)."""
    if user.has_role(Role.COORDINATOR):
        return sa.true()
    return sa.or_(Case.reporter_id == user.id, Case.status == CaseStatus.PUBLISHED)


def title_similarity(a: str, b: str) -> float:
    """0..1: how alike two titles are, ignoring script, case and diacritics."""
    fa, fb = fold(a), fold(b)
    if not fa or not fb:
        return 0.0
    words_a, words_b = set(fa.split()), set(fb.split())
    overlap = len(words_a & words_b) / len(words_a | words_b)
    return max(overlap, SequenceMatcher(None, fa, fb).ratio())


def similar_cases(
    user: User,
    municipality_id: int | None,
    title: str,
    occurred_on: date | None,
    exclude_id: int | None = None,
    limit: int = 5,
) -> list[Case]:
    """Up to `limit` cases that look like the one being written, most similar first."""
    if municipality_id is None or len(fold(title)) < 4:
        return []
    stmt = sa.select(Case).where(
        Case.municipality_id == municipality_id, visible_to(user), Case.merged_into_id.is_(None)
    )
    if exclude_id is not None:
        stmt = stmt.where(Case.id != exclude_id)
    if occurred_on is not None:
        stmt = stmt.where(
            sa.or_(
                Case.occurred_on.is_(None),
                Case.occurred_on.between(occurred_on - WINDOW, occurred_on + WINDOW),
            )
        )
    candidates = db.session.scalars(stmt.order_by(Case.id.desc()).limit(CANDIDATES)).all()
    scored = [(title_similarity(title, c.title), c) for c in candidates]
    return [c for score, c in sorted(scored, key=lambda p: -p[0]) if score >= THRESHOLD][:limit]
