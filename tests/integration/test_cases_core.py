"""Reference numbers stay unique under concurrent creation; the event chain detects edits."""

from __future__ import annotations

import threading

import sqlalchemy as sa
from flask import Flask

from tests.builders import make_case, make_user, municipality
from tracker.audit.models import Event
from tracker.audit.services import record_event, verify_chain
from tracker.cases.drafts import CaseDraft, start_case
from tracker.cases.models import Case, CaseStatus
from tracker.cases.services import allocate_reference
from tracker.dbtypes import utcnow
from tracker.extensions import db


def test_references_are_sequential_per_year(app: Flask) -> None:
    first = make_case(title="One")
    second = make_case(title="Two")
    year = utcnow().year
    assert first.reference == f"IN-{year}-00001"
    assert second.reference == f"IN-{year}-00002"
    assert allocate_reference(2031) == "IN-2031-00001"
    assert first.status is CaseStatus.DRAFT
    assert first.version_id == 1


def test_references_unique_under_concurrent_creation(app: Flask) -> None:
    reporter = make_user()
    db.session.commit()
    reporter_id = reporter.id
    errors: list[BaseException] = []
    barrier = threading.Barrier(6)

    def worker() -> None:
        try:
            with app.app_context():
                barrier.wait()
                for _ in range(5):
                    user = db.session.get(type(reporter), reporter_id)
                    start_case(user, CaseDraft(title="Concurrent", municipality=municipality()))
                    db.session.commit()
        except BaseException as err:
            errors.append(err)

    threads = [threading.Thread(target=worker) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    references = db.session.scalars(sa.select(Case.reference)).all()
    assert len(references) == 30
    assert len(set(references)) == 30
    assert verify_chain().ok


def test_version_counter_increments_on_update(app: Flask) -> None:
    case = make_case()
    db.session.commit()
    case.title = "Changed"
    db.session.commit()
    assert case.version_id == 2


def test_chain_verifies_and_detects_an_edit(app: Flask) -> None:
    user = make_user()
    for n in range(4):
        record_event("note", user_id=user.id, details={"n": n})
    db.session.commit()
    report = verify_chain()
    assert report.ok and report.checked >= 4
    victim = db.session.scalars(sa.select(Event).order_by(Event.id).offset(2)).first()
    assert victim is not None
    db.session.execute(sa.update(Event).where(Event.id == victim.id).values(details={"n": 99}))
    db.session.commit()
    broken = verify_chain()
    assert not broken.ok
    assert broken.broken_at == victim.id
    assert broken.reason == "content"


def test_chain_detects_a_deleted_event(app: Flask) -> None:
    user = make_user()
    for n in range(3):
        record_event("note", user_id=user.id, details={"n": n})
    db.session.commit()
    ids = db.session.scalars(sa.select(Event.id).order_by(Event.id)).all()
    db.session.execute(sa.delete(Event).where(Event.id == ids[1]))
    db.session.commit()
    report = verify_chain()
    assert not report.ok
    assert report.broken_at == ids[2]
    assert report.reason == "link"
