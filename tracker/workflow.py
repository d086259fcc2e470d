"""The case lifecycle as one table: (status, action) -> (new status, who may, what is required).

Pure: no Flask, no database. Services consult it, apply the change, write the event.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

from tracker.cases.models import CaseStatus as S


class Action(enum.StrEnum):
    SUBMIT = "submit"
    WITHDRAW = "withdraw"
    TAKE = "take"
    ASK = "ask"
    ANSWER = "answer"
    VERIFY = "verify"
    PUBLISH = "publish"
    REJECT = "reject"
    CORRECT = "correct"
    RETRACT = "retract"
    REOPEN = "reopen"
    ARCHIVE = "archive"


class Party(enum.StrEnum):
    """In what capacity someone acts on a case."""

    REPORTER = "reporter"  # the member who reported it
    COORDINATOR = "coordinator"  # network staff (admins included)


class Need(enum.StrEnum):
    """What must be present before a transition may happen."""

    TITLE = "title"
    DESCRIPTION = "description"
    MUNICIPALITY = "municipality"
    OCCURRED_ON = "occurred_on"
    MESSAGE = "message"
    REASON = "reason"
    CHECKLIST = "checklist"
    PUBLIC_SUMMARY = "public_summary"
    CATEGORY = "category"
    NOTE = "note"


@dataclass(frozen=True)
class Transition:
    target: S
    parties: frozenset[Party]
    needs: tuple[Need, ...] = ()


R, C = frozenset({Party.REPORTER}), frozenset({Party.COORDINATOR})
_REVIEWABLE = (S.SUBMITTED, S.IN_REVIEW, S.NEEDS_INFO, S.VERIFIED)

TABLE: dict[tuple[S, Action], Transition] = {
    (S.DRAFT, Action.SUBMIT): Transition(
        S.SUBMITTED, R, (Need.TITLE, Need.DESCRIPTION, Need.MUNICIPALITY, Need.OCCURRED_ON)
    ),
    (S.SUBMITTED, Action.WITHDRAW): Transition(S.DRAFT, R),
    (S.SUBMITTED, Action.TAKE): Transition(S.IN_REVIEW, C),
    (S.IN_REVIEW, Action.ASK): Transition(S.NEEDS_INFO, C, (Need.MESSAGE,)),
    (S.NEEDS_INFO, Action.ANSWER): Transition(S.IN_REVIEW, R, (Need.MESSAGE,)),
    (S.IN_REVIEW, Action.VERIFY): Transition(S.VERIFIED, C, (Need.CHECKLIST,)),
    (S.VERIFIED, Action.PUBLISH): Transition(
        S.PUBLISHED, C, (Need.PUBLIC_SUMMARY, Need.CATEGORY, Need.MUNICIPALITY)
    ),
    **{(s, Action.REJECT): Transition(S.REJECTED, C, (Need.REASON,)) for s in _REVIEWABLE},
    (S.PUBLISHED, Action.CORRECT): Transition(S.PUBLISHED, C, (Need.NOTE,)),
    (S.PUBLISHED, Action.RETRACT): Transition(S.RETRACTED, C, (Need.REASON,)),
    (S.REJECTED, Action.REOPEN): Transition(S.IN_REVIEW, C),
    (S.VERIFIED, Action.REOPEN): Transition(S.IN_REVIEW, C),
    (S.REJECTED, Action.ARCHIVE): Transition(S.ARCHIVED, C),
    (S.RETRACTED, Action.ARCHIVE): Transition(S.ARCHIVED, C),
}

# States in which the reporter may edit the case's content.
REPORTER_EDITABLE = frozenset({S.DRAFT, S.NEEDS_INFO})


def transition(status: S, action: Action) -> Transition | None:
    """The transition for `action` from `status`, or None when it does not exist."""
    return TABLE.get((status, action))


def allowed(status: S, action: Action, parties: frozenset[Party]) -> bool:
    """True when someone acting as any of `parties` may do `action` from `status`."""
    found = TABLE.get((status, action))
    return found is not None and bool(found.parties & parties)


def missing(status: S, action: Action, present: frozenset[Need]) -> tuple[Need, ...]:
    """The requirements of the transition that are not present (in table order)."""
    found = TABLE.get((status, action))
    return tuple(n for n in found.needs if n not in present) if found else ()


def actions_from(status: S, parties: frozenset[Party]) -> list[Action]:
    """Actions the parties may take from `status`, in declaration order."""
    return [a for (s, a), t in TABLE.items() if s is status and t.parties & parties]
