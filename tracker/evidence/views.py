"""Evidence pages: adding files, links and testimony; the receipt; download, withdraw, delete."""

from __future__ import annotations

from typing import BinaryIO

from flask import (
    Blueprint,
    Response,
    abort,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)
from flask.blueprints import BlueprintSetupState
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm
from werkzeug.exceptions import RequestEntityTooLarge
from wtforms import Field

from tracker.cases.models import Case
from tracker.cases.views.common import case_or_404
from tracker.errors import render_error
from tracker.evidence import display, files, services
from tracker.evidence.commands import sweep_command, verify_command
from tracker.evidence.forms import FilesForm, LinkForm, TestimonyForm, WithdrawForm
from tracker.evidence.models import Evidence
from tracker.evidence.names import content_disposition, download_name
from tracker.evidence.streaming import UploadRequest, streams_to_storage
from tracker.extensions import db
from tracker.policy import Access, access, can

bp = Blueprint("evidence", __name__, cli_group="evidence")
bp.cli.help = "Check stored evidence against its records, and clean up."
bp.cli.add_command(verify_command)
bp.cli.add_command(sweep_command)
bp.add_app_template_global(display.evidence_entries)
bp.add_app_template_global(display.evidence_kind_label)
bp.add_app_template_filter(display.filesize)

# A download is never shown inline, never sniffed, never cached, and runs nothing.
DOWNLOAD_HEADERS = {
    "Content-Security-Policy": "sandbox; default-src 'none'",
    "X-Content-Type-Options": "nosniff",
    "Cache-Control": "no-store",
    "Cross-Origin-Resource-Policy": "same-origin",
}
RECEIPT_MAX = 100


def _stream_uploads(state: BlueprintSetupState) -> None:
    """File parts of upload views go straight into storage (see tracker.evidence.streaming)."""
    state.app.request_class = UploadRequest


bp.record_once(_stream_uploads)


@bp.errorhandler(RequestEntityTooLarge)
def too_large(_error: RequestEntityTooLarge) -> ResponseReturnValue:
    """Over the size limit: say what the limit is, in the member's language."""
    return render_error(413, services.too_large_message())


