"""Script and diacritic handling for Serbian: transliteration and search folding."""

from __future__ import annotations

import re
import unicodedata

_CYR_TO_LAT = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "ђ": "đ", "е": "e", "ж": "ž",
    "з": "z", "и": "i", "ј": "j", "к": "k", "л": "l", "љ": "lj", "м": "m", "н": "n",
    "њ": "nj", "о": "o", "п": "p", "р": "r", "с": "s", "т": "t", "ћ": "ć", "у": "u",
    "ф": "f", "х": "h", "ц": "c", "ч": "č", "џ": "dž", "ш": "š",
}  # fmt: skip
_LAT_TO_CYR = {lat: cyr for cyr, lat in _CYR_TO_LAT.items()}
# Digraphs first so that "lj" becomes "љ", not "лј".
_LAT_PATTERN = re.compile("lj|nj|dž|" + "|".join(k for k in _LAT_TO_CYR if len(k) == 1), re.I)
# Product names that stay in Latin in Cyrillic text too (people look them up as written).
# Foreign words that show it (q, w, x, y, or a capital inside: Markdown, FreeOTP, GeoNames)
# are kept without being listed.
LATIN_NAMES = ("Google Authenticator", "Aegis")
# Placeholders, markup, addresses (also bare domains), acronyms and foreign names stay as they
# are in the Cyrillic catalogue.
_PROTECTED = re.compile(
    r"%\([^)]*\)[sdif]|%[sdif]|\{[^}]*\}|<[^>]*>|&\w+;|https?://\S+|\S+@\S+|`[^`]*`"
    r"|\b(?:[A-Za-z0-9-]+\.)+[a-z]{2,}\b|\b[A-Z]{2,}\d*\b"
    r"|\b[A-Za-z]*(?:[QWXYqwxy]|[a-z]{2}[A-Z])[A-Za-z]*\b"
    r"|\b(?:" + "|".join(re.escape(name) for name in LATIN_NAMES) + r")\b"
)


def _match_case(source: str, target: str) -> str:
    if source.isupper() and len(source) > 1:
        return target.upper()
    if source[0].isupper():
        return target[0].upper() + target[1:]
    return target


def _lat_chunk_to_cyr(chunk: str) -> str:
    return _LAT_PATTERN.sub(lambda m: _match_case(m[0], _LAT_TO_CYR[m[0].lower()]), chunk)


def latin_to_cyrillic(text: str) -> str:
    """Transliterate Serbian Latin to Cyrillic, leaving placeholders, markup and acronyms."""
    out: list[str] = []
    pos = 0
    for m in _PROTECTED.finditer(text):
        out.append(_lat_chunk_to_cyr(text[pos : m.start()]))
        out.append(m[0])
        pos = m.end()
    out.append(_lat_chunk_to_cyr(text[pos:]))
    return "".join(out)


def cyrillic_to_latin(text: str) -> str:
    """Transliterate Serbian Cyrillic to Latin."""
    return "".join(
        _match_case(ch, _CYR_TO_LAT[ch.lower()]) if ch.lower() in _CYR_TO_LAT else ch for ch in text
    )


_WORD = re.compile(r"[^\W_]+")


def words_of(folded: str) -> str:
    """The words of already folded text, each between its own two spaces (" a  b  c "):
    punctuation dropped, so that a word's occurrences are counted exactly by counting
    " word " (relevance ranking does), repeated words included."""
    found = _WORD.findall(folded)
    return f" {'  '.join(found)} " if found else ""


def repeats(words: str) -> str:
    """The extra occurrences of words said more than once in a words_of() text, in the same
    form (" a  b  a  a " gives " a  a "): a search's matches hold each searched word once at
    least, so 1 + repeats.count(" word ") is how often it occurs, read from a short text."""
    seen: set[str] = set()
    extra = []
    for word in words.split():
        if word in seen:
            extra.append(word)
        seen.add(word)
    return f" {'  '.join(extra)} " if extra else ""


def search_words(text: str) -> str:
    """What full-text search indexes: the folded words of `text` (see words_of)."""
    return words_of(fold(text))


def fold(text: str) -> str:
    """Fold text for matching: one script, no diacritics, lower case (Čačak = Cacak = Чачак)."""
    latin = cyrillic_to_latin(text).lower().replace("đ", "dj")
    stripped = unicodedata.normalize("NFKD", latin)
    ascii_only = "".join(ch for ch in stripped if not unicodedata.combining(ch))
    return " ".join(ascii_only.split())
