"""The plan rules' one excuse for a sort on PostgreSQL beyond a LIMIT: a recent stretch."""

from __future__ import annotations

from typing import Any

import pytest

from tracker.bench.plans import _postgres

SQL = "SELECT finding.id FROM finding WHERE … ORDER BY finding.id DESC LIMIT 2001"
MATCH = "(search_vector @@ '''uprava'' & ''dozvola'''::tsquery)"


def sort_over(bitmap: dict[str, Any]) -> dict[str, Any]:
    """Limit <- Sort <- Bitmap Heap Scan on finding <- `bitmap`, as EXPLAIN (FORMAT JSON)."""
    heap = {"Node Type": "Bitmap Heap Scan", "Relation Name": "finding",
            "Recheck Cond": bitmap.pop("recheck", MATCH), "Filter": bitmap.pop("filter", None),
            "Plans": [bitmap]}  # fmt: skip
    return {"Node Type": "Limit", "Plans": [{"Node Type": "Sort", "Sort Key": ["id DESC"],
                                             "Plans": [heap]}]}  # fmt: skip


def pk(condition: str) -> dict[str, Any]:
    return {"Node Type": "Bitmap Index Scan", "Index Name": "pk_finding", "Index Cond": condition}


def gin() -> dict[str, Any]:
    return {"Node Type": "Bitmap Index Scan", "Index Name": "ix_finding_search",
            "Index Cond": MATCH}  # fmt: skip


@pytest.mark.parametrize(
    "bitmap",
    [
        {"Node Type": "BitmapAnd", "Plans": [gin(), pk("(id > 44078)")]},
        {**gin(), "recheck": f"({MATCH} AND (id > 44078))"},
        {**gin(), "recheck": f"((category_id = 2) AND (id > 5) AND {MATCH})"},
        {**gin(), "filter": "(id > 31)"},
    ],
    ids=["primary key's bitmap", "recheck", "recheck among others", "filter"],
)
def test_a_sort_bounded_by_a_stretch_is_excused(bitmap: dict[str, Any]) -> None:
    assert _postgres(SQL, sort_over(bitmap)) == []


@pytest.mark.parametrize(
    "bitmap",
    [
        gin(),
        {"Node Type": "BitmapOr", "Plans": [gin(), pk("(id > 44078)")]},
        {**gin(), "recheck": f"({MATCH} OR (id > 44078))"},
        {**gin(), "recheck": f"(({MATCH} AND (id > 5)) OR (category_id = 2))"},
        {**gin(), "filter": "((id > 5) OR (category_id = 2))"},
        {"Node Type": "BitmapAnd", "Plans": [gin(), pk("(id < 44078)")]},
        {"Node Type": "BitmapAnd", "Plans": [gin(), {**pk("(id > 9)"), "Index Name": "pk_case"}]},
    ],
    ids=[
        "no bound",
        "bound in an OR bitmap",
        "bound in an OR",
        "OR at the top",
        "filter with an OR",
        "upper bound",
        "another table's key",
    ],
)
def test_any_other_sort_over_findings_is_a_problem(bitmap: dict[str, Any]) -> None:
    assert [p for p in _postgres(SQL, sort_over(bitmap)) if p.startswith("sort step")]
