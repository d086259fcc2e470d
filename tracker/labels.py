"""Display names of enum values, in the interface language."""

from __future__ import annotations

from flask_babel import LazyString, format_date
from flask_babel import lazy_gettext as _l

from tracker.accounts.models import Role
from tracker.actors.models import ActorKind, ActorRole
from tracker.audit.models import Event
from tracker.cases.models import Case, CaseStatus, DatePrecision
from tracker.geo.models import MunicipalityKind
from tracker.workflow import Action

ROLE_LABELS: dict[Role, LazyString] = {
    Role.MEMBER: _l("Member"),
    Role.COORDINATOR: _l("Coordinator"),
    Role.ADMIN: _l("Administrator"),
}
STATUS_LABELS: dict[CaseStatus, LazyString] = {
    CaseStatus.DRAFT: _l("Draft"),
    CaseStatus.SUBMITTED: _l("Submitted"),
    CaseStatus.IN_REVIEW: _l("In review"),
    CaseStatus.NEEDS_INFO: _l("Needs information"),
    CaseStatus.VERIFIED: _l("Verified"),
    CaseStatus.PUBLISHED: _l("Published"),
    CaseStatus.REJECTED: _l("Rejected"),
    CaseStatus.RETRACTED: _l("Retracted"),
    CaseStatus.ARCHIVED: _l("Archived"),
}
KIND_LABELS: dict[MunicipalityKind, LazyString] = {
    MunicipalityKind.CITY: _l("City"),
    MunicipalityKind.MUNICIPALITY: _l("Municipality"),
    MunicipalityKind.CITY_MUNICIPALITY: _l("City municipality"),
}

ACTOR_KIND_LABELS: dict[ActorKind, LazyString] = {
    ActorKind.INSTITUTION: _l("Institution"),
    ActorKind.OFFICIAL: _l("Official"),
    ActorKind.COMPANY: _l("Company"),
    ActorKind.PARTY: _l("Political party"),
    ActorKind.MEDIA: _l("Media outlet"),
    ActorKind.OTHER: _l("Other"),
}
ACTOR_ROLE_LABELS: dict[ActorRole, LazyString] = {
    ActorRole.RESPONSIBLE: _l("Responsible"),
    ActorRole.AFFECTED: _l("Affected"),
    ActorRole.MENTIONED: _l("Mentioned"),
}
PRECISION_LABELS: dict[DatePrecision, LazyString] = {
    DatePrecision.DAY: _l("exact day"),
    DatePrecision.MONTH: _l("month only"),
    DatePrecision.YEAR: _l("year only"),
}


def role_label(role: Role) -> str:
    return str(ROLE_LABELS[role])


def status_label(status: CaseStatus) -> str:
    return str(STATUS_LABELS[status])


def kind_label(kind: MunicipalityKind) -> str:
    return str(KIND_LABELS[kind])


ACTION_LABELS: dict[Action, LazyString] = {
    Action.SUBMIT: _l("Submit for review"),
    Action.WITHDRAW: _l("Withdraw to draft"),
    Action.TAKE: _l("Take into review"),
    Action.ASK: _l("Ask for information"),
    Action.ANSWER: _l("Answer"),
    Action.VERIFY: _l("Verify"),
    Action.PUBLISH: _l("Publish"),
    Action.REJECT: _l("Reject"),
    Action.CORRECT: _l("Correct"),
    Action.RETRACT: _l("Retract"),
    Action.REOPEN: _l("Reopen"),
    Action.ARCHIVE: _l("Archive"),
}
EVENT_LABELS: dict[str, LazyString] = {
    "case_created": _l("Case created"),
    "case_edited": _l("Case edited"),
    "status_changed": _l("Status changed"),
    "message_added": _l("Message"),
    "note_added": _l("Internal note"),
    "evidence_added": _l("Evidence added"),
    "evidence_downloaded": _l("Evidence downloaded"),
    "evidence_withdrawn": _l("Evidence withdrawn"),
    "evidence_deleted": _l("Evidence removed from the draft"),
    "case_assigned": _l("Assigned"),
    "case_merged": _l("Merged with a duplicate"),
    "publication_requested": _l("Publication approved, waiting for a second coordinator"),
    "publication_created": _l("Publication written"),
    "publication_edited": _l("Publication edited"),
    "publication_published": _l("Publication published"),
    "publication_unpublished": _l("Publication withdrawn to draft"),
    "publication_case_linked": _l("Cited in a publication"),
    "publication_case_unlinked": _l("No longer cited in a publication"),
    "organisation_created": _l("Member organisation added"),
    "organisation_edited": _l("Member organisation edited"),
}


def actor_role_label(role: ActorRole) -> str:
    return str(ACTOR_ROLE_LABELS[role])


def actor_kind_label(kind: ActorKind) -> str:
    return str(ACTOR_KIND_LABELS[kind])


def action_label(action: Action) -> str:
    return str(ACTION_LABELS[action])


def event_label(event: Event) -> str:
    """A line for the case timeline."""
    label = str(EVENT_LABELS.get(event.kind, event.kind))
    target = event.details.get("to") if event.kind == "status_changed" else None
    if target in CaseStatus.__members__.values():
        return f"{label}: {status_label(CaseStatus(target))}"
    return label


def when_text(case: Case) -> str:
    """When the case happened, at the precision known, in the interface language."""
    if case.occurred_on is None:
        return ""
    if case.occurred_precision is DatePrecision.YEAR:
        return str(case.occurred_on.year)
    if case.occurred_precision is DatePrecision.MONTH:
        return format_date(case.occurred_on, "MMMM y")
    return format_date(case.occurred_on, "long")
