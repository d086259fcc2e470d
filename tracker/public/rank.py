"""Relevance: BM25 over the window of newest matches, computed alike on SQLite and PostgreSQL.

Both engines' own ranking functions cost in proportion to the archive rather than the page:
FTS5's bm25() weighs each word by counting every finding that holds it (35 ms for a common
word at a million findings, on every search), and ts_rank reads every match's vector. Here
the window's rows bring, in the same read that gives their ids and facet columns, what
BM25 needs of each text, stored with the finding when it is published: its length in words
and the words it repeats (tracker.text.repeats; every match holds each searched word once,
so a word's count is one plus its repeats): short values instead of the whole text, which
cost 4 ms of a million-finding search. The score is BM25 (k1 1.2, b 0.75), each word weighed by how
many findings hold it, counted up to IDF_CAP (beyond that a word is simply common) and cached;
on PostgreSQL a common word's count is its statistics' estimate instead (see holding).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import NamedTuple

from tracker.extensions import db
from tracker.public import index, recent
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


class Counts(NamedTuple):
    """What BM25 needs of the window's rows, by column: each text's length in words, and how
    often each searched word occurs in it beyond the once every match holds it."""

    lengths: tuple[int, ...]
    repeats: tuple[tuple[int, ...], ...]  # one column per word of words()


def counted(filters: Filters, lengths: Sequence[int], repeated: Sequence[str]) -> Counts:
    """The Counts of the rows whose COUNTED columns these are."""
    needles = [f" {word} " for word in words(filters)]
    return Counts(
        tuple(lengths),
        tuple(tuple(text.count(needle) if text else 0 for text in repeated) for needle in needles),
    )


def order(filters: Filters, ids: Sequence[int], counts: Counts) -> tuple[int, ...]:
    """`ids` (newest first), most relevant first, ties newest first. Scored a word at a time
    over every row (one pass each, not a Python call per row): the window has thousands."""
    if not ids:
        return ()
    average = sum(counts.lengths) / len(ids) or 1.0
    norms = [K1 * (1 - B + B * length / average) for length in counts.lengths]
    scores = [0.0] * len(ids)
    for word, extra in zip(words(filters), counts.repeats, strict=True):
        boost = weight(word) * (K1 + 1)
        scores = [
            s + boost * (1 + e) / (1 + e + norm)
            for s, e, norm in zip(scores, extra, norms, strict=True)
        ]
    # ids arrive newest first and the sort is stable: equal scores stay newest first
    best = sorted(range(len(ids)), key=scores.__getitem__, reverse=True)
    return tuple(ids[i] for i in best)


def weight(word: str) -> float:
    """BM25's inverse document frequency of a word, from a capped count (cached: corpus
    statistics, shared by every search)."""
    state = index.state()
    n = figures.get(state, ("holding", word), lambda: holding(word))
    total = figures.get(state, "findings", _total)
    return math.log((max(total, n) - n + 0.5) / (n + 0.5) + 1)


def holding(word: str) -> int:
    """How many findings hold `word`, up to IDF_CAP. On PostgreSQL a common word's count is
    the column's statistics' estimate (tracker.public.recent.estimated): counting its
    matches reads each from the table (20 ms for 10,000 at 100,000 findings), where the
    estimate comes from a sample of 30,000 findings, and BM25 weighs a word by the
    logarithm of its count: an estimate a few percent off moves the weight by hundredths."""
    known = recent.estimated(word)
    return min(known, IDF_CAP) if known is not None else count_text((word,), IDF_CAP)


def _total() -> int:
    row = db.session.get(FindingCount, ("all", ""))
    return row.count if row else 0
