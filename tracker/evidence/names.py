"""The names members give files: kept as data, never used as a path."""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import quote

from tracker.evidence.sniff import extensions

NAME_MAX = 255  # the column's length
# Control and format characters (including bidirectional overrides that disguise an
# extension, "photo\u202egpj.exe"), line and paragraph separators, lone surrogates.
_DROP = frozenset({"Cc", "Cf", "Cs", "Zl", "Zp"})
_SPACES = str.maketrans("\t\n\r\v\f\u2028\u2029", "       ")
_UNSAFE_ASCII = re.compile(r"[^A-Za-z0-9._()+ -]+")


def clean_name(raw: str | None) -> str | None:
    """The member's file name as data: no control characters, one line, at most NAME_MAX."""
    if not raw:
        return None
    text = unicodedata.normalize("NFC", raw).translate(_SPACES)
    text = " ".join("".join(ch for ch in text if unicodedata.category(ch) not in _DROP).split())
    if len(text) > NAME_MAX:
        stem, dot, ext = text.rpartition(".")
        keep = f".{ext}" if dot and stem and len(ext) <= 16 else ""
        text = text[: NAME_MAX - len(keep) - 1] + "…" + keep
    return text or None


def download_name(name: str | None, media_type: str | None, fallback: str) -> str:
    """A name to offer a download under: the last part of the member's name, with an
    extension that fits the stored type (so "run.bat" holding text is saved as "run.bat.txt").
    """
    base = re.split(r"[/\\]", name or "")[-1].strip().lstrip(".").strip() or fallback
    fitting = extensions(media_type)
    if fitting and not base.lower().endswith(fitting):
        base += fitting[0]
    return base


def content_disposition(name: str) -> str:
    """`attachment` with an ASCII fallback name and the exact name per RFC 5987/6266."""
    stem, dot, ext = name.rpartition(".")
    if not dot:
        stem, ext = name, ""
    ascii_stem = _ascii(stem).strip(" ._") or "evidence"
    ascii_ext = _ascii(ext).strip(" ._")
    fallback = f"{ascii_stem}.{ascii_ext}" if ascii_ext else ascii_stem
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(name, safe='')}"


def _ascii(text: str) -> str:
    """Letters without their diacritics (č → c); anything else not plain ASCII becomes _."""
    decomposed = unicodedata.normalize("NFKD", text)
    folded = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _UNSAFE_ASCII.sub("_", folded)
