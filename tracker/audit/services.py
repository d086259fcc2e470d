"""Append events to the hash chain and verify it."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa

from tracker.audit.models import GENESIS_HASH, Event
from tracker.dbtypes import utcnow
from tracker.extensions import db


def event_hash(event: Event) -> str:
    """The SHA-256 over an event's content and its predecessor's hash."""
    payload = {
        "prev": event.prev_hash,
        "kind": event.kind,
        "case": event.case_id,
        "user": event.user_id,
        "subject": event.subject_user_id,
        "at": event.created_at.isoformat(timespec="microseconds"),
        "details": event.details,
    }
    canonical = json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


def _lock_chain() -> None:
    """Serialise appends on PostgreSQL; SQLite already serialises writers."""
    if db.session.get_bind().dialect.name == "postgresql":
        db.session.execute(sa.text("SELECT pg_advisory_xact_lock(7201)"))


def record_event(
    kind: str,
    *,
    user_id: int | None = None,
    case_id: int | None = None,
    subject_user_id: int | None = None,
    details: dict[str, Any] | None = None,
) -> Event:
    """Append an event to the chain and flush; the caller commits."""
    _lock_chain()
    last = db.session.scalar(sa.select(Event.hash).order_by(Event.id.desc()).limit(1))
    event = Event(
        kind=kind,
        user_id=user_id,
        case_id=case_id,
        subject_user_id=subject_user_id,
        details=details or {},
        created_at=utcnow(),
        prev_hash=last or GENESIS_HASH,
    )
    event.hash = event_hash(event)
    db.session.add(event)
    db.session.flush()
    return event


@dataclass(frozen=True)
class ChainReport:
    """Result of a chain verification: how many events, and the first broken one if any."""

    checked: int
    broken_at: int | None = None
    reason: str | None = None

    @property
    def ok(self) -> bool:
        return self.broken_at is None


def verify_chain(batch: int = 1000) -> ChainReport:
    """Recompute every event's hash in order and check each link to its predecessor."""
    query = sa.select(Event).order_by(Event.id).execution_options(yield_per=batch)
    result = db.session.scalars(query)
    try:
        return _walk(result)
    finally:
        result.close()  # an early return must not leave a server-side cursor open


def _walk(events: Iterable[Event]) -> ChainReport:
    expected_prev = GENESIS_HASH
    checked = 0
    for event in events:
        if event.prev_hash != expected_prev:
            return ChainReport(checked, event.id, "link")
        if event_hash(event) != event.hash:
            return ChainReport(checked, event.id, "content")
        expected_prev = event.hash
        checked += 1
    return ChainReport(checked)
