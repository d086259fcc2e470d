"""Publishing, correcting, retracting and merging cases: the coordinators' rules."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from flask import current_app
from flask_babel import lazy_gettext as _l

from tracker.accounts.models import User
from tracker.actors.models import CaseActor
from tracker.audit.services import record_event
from tracker.cases import lifecycle
from tracker.cases.models import Case, CaseStatus, Category, PointPrecision
from tracker.extensions import db
from tracker.public import index
from tracker.publications.services import move_citations
from tracker.workflow import Action


class PublishingError(Exception):
    """The request cannot be carried out; the message says why, in the user's language."""


class VersionConflict(PublishingError):
    """Someone changed the case after this form was opened."""


@dataclass
class PublicationChoice:
    """What the public will see of a case."""

    summary: str
    category: Category | None
    precision: PointPrecision
    evidence_ids: set[int]


def check_version(case: Case, seen: int | None) -> None:
    """Refuse to overwrite changes made since the form was opened (optimistic locking)."""
    if seen is not None and seen != case.version_id:
        raise VersionConflict(str(_l("Another coordinator changed this case after you opened it.")))


def _apply_choice(case: Case, choice: PublicationChoice) -> None:
    case.public_summary = choice.summary.strip() or None
    if choice.category is not None:
        case.category = choice.category
    case.point_precision = choice.precision
    for item in case.evidence:
        # Only what the member allowed, never withdrawn items, never the originals of images
        # (their metadata-free derivatives are what the public side serves).
        item.published = (
            item.id in choice.evidence_ids and item.public and item.withdrawn_at is None
        )


def publish(case: Case, by: User, choice: PublicationChoice) -> bool:
    """Publish, or record the first approval when a second coordinator must agree.

    Returns True when the case is now published, False when it waits for a second approval.
    """
    if case.status is not CaseStatus.VERIFIED:
        raise PublishingError(str(_l("Only a verified case can be published.")))
    _apply_choice(case, choice)
    second_needed = bool(current_app.config["PUBLISH_NEEDS_SECOND_APPROVAL"])
    first = case.publish_requested_by_id
    if second_needed and first is None:
        lifecycle.check(case, by, Action.PUBLISH)
        case.publish_requested_by = by
        record_event("publication_requested", user_id=by.id, case_id=case.id)
        db.session.flush()
        return False
    if second_needed and first == by.id:
        raise PublishingError(str(_l("A second coordinator must approve this publication.")))
    lifecycle.apply(case, by, Action.PUBLISH, approved_by=first)
    case.publish_requested_by = None
    return True


def correct(case: Case, by: User, summary: str, note: str) -> None:
    """Correct a published case: a new public summary and a public changelog line."""
    case.public_summary = summary.strip() or case.public_summary
    lifecycle.apply(case, by, Action.CORRECT, note=note.strip())


def retract(case: Case, by: User, reason: str) -> None:
    """Retract a published case; the public notice keeps the reason and the date."""
    case.retraction_reason = reason.strip() or None
    lifecycle.apply(case, by, Action.RETRACT, reason=reason.strip())


def merge(duplicate: Case, survivor: Case, by: User) -> None:
    """Fold a duplicate into the surviving case: evidence, actors and citations move; history
    stays put.

    Events are never rewritten (the hash chain covers them): the survivor's timeline also
    shows the events of the cases merged into it, and the duplicate's reference redirects.
    """
    if duplicate.id == survivor.id or survivor.merged_into_id is not None:
        raise PublishingError(str(_l("Choose another case to merge into.")))
    if duplicate.merged_into_id is not None:
        raise PublishingError(str(_l("This case was already merged.")))
    for item in list(duplicate.evidence):
        item.case = survivor
    _move_actor_links(duplicate.actor_links, survivor)
    move_citations(duplicate, survivor)
    duplicate.merged_into_id = survivor.id
    details = {"from": duplicate.reference, "into": survivor.reference}
    record_event("case_merged", user_id=by.id, case_id=duplicate.id, details=details)
    record_event("case_merged", user_id=by.id, case_id=survivor.id, details=details)
    db.session.flush()
    index.sync(duplicate)
    index.sync(survivor)


def _move_actor_links(links: Iterable[CaseActor], survivor: Case) -> None:
    have = {(link.actor_id, link.role) for link in survivor.actor_links}
    for link in list(links):
        if (link.actor_id, link.role) not in have:
            survivor.actor_links.append(CaseActor(actor=link.actor, role=link.role))
            have.add((link.actor_id, link.role))
