"""Evidence rules: links and testimony; deleting, withdrawing, downloading; the storage.

Adding files lives in `tracker.evidence.files`. Services flush; the view commits, through
`files.commit_added` / `commit_deletion` when stored files are involved, so that a failed
commit never leaves a file behind and a deleted row's file goes only once the row is gone.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from typing import BinaryIO
from urllib.parse import urlsplit

import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext as _
from sqlalchemy.exc import SQLAlchemyError

from tracker.accounts.models import User
from tracker.audit.services import record_event
from tracker.cases.models import Case, CaseStatus
from tracker.dbtypes import utcnow
from tracker.evidence.models import Evidence, EvidenceKind
from tracker.evidence.storage import LocalStorage
from tracker.extensions import db
from tracker.publications.models import Publication

log = logging.getLogger(__name__)
MB = 1024 * 1024
MAX_FILES = 10  # in one upload
URL_MAX, TEXT_MAX, REASON_MAX = 2000, 100_000, 2000


class EvidenceError(Exception):
    """Input the rules refuse; the message is for the member, in their language."""

    status = 400


class FileTooLarge(EvidenceError):
    """A file over the configured limit; nothing was kept."""

    status = 413


class StorageFailure(EvidenceError):
    """Storage could not take the file; nothing was kept."""

    status = 503


@dataclass(frozen=True)
class ItemInfo:
    """What the member tells about an item, whatever its kind."""

    description: str | None = None
    obtained_how: str | None = None
    public: bool = False


def get_storage() -> LocalStorage:
    """The app's evidence storage (built once from STORAGE_DIR)."""
    storage = current_app.extensions.get("evidence_storage")
    if storage is None:
        storage = LocalStorage(current_app.config["STORAGE_DIR"])
        current_app.extensions["evidence_storage"] = storage
    return storage


def upload_limit() -> int:
    """The largest file allowed, in bytes."""
    return int(current_app.config["MAX_UPLOAD_MB"]) * MB


def too_large_message() -> str:
    return _(
        "Each file may be at most %(limit)s MB, and one upload may hold at most %(count)s "
        "files. Nothing was saved.",
        limit=current_app.config["MAX_UPLOAD_MB"],
        count=MAX_FILES,
    )


def remove_unused(hashes: Iterable[str]) -> None:
    """Remove stored files no evidence row uses; when the database cannot tell, keep them."""
    storage = get_storage()
    for sha256 in hashes:
        try:
            used = db.session.scalar(
                sa.select(
                    sa.or_(
                        sa.exists().where(Evidence.sha256 == sha256, _is_file()),
                        sa.exists().where(Publication.pdf_sha256 == sha256),  # same storage
                    )
                )
            )
        except SQLAlchemyError:
            db.session.rollback()
            log.warning("cannot tell whether %s is used; left for `evidence sweep`", sha256)
            continue
        if not used:
            storage.delete(sha256)


def _is_file() -> sa.ColumnElement[bool]:
    return Evidence.kind == EvidenceKind.FILE


def add_link(case: Case, user: User, url: str, seen_on: date | None, info: ItemInfo) -> Evidence:
    """A link to something online, as the member saw it; flushes."""
    row = Evidence(
        case=case,
        kind=EvidenceKind.LINK,
        url=clean_url(url),
        seen_at=datetime.combine(seen_on, time(), UTC) if seen_on else None,
        description=text_or_none(info.description),
        obtained_how=text_or_none(info.obtained_how),
        public=info.public,
        added_by=user,
    )
    db.session.add(row)
    db.session.flush()
    record_event("evidence_added", user_id=user.id, case_id=case.id, details=_link_details(row))
    return row


def _link_details(row: Evidence) -> dict[str, object]:
    return {"evidence": row.id, "kind": row.kind.value}


def clean_url(raw: str) -> str:
    """An absolute http(s) address, or EvidenceError."""
    url = (raw or "").strip()
    try:
        parts = urlsplit(url)
        valid = parts.scheme in ("http", "https") and bool(parts.hostname) and parts.port != 0
    except ValueError:
        valid = False
    if not valid or len(url) > URL_MAX or any(ch.isspace() or not ch.isprintable() for ch in url):
        raise EvidenceError(_("Enter a full web address starting with http:// or https://."))
    return url


