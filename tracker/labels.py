"""Display names of enum values, in the interface language."""

from __future__ import annotations

from flask_babel import LazyString
from flask_babel import lazy_gettext as _l

from tracker.accounts.models import Role
from tracker.cases.models import CaseStatus
from tracker.geo.models import MunicipalityKind

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
    CaseStatus.WITHDRAWN: _l("Withdrawn"),
    CaseStatus.RETRACTED: _l("Retracted"),
    CaseStatus.ARCHIVED: _l("Archived"),
}
KIND_LABELS: dict[MunicipalityKind, LazyString] = {
    MunicipalityKind.CITY: _l("City"),
    MunicipalityKind.MUNICIPALITY: _l("Municipality"),
    MunicipalityKind.CITY_MUNICIPALITY: _l("City municipality"),
}


def role_label(role: Role) -> str:
    return str(ROLE_LABELS[role])


def status_label(status: CaseStatus) -> str:
    return str(STATUS_LABELS[status])


def kind_label(kind: MunicipalityKind) -> str:
    return str(KIND_LABELS[kind])
