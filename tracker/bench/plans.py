"""Query plans of every public list, facet, search, map and statistics query, checked.

Each query family is run for every combination of the seven filters (2^7 = 128) while
the statements it sends are recorded; each recorded statement that reads `finding`,
`finding_actor` or `case` is then explained and judged by `problems`.

SQLite (EXPLAIN QUERY PLAN). Its planner weighs neither table sizes beyond sqlite_stat1's
averages nor values (no STAT4), so the plan on a small seeded table is the plan at a million.
- A full pass over one of those tables fails: "SCAN <table>" in any form (bare, or "USING
  INDEX" / "USING COVERING INDEX", which read a whole index). One exception: with no filter
  at all, a statement with a LIMIT of its own and no sort may scan in the order it returns
  (the newest-first page reads its rows along the primary key and stops). With any filter
  a LIMIT does not bound a scan (the matches may be few, or none), so it is not excused.
- A sort step fails: "USE TEMP B-TREE FOR ORDER BY" (or for part of it), unless its input is
  bounded by construction: a sort of a LIMITed derived table ("SCAN anon_n"), or the top of a
  statement whose rows are an `id IN (SELECT … LIMIT n)` window. No statement sorts by
  relevance: a search reads its window of newest matches in index order and ranks those
  rows in Python (tracker.public.rank). GROUP BY through a temporary B-tree counts matches
  found through an index, once per filter and public version: it is not a sort of the list
  and is allowed.

PostgreSQL (EXPLAIN, JSON). Its planner prices plans by table size and value frequency, so
on a small table it prefers a sequential scan or a sort whatever the indexes. Plans are taken
with `SET LOCAL enable_seqscan = off` and `enable_sort = off`: a "Seq Scan" of those tables,
or a "Sort"/"Incremental Sort" over their rows, that remains means no index can avoid it
(sorts are excused as above: a LIMIT below the sort, grouping; and a sort of the matches
in a recent stretch of ids, whose bitmap of the primary key bounds it: a search's window
read from that stretch, tracker.public.recent). Walks along an
index without a condition are PostgreSQL's size- and value-aware choice and are not judged
there; the same statements are judged strictly on SQLite.
"""

from __future__ import annotations

import itertools
import json
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from typing import Any

import sqlalchemy as sa

from tracker.extensions import db
from tracker.public.search import Filters

TABLES = ("finding", "finding_actor", "case")
FILTERS = ("text", "municipality_id", "district_code", "category_id", "actor_id",
           "date_from", "date_to")  # fmt: skip
_READS = re.compile(r'\b(?:FROM|JOIN)\s+"?(finding|finding_actor|case)"?(?:\s|$|,|\))', re.I)
_SQLITE_SCAN = re.compile(r'^SCAN "?(finding|finding_actor|case)"?(?: |$)')
_SQLITE_SORT = re.compile(r"USE TEMP B-TREE FOR (?:.*\b)?ORDER BY")


@dataclass(frozen=True)
class Statement:
    sql: str
    params: Any


@dataclass(frozen=True)
class Problem:
    family: str
    filters: tuple[str, ...]
    reason: str
    sql: str
    plan: str

    def __str__(self) -> str:
        given = ", ".join(self.filters) or "no filter"
        return f"{self.family} [{given}]: {self.reason}\n{self.sql}\n--- plan:\n{self.plan}\n"


