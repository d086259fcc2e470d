"""Helpers for showing evidence in templates: labels, sizes, items with their copies."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from flask_babel import LazyString, format_decimal
from flask_babel import lazy_gettext as _l

from tracker.cases.models import Case
from tracker.evidence.models import Evidence, EvidenceKind

KIND_LABELS: dict[EvidenceKind, LazyString] = {
    EvidenceKind.FILE: _l("File"),
    EvidenceKind.LINK: _l("Link"),
    EvidenceKind.TESTIMONY: _l("Testimony"),
}
_UNITS = ("B", "KB", "MB", "GB", "TB")


def evidence_kind_label(kind: EvidenceKind) -> str:
    return str(KIND_LABELS[kind])


def filesize(size: int | None) -> str:
    """A size for people, in the interface language's number format (1,5 MB / 1.5 MB)."""
    if size is None:
        return ""
    value, unit = float(size), 0
    while value >= 1024 and unit < len(_UNITS) - 1:
        value, unit = value / 1024, unit + 1
    number = format_decimal(value, format="#,##0" if unit == 0 else "#,##0.#")
    return f"{number} {_UNITS[unit]}"


@dataclass(frozen=True)
class Entry:
    """An item as members see it, with the metadata-free copy made from it, if any."""

    item: Evidence
    copy: Evidence | None


def evidence_entries(case: Case, only: Iterable[int] | None = None) -> list[Entry]:
    """The case's evidence (copies folded into their originals), optionally only some ids."""
    wanted = set(only) if only is not None else None
    copies = {e.parent_id: e for e in case.evidence if e.parent_id is not None}
    return [
        Entry(e, copies.get(e.id))
        for e in case.evidence
        if e.parent_id is None and (wanted is None or e.id in wanted)
    ]
