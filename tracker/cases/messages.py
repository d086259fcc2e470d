"""Messages on a case: with the reporting member, or internal among coordinators."""

from __future__ import annotations

from tracker.accounts.models import Role, User
from tracker.audit.services import record_event
from tracker.cases.models import Case, Comment
from tracker.extensions import db


def add_message(case: Case, author: User, body: str, internal: bool = False) -> Comment:
    """Add a message; internal notes only from coordinators. Flushes, caller commits."""
    if internal and not author.has_role(Role.COORDINATOR):
        raise PermissionError("members cannot write internal notes")
    comment = Comment(case=case, author=author, body=body, internal=internal)
    db.session.add(comment)
    db.session.flush()
    record_event(
        "note_added" if internal else "message_added",
        user_id=author.id,
        case_id=case.id,
        details={"comment": comment.id},
    )
    return comment


def visible_messages(case: Case, user: User) -> list[Comment]:
    """The messages `user` may read on `case` (members never see internal notes)."""
    if user.has_role(Role.COORDINATOR):
        return list(case.comments)
    return [c for c in case.comments if not c.internal]
