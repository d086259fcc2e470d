"""The lifecycle table, checked over every (status, action, party) combination."""

from __future__ import annotations

import ast
import itertools
from pathlib import Path

import pytest

from tracker.cases.models import CaseStatus as S
from tracker.workflow import (
    REPORTER_EDITABLE,
    TABLE,
    Action,
    Need,
    Party,
    actions_from,
    allowed,
    missing,
    transition,
)

R, C = Party.REPORTER, Party.COORDINATOR
# The whole intended lifecycle, written out independently of the table's construction.
EXPECTED: dict[tuple[S, Action], tuple[S, set[Party]]] = {
    (S.DRAFT, Action.SUBMIT): (S.SUBMITTED, {R}),
    (S.SUBMITTED, Action.WITHDRAW): (S.DRAFT, {R}),
    (S.SUBMITTED, Action.TAKE): (S.IN_REVIEW, {C}),
    (S.IN_REVIEW, Action.ASK): (S.NEEDS_INFO, {C}),
    (S.NEEDS_INFO, Action.ANSWER): (S.IN_REVIEW, {R}),
    (S.IN_REVIEW, Action.VERIFY): (S.VERIFIED, {C}),
    (S.VERIFIED, Action.PUBLISH): (S.PUBLISHED, {C}),
    (S.SUBMITTED, Action.REJECT): (S.REJECTED, {C}),
    (S.IN_REVIEW, Action.REJECT): (S.REJECTED, {C}),
    (S.NEEDS_INFO, Action.REJECT): (S.REJECTED, {C}),
    (S.VERIFIED, Action.REJECT): (S.REJECTED, {C}),
    (S.PUBLISHED, Action.CORRECT): (S.PUBLISHED, {C}),
    (S.PUBLISHED, Action.RETRACT): (S.RETRACTED, {C}),
    (S.REJECTED, Action.REOPEN): (S.IN_REVIEW, {C}),
    (S.VERIFIED, Action.REOPEN): (S.IN_REVIEW, {C}),
    (S.REJECTED, Action.ARCHIVE): (S.ARCHIVED, {C}),
    (S.RETRACTED, Action.ARCHIVE): (S.ARCHIVED, {C}),
}
PARTY_SETS = [frozenset(), frozenset({R}), frozenset({C}), frozenset({R, C})]


@pytest.mark.parametrize(
    ("status", "action", "parties"), list(itertools.product(S, Action, PARTY_SETS))
)
def test_every_combination(status: S, action: Action, parties: frozenset[Party]) -> None:
    expected = EXPECTED.get((status, action))
    step = transition(status, action)
    if expected is None:
        assert step is None
        assert not allowed(status, action, parties)
        return
    target, who = expected
    assert step is not None and step.target is target
    assert allowed(status, action, parties) is bool(who & parties)


def test_table_has_nothing_else() -> None:
    assert set(TABLE) == set(EXPECTED)


def test_requirements() -> None:
    everything = frozenset(Need)
    assert missing(S.DRAFT, Action.SUBMIT, frozenset()) == (
        Need.TITLE, Need.DESCRIPTION, Need.MUNICIPALITY, Need.OCCURRED_ON,
    )  # fmt: skip
    assert missing(S.DRAFT, Action.SUBMIT, everything) == ()
    assert missing(S.VERIFIED, Action.PUBLISH, frozenset({Need.CATEGORY})) == (
        Need.PUBLIC_SUMMARY, Need.MUNICIPALITY,
    )  # fmt: skip
    assert Need.REASON in transition(S.IN_REVIEW, Action.REJECT).needs  # type: ignore[union-attr]
    assert Need.REASON in transition(S.PUBLISHED, Action.RETRACT).needs  # type: ignore[union-attr]


def test_actions_from() -> None:
    assert actions_from(S.SUBMITTED, frozenset({R})) == [Action.WITHDRAW]
    assert set(actions_from(S.SUBMITTED, frozenset({C}))) == {Action.TAKE, Action.REJECT}
    assert actions_from(S.ARCHIVED, frozenset({R, C})) == []
    assert REPORTER_EDITABLE == {S.DRAFT, S.NEEDS_INFO}


def test_no_other_code_changes_a_case_status() -> None:
    """Only tracker/cases/lifecycle.py assigns `.status` on a case."""
    root = Path(__file__).resolve().parents[2] / "tracker"
    offenders = []
    for path in root.rglob("*.py"):
        tree = ast.parse(path.read_text(), filename=str(path))
        for node in ast.walk(tree):
            targets = node.targets if isinstance(node, ast.Assign) else []
            if isinstance(node, (ast.AugAssign, ast.AnnAssign)):
                targets = [node.target]
            for target in targets:
                if isinstance(target, ast.Attribute) and target.attr == "status":
                    offenders.append(f"{path.relative_to(root)}:{node.lineno}")
    # publications/services.py sets a publication's own draft/published state, not a case's.
    allowed_places = {"cases/lifecycle.py", "publications/services.py"}
    assert {o.split(":")[0] for o in offenders} <= allowed_places, offenders
