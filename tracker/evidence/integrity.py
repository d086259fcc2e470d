"""Checking stored evidence against the record, and finding what no record needs."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import sqlalchemy as sa

from tracker.audit.models import Event
from tracker.audit.services import verify_chain
from tracker.evidence.models import Evidence, EvidenceKind
from tracker.evidence.services import get_storage
from tracker.evidence.storage import file_sha256, orphans
from tracker.extensions import db
from tracker.publications.models import Publication


@dataclass
class VerifyReport:
    """What `verify_files` found; `problems` names each one for an operator."""

    checked: int = 0
    missing: dict[str, list[int]] = field(default_factory=dict)
    mismatched: dict[str, tuple[str, list[int]]] = field(default_factory=dict)
    unrecorded: list[int] = field(default_factory=list)  # rows whose hash no event confirms
    chain_broken_at: int | None = None

    @property
    def ok(self) -> bool:
        return not (self.missing or self.mismatched or self.unrecorded or self.chain_broken_at)

    def problems(self) -> list[str]:
        lines = [f"missing: {sha} (evidence {_ids(ids)})" for sha, ids in self.missing.items()]
        lines += [
            f"mismatch: {sha} (evidence {_ids(ids)}) now hashes to {actual}"
            for sha, (actual, ids) in self.mismatched.items()
        ]
        lines += [f"no matching evidence_added event: evidence {i}" for i in self.unrecorded]
        if self.chain_broken_at is not None:
            lines.append(f"audit chain broken at event {self.chain_broken_at}")
        return lines


def _ids(ids: list[int]) -> str:
    return ", ".join(str(i) for i in ids)


def verify_files() -> VerifyReport:
    """Recompute every stored file's SHA-256; compare with the rows and their events."""
    report, storage = VerifyReport(), get_storage()
    by_hash: dict[str, list[int]] = defaultdict(list)
    rows = db.session.execute(
        sa.select(Evidence.id, Evidence.sha256, Evidence.parent_id)
        .where(Evidence.kind == EvidenceKind.FILE)
        .order_by(Evidence.id)
    ).all()
    recorded = _recorded_hashes()
    for row_id, sha256, parent_id in rows:
        by_hash[sha256].append(row_id)
        if recorded.get((parent_id, "derivative") if parent_id else (row_id, "file")) != sha256:
            report.unrecorded.append(row_id)
    for sha256, ids in by_hash.items():
        report.checked += 1
        if not storage.exists(sha256):
            report.missing[sha256] = ids
            continue
        with storage.open(sha256) as stream:
            actual = file_sha256(stream)
        if actual != sha256:
            report.mismatched[sha256] = (actual, ids)
    chain = verify_chain()
    report.chain_broken_at = chain.broken_at
    return report


def _recorded_hashes() -> dict[tuple[int, str], str]:
    """(evidence id, "file" or "derivative") -> the hash its evidence_added event recorded."""
    found: dict[tuple[int, str], str] = {}
    query = (
        sa.select(Event.details)
        .where(Event.kind == "evidence_added")
        .execution_options(yield_per=1000)
    )
    for details in db.session.scalars(query):
        evidence = details.get("evidence")
        if isinstance(evidence, int):
            found[(evidence, "file")] = details.get("sha256")
            if details.get("derivative_sha256"):
                found[(evidence, "derivative")] = details["derivative_sha256"]
    return found


@dataclass(frozen=True)
class SweepReport:
    """Stored files no row uses, and temporary files of uploads that never finished."""

    orphans: list[str]
    leftovers: list[Path]


def find_leftovers(older_than_seconds: float) -> SweepReport:
    """What `sweep` would remove: only things at least this old (uploads in flight are not)."""
    storage = get_storage()
    known = db.session.scalars(
        sa.select(Evidence.sha256)
        .where(Evidence.kind == EvidenceKind.FILE)
        .union(sa.select(Publication.pdf_sha256))  # publications' PDFs share the storage
    )
    return SweepReport(
        orphans(storage, (h for h in known if h), older_than_seconds),
        storage.leftovers(older_than_seconds),
    )


def remove_leftovers(report: SweepReport, older_than_seconds: float) -> int:
    """Delete what a sweep found, checking again that nothing took an orphan up meanwhile."""
    storage = get_storage()
    still = set(find_leftovers(older_than_seconds).orphans)
    removed = 0
    for sha256 in report.orphans:
        if sha256 in still:
            storage.delete(sha256)
            removed += 1
    for path in report.leftovers:
        path.unlink(missing_ok=True)
        removed += 1
    return removed