def add_testimony(
    case: Case, user: User, text: str, confidential: bool, info: ItemInfo
) -> Evidence:
    """A written testimony; its SHA-256 is recorded, never its text. Flushes."""
    body = "\n".join(line.rstrip() for line in (text or "").strip().splitlines())
    if not body:
        raise EvidenceError(_("Write the testimony."))
    if len(body) > TEXT_MAX:
        raise EvidenceError(_("The testimony is too long."))
    data = body.encode("utf-8")
    row = Evidence(
        case=case,
        kind=EvidenceKind.TESTIMONY,
        testimony=body,
        sha256=hashlib.sha256(data).hexdigest(),
        size=len(data),
        media_type="text/plain",
        confidential=confidential,
        public=info.public and not confidential,
        description=text_or_none(info.description),
        obtained_how=text_or_none(info.obtained_how),
        added_by=user,
    )
    db.session.add(row)
    db.session.flush()
    details = {"evidence": row.id, "kind": row.kind.value, "sha256": row.sha256, "size": row.size}
    record_event("evidence_added", user_id=user.id, case_id=case.id, details=details)
    return row


def derivatives(row: Evidence) -> list[Evidence]:
    """The metadata-free copies made from an item."""
    return list(db.session.scalars(sa.select(Evidence).where(Evidence.parent_id == row.id)))


def delete_evidence(row: Evidence, user: User) -> list[str]:
    """Remove an item (and its copies) from a draft; the hashes to drop after the commit."""
    if row.case.status is not CaseStatus.DRAFT:
        raise EvidenceError(
            _("Evidence cannot be deleted once the case is submitted; withdraw it instead.")
        )
    rows = [*derivatives(row), row]
    details = {"evidence": row.id, "kind": row.kind.value, "sha256": row.sha256}
    record_event("evidence_deleted", user_id=user.id, case_id=row.case_id, details=details)
    for item in rows:
        db.session.delete(item)
    db.session.flush()
    return sorted({r.sha256 for r in rows if r.kind is EvidenceKind.FILE and r.sha256})


def commit_deletion(hashes: Iterable[str]) -> None:
    """Commit a deletion, then remove the files nothing uses any more."""
    db.session.commit()
    remove_unused(hashes)


def withdraw_evidence(row: Evidence, user: User, reason: str) -> None:
    """Mark an item (and its copies) withdrawn, with a reason; it stays in the record."""
    reason = (reason or "").strip()
    if not reason:
        raise EvidenceError(_("Give a reason for withdrawing it."))
    if row.case.status is CaseStatus.DRAFT:
        raise EvidenceError(_("While the case is a draft, delete the evidence instead."))
    if row.withdrawn_at is not None:
        raise EvidenceError(_("This evidence has already been withdrawn."))
    now, reason = utcnow(), reason[:REASON_MAX]
    for item in (row, *derivatives(row)):
        item.withdrawn_at, item.withdrawn_by_id, item.withdrawn_reason = now, user.id, reason
    details = {"evidence": row.id, "sha256": row.sha256, "reason": reason}
    record_event("evidence_withdrawn", user_id=user.id, case_id=row.case_id, details=details)
    db.session.flush()


class MissingFile(Exception):
    """The record names a file that storage does not have (see `flask evidence verify`)."""


def open_download(row: Evidence, user: User) -> BinaryIO:
    """The stored file, opened, with the download written as an event (flushed)."""
    if row.kind is not EvidenceKind.FILE or not row.sha256:
        raise MissingFile(row.id)
    try:
        stream = get_storage().open(row.sha256)
    except FileNotFoundError as err:
        log.error("evidence %s: file %s is missing from storage", row.id, row.sha256)
        raise MissingFile(row.id) from err
    try:
        details = {"evidence": row.id, "sha256": row.sha256}
        record_event("evidence_downloaded", user_id=user.id, case_id=row.case_id, details=details)
    except BaseException:
        stream.close()
        raise
    return stream


def text_or_none(value: str | None) -> str | None:
    return (value or "").strip() or None
