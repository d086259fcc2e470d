"""Public views of cases: only published (or retracted) cases, only public fields."""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa

from tracker.audit.models import Event
from tracker.cases.models import Case, CaseStatus, PointPrecision
from tracker.evidence.models import Evidence, EvidenceKind
from tracker.evidence.sniff import is_image
from tracker.extensions import db

PUBLIC_STATUSES = (CaseStatus.PUBLISHED, CaseStatus.RETRACTED)
ROUNDING = 2  # decimal places: about 1 km


def public_case(reference: str) -> Case | None:
    """A case the public may read, or None (unpublished cases do not exist for visitors)."""
    return db.session.scalar(
        sa.select(Case).where(Case.reference == reference, Case.status.in_(PUBLIC_STATUSES))
    )


def public_point(case: Case) -> tuple[float, float] | None:
    """The point shown to the public, at the precision the coordinators chose."""
    municipality = case.municipality
    seat = (municipality.lat, municipality.lon) if municipality else None
    return point_at(case.point_precision, case.lat, case.lon, seat)


def point_at(
    precision: PointPrecision,
    lat: float | None,
    lon: float | None,
    seat: tuple[float, float] | None,
) -> tuple[float, float] | None:
    """A point at a public precision: exact, rounded (about 1 km), or the municipality's seat."""
    if precision is PointPrecision.MUNICIPALITY or lat is None or lon is None:
        return seat
    if precision is PointPrecision.ROUNDED:
        return round(lat, ROUNDING), round(lon, ROUNDING)
    return lat, lon


@dataclass(frozen=True)
class PublicItem:
    """A piece of evidence as the public may see it."""

    evidence: Evidence
    download: Evidence | None  # the metadata-free derivative for images, else None


def public_evidence(case: Case) -> list[PublicItem]:
    """Evidence chosen for publication: links, open testimony, images as clean copies."""
    derivatives = {e.parent_id: e for e in case.evidence if e.parent_id is not None}
    items = []
    for item in case.evidence:
        if not item.published or item.withdrawn_at is not None or item.parent_id is not None:
            continue
        if item.kind is EvidenceKind.FILE:
            copy = derivatives.get(item.id)
            if is_image(item.media_type) and copy is not None:
                items.append(PublicItem(item, copy))
            continue  # other files may carry metadata: never served publicly
        if item.kind is EvidenceKind.TESTIMONY and item.confidential:
            continue
        items.append(PublicItem(item, None))
    return items


def public_download(case: Case, evidence_id: int) -> Evidence | None:
    """The clean copy a visitor may download, if `evidence_id` names one of this case."""
    for item in public_evidence(case):
        if item.download is not None and item.download.id == evidence_id:
            return item.download
    return None


def corrections(case: Case) -> list[Event]:
    """The public changelog: corrections with their notes, oldest first."""
    events = db.session.scalars(
        sa.select(Event)
        .where(Event.case_id == case.id, Event.kind == "status_changed")
        .order_by(Event.id)
    )
    return [e for e in events if e.details.get("action") == "correct"]
