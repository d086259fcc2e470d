"""Writing a case: saving drafts (optimistically locked) and the actors named in it."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from tracker.accounts.models import User
from tracker.actors.models import Actor, ActorKind, ActorRole, CaseActor
from tracker.audit.services import record_event
from tracker.cases.models import Case, Category, DatePrecision
from tracker.cases.services import allocate_reference
from tracker.evidence.models import Evidence
from tracker.extensions import db
from tracker.geo.models import Municipality
from tracker.text import fold
from tracker.workflow import REPORTER_EDITABLE

CONTENT_FIELDS = (
    "title", "description", "occurred_on", "occurred_precision", "municipality_id",
    "place", "lat", "lon", "category_id", "source_notes",
)  # fmt: skip


class EditConflict(Exception):
    """Someone saved the case since this form was opened; nothing was overwritten."""


class NotEditable(Exception):
    """The case cannot be edited by this user in its current state."""


@dataclass
class ActorEntry:
    """One actor named on the form: an existing one by name, or a new one with a kind."""

    name: str
    kind: ActorKind
    role: ActorRole


@dataclass
class CaseDraft:
    """Everything the case form carries, already parsed."""

    title: str = ""
    description: str = ""
    occurred_on: date | None = None
    occurred_precision: DatePrecision = DatePrecision.DAY
    municipality: Municipality | None = None
    place: str | None = None
    lat: float | None = None
    lon: float | None = None
    category: Category | None = None
    source_notes: str | None = None
    actors: list[ActorEntry] = field(default_factory=list)


def start_case(reporter: User, draft: CaseDraft) -> Case:
    """Create a draft case from what the member has filled in so far."""
    case = Case(reference=allocate_reference(), reporter=reporter, title="")
    db.session.add(case)
    _fill(case, draft)
    db.session.flush()
    record_event("case_created", user_id=reporter.id, case_id=case.id)
    return case


def save_case(case: Case, user: User, draft: CaseDraft, seen_version: int | None) -> list[str]:
    """Save edits unless someone saved since `seen_version`; returns the changed field names."""
    if case.reporter_id != user.id or case.status not in REPORTER_EDITABLE:
        raise NotEditable(str(_l("This case cannot be edited now.")))
    if seen_version is not None and seen_version != case.version_id:
        raise EditConflict(str(_l("Someone saved this case after you opened it.")))
    before = {name: getattr(case, name) for name in CONTENT_FIELDS}
    actors_before = _actor_keys(case)
    _fill(case, draft)
    changed = [name for name in CONTENT_FIELDS if getattr(case, name) != before[name]]
    if _actor_keys(case) != actors_before:
        changed.append("actors")
    if changed:
        # Field names only: the audit trail never copies confidential text.
        record_event("case_edited", user_id=user.id, case_id=case.id, details={"fields": changed})
        db.session.flush()
    return changed


def _fill(case: Case, draft: CaseDraft) -> None:
    case.title = draft.title.strip()[:300]
    case.description = draft.description
    case.occurred_on = draft.occurred_on
    case.occurred_precision = draft.occurred_precision
    case.municipality = draft.municipality
    case.place = (draft.place or "").strip() or None
    case.lat, case.lon = draft.lat, draft.lon
    case.category = draft.category
    case.source_notes = (draft.source_notes or "").strip() or None
    set_actors(case, draft.actors)
    db.session.flush()


def _actor_keys(case: Case) -> set[tuple[int | None, str]]:
    return {(link.actor.id, link.role.value) for link in case.actor_links}


def set_actors(case: Case, entries: list[ActorEntry]) -> None:
    """Link the named actors, reusing an existing actor whose name matches in any script."""
    wanted: dict[tuple[str, ActorRole], ActorEntry] = {}
    for entry in entries:
        if entry.name.strip():
            wanted.setdefault((fold(entry.name), entry.role), entry)
    links = []
    made: dict[str, Actor] = {}  # new actors, unflushed: named again in another role
    # No autoflush while looking actors up: a link made for the previous actor is not in the
    # session until it is given to the case below, and flushing it half-made would drop it.
    with db.session.no_autoflush:
        for (folded, role), entry in wanted.items():
            found = sa.select(Actor).where(Actor.name_folded == folded).limit(1)
            actor = made.get(folded) or db.session.scalar(found)
            if actor is None:
                actor = made[folded] = Actor(kind=entry.kind)
                actor.set_name(" ".join(entry.name.split())[:200])
                db.session.add(actor)
            existing = next(
                (ln for ln in case.actor_links if ln.actor is actor and ln.role is role), None
            )
            links.append(existing or CaseActor(actor=actor, role=role))
    case.actor_links = links


def use_photo_position(case: Case, user: User, evidence: Evidence) -> None:
    """Take the case's point from a photo's EXIF position (the member chose to)."""
    if case.reporter_id != user.id or case.status not in REPORTER_EDITABLE:
        raise NotEditable(str(_l("This case cannot be edited now.")))
    if evidence.case_id != case.id or evidence.exif_lat is None or evidence.exif_lon is None:
        raise ValueError("this evidence has no position")
    case.lat, case.lon = evidence.exif_lat, evidence.exif_lon
    record_event(
        "case_edited",
        user_id=user.id,
        case_id=case.id,
        details={"fields": ["lat", "lon"], "from_evidence": evidence.id},
    )
    db.session.flush()
