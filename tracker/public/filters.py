"""Reading the public filters from a query string: one parser for list, map, statistics, API.

Parameters: q (text), municipality (official code), district (district code), category
(slug), actor (id), from and to (YYYY-MM-DD, YYYY-MM or YYYY). A value that does not parse
is reported in the user's language and left out; the caller answers 400 and shows the
form again with what was typed.
"""

from __future__ import annotations

import calendar
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date

from flask_babel import lazy_gettext as _l

from tracker.public.names import actor_names, names
from tracker.public.search import Filters

NAMES = ("q", "municipality", "district", "category", "actor", "from", "to")
MAX_TEXT = 200


@dataclass
class Parsed:
    """The filters understood, the raw values typed, and what could not be understood."""

    filters: Filters
    raw: dict[str, str]
    errors: dict[str, str] = field(default_factory=dict)

    def args(self, **changes: str | None) -> dict[str, str]:
        """The query-string values of these filters, with some changed or removed."""
        merged = {k: v for k, v in self.raw.items() if v and k not in self.errors}
        for key, value in changes.items():
            if value:
                merged[key] = value
            else:
                merged.pop(key, None)
        return merged


def parse_date(value: str, end: bool = False) -> date:
    """YYYY-MM-DD, YYYY-MM or YYYY; a partial date means its first (or last) day."""
    parts = value.split("-")
    if len(parts) == 3:
        return date.fromisoformat(value)
    year = int(parts[0])
    if len(parts) == 1 and len(parts[0]) == 4:
        return date(year, 12, 31) if end else date(year, 1, 1)
    if len(parts) == 2 and len(parts[0]) == 4:
        month = int(parts[1])
        last = calendar.monthrange(year, month)[1]
        return date(year, month, last if end else 1)
    raise ValueError(value)


def parse(args: Mapping[str, str]) -> Parsed:
    """Filters from request arguments (a MultiDict or dict)."""
    raw = {name: (args.get(name) or "").strip() for name in NAMES}
    parsed = Parsed(Filters(), raw)
    values: dict[str, object] = {}
    text = raw["q"]
    if len(text) > MAX_TEXT:
        parsed.errors["q"] = str(_l("The search text is too long."))
    else:
        values["text"] = text
    known = names()
    if raw["municipality"]:
        place = known.place_by_code(raw["municipality"])
        if place is None:
            parsed.errors["municipality"] = str(_l("There is no such municipality."))
        else:
            values["municipality_id"] = place
    if raw["district"]:
        if raw["district"].isdigit() and int(raw["district"]) in known.districts:
            values["district_code"] = int(raw["district"])
        else:
            parsed.errors["district"] = str(_l("There is no such district."))
    if raw["category"]:
        kind = known.category_by_slug(raw["category"])
        if kind is None:
            parsed.errors["category"] = str(_l("There is no such category."))
        else:
            values["category_id"] = kind
    if raw["actor"]:
        ident = int(raw["actor"]) if raw["actor"].isdigit() and len(raw["actor"]) < 10 else 0
        if not ident or not actor_names([ident]):
            parsed.errors["actor"] = str(_l("There is no such actor."))
        else:
            values["actor_id"] = ident
    for name, key, end in (("from", "date_from", False), ("to", "date_to", True)):
        if raw[name]:
            try:
                values[key] = parse_date(raw[name], end=end)
            except ValueError:
                parsed.errors[name] = str(_l("Write the date as YYYY-MM-DD, YYYY-MM or YYYY."))
    parsed.filters = Filters(**values)  # type: ignore[arg-type]
    return parsed
