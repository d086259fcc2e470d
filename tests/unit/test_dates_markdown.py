"""Dates as people write them, and Markdown that can never carry script."""

from __future__ import annotations

from datetime import date
from html.parser import HTMLParser

import pytest

from tracker.cases.dates import format_when, parse_when
from tracker.cases.models import DatePrecision as P
from tracker.markdown import render

TODAY = date(2026, 11, 26)


class Elements(HTMLParser):
    """Collects the tags and attributes of real elements (escaped text is not an element)."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: set[str] = set()
        self.attributes: list[tuple[str, str | None]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.add(tag)
        self.attributes.extend(attrs)


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("14.03.2026", (date(2026, 3, 14), P.DAY)),
        ("14.3.2026.", (date(2026, 3, 14), P.DAY)),
        ("2026-03-14", (date(2026, 3, 14), P.DAY)),
        ("14/03/2026", (date(2026, 3, 14), P.DAY)),
        ("03.2026", (date(2026, 3, 1), P.MONTH)),
        ("2026-03", (date(2026, 3, 1), P.MONTH)),
        ("2025", (date(2025, 1, 1), P.YEAR)),
        (" 2025. ", (date(2025, 1, 1), P.YEAR)),
    ],
)
def test_parse_when(typed: str, expected: tuple[date, P]) -> None:
    assert parse_when(typed, today=TODAY) == expected


@pytest.mark.parametrize("typed", ["", "yesterday", "32.01.2026", "13.2026", "2027", "1.1.1900"])
def test_parse_when_refuses(typed: str) -> None:
    with pytest.raises(ValueError):
        parse_when(typed, today=TODAY)


def test_format_round_trips() -> None:
    for typed in ("14.03.2026", "03.2026", "2026"):
        assert format_when(*parse_when(typed, today=TODAY)) == typed
    assert format_when(None, P.DAY) == ""


@pytest.mark.parametrize(
    "hostile",
    [
        "<script>alert(1)</script>",
        "<img src=x onerror=alert(1)>",
        "[x](javascript:alert(1))",
        '<a href="javascript:alert(1)">x</a>',
        "<iframe src=https://evil.example></iframe>",
        '<p style="background:url(x)">x</p>',
    ],
)
def test_markdown_is_sanitised(hostile: str) -> None:
    parsed = Elements()
    parsed.feed(str(render(hostile)))
    assert parsed.tags <= {"p", "a"}
    for name, value in parsed.attributes:
        assert name in {"href", "rel", "title"}
        assert not (value or "").lower().startswith("javascript")


def test_markdown_keeps_formatting_and_safe_links() -> None:
    html = str(render("**b** *i* [site](https://example.org)\n\n- one\n- two"))
    assert "<strong>b</strong>" in html and "<em>i</em>" in html and "<li>one</li>" in html
    assert 'href="https://example.org"' in html and 'rel="nofollow noopener noreferrer"' in html