@contextmanager
def capture() -> Iterator[list[Statement]]:
    """Record every statement sent to the app's database inside the block."""
    seen: list[Statement] = []

    def record(_conn: Any, _cursor: Any, sql: str, params: Any, _ctx: Any, _many: bool) -> None:
        seen.append(Statement(sql, params))

    sa.event.listen(db.engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", record)


# PostgreSQL's planner settings for a plan (see above)
STRICT = ("enable_seqscan = off", "enable_sort = off")


def explain(statement: Statement, settings: tuple[str, ...] = STRICT) -> tuple[str, Any]:
    """The plan as text, and as SQLite's rows (id, parent, detail) or PostgreSQL's tree
    (taken with `settings`)."""
    conn = db.session.connection()
    if conn.dialect.name == "sqlite":
        rows = conn.exec_driver_sql(f"EXPLAIN QUERY PLAN {statement.sql}", statement.params)
        nodes = [(row[0], row[1], row[3]) for row in rows]
        return "\n".join(detail for _id, _parent, detail in nodes), nodes
    for setting in settings:
        conn.exec_driver_sql(f"SET LOCAL {setting}")
    raw = conn.exec_driver_sql(f"EXPLAIN (FORMAT JSON) {statement.sql}", statement.params)
    tree = raw.scalar()
    tree = json.loads(tree) if isinstance(tree, str) else tree
    text = conn.exec_driver_sql(f"EXPLAIN {statement.sql}", statement.params)
    return "\n".join(row[0] for row in text), tree[0]["Plan"]


def _nodes(node: dict[str, Any]) -> Iterator[dict[str, Any]]:
    yield node
    for child in node.get("Plans", []):
        yield from _nodes(child)


def _top_limit(sql: str) -> bool:
    """The statement has a LIMIT of its own, outside every subquery."""
    depth = 0
    for part in re.findall(r"[()]|\bLIMIT\b", re.sub(r"%\(\w+\)s", "?", sql), re.I):
        if part == "(":
            depth += 1
        elif part == ")":
            depth -= 1
        elif depth == 0:
            return True
    return False


def _flat(sql: str) -> str:
    return " ".join(sql.upper().split())


_SCOPES = re.compile(r"(CO-ROUTINE|MATERIALIZE|LIST SUBQUERY|SCALAR SUBQUERY|CORRELATED)")


def _sqlite(sql: str, nodes: list[tuple[int, int, str]], unfiltered: bool) -> list[str]:
    parents = {ident: parent for ident, parent, _detail in nodes}
    details = {ident: detail for ident, _parent, detail in nodes}
    windowed = re.search(r"\bIN \(SELECT .*\bLIMIT\b", _flat(sql)) is not None

    def scope(ident: int) -> int:
        """The subquery (or 0: the statement) a plan row belongs to."""
        while (ident := parents.get(ident, 0)) != 0:
            if _SCOPES.match(details.get(ident, "")):
                return ident
        return 0

    def bounded(sort: int) -> bool:
        """Sorting a LIMITed derived table (anon_n: the window) or, at the top, the rows an
        `id IN (SELECT … LIMIT n)` window selects: at most n rows either way."""
        here = scope(sort)
        derived = any(scope(i) == here and re.match(r"SCAN anon_\d+", d) for i, _p, d in nodes)
        return derived or (here == 0 and windowed)

    found = []
    sorts = [i for i, _p, d in nodes if _SQLITE_SORT.search(d)]
    if any(not bounded(i) for i in sorts):
        found.append("sort step over findings")
    excused = unfiltered and _top_limit(sql) and not sorts
    found += [f"full pass: {d}" for _i, _p, d in nodes if _SQLITE_SCAN.match(d) and not excused]
    return found


def _stretched(node: dict[str, Any]) -> bool:
    """Some scan below `node`, not under a BitmapOr (where its bound bounds nothing), is a
    recent stretch (_stretch)."""
    return _stretch(node) or any(
        _stretched(child) for child in node.get("Plans", []) if child["Node Type"] != "BitmapOr"
    )


def _stretch(node: dict[str, Any]) -> bool:
    """A bitmap scan of findings bounded below by id, as its own condition (in the primary
    key's bitmap, or the recheck or filter of the findings' bitmap heap scan), not one
    branch of an OR: a search's recent stretch, sized by tracker.public.recent to hold a few
    times its window.
    """
    if node["Node Type"] == "Bitmap Index Scan":
        on_findings = node.get("Index Name") == "pk_finding"
        conditions = [node.get("Index Cond") or ""]
    elif node["Node Type"] == "Bitmap Heap Scan":
        on_findings = node.get("Relation Name") == "finding"
        conditions = [node.get("Recheck Cond") or "", node.get("Filter") or ""]
    else:
        return False
    terms = [term for condition in conditions for term in _conjuncts(condition)]
    return on_findings and any(re.fullmatch(r"\(id > [^()]+\)", term) for term in terms)


def _conjuncts(condition: str) -> list[str]:
    """The top-level AND terms of a plan's condition: "((a) AND (b))" gives "(a)", "(b)";
    a condition with an OR at its top gives itself whole."""
    inner = condition[1:-1] if condition.startswith("((") else condition
    terms, depth, start = [], 0, 0
    for n, char in enumerate(inner):
        depth += {"(": 1, ")": -1}.get(char, 0)
        if depth == 0 and inner.startswith(" AND ", n):
            terms.append(inner[start:n])
            start = n + len(" AND ")
        elif depth == 0 and inner.startswith(" OR ", n):
            return [condition]
    return [*terms, inner[start:]]


def _postgres(sql: str, tree: dict[str, Any]) -> list[str]:
    grouped_only = " GROUP BY " in _flat(sql) and "ORDER BY" not in _flat(sql)
    found = []
    for node in _nodes(tree):
        kind = node["Node Type"]
        if kind == "Seq Scan" and node.get("Relation Name") in TABLES:
            found.append(f"full pass: Seq Scan on {node['Relation Name']}")
        sorting = kind in ("Sort", "Incremental Sort") and not grouped_only
        below = list(_nodes(node))
        # Bounded when its input is: a LIMIT below it (the facets' window of the newest), or
        # the matches within a recent stretch of ids (tracker.public.recent).
        if (
            sorting
            and any(n.get("Relation Name") in TABLES for n in below)
            and not any(n["Node Type"] == "Limit" for n in below)
            and not _stretched(node)
        ):
            found.append(f"sort step over findings ({', '.join(node.get('Sort Key', []))})")
    return found


def problems(
    statement: Statement, unfiltered: bool, settings: tuple[str, ...] = STRICT
) -> tuple[list[str], str]:
    """Why this statement's plan fails the rules above (empty when it passes), and the plan."""
    text, plan = explain(statement, settings)
    if isinstance(plan, list):
        return _sqlite(statement.sql, plan, unfiltered), text
    return _postgres(statement.sql, plan), text


def reads_public_tables(sql: str) -> bool:
    return _READS.search(sql) is not None


def combinations(full: Filters) -> Iterator[tuple[tuple[str, ...], Filters]]:
    """Every subset of the filters set in `full` (2^7 = 128 when all seven are set)."""
    given = [name for name in FILTERS if getattr(full, name) not in (None, "")]
    for mask in itertools.product((False, True), repeat=len(given)):
        chosen = tuple(name for name, on in zip(given, mask, strict=True) if on)
        cleared = {name: ("" if name == "text" else None) for name in FILTERS if name not in chosen}
        yield chosen, replace(full, **cleared)  # type: ignore[arg-type]


Family = Callable[[Filters], object]


def check(families: dict[str, Family], full: Filters,
          before_each: Callable[[], None] | None = None) -> tuple[list[Problem], int]:  # fmt: skip
    """Run every family for every combination; the problems found and statements judged."""
    found: list[Problem] = []
    judged = 0
    for chosen, filters in combinations(full):
        for family, run in families.items():
            if before_each:
                before_each()
            with capture() as seen:
                run(filters)
            for statement in seen:
                if not reads_public_tables(statement.sql):
                    continue
                judged += 1
                reasons, plan = problems(statement, unfiltered=not chosen)
                found += [Problem(family, chosen, r, statement.sql, plan) for r in reasons]
    return found, judged
