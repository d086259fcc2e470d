"""Reading publications: what visitors may see, and what coordinators see.

Visitors see published publications only, and of the cases they cite only public ones
(published, or retracted with their notice). A link to any other case does not exist for
them: not its reference, its title, its note, nor that there is one.
"""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
import sqlalchemy.orm as so

from tracker.cases.models import Case, CaseStatus
from tracker.extensions import db
from tracker.public.services import PUBLIC_STATUSES
from tracker.publications.models import (
    Publication,
    PublicationCase,
    PublicationKind,
    PublicationStatus,
)

NEWEST = (Publication.published_on.desc().nulls_last(), Publication.id.desc())


def published(kind: PublicationKind | None = None) -> sa.Select[tuple[Publication]]:
    """Published publications, newest first, optionally of one kind."""
    stmt = sa.select(Publication).where(Publication.status == PublicationStatus.PUBLISHED)
    if kind is not None:
        stmt = stmt.where(Publication.kind == kind)
    return stmt.options(so.selectinload(Publication.signatories)).order_by(*NEWEST)


def everything(status: PublicationStatus | None = None) -> sa.Select[tuple[Publication]]:
    """Every publication for coordinators (drafts first, then newest)."""
    stmt = sa.select(Publication)
    if status is not None:
        stmt = stmt.where(Publication.status == status)
    draft_first = sa.case((Publication.status == PublicationStatus.DRAFT, 0), else_=1)
    return stmt.order_by(draft_first, Publication.updated_at.desc(), Publication.id.desc())


def public_publication(publication_id: int) -> Publication | None:
    """A publication visitors may read, or None (drafts do not exist for them)."""
    return db.session.scalar(
        sa.select(Publication).where(
            Publication.id == publication_id, Publication.status == PublicationStatus.PUBLISHED
        )
    )


def _public_case() -> sa.ColumnElement[bool]:
    return sa.and_(Case.status.in_(PUBLIC_STATUSES), Case.merged_into_id.is_(None))


@dataclass(frozen=True)
class Citation:
    """A case cited by a publication, with the note on why."""

    case: Case
    note: str | None


def public_citations(publication: Publication) -> list[Citation]:
    """The public cases a publication cites, by reference; nothing of the others."""
    rows = db.session.execute(
        sa.select(Case, PublicationCase.note)
        .join(PublicationCase, PublicationCase.case_id == Case.id)
        .where(PublicationCase.publication_id == publication.id, _public_case())
        .order_by(Case.reference)
    ).all()
    return [Citation(case, note) for case, note in rows]


def all_citations(publication: Publication) -> list[Citation]:
    """Every case a publication cites (for coordinators)."""
    rows = db.session.execute(
        sa.select(Case, PublicationCase.note)
        .join(PublicationCase, PublicationCase.case_id == Case.id)
        .where(PublicationCase.publication_id == publication.id)
        .order_by(Case.reference)
    ).all()
    return [Citation(case, note) for case, note in rows]


@dataclass(frozen=True)
class Citing:
    """A publication that cites a case, with its note."""

    publication: Publication
    note: str | None


def citing(case: Case, public: bool) -> list[Citing]:
    """Publications citing a case, newest first; for visitors only published ones (and none
    at all unless the case itself is public)."""
    stmt = (
        sa.select(Publication, PublicationCase.note)
        .join(PublicationCase, PublicationCase.publication_id == Publication.id)
        .where(PublicationCase.case_id == case.id)
        .order_by(*NEWEST)
    )
    if public:
        if case.status not in PUBLIC_STATUSES or case.merged_into_id is not None:
            return []
        stmt = stmt.where(Publication.status == PublicationStatus.PUBLISHED)
    return [Citing(p, note) for p, note in db.session.execute(stmt).all()]


def cases_by_reference(references: list[str]) -> tuple[list[Case], list[str]]:
    """Cases coordinators may cite under these references (in order), and the unknown ones."""
    wanted = list(dict.fromkeys(r.strip().upper()[:20] for r in references if r.strip()))
    found = {
        c.reference: c
        for c in db.session.scalars(sa.select(Case).where(Case.reference.in_(wanted)))
    }
    ok = [
        found[r]
        for r in wanted
        if r in found
        and found[r].status is not CaseStatus.DRAFT
        and found[r].merged_into_id is None
    ]
    return ok, [r for r in wanted if r not in {c.reference for c in ok}]
