"""A publication's PDF: checked by its content, kept in the evidence storage by SHA-256.

The file reaches storage (complete, fsynced, in place) before the row that names it is
flushed; if the commit then fails, the file is removed again unless something else uses
the same content. Only real PDFs are accepted, whatever the name or the declared type.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass
from typing import BinaryIO, Protocol

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.exc import SQLAlchemyError

from tracker.evidence.models import Evidence, EvidenceKind
from tracker.evidence.names import clean_name
from tracker.evidence.services import MB, get_storage, upload_limit
from tracker.evidence.sniff import sniff
from tracker.evidence.storage import Incoming, TooLarge
from tracker.extensions import db
from tracker.publications.models import Publication

log = logging.getLogger(__name__)
PDF = "application/pdf"


class PdfError(Exception):
    """The upload is not a PDF we can keep; nothing was stored."""


class Upload(Protocol):
    """A file as it arrives (werkzeug's FileStorage fits)."""

    filename: str | None
    stream: BinaryIO


@dataclass(frozen=True)
class StoredPdf:
    """A PDF now in storage."""

    sha256: str
    name: str
    created: bool  # False when the same content was stored already


def too_large() -> str:
    return _(
        "The PDF is larger than %(limit)s MB. Nothing was saved; make the file smaller and "
        "choose it again.",
        limit=upload_limit() // MB,
    )


def _receive(stream: BinaryIO) -> Incoming:
    if getattr(stream, "too_large", False):  # dropped while the form was read (Overflowing)
        raise PdfError(too_large())
    if isinstance(stream, Incoming) and not stream.done:
        return stream  # streamed into storage while the request was parsed
    incoming = get_storage().incoming(upload_limit())
    try:
        while chunk := stream.read(MB):
            incoming.write(chunk)
    except TooLarge as err:
        raise PdfError(too_large()) from err
    except BaseException:
        incoming.close()
        raise
    return incoming


def keep_pdf(upload: Upload) -> StoredPdf:
    """Store the upload if its content is a PDF; PdfError otherwise (nothing kept)."""
    incoming = _receive(upload.stream)
    try:
        if incoming.size == 0:
            raise PdfError(_("The PDF is empty. Choose the file again."))
        if sniff(incoming.head) != PDF:
            raise PdfError(_("This file is not a PDF. Attach the report as a PDF file."))
        stored = get_storage().keep(incoming)
    finally:
        incoming.close()  # a no-op once kept
    name = clean_name(upload.filename) or "report.pdf"
    return StoredPdf(stored.sha256, name, stored.created)


def in_use(sha256: str) -> bool:
    """True when a publication or an evidence file refers to this content."""
    publication = sa.exists().where(Publication.pdf_sha256 == sha256)
    evidence = sa.exists().where(Evidence.sha256 == sha256, Evidence.kind == EvidenceKind.FILE)
    return bool(db.session.scalar(sa.select(sa.or_(publication, evidence))))


def discard(hashes: Iterable[str]) -> None:
    """Remove stored files nothing refers to; when the database cannot tell, keep them."""
    storage = get_storage()
    for sha256 in hashes:
        try:
            used = in_use(sha256)
        except SQLAlchemyError:
            db.session.rollback()
            log.warning("cannot tell whether %s is used; left for `evidence sweep`", sha256)
            continue
        if not used:
            storage.delete(sha256)


def commit(created: Iterable[str]) -> None:
    """Commit; if that fails, roll back and remove the files this request brought in."""
    try:
        db.session.commit()
    except BaseException:
        db.session.rollback()
        discard(created)
        raise
