"""Published publications as open data and feed entries: public fields and public cases only."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import sqlalchemy.orm as so
from flask import url_for

from tracker.extensions import db
from tracker.publications.models import Publication, PublicationCase
from tracker.publications.queries import published
from tracker.publications.services import case_is_public


def cited(publication: Publication) -> list[dict[str, Any]]:
    """The public cases a publication cites, with their notes (never any other case)."""
    links = sorted(
        (link for link in publication.case_links if case_is_public(link.case)),
        key=lambda link: link.case.reference,
    )
    return [
        {
            "reference": link.case.reference,
            "status": link.case.status.value,
            "note": link.note,
            "url": url_for("public.case", reference=link.case.reference, _external=True),
        }
        for link in links
    ]


def row(publication: Publication) -> dict[str, Any]:
    """One publication's public fields."""
    pdf = (
        url_for("publications.pdf", publication_id=publication.id, _external=True)
        if publication.pdf_sha256
        else None
    )
    return {
        "id": publication.id,
        "kind": publication.kind.value,
        "title": publication.title,
        "date": publication.published_on.isoformat() if publication.published_on else None,
        "body": publication.body,
        "updated_at": publication.updated_at.isoformat(),
        "url": url_for("publications.detail", publication_id=publication.id, _external=True),
        "external_url": publication.external_url,
        "pdf": pdf,
        "signatories": [
            {"name": o.name, "short_name": o.short_name, "website": o.website}
            for o in publication.signatories
        ],
        "cases": cited(publication),
    }


def rows(limit: int | None = None) -> Iterator[dict[str, Any]]:
    """Every published publication as a row, newest first, read in batches."""
    stmt = published().options(
        so.selectinload(Publication.case_links).joinedload(PublicationCase.case)
    )
    if limit:
        stmt = stmt.limit(limit)
    result = db.session.scalars(stmt.execution_options(yield_per=200))
    try:
        for publication in result:
            yield row(publication)
    finally:
        result.close()
