"""/sitemap.xml (an index) and its files under /sitemaps/, streamed and conditional."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import date, datetime
from xml.sax.saxutils import escape

from flask import Blueprint, Response, abort, request, stream_with_context, url_for
from flask.typing import ResponseReturnValue

from tracker.policy import Access, access
from tracker.public import index
from tracker.public.http import respond
from tracker.sitemap import entries, robots

bp = Blueprint("sitemap", __name__)

XMLNS = "http://www.sitemaps.org/schemas/sitemap/0.9"
HEAD = '<?xml version="1.0" encoding="UTF-8"?>\n'
MIMETYPE = "application/xml"


def _lastmod(moment: date | datetime | None) -> str:
    if moment is None:
        return ""
    day = moment.date() if isinstance(moment, datetime) else moment
    return f"<lastmod>{day.isoformat()}</lastmod>"


def _urlset(found: Iterable[entries.Entry]) -> Iterator[str]:
    yield f'{HEAD}<urlset xmlns="{XMLNS}">\n'
    for entry in found:
        yield f"<url><loc>{escape(entry.loc)}</loc>{_lastmod(entry.lastmod)}</url>\n"
    yield "</urlset>\n"


@bp.route("/sitemap.xml")
@access(Access.PUBLIC)
def sitemap_index() -> ResponseReturnValue:
    """The sitemap index: one file per section and 50,000 URLs."""

    def build() -> ResponseReturnValue:
        _, changed = index.state()
        lines = [f'{HEAD}<sitemapindex xmlns="{XMLNS}">\n']
        for name, number in entries.files():
            loc = url_for("sitemap.part", section=name, chunk=number, _external=True)
            lines.append(f"<sitemap><loc>{escape(loc)}</loc>{_lastmod(changed)}</sitemap>\n")
        lines.append("</sitemapindex>\n")
        return Response("".join(lines), mimetype=MIMETYPE)

    return respond(build, request.url)


@bp.route("/sitemaps/<any(pages,cases,actors,publications):section>-<int:chunk>.xml")
@access(Access.PUBLIC)
def part(section: str, chunk: int) -> ResponseReturnValue:
    """One sitemap file, streamed: at most 50,000 public URLs."""

    def build() -> ResponseReturnValue:
        if not entries.exists(section, chunk):
            abort(404)
        body = stream_with_context(_urlset(entries.entries(section, chunk)))
        return Response(body, mimetype=MIMETYPE)

    return respond(build, request.url)


robots.register(bp)
