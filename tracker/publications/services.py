"""Publication rules: writing, publishing, signatories, the PDF, the cases cited.

Services check, change, write the audit event and flush; the view commits once (through
`pdf.commit` when a file came in). Whatever changes what the public sees also calls
`index.touch()` in the same transaction, so cached public pages and data expire with it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

import sqlalchemy as sa
from flask_babel import gettext as _

from tracker.accounts.models import Organisation, User
from tracker.audit.services import record_event
from tracker.cases.models import Case, CaseStatus
from tracker.dbtypes import utcnow
from tracker.evidence.services import EvidenceError, clean_url
from tracker.extensions import db
from tracker.public import index
from tracker.public.services import PUBLIC_STATUSES
from tracker.publications import pdf
from tracker.publications.models import (
    Publication,
    PublicationCase,
    PublicationKind,
    PublicationStatus,
)

TITLE_MAX, BODY_MAX, NOTE_MAX, REFERENCE_MAX = 300, 200_000, 500, 20


class PublicationError(Exception):
    """Input the rules refuse; the message is for the coordinator, `field` names the field."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


@dataclass
class PublicationInput:
    """What the coordinator wrote, already parsed by the form."""

    kind: PublicationKind
    title: str
    body: str = ""
    published_on: date | None = None
    external_url: str | None = None
    status: PublicationStatus = PublicationStatus.DRAFT
    signatory_ids: Sequence[int] = ()
    remove_pdf: bool = False


@dataclass
class Saved:
    """A publication written in this request, and files to tidy around the commit."""

    publication: Publication
    created: list[str] = field(default_factory=list)  # remove these if the commit fails
    replaced: list[str] = field(default_factory=list)  # remove these once it succeeded

    def commit(self) -> None:
        """Commit once; tidy the storage either way."""
        pdf.commit(self.created)
        pdf.discard(self.replaced)


def is_public(publication: Publication) -> bool:
    return publication.status is PublicationStatus.PUBLISHED


def _checked(data: PublicationInput) -> tuple[PublicationInput, list[Organisation]]:
    """The input cleaned, and the signatories it names; PublicationError, nothing changed."""
    title, body = " ".join((data.title or "").split()), (data.body or "").strip()
    if not title:
        raise PublicationError(_("Give the publication a title."), "title")
    if len(title) > TITLE_MAX or len(body) > BODY_MAX:
        raise PublicationError(_("The title or the text is too long."), "title")
    url = (data.external_url or "").strip() or None
    if url:
        try:
            url = clean_url(url)
        except EvidenceError as err:
            raise PublicationError(str(err), "external_url") from err
    ids = sorted(set(data.signatory_ids))
    signatories = list(db.session.scalars(sa.select(Organisation).where(Organisation.id.in_(ids))))
    if len(signatories) != len(ids):
        raise PublicationError(_("Choose signatories from the list."), "signatories")
    published_on = data.published_on
    if published_on is None and data.status is PublicationStatus.PUBLISHED:
        published_on = utcnow().date()
    cleaned = PublicationInput(
        data.kind, title, body, published_on, url, data.status, ids, data.remove_pdf
    )
    return cleaned, sorted(signatories, key=lambda o: o.name)


def _fill(
    publication: Publication, data: PublicationInput, signatories: list[Organisation]
) -> None:
    publication.kind = data.kind
    publication.title = data.title
    publication.body = data.body
    publication.published_on = data.published_on
    publication.external_url = data.external_url
    publication.status = data.status
    publication.signatories = signatories


def _attach(publication: Publication, saved: Saved, upload: pdf.Upload | None, drop: bool) -> None:
    """Keep a new PDF (checked after the text, so a refused text stores nothing)."""
    old = publication.pdf_sha256
    if upload is not None:
        try:
            stored = pdf.keep_pdf(upload)
        except pdf.PdfError as err:
            raise PublicationError(str(err), "pdf") from err
        if stored.created:
            saved.created.append(stored.sha256)
        publication.pdf_sha256, publication.pdf_name = stored.sha256, stored.name
    elif drop:
        publication.pdf_sha256 = publication.pdf_name = None
    if old and old != publication.pdf_sha256:
        saved.replaced.append(old)


def _details(publication: Publication) -> dict[str, object]:
    return {
        "publication": publication.id,
        "kind": publication.kind.value,
        "status": publication.status.value,
        "pdf": publication.pdf_sha256,
    }


