"""Published publications as API records, with the public cases they cite.

Drafts do not exist here. Of the cases a publication cites, only public ones (published,
or retracted with their notice) appear: of any other, not its reference, its title, its
note, nor that there is one.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

import sqlalchemy as sa
from flask import url_for

from tracker.accounts.models import Organisation
from tracker.api.records import iso, meta, page_url
from tracker.cases.models import Case
from tracker.extensions import db
from tracker.public.services import PUBLIC_STATUSES
from tracker.publications.models import (
    Publication,
    PublicationCase,
    PublicationKind,
    PublicationStatus,
    publication_signatory,
)

PAGE_SIZE = 50
NEWEST = (Publication.published_on.desc().nulls_last(), Publication.id.desc())


def _published(kind: PublicationKind | None) -> list[sa.ColumnElement[bool]]:
    where = [Publication.status == PublicationStatus.PUBLISHED]
    if kind is not None:
        where.append(Publication.kind == kind)
    return where


def _signatories(publication_ids: list[int]) -> dict[int, list[str]]:
    """Signatory organisations' names for these publications, in one query."""
    column = publication_signatory.c
    rows = db.session.execute(
        sa.select(column.publication_id, Organisation.name)
        .join(Organisation, Organisation.id == column.organisation_id)
        .where(column.publication_id.in_(publication_ids))
        .order_by(column.publication_id, Organisation.name)
    )
    found: dict[int, list[str]] = defaultdict(list)
    for publication_id, name in rows:
        found[publication_id].append(name)
    return found


def _record(publication: Publication, signatories: list[str]) -> dict[str, Any]:
    ident = publication.id
    pdf = page_url("publications.pdf", publication_id=ident) if publication.pdf_sha256 else None
    return {
        "id": ident,
        "kind": publication.kind.value,
        "title": publication.title,
        "date": iso(publication.published_on),
        "external_url": publication.external_url,
        "signatories": signatories,
        "pdf_url": pdf,
        "url": page_url("publications.detail", publication_id=ident),
        "api_url": url_for("api.publication", publication_id=ident, _external=True),
    }


def publication_list(kind: PublicationKind | None, page: int) -> dict[str, Any]:
    """A page of published publications, newest first, optionally of one kind."""
    where = _published(kind)
    rows = list(
        db.session.scalars(
            sa.select(Publication)
            .where(*where)
            .order_by(*NEWEST)
            .limit(PAGE_SIZE + 1)
            .offset((page - 1) * PAGE_SIZE)
        )
    )
    more = len(rows) > PAGE_SIZE
    rows = rows[:PAGE_SIZE]
    names = _signatories([p.id for p in rows]) if rows else {}
    nxt = None
    if more:
        args = {"kind": kind.value} if kind else {}
        nxt = url_for("api.publications", page=page + 1, _external=True, **args)
    total = db.session.scalar(sa.select(sa.func.count()).select_from(Publication).where(*where))
    return {
        "data": [_record(p, names.get(p.id, [])) for p in rows],
        "links": {"next": nxt},
        "meta": meta(total or 0),
    }


def _cases(publication: Publication) -> list[dict[str, Any]]:
    rows = db.session.execute(
        sa.select(Case.reference, Case.title, Case.status, PublicationCase.note)
        .join(PublicationCase, PublicationCase.case_id == Case.id)
        .where(
            PublicationCase.publication_id == publication.id,
            Case.status.in_(PUBLIC_STATUSES),
            Case.merged_into_id.is_(None),
        )
        .order_by(Case.reference)
    )
    return [
        {
            "reference": reference,
            "title": title,
            "status": status.value,
            "note": note or "",
            "url": url_for("public.case", reference=reference, _external=True),
            "api_url": url_for("api.case", reference=reference, _external=True),
        }
        for reference, title, status, note in rows
    ]


def publication_detail(publication_id: int) -> dict[str, Any] | None:
    """One published publication with its body and the public cases it cites, or None."""
    publication = db.session.scalar(
        sa.select(Publication).where(Publication.id == publication_id, *_published(None))
    )
    if publication is None:
        return None
    names = _signatories([publication.id]).get(publication.id, [])
    return {**_record(publication, names), "body": publication.body, "cases": _cases(publication)}
