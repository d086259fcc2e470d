"""What the sitemap lists: public pages only, in files of at most 50,000 URLs.

Sections: "pages" (the portal's fixed pages and every municipality with published cases),
"cases" (published findings), "actors" (actors named in them), "publications" (published
ones). A section's file number n holds the records whose id lies in ((n-1)·CHUNK, n·CHUNK],
so a file never exceeds CHUNK URLs and is read by keyset over the primary key (or an index),
in batches: memory stays flat and no query scans or sorts a whole table.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from urllib.parse import quote

import sqlalchemy as sa
from flask import url_for
from werkzeug.routing import BuildError

from tracker.extensions import db
from tracker.geo.models import Municipality
from tracker.public import index
from tracker.public.facets import stored
from tracker.public.models import Finding, FindingActor
from tracker.publications.models import Publication, PublicationStatus

CHUNK = 50_000  # the sitemap protocol's limit of URLs per file
BATCH = 1000
# The portal's fixed public pages, by endpoint; those the app does not have are left out.
PAGES = (
    "core.index", "public.index", "explore.map_page", "explore.statistics_page", "geo.index",
    "public.actor_index", "publications.index",
)  # fmt: skip


@dataclass(frozen=True)
class Entry:
    loc: str
    lastmod: date | datetime | None = None


@dataclass(frozen=True)
class Section:
    """Records read by id: `ids(low, high)` selects (id, URL key, lastmod) in that range."""

    endpoint: str
    argument: str
    ids: Callable[[int, int], sa.Select[Any]]
    top: Callable[[], sa.Select[Any]]


def _finding_ids(low: int, high: int) -> sa.Select[Any]:
    return (
        sa.select(Finding.id, Finding.reference, Finding.published_at)
        .where(Finding.id > low, Finding.id <= high)
        .order_by(Finding.id)
    )


def _actor_ids(low: int, high: int) -> sa.Select[Any]:
    actor = FindingActor.actor_id
    return (
        sa.select(actor, actor, sa.null())
        .where(actor > low, actor <= high)
        .group_by(actor)
        .order_by(actor)
    )


def _publication_ids(low: int, high: int) -> sa.Select[Any]:
    return (
        sa.select(Publication.id, Publication.id, Publication.updated_at)
        .where(
            Publication.status == PublicationStatus.PUBLISHED,
            Publication.id > low,
            Publication.id <= high,
        )
        .order_by(Publication.id)
    )


SECTIONS: dict[str, Section] = {
    "cases": Section("public.case", "reference", _finding_ids,
                     lambda: sa.select(sa.func.max(Finding.id))),
    "actors": Section("public.actor", "actor_id", _actor_ids,
                      lambda: sa.select(sa.func.max(FindingActor.actor_id))),
    "publications": Section(
        "publications.detail", "publication_id", _publication_ids,
        lambda: sa.select(sa.func.max(Publication.id)).where(
            Publication.status == PublicationStatus.PUBLISHED
        ),
    ),
}  # fmt: skip


def _link(endpoint: str, **values: Any) -> str | None:
    try:
        return url_for(endpoint, _external=True, **values)
    except BuildError:
        return None


def _linker(section: Section) -> Callable[[object], str] | None:
    """A fast URL maker for one endpoint: url_for once, then the key put in its place."""
    marker = 987_654_321_987  # a value any converter keeps as it is, found nowhere else
    pattern = _link(section.endpoint, **{section.argument: marker})
    if pattern is None:
        return None
    head, _, tail = pattern.rpartition(str(marker))
    return lambda key: f"{head}{quote(str(key), safe='')}{tail}"


def files() -> list[tuple[str, int]]:
    """The sitemap files there are, as (section, number): the index lists these."""
    found = [("pages", 1)]
    for name, section in SECTIONS.items():
        if _linker(section) is None:
            continue
        top = db.session.scalar(section.top()) or 0
        for n in range(1, top // CHUNK + 2):
            if exists(name, n):
                found.append((name, n))
    return found


def exists(name: str, number: int) -> bool:
    """Whether the file `name`-`number` has any URL (the pages file always has)."""
    if name == "pages":
        return number == 1
    section = SECTIONS.get(name)
    if section is None or number < 1 or _linker(section) is None:
        return False
    low = (number - 1) * CHUNK
    return db.session.execute(section.ids(low, low + CHUNK).limit(1)).first() is not None


def _pages() -> Iterator[Entry]:
    _, changed = index.state()
    for endpoint in PAGES:
        loc = _link(endpoint)
        if loc is not None:
            yield Entry(loc, changed)
    ids = [int(key) for key, _count in stored("municipality")]
    codes = db.session.scalars(
        sa.select(Municipality.code).where(Municipality.id.in_(ids)).order_by(Municipality.code)
    )
    for code in codes:
        loc = _link("geo.detail", code=code)
        if loc is not None:
            yield Entry(loc)


def entries(name: str, number: int) -> Iterator[Entry]:
    """The URLs of one sitemap file, read in batches by id."""
    if name == "pages":
        yield from _pages()
        return
    section = SECTIONS[name]
    link = _linker(section)
    assert link is not None
    low, high = (number - 1) * CHUNK, number * CHUNK
    while low < high:
        rows = db.session.execute(section.ids(low, high).limit(BATCH)).all()
        for _ident, key, lastmod in rows:
            yield Entry(link(key), lastmod)
        if len(rows) < BATCH:
            return
        low = rows[-1][0]
