"""The API's query parameters: filters as tracker.public.filters reads them, and pagination.

A value that does not parse is an error keyed by its parameter, in the user's language.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from flask_babel import lazy_gettext as _l

from tracker.public.filters import Parsed, parse
from tracker.public.search import parse_cursor
from tracker.publications.models import PublicationKind

MAX_PAGE = 1000
MAX_NAME = 200


def page_number(value: str | None, errors: dict[str, str]) -> int:
    """?page= as a number from 1 to MAX_PAGE (1 when absent); a bad value is an error."""
    if not value:
        return 1
    if value.isdigit() and 1 <= int(value) <= MAX_PAGE:
        return int(value)
    errors["page"] = str(_l("Write the page as a whole number from 1 to %(most)d.", most=MAX_PAGE))
    return 1


def id_cursor(value: str | None, errors: dict[str, str]) -> int | None:
    """?cursor= for lists paged by id: the number from the previous page's next link."""
    if not value:
        return None
    if value.isdigit() and len(value) < 12:
        return int(value)
    errors["cursor"] = str(_l("This cursor is not valid: follow the next link of a page."))
    return None


@dataclass
class CaseQuery:
    """The filters, the pagination and what could not be understood."""

    parsed: Parsed
    cursor: str | None = None
    page: int = 1
    errors: dict[str, str] = field(default_factory=dict)


def case_query(args: Mapping[str, str]) -> CaseQuery:
    """Filters as the public list reads them, plus ?cursor= (browsing) or ?page= (text)."""
    parsed = parse(args)
    query = CaseQuery(parsed, errors=dict(parsed.errors))
    filters = parsed.filters
    cursor = (args.get("cursor") or "").strip()
    if cursor and not filters.terms:
        dated = filters.date_from is not None or filters.date_to is not None
        if len(cursor) > 40 or parse_cursor(cursor, dated) is None:
            query.errors["cursor"] = str(
                _l("This cursor is not valid: follow the next link of a page.")
            )
        else:
            query.cursor = cursor
    query.page = page_number(args.get("page"), query.errors)
    return query


def name_query(args: Mapping[str, str], errors: dict[str, str]) -> str:
    """?q= for names, at most MAX_NAME characters."""
    text = (args.get("q") or "").strip()
    if len(text) > MAX_NAME:
        errors["q"] = str(_l("The search text is too long."))
        return ""
    return text


def district(value: str | None, errors: dict[str, str]) -> int | None:
    """?district= as the public list reads it: a district's code (its message otherwise)."""
    if not value:
        return None
    parsed = parse({"district": value})
    errors.update(parsed.errors)
    return parsed.filters.district_code


def publication_kind(value: str | None, errors: dict[str, str]) -> PublicationKind | None:
    """?kind= for publications: one of PublicationKind's values."""
    if not value:
        return None
    if value in PublicationKind.__members__.values():
        return PublicationKind(value)
    errors["kind"] = str(_l("There is no such kind of publication."))
    return None