def create_publication(
    data: PublicationInput,
    by: User,
    upload: pdf.Upload | None = None,
    citations: Sequence[tuple[Case, str | None]] = (),
) -> Saved:
    """A new publication (draft or published), with its PDF and the cases it cites; flushes."""
    cleaned, signatories = _checked(data)
    notes = [(case, _clean_note(note)) for case, note in citations]
    publication = Publication(created_by=by)
    saved = Saved(publication)
    _fill(publication, cleaned, signatories)
    _attach(publication, saved, upload, drop=False)
    db.session.add(publication)
    db.session.flush()
    record_event("publication_created", user_id=by.id, details=_details(publication))
    for case, note in notes:
        link_case(publication, case, note, by)
    if is_public(publication):
        index.touch()
    return saved


def update_publication(
    publication: Publication, data: PublicationInput, by: User, upload: pdf.Upload | None = None
) -> Saved:
    """Change a publication; publishing and unpublishing are changes of its status. Flushes."""
    cleaned, signatories = _checked(data)
    was_public = is_public(publication)
    saved = Saved(publication)
    _fill(publication, cleaned, signatories)
    _attach(publication, saved, upload, drop=cleaned.remove_pdf)
    db.session.flush()
    kind = "publication_edited"
    if was_public != is_public(publication):
        kind = "publication_published" if is_public(publication) else "publication_unpublished"
    record_event(kind, user_id=by.id, details=_details(publication))
    if was_public or is_public(publication):
        index.touch()
    return saved


# --- cases cited -------------------------------------------------------------------------


def _clean_note(note: str | None) -> str | None:
    text = " ".join((note or "").split())
    if len(text) > NOTE_MAX:
        raise PublicationError(
            _("A note may be at most %(n)s characters long.", n=NOTE_MAX), "note"
        )
    return text or None


def find_case(reference: str) -> Case:
    """The case a coordinator may cite under this reference, or PublicationError."""
    ref = (reference or "").strip().upper()[:REFERENCE_MAX]
    case = db.session.scalar(sa.select(Case).where(Case.reference == ref)) if ref else None
    if case is None or case.status is CaseStatus.DRAFT:
        raise PublicationError(
            _("No case under review has the reference %(ref)s.", ref=ref), "reference"
        )
    if case.merged_into_id is not None:
        survivor = db.session.get(Case, case.merged_into_id)
        raise PublicationError(
            _("%(ref)s was merged into %(into)s; cite that case instead.", ref=ref,
              into=survivor.reference if survivor else "—"),
            "reference",
        )  # fmt: skip
    return case


def case_is_public(case: Case) -> bool:
    return case.status in PUBLIC_STATUSES and case.merged_into_id is None


def _touch_if_seen(publication: Publication, case: Case) -> None:
    """Only a published publication citing a public case changes a public page."""
    if is_public(publication) and case_is_public(case):
        index.touch()


def link_case(publication: Publication, case: Case, note: str | None, by: User) -> PublicationCase:
    """Cite a case with a short note, or change the note if it is cited already; flushes."""
    text = _clean_note(note)
    link = db.session.get(PublicationCase, (publication.id, case.id))
    if link is None:
        link = PublicationCase(publication=publication, case=case)
        db.session.add(link)
    link.note = text
    db.session.flush()
    details = {"publication": publication.id, "note": text}
    record_event("publication_case_linked", user_id=by.id, case_id=case.id, details=details)
    _touch_if_seen(publication, case)
    return link


def unlink_case(publication: Publication, case: Case, by: User) -> None:
    """Stop citing a case; flushes. Unknown links are refused."""
    link = db.session.get(PublicationCase, (publication.id, case.id))
    if link is None:
        raise PublicationError(_("This publication does not cite that case."), "reference")
    db.session.delete(link)
    db.session.flush()
    details = {"publication": publication.id}
    record_event("publication_case_unlinked", user_id=by.id, case_id=case.id, details=details)
    _touch_if_seen(publication, case)


def move_citations(duplicate: Case, survivor: Case) -> None:
    """A merged duplicate's citations cite the case that survived (notes kept); flushes.

    Where a publication cited both, the survivor's link and note stay.
    """
    links = db.session.scalars(
        sa.select(PublicationCase).where(PublicationCase.case_id == duplicate.id)
    ).all()
    cited = set(
        db.session.scalars(
            sa.select(PublicationCase.publication_id).where(PublicationCase.case_id == survivor.id)
        )
    )
    moved = [(link.publication_id, link.note) for link in links if link.publication_id not in cited]
    for link in links:
        db.session.delete(link)
    db.session.flush()
    for publication_id, note in moved:
        db.session.add(
            PublicationCase(publication_id=publication_id, case_id=survivor.id, note=note)
        )
    db.session.flush()
