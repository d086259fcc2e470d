"""The network's member organisations, which sign publications; managed by admins."""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from flask_babel import gettext as _

from tracker.accounts.models import Organisation, User
from tracker.audit.services import record_event
from tracker.evidence.services import EvidenceError, clean_url
from tracker.extensions import db
from tracker.public import index
from tracker.publications.models import Publication, PublicationStatus, publication_signatory

NAME_MAX, SHORT_MAX, WEBSITE_MAX = 200, 60, 300


class OrganisationError(Exception):
    """Input the rules refuse; `field` names the form field it concerns."""

    def __init__(self, message: str, field: str) -> None:
        super().__init__(message)
        self.field = field


@dataclass(frozen=True)
class OrganisationInput:
    name: str
    short_name: str | None = None
    website: str | None = None


def _checked(data: OrganisationInput, current: Organisation | None) -> OrganisationInput:
    name = " ".join((data.name or "").split())
    short = " ".join((data.short_name or "").split()) or None
    if not name:
        raise OrganisationError(_("Give the organisation's name."), "name")
    if len(name) > NAME_MAX or (short and len(short) > SHORT_MAX):
        raise OrganisationError(_("The name is too long."), "name")
    clash = db.session.scalar(
        sa.select(Organisation.id).where(sa.func.lower(Organisation.name) == name.lower())
    )
    if clash is not None and (current is None or clash != current.id):
        raise OrganisationError(_("An organisation with this name exists already."), "name")
    website = (data.website or "").strip() or None
    if website:
        try:
            website = clean_url(website)
        except EvidenceError as err:
            raise OrganisationError(str(err), "website") from err
        if len(website) > WEBSITE_MAX:
            raise OrganisationError(_("The web address is too long."), "website")
    return OrganisationInput(name, short, website)


def create_organisation(data: OrganisationInput, by: User) -> Organisation:
    """Add a member organisation; flushes."""
    cleaned = _checked(data, None)
    organisation = Organisation(
        name=cleaned.name, short_name=cleaned.short_name, website=cleaned.website
    )
    db.session.add(organisation)
    db.session.flush()
    record_event("organisation_created", user_id=by.id, details={"organisation": organisation.id})
    return organisation


def update_organisation(organisation: Organisation, data: OrganisationInput, by: User) -> None:
    """Change a member organisation; public pages of what it signed change with it. Flushes."""
    cleaned = _checked(data, organisation)
    organisation.name = cleaned.name
    organisation.short_name = cleaned.short_name
    organisation.website = cleaned.website
    db.session.flush()
    record_event("organisation_edited", user_id=by.id, details={"organisation": organisation.id})
    if signs_published(organisation):
        index.touch()


def signs_published(organisation: Organisation) -> bool:
    """True when the organisation signs a published publication."""
    return bool(
        db.session.scalar(
            sa.select(
                sa.exists()
                .where(publication_signatory.c.organisation_id == organisation.id)
                .where(publication_signatory.c.publication_id == Publication.id)
                .where(Publication.status == PublicationStatus.PUBLISHED)
            )
        )
    )


def all_organisations() -> list[Organisation]:
    """Every member organisation, by name."""
    return list(db.session.scalars(sa.select(Organisation).order_by(Organisation.name)))