def _add_page(case: Case, status: int = 200, **bound: FlaskForm) -> ResponseReturnValue:
    forms = {
        "files_form": FilesForm(prefix="file", formdata=None),
        "link_form": LinkForm(prefix="link", formdata=None),
        "testimony_form": TestimonyForm(prefix="testimony", formdata=None),
        **bound,
    }
    limits = {"limit_mb": services.upload_limit() // services.MB, "max_files": services.MAX_FILES}
    return render_template("evidence/add.html", case=case, **forms, **limits), status


def _refused(
    case: Case, name: str, form: FlaskForm, field: Field, error: services.EvidenceError
) -> ResponseReturnValue:
    field.errors = [*field.errors, str(error)]
    return _add_page(case, error.status, **{name: form})


def _to_receipt(case: Case, items: list[Evidence]) -> ResponseReturnValue:
    flash(_("Saved. Keep this receipt: the SHA-256 identifies each file exactly."), "success")
    ids = ",".join(str(item.id) for item in items)
    return redirect(url_for("evidence.receipt", reference=case.reference, items=ids))


@bp.route("/cases/<reference>/evidence/add")
@access(Access.MEMBER)
def add(reference: str) -> ResponseReturnValue:
    """The three ways to add evidence: files, a link, a written testimony."""
    return _add_page(case_or_404(reference, "evidence.add"))


@bp.route("/cases/<reference>/evidence/files", methods=["POST"])
@access(Access.MEMBER)
@streams_to_storage
def add_files(reference: str) -> ResponseReturnValue:
    """Store the chosen files (all or none), then show the receipt."""
    case = case_or_404(reference, "evidence.add")
    form = FilesForm(prefix="file")
    # The progress-bar script sends one file per request and asks for JSON.
    wants_json = request.accept_mimetypes.best == "application/json"
    if not form.validate_on_submit():
        if wants_json:
            errors = [e for field_errors in form.errors.values() for e in field_errors]
            return jsonify(ok=False, message=" ".join(map(str, errors))), 400
        return _add_page(case, 400, files_form=form)
    try:
        batch = files.add_files(case, current_user, form.uploads(), form.info())
    except services.EvidenceError as err:
        if wants_json:
            return jsonify(ok=False, message=str(err)), err.status
        return _refused(case, "files_form", form, form.upload, err)
    files.commit_added(batch)
    if wants_json:
        receipt_url = url_for("evidence.receipt", reference=case.reference)
        return jsonify(ok=True, ids=[item.id for item in batch.items], receipt_url=receipt_url), 201
    return _to_receipt(case, batch.items)


@bp.route("/cases/<reference>/evidence/link", methods=["POST"])
@access(Access.MEMBER)
def add_link(reference: str) -> ResponseReturnValue:
    """Record a link, when it was seen, and a note."""
    case = case_or_404(reference, "evidence.add")
    form = LinkForm(prefix="link")
    if not form.validate_on_submit():
        return _add_page(case, 400, link_form=form)
    try:
        item = services.add_link(case, current_user, form.url.data, form.seen_on.data, form.info())
    except services.EvidenceError as err:
        return _refused(case, "link_form", form, form.url, err)
    db.session.commit()
    return _to_receipt(case, [item])


@bp.route("/cases/<reference>/evidence/testimony", methods=["POST"])
@access(Access.MEMBER)
def add_testimony(reference: str) -> ResponseReturnValue:
    """Record a written testimony (confidential unless the member says otherwise)."""
    case = case_or_404(reference, "evidence.add")
    form = TestimonyForm(prefix="testimony")
    if not form.validate_on_submit():
        return _add_page(case, 400, testimony_form=form)
    confidential = bool(form.confidential.data)
    try:
        item = services.add_testimony(case, current_user, form.text.data, confidential, form.info())
    except services.EvidenceError as err:
        return _refused(case, "testimony_form", form, form.text, err)
    db.session.commit()
    return _to_receipt(case, [item])


def _receipt_entries(case: Case) -> list[display.Entry]:
    raw = request.args.get("items", "")
    ids = [int(part) for part in raw.split(",")[:RECEIPT_MAX] if part.strip().isdigit()]
    entries = display.evidence_entries(case, ids)
    if not entries:
        abort(404)
    return entries


@bp.route("/cases/<reference>/evidence/receipt")
@access(Access.MEMBER)
def receipt(reference: str) -> ResponseReturnValue:
    """What was just added, with sizes, types and SHA-256, to print or save."""
    case = case_or_404(reference)
    entries = _receipt_entries(case)
    return render_template("evidence/receipt.html", case=case, entries=entries)


@bp.route("/cases/<reference>/evidence/receipt.txt")
@access(Access.MEMBER)
def receipt_text(reference: str) -> ResponseReturnValue:
    """The receipt as a plain-text file."""
    case = case_or_404(reference)
    body = render_template("evidence/receipt.txt", case=case, entries=_receipt_entries(case))
    response = Response(body, mimetype="text/plain")
    response.headers["Content-Disposition"] = content_disposition(f"receipt-{case.reference}.txt")
    return response


def _evidence_or_404(evidence_id: int, action: str) -> Evidence:
    """The item if the user may see its case (404 otherwise, never 403), and may `action` it."""
    item = db.session.get(Evidence, evidence_id)
    if item is None or not can(current_user, "cases.view", item.case):
        abort(404)
    if not can(current_user, action, item):
        abort(403)
    return item


@bp.route("/evidence/<int:evidence_id>/download")
@access(Access.MEMBER)
def download(evidence_id: int) -> ResponseReturnValue:
    """The stored file, always as an attachment; each download is written as an event."""
    item = _evidence_or_404(evidence_id, "evidence.download")
    try:
        stream = services.open_download(item, current_user)
    except services.MissingFile:
        abort(404)
    try:
        db.session.commit()
    except BaseException:
        stream.close()
        raise
    return _attachment(stream, item)


def _attachment(stream: BinaryIO, item: Evidence) -> Response:
    name = download_name(item.original_name, item.media_type, f"evidence-{item.id}")
    mimetype = item.media_type or "application/octet-stream"
    if mimetype == "text/plain":
        mimetype = "text/plain; charset=utf-8"  # checked to be UTF-8 when it was added
    response = send_file(stream, mimetype=mimetype, conditional=False, etag=False)
    response.headers["Content-Disposition"] = content_disposition(name)
    response.headers.update(DOWNLOAD_HEADERS)
    response.content_length = item.size
    return response


@bp.route("/evidence/<int:evidence_id>/withdraw", methods=["GET", "POST"])
@access(Access.MEMBER)
def withdraw(evidence_id: int) -> ResponseReturnValue:
    """Mark evidence of a submitted case withdrawn, with a reason; it stays in the record."""
    item = _evidence_or_404(evidence_id, "evidence.withdraw")
    form = WithdrawForm()
    if not form.validate_on_submit():
        status = 400 if form.is_submitted() else 200
        return render_template("evidence/withdraw.html", item=item, form=form), status
    try:
        services.withdraw_evidence(item, current_user, form.reason.data)
    except services.EvidenceError as err:
        form.reason.errors = [*form.reason.errors, str(err)]
        return render_template("evidence/withdraw.html", item=item, form=form), err.status
    db.session.commit()
    flash(_("The evidence is marked withdrawn. It stays in the case's record."), "success")
    return _back_to_case(item)


@bp.route("/evidence/<int:evidence_id>/delete", methods=["POST"])
@access(Access.MEMBER)
def delete(evidence_id: int) -> ResponseReturnValue:
    """Remove evidence from a draft (after submission it can only be withdrawn)."""
    item = _evidence_or_404(evidence_id, "evidence.delete")
    back = _back_to_case(item)
    try:
        hashes = services.delete_evidence(item, current_user)
    except services.EvidenceError as err:
        flash(str(err), "error")
        return back
    services.commit_deletion(hashes)
    flash(_("The evidence was removed from the draft."), "success")
    return back


def _back_to_case(item: Evidence) -> ResponseReturnValue:
    return redirect(url_for("cases.detail", reference=item.case.reference, _anchor="evidence"))
