"""When something happened, as people write it: a day, a month, or only a year."""

from __future__ import annotations

import re
from datetime import date

from tracker.cases.models import DatePrecision

_PATTERNS: list[tuple[re.Pattern[str], DatePrecision, str]] = [
    (re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$"), DatePrecision.DAY, "ymd"),
    (re.compile(r"^(\d{1,2})\.\s*(\d{1,2})\.\s*(\d{4})\.?$"), DatePrecision.DAY, "dmy"),
    (re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$"), DatePrecision.DAY, "dmy"),
    (re.compile(r"^(\d{4})-(\d{1,2})$"), DatePrecision.MONTH, "ym"),
    (re.compile(r"^(\d{1,2})\.\s*(\d{4})\.?$"), DatePrecision.MONTH, "my"),
    (re.compile(r"^(\d{1,2})/(\d{4})$"), DatePrecision.MONTH, "my"),
    (re.compile(r"^(\d{4})\.?$"), DatePrecision.YEAR, "y"),
]


def parse_when(text: str, today: date | None = None) -> tuple[date, DatePrecision]:
    """Parse "14.03.2026", "2026-03-14", "03.2026", "2026-03" or "2026"; ValueError otherwise.

    A month or a year is stored as its first day, with the precision saying how much is known.
    Dates in the future are refused.
    """
    cleaned = " ".join(text.split())
    for pattern, precision, order in _PATTERNS:
        match = pattern.match(cleaned)
        if not match:
            continue
        parts = dict(zip(order, (int(g) for g in match.groups()), strict=True))
        when = date(parts["y"], parts.get("m", 1), parts.get("d", 1))  # ValueError if invalid
        if when > (today or date.today()):
            raise ValueError("in the future")
        if when.year < 1990:
            raise ValueError("too long ago")
        return when, precision
    raise ValueError("not a date")


def format_when(when: date | None, precision: DatePrecision) -> str:
    """The date as it was known, in the form people type it (for form fields)."""
    if when is None:
        return ""
    if precision is DatePrecision.YEAR:
        return f"{when.year}"
    if precision is DatePrecision.MONTH:
        return f"{when.month:02d}.{when.year}"
    return f"{when.day:02d}.{when.month:02d}.{when.year}"
