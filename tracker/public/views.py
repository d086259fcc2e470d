"""Published findings for visitors."""

from __future__ import annotations

from flask import Blueprint, abort, render_template, send_file
from flask.typing import ResponseReturnValue

from tracker.evidence.services import get_storage
from tracker.policy import Access, access
from tracker.public import services

bp = Blueprint("public", __name__, url_prefix="/findings")


@bp.route("/<reference>")
@access(Access.PUBLIC)
def case(reference: str) -> ResponseReturnValue:
    """A published case: public summary and fields, chosen evidence, corrections."""
    item = services.public_case(reference)
    if item is None:
        abort(404)
    return render_template(
        "public/case.html",
        case=item,
        point=services.public_point(item),
        evidence=services.public_evidence(item),
        corrections=services.corrections(item),
    )


@bp.route("/<reference>/evidence/<int:evidence_id>")
@access(Access.PUBLIC)
def evidence(reference: str, evidence_id: int) -> ResponseReturnValue:
    """A metadata-free copy of a published photo, always as a download."""
    item = services.public_case(reference)
    copy = services.public_download(item, evidence_id) if item else None
    if copy is None or copy.sha256 is None:
        abort(404)
    response = send_file(
        get_storage().open(copy.sha256),
        mimetype=copy.media_type or "application/octet-stream",
        as_attachment=True,
        download_name=f"{reference}-{copy.id}.{(copy.media_type or 'x/bin').split('/')[1]}",
    )
    response.headers["Content-Security-Policy"] = "sandbox; default-src 'none'"
    return response
