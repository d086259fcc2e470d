"""Every model of the domain, imported in one place for migrations and the shell."""

from tracker.accounts.models import AccountToken, Organisation, RecoveryCode, Role, User
from tracker.actors.models import Actor, ActorKind, ActorRole, CaseActor
from tracker.audit.models import Event
from tracker.cases.models import Case, CaseStatus, Category, DatePrecision, ReferenceCounter
from tracker.evidence.models import Evidence, EvidenceKind
from tracker.geo.models import Municipality, MunicipalityKind
from tracker.public.models import Finding, FindingActor, FindingCount, PublicState
from tracker.publications.models import Publication, PublicationCase, PublicationKind

__all__ = [
    "AccountToken",
    "Actor",
    "ActorKind",
    "ActorRole",
    "Case",
    "CaseActor",
    "CaseStatus",
    "Category",
    "DatePrecision",
    "Event",
    "Evidence",
    "EvidenceKind",
    "Finding",
    "FindingActor",
    "FindingCount",
    "Municipality",
    "MunicipalityKind",
    "Organisation",
    "PublicState",
    "Publication",
    "PublicationCase",
    "PublicationKind",
    "RecoveryCode",
    "ReferenceCounter",
    "Role",
    "User",
]
