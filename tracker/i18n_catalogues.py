"""Gettext catalogues: Cyrillic generated from Latin, and the msgids the source asks for.

`python -m tracker.i18n_catalogues cyrillic` rewrites the sr_Cyrl catalogue from sr_Latn
(`make translations-update` runs it); the sr_Cyrl file is never edited by hand.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po, write_po

from tracker.text import latin_to_cyrillic

ROOT = Path(__file__).resolve().parent.parent
TRANSLATIONS = Path(__file__).resolve().parent / "translations"
BABEL_CFG = ROOT / "babel.cfg"
LATIN, CYRILLIC, ENGLISH = "sr_Latn", "sr_Cyrl", "en"
LOCALES = (LATIN, CYRILLIC, ENGLISH)
# The same keywords as `pybabel extract -k _l -k lazy_gettext` (Babel's defaults include
# _, gettext and ngettext).
KEYWORDS = {**DEFAULT_KEYWORDS, "_l": None, "lazy_gettext": None}
CYRILLIC_HEADER = (
    "# Serbian (Cyrillic) translations for tracker.\n"
    "# Generated from sr_Latn by `python -m tracker.i18n_catalogues cyrillic`.\n"
    "# Do not edit: translate sr_Latn, then run `make translations-update`."
)


def po_path(locale: str) -> Path:
    """The .po file of a locale."""
    return TRANSLATIONS / locale / "LC_MESSAGES" / "messages.po"


def read_catalog(locale: str) -> Catalog:
    """Read a locale's .po file."""
    with po_path(locale).open("rb") as f:
        return read_po(f, locale=locale)


def expected_cyrillic(latin: Catalog) -> Catalog:
    """The sr_Cyrl catalogue that `latin` implies: every msgstr transliterated."""
    cyrillic = Catalog(
        locale=CYRILLIC,
        domain=latin.domain,
        header_comment=CYRILLIC_HEADER,
        project=latin.project,
        version=latin.version,
        creation_date=latin.creation_date,
        revision_date=latin.revision_date,
        language_team=f"{CYRILLIC} <LL@li.org>",
        charset=latin.charset,
        fuzzy=latin.fuzzy,
    )
    # Set after construction: the constructor replaces empty values with placeholders.
    cyrillic.msgid_bugs_address = latin.msgid_bugs_address
    cyrillic.last_translator = latin.last_translator
    for message in latin:
        if not message.id:
            continue  # the header, rebuilt above
        cyrillic.add(
            message.id,
            _transliterate(message.string),
            locations=message.locations,
            flags=message.flags,
            auto_comments=message.auto_comments,
            user_comments=message.user_comments,
            previous_id=message.previous_id,
            context=message.context,
        )
    return cyrillic


def _transliterate(string: str | Sequence[str] | None) -> str | tuple[str, ...]:
    """One msgstr, or each of its plural forms, in Cyrillic."""
    if string is None:
        return ""
    if isinstance(string, str):
        return latin_to_cyrillic(string)
    return tuple(latin_to_cyrillic(form) for form in string)  # plural forms


def write_cyrillic() -> Path:
    """Regenerate the sr_Cyrl .po file from sr_Latn; returns its path."""
    cyrillic = expected_cyrillic(read_catalog(LATIN))
    path = po_path(CYRILLIC)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as f:
        write_po(f, cyrillic, ignore_obsolete=True)
    return path


def extract_msgids(root: Path = ROOT) -> set[str]:
    """Every msgid the code and templates use (babel.cfg's sources; a plural's singular)."""
    with BABEL_CFG.open(encoding="utf-8") as f:
        method_map, options_map = parse_mapping_cfg(f, str(BABEL_CFG))
    found: set[str] = set()
    for _file, _line, message, _comments, _context in extract_from_dir(
        root, method_map, options_map, keywords=KEYWORDS
    ):
        found.add(message if isinstance(message, str) else message[0])
    found.discard("")
    return found


def main(argv: Sequence[str]) -> int:
    """Command line: `cyrillic` regenerates the sr_Cyrl catalogue."""
    if list(argv) != ["cyrillic"]:
        print("usage: python -m tracker.i18n_catalogues cyrillic", file=sys.stderr)
        return 2
    print(f"wrote {write_cyrillic().relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
