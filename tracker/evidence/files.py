"""Adding files to a case: checked, stored by hash, then recorded; all or nothing.

Each file reaches storage (complete, fsynced, in place) before its row is flushed. If the
flush or the commit fails, the session is rolled back and the files this request brought
in are removed again, unless another row already uses the same content.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import BinaryIO, Protocol

from flask_babel import gettext as _

from tracker.accounts.models import User
from tracker.audit.services import record_event
from tracker.cases.models import Case
from tracker.evidence.derivatives import clean_copy
from tracker.evidence.exif import open_photo, photo_facts
from tracker.evidence.models import Evidence, EvidenceKind
from tracker.evidence.names import clean_name
from tracker.evidence.services import (
    MAX_FILES,
    MB,
    EvidenceError,
    FileTooLarge,
    ItemInfo,
    StorageFailure,
    derivatives,
    get_storage,
    remove_unused,
    text_or_none,
    too_large_message,
    upload_limit,
)
from tracker.evidence.sniff import allowed, is_image, sniff
from tracker.evidence.storage import Incoming, LocalStorage, StoredFile, TooLarge
from tracker.extensions import db

log = logging.getLogger(__name__)
DERIVATIVE_LIMIT = 1 << 40  # a derivative's size is bounded by the photo's pixel limit


class Upload(Protocol):
    """A file as it arrives (werkzeug's FileStorage fits)."""

    filename: str | None
    stream: BinaryIO


@dataclass
class Batch:
    """Files added in one request: the items the member sees, and the content new to storage."""

    items: list[Evidence] = field(default_factory=list)
    created: list[str] = field(default_factory=list)


@dataclass
class Received:
    """An upload complete in storage's tmp dir, not yet checked or kept."""

    name: str | None
    incoming: Incoming
    media_type: str = ""


def add_files(case: Case, user: User, uploads: Sequence[Upload], info: ItemInfo) -> Batch:
    """Check every upload, then store them all with their rows and events; all or nothing."""
    if not uploads:
        raise EvidenceError(_("Choose at least one file."))
    if len(uploads) > MAX_FILES:
        raise FileTooLarge(too_large_message())
    storage = get_storage()
    received: list[Received] = []
    try:
        for upload in uploads:
            incoming = _receive(storage, upload.stream)
            received.append(Received(clean_name(upload.filename), incoming))
            received[-1].media_type = _check(received[-1])
        return _store(case, user, received, info)
    finally:
        for item in received:
            item.incoming.close()  # a no-op for those now in place


def _receive(storage: LocalStorage, stream: BinaryIO) -> Incoming:
    if isinstance(stream, Incoming) and not stream.done:
        return stream  # streamed into storage while the request was parsed
    incoming = storage.incoming(upload_limit())
    try:
        while chunk := stream.read(MB):
            incoming.write(chunk)
    except TooLarge as err:
        raise FileTooLarge(too_large_message()) from err
    except BaseException:
        incoming.close()
        raise
    return incoming


def _check(item: Received) -> str:
    """The sniffed type, if the content is one we accept."""
    name = item.name or "—"
    if item.incoming.size == 0:
        raise EvidenceError(_("The file %(name)s is empty.", name=name))
    media_type = sniff(item.incoming.head)
    if not allowed(media_type):
        raise EvidenceError(
            _(
                "%(name)s cannot be added: its content is not a kind of file we accept. "
                "Add PDF, photos, video, audio, office documents or plain text.",
                name=name,
            )
        )
    return media_type or ""


def _store(case: Case, user: User, received: list[Received], info: ItemInfo) -> Batch:
    storage, batch = get_storage(), Batch()
    try:
        for item in received:
            stored = storage.keep(item.incoming)
            if stored.created:
                batch.created.append(stored.sha256)
            row = _file_row(case, user, stored, item, info)
            batch.items.append(row)
            if is_image(item.media_type):
                _add_photo_details(row, stored, batch)
        db.session.flush()
        for row in batch.items:
            record_event(
                "evidence_added", user_id=user.id, case_id=case.id, details=_file_details(row)
            )
    except OSError as err:
        _undo(batch.created)
        log.exception("evidence storage failed")
        raise StorageFailure(
            _("The file could not be stored. Nothing was saved; please try again.")
        ) from err
    except BaseException:
        _undo(batch.created)
        raise
    return batch


def _file_row(
    case: Case, user: User, stored: StoredFile, item: Received, info: ItemInfo
) -> Evidence:
    row = Evidence(
        case=case,
        kind=EvidenceKind.FILE,
        sha256=stored.sha256,
        size=stored.size,
        media_type=item.media_type,
        original_name=item.name,
        description=text_or_none(info.description),
        obtained_how=text_or_none(info.obtained_how),
        public=info.public,
        added_by=user,
    )
    db.session.add(row)
    return row


def _add_photo_details(row: Evidence, stored: StoredFile, batch: Batch) -> None:
    """EXIF into the record, and a metadata-free derivative as its own row."""
    storage = get_storage()
    with storage.open(stored.sha256) as fh, open_photo(fh) as image:
        if image is None:
            return
        facts = photo_facts(image)
        row.exif_taken_at, row.exif_device = facts.taken_at, facts.device
        row.exif_lat, row.exif_lon = facts.lat, facts.lon
        out = storage.incoming(DERIVATIVE_LIMIT)
        try:
            media_type = clean_copy(image, out)
        except BaseException:
            out.close()
            raise
    if media_type is None or out.size == 0:
        out.close()
        return
    copy = storage.keep(out)
    if copy.created:
        batch.created.append(copy.sha256)
    stem = (row.original_name or "photo").rpartition(".")[0] or row.original_name or "photo"
    ext = ".png" if media_type == "image/png" else ".jpg"
    derivative = Evidence(
        case=row.case,
        kind=EvidenceKind.FILE,
        sha256=copy.sha256,
        size=copy.size,
        media_type=media_type,
        original_name=clean_name(f"{stem}-no-metadata{ext}"),
        public=row.public,
        added_by=row.added_by,
        parent=row,
    )
    db.session.add(derivative)


def _file_details(row: Evidence) -> dict[str, object]:
    details: dict[str, object] = {
        "evidence": row.id,
        "kind": row.kind.value,
        "sha256": row.sha256,
        "size": row.size,
        "type": row.media_type,
    }
    for child in derivatives(row):
        details["derivative"] = child.id
        details["derivative_sha256"] = child.sha256
    return details


def commit_added(batch: Batch) -> None:
    """Commit; if that fails, roll back and remove the files this batch brought in."""
    try:
        db.session.commit()
    except BaseException:
        _undo(batch.created)
        raise


def _undo(created: Iterable[str]) -> None:
    db.session.rollback()
    remove_unused(created)
