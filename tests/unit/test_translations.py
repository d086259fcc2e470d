"""The gettext catalogues: in step with the source, complete, and Cyrillic generated from Latin.

When a test here fails after interface text changed, run `make translations-update`, then
translate the new sr_Latn entries (and check en).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator

import pytest
from babel.messages.catalog import Catalog, Message

from tracker.i18n_catalogues import (
    CYRILLIC,
    ENGLISH,
    LATIN,
    LOCALES,
    expected_cyrillic,
    extract_msgids,
    read_catalog,
)
from tracker.text import latin_to_cyrillic

PLACEHOLDER = re.compile(r"%\([^)]*\)[-#0 +]*\d*(?:\.\d+)?[diouxXeEfFgGcrs]|%[diouxXeEfFgGcrs]")


@pytest.fixture(scope="module")
def source_msgids() -> set[str]:
    return extract_msgids()


@pytest.fixture(scope="module")
def catalogues() -> dict[str, Catalog]:
    return {locale: read_catalog(locale) for locale in LOCALES}


def _entries(catalog: Catalog) -> Iterator[Message]:
    return (message for message in catalog if message.id)


def _singular(message: Message) -> str:
    return message.id if isinstance(message.id, str) else message.id[0]


def _forms(message: Message) -> list[str]:
    string = message.string
    return [string] if isinstance(string, str) else list(string or [""])


def test_source_finds_interface_text(source_msgids: set[str]) -> None:
    assert "Sign in" in source_msgids  # a template string
    assert "Page not found" in source_msgids  # a lazy_gettext string in Python


@pytest.mark.parametrize("locale", LOCALES)
def test_every_source_string_is_in_the_catalogue(
    locale: str, source_msgids: set[str], catalogues: dict[str, Catalog]
) -> None:
    present = {_singular(m) for m in _entries(catalogues[locale])}
    missing = sorted(source_msgids - present)
    assert not missing, f"{locale}: run `make translations-update` and translate: {missing}"


@pytest.mark.parametrize("locale", LOCALES)
def test_no_stale_entries(
    locale: str, source_msgids: set[str], catalogues: dict[str, Catalog]
) -> None:
    present = {_singular(m) for m in _entries(catalogues[locale])}
    stale = sorted(present - source_msgids)
    assert not stale, f"{locale}: no longer in the source, run `make translations-update`: {stale}"


def test_serbian_latin_is_complete(catalogues: dict[str, Catalog]) -> None:
    empty = [m.id for m in _entries(catalogues[LATIN]) if not all(_forms(m))]
    fuzzy = [m.id for m in _entries(catalogues[LATIN]) if m.fuzzy]
    assert not empty, f"untranslated in sr_Latn: {empty}"
    assert not fuzzy, f"fuzzy in sr_Latn: {fuzzy}"
    assert not catalogues[LATIN].fuzzy, "the sr_Latn header is fuzzy: compile would skip it"


def test_english_has_no_empty_msgstr(catalogues: dict[str, Catalog]) -> None:
    empty = [m.id for m in _entries(catalogues[ENGLISH]) if not all(_forms(m))]
    assert not empty, f"empty in en: {empty}"
    assert not any(m.fuzzy for m in _entries(catalogues[ENGLISH]))


def test_cyrillic_is_the_transliteration_of_latin(catalogues: dict[str, Catalog]) -> None:
    expected = {m.id: m for m in _entries(expected_cyrillic(catalogues[LATIN]))}
    actual = {m.id: m for m in _entries(catalogues[CYRILLIC])}
    assert actual.keys() == expected.keys()
    differ = [
        (msgid, actual[msgid].string, expected[msgid].string)
        for msgid in expected
        if actual[msgid].string != expected[msgid].string
        or actual[msgid].fuzzy != expected[msgid].fuzzy
    ]
    assert not differ, (
        "sr_Cyrl is generated: run `python -m tracker.i18n_catalogues cyrillic`. "
        f"Differences (msgid, sr_Cyrl, expected): {differ}"
    )
    assert str(catalogues[CYRILLIC].locale) == CYRILLIC
    assert catalogues[CYRILLIC].num_plurals == catalogues[LATIN].num_plurals


@pytest.mark.parametrize("locale", LOCALES)
def test_placeholders_match_the_msgid(locale: str, catalogues: dict[str, Catalog]) -> None:
    wrong = []
    for message in _entries(catalogues[locale]):
        ids = [message.id] if isinstance(message.id, str) else list(message.id)
        wanted = Counter(PLACEHOLDER.findall(ids[-1]))  # the plural msgid when there is one
        for form in _forms(message):
            if Counter(PLACEHOLDER.findall(form)) != wanted:
                wrong.append((message.id, form))
    assert not wrong, f"{locale}: placeholders differ from the msgid: {wrong}"


def test_transliteration_keeps_latin_where_it_must() -> None:
    """Placeholders, acronyms, domains and product names stay Latin in the Cyrillic catalogue."""
    assert latin_to_cyrillic("Pozvani ste: %(link)s, QR kod, TOTP, PDF, SMTP") == (
        "Позвани сте: %(link)s, QR код, TOTP, PDF, SMTP"
    )
    assert latin_to_cyrillic("Podaci iz baze GeoNames (geonames.org), CC BY 4.0.") == (
        "Подаци из базе GeoNames (geonames.org), CC BY 4.0."
    )
    assert latin_to_cyrillic("Na primer Aegis, FreeOTP ili Google Authenticator.") == (
        "На пример Aegis, FreeOTP или Google Authenticator."
    )
    assert latin_to_cyrillic("Markdown: [tekst](https://primer.rs), KiM") == (
        "Markdown: [текст](https://primer.rs), КиМ"
    )
    assert latin_to_cyrillic("Sl. glasnik, str. 4.5, d.o.o., Ljig") == (
        "Сл. гласник, стр. 4.5, д.о.о., Љиг"
    )


def test_expected_cyrillic_keeps_plural_forms_and_flags() -> None:
    latin = Catalog(locale=LATIN)
    latin.add(
        ("%(n)s case", "%(n)s cases"),
        ("%(n)s slučaj", "%(n)s slučaja", "%(n)s slučajeva"),
        flags=["python-format"],
    )
    cyrillic = expected_cyrillic(latin)
    message = cyrillic.get("%(n)s case")
    assert message is not None
    assert message.string == ("%(n)s случај", "%(n)s случаја", "%(n)s случајева")
    assert message.python_format
    assert cyrillic.num_plurals == 3
