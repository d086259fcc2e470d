"""Relevance: BM25 over the window of newest matches, computed alike on SQLite and PostgreSQL.

Both engines' own ranking functions cost in proportion to the archive rather than the page:
FTS5's bm25() weighs each word by counting every finding that holds it (35 ms for a common
word at a million findings, on every search), and ts_rank reads every match's vector. Here
the window's rows bring their search text in the same read that gives their ids and facet
columns (it holds each word between two spaces: tracker.text.words_of); their length in
words and how often each searched word occurs are counted from it as they arrive, and only
those numbers are kept. The score is BM25 (k1 1.2, b 0.75), each word weighed by how many findings
hold it, counted up to IDF_CAP (beyond that a word is simply common) and cached.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

from tracker.extensions import db
from tracker.public import index
from tracker.public.cache import figures
from tracker.public.models import Finding, FindingCount
from tracker.public.query import Filters, count_text

K1, B = 1.2, 0.75
IDF_CAP = 10_000

TEXT = Finding.__table__.c.search_text  # read with the window when there is text


def words(filters: Filters) -> tuple[str, ...]:
    """The distinct searched words, in the order typed."""
    return tuple(dict.fromkeys(filters.terms))


def counted(filters: Filters, rows: Sequence[Sequence[Any]]) -> list[tuple[Any, ...]]:
    """Rows whose last value is the search text, with it replaced by the text's length in
    words and each searched word's count (the text is not kept: only numbers are cached)."""
    needles = [f" {word} " for word in words(filters)]
    return [
        (*row[:-1], row[-1].count("  ") + 1, *[row[-1].count(n) for n in needles]) for row in rows
    ]


def order(filters: Filters, rows: Sequence[Sequence[Any]], at: int) -> tuple[int, ...]:
    """Ids of `rows` (id first; from `at`, what counted() adds), most relevant first, ties
    newest first."""
    if not rows:
        return ()
    searched = words(filters)
    weights = [weight(word) for word in searched]
    average = sum(row[at] for row in rows) / len(rows) or 1.0

    def score(row: Sequence[Any]) -> float:
        norm = K1 * (1 - B + B * row[at] / average)
        total = 0.0
        for n, w in enumerate(weights):
            tf = row[at + 1 + n]
            total += w * tf * (K1 + 1) / (tf + norm)
        return total

    return tuple(row[0] for row in sorted(rows, key=lambda row: (-score(row), -row[0])))


def weight(word: str) -> float:
    """BM25's inverse document frequency of a word, from a capped count (cached: corpus
    statistics, shared by every search)."""
    state = index.state()
    n = figures.get(state, ("holding", word), lambda: count_text((word,), IDF_CAP))
    total = figures.get(state, "findings", _total)
    return math.log((max(total, n) - n + 0.5) / (n + 0.5) + 1)


def _total() -> int:
    row = db.session.get(FindingCount, ("all", ""))
    return row.count if row else 0
