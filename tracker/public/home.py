"""The portal's home: headline figures from stored counts, the latest publications."""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa

from tracker.extensions import db
from tracker.public import index
from tracker.public.cache import figures
from tracker.public.facets import stored
from tracker.publications.models import Publication, PublicationStatus

LATEST = 8
LATEST_PUBLICATIONS = 5


@dataclass(frozen=True)
class Headline:
    findings: int
    municipalities: int
    actors: int
    publications: int


def _headline() -> Headline:
    total = stored("all")
    publications = db.session.scalar(
        sa.select(sa.func.count())
        .select_from(Publication)
        .where(Publication.status == PublicationStatus.PUBLISHED)
    )
    return Headline(
        findings=total[0][1] if total else 0,
        municipalities=len(stored("municipality")),
        actors=len(stored("actor")),
        publications=publications or 0,
    )


def headline() -> Headline:
    """Published findings, municipalities and actors they name, published publications."""
    return figures.get(index.state(), "headline", _headline)


def latest_publications() -> list[Publication]:
    """The newest published publications."""
    return list(
        db.session.scalars(
            sa.select(Publication)
            .where(Publication.status == PublicationStatus.PUBLISHED)
            .order_by(Publication.published_on.desc(), Publication.id.desc())
            .limit(LATEST_PUBLICATIONS)
        )
    )
