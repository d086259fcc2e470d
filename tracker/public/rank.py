"""Relevance: BM25 over the window of newest matches, computed alike on SQLite and PostgreSQL.

Both engines' own ranking functions cost in proportion to the archive rather than the page:
FTS5's bm25() weighs each word by counting every finding that holds it (35 ms for a common
word at a million findings, on every search), and ts_rank reads every match's vector. Here
the window's rows bring, in the same read that gives their ids and facet columns, what
BM25 needs of each text, stored with the finding when it is published: its length in words
and the words it repeats (tracker.text.repeats; every match holds each searched word once,
so a word's count is one plus its repeats). Reading those instead of the whole text halved
the cost of a search's window. The score is BM25 (k1 1.2, b 0.75), each word weighed by how
many findings hold it, counted up to IDF_CAP (beyond that a word is simply common) and cached.
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

# read with the window when there is text: the length in words, and the repeated words
COUNTED = (Finding.__table__.c.word_count, Finding.__table__.c.repeats)


def words(filters: Filters) -> tuple[str, ...]:
    """The distinct searched words, in the order typed."""
    return tuple(dict.fromkeys(filters.terms))


def counted(filters: Filters, rows: Sequence[Sequence[Any]]) -> list[tuple[Any, ...]]:
    """Rows ending with the COUNTED values, the repeated words replaced by how often each
    searched word occurs: once (every match holds it), plus its repeats."""
    repeated = [row[-1] for row in rows]
    counts = [[1 + text.count(f" {word} ") for text in repeated] for word in words(filters)]
    return [(*row[:-1], *tfs) for row, *tfs in zip(rows, *counts, strict=True)]


def order(filters: Filters, rows: Sequence[Sequence[Any]], at: int) -> tuple[int, ...]:
    """Ids of `rows` (id first, newest first; from `at`, what counted() adds), most relevant
    first, ties newest first. Scored a word at a time over every row (one pass each, not a
    Python call per row): the window has thousands of rows."""
    if not rows:
        return ()
    lengths = [row[at] for row in rows]
    average = sum(lengths) / len(rows) or 1.0
    norms = [K1 * (1 - B + B * length / average) for length in lengths]
    scores = [0.0] * len(rows)
    for n, word in enumerate(words(filters)):
        boost = weight(word) * (K1 + 1)
        tfs = [row[at + 1 + n] for row in rows]
        scores = [
            s + boost * tf / (tf + norm) for s, tf, norm in zip(scores, tfs, norms, strict=True)
        ]
    # rows arrive newest first and the sort is stable: equal scores stay newest first
    best = sorted(range(len(rows)), key=scores.__getitem__, reverse=True)
    return tuple(rows[i][0] for i in best)


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
