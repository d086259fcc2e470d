"""Decide a file's type from its content, never from its name, and check the allow-list."""

from __future__ import annotations

import filetype

# Types evidence may have, with the file name extensions each may carry (first preferred).
# Anything else (HTML, SVG, scripts, executables, archives) is refused.
ALLOWED: dict[str, tuple[str, tuple[str, ...]]] = {
    "application/pdf": ("document", (".pdf",)),
    "image/jpeg": ("image", (".jpg", ".jpeg", ".jpe")),
    "image/png": ("image", (".png",)),
    "image/gif": ("image", (".gif",)),
    "image/webp": ("image", (".webp",)),
    "image/heic": ("image", (".heic",)),
    "image/heif": ("image", (".heif",)),
    "image/tiff": ("image", (".tif", ".tiff")),
    "video/mp4": ("video", (".mp4",)),
    "video/x-m4v": ("video", (".m4v", ".mp4")),
    "video/quicktime": ("video", (".mov",)),
    "video/webm": ("video", (".webm",)),
    "video/x-matroska": ("video", (".mkv",)),
    "video/3gpp": ("video", (".3gp",)),
    "video/x-msvideo": ("video", (".avi",)),
    "video/mpeg": ("video", (".mpg", ".mpeg")),
    "audio/mpeg": ("audio", (".mp3",)),
    "audio/ogg": ("audio", (".ogg", ".oga", ".opus")),
    "audio/x-wav": ("audio", (".wav",)),
    "audio/x-flac": ("audio", (".flac",)),
    "audio/mp4": ("audio", (".m4a", ".mp4")),
    "audio/aac": ("audio", (".aac",)),
    "audio/amr": ("audio", (".amr",)),
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": (
        "document",
        (".docx",),
    ),
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": ("document", (".xlsx",)),
    "application/vnd.openxmlformats-officedocument.presentationml.presentation": (
        "document",
        (".pptx",),
    ),
    "application/vnd.oasis.opendocument.text": ("document", (".odt",)),
    "application/vnd.oasis.opendocument.spreadsheet": ("document", (".ods",)),
    "application/vnd.oasis.opendocument.presentation": ("document", (".odp",)),
    # Legacy Office containers all look alike; the name the member gave tells them apart.
    "application/msword": ("document", (".doc", ".xls", ".ppt")),
    "application/vnd.ms-excel": ("document", (".xls", ".doc", ".ppt")),
    "application/vnd.ms-powerpoint": ("document", (".ppt", ".doc", ".xls")),
    "text/plain": ("document", (".txt", ".text", ".log", ".csv", ".md")),
}
# Markup that browsers would render or run, looked for in anything that claims to be text.
_MARKUP = (b"<html", b"<!doctype", b"<script", b"<svg", b"<?xml", b"<body", b"<iframe", b"<head")
_OLE = bytes.fromhex("d0cf11e0a1b11ae1")
# Control characters that plain text does not contain (tab, newlines and form feed do).
_CONTROL = frozenset(range(32)) - {9, 10, 12, 13}


def sniff(head: bytes) -> str | None:
    """The media type that the first bytes show, or None when it cannot be told."""
    kind = filetype.guess(head) if head else None
    if kind is not None:
        return kind.mime
    if head.startswith(_OLE):
        return "application/msword"  # legacy Office container (Word or Excel)
    return "text/plain" if _looks_like_plain_text(head) else None


def _looks_like_plain_text(head: bytes) -> bool:
    if not head or any(byte in _CONTROL for byte in head):
        return False
    try:
        text = head.decode("utf-8")
    except UnicodeDecodeError as err:
        # The cut may split a multibyte character at the very end; anything else is not UTF-8.
        if err.reason != "unexpected end of data" or err.start < len(head) - 3:
            return False
        text = head[: err.start].decode("utf-8")
    lowered = text.lstrip().lower().encode()
    return not any(marker in lowered[:2048] for marker in _MARKUP)


def allowed(media_type: str | None) -> bool:
    """True when evidence may be of this type."""
    return media_type in ALLOWED


def is_image(media_type: str | None) -> bool:
    return media_type in ALLOWED and ALLOWED[media_type][0] == "image"


def extensions(media_type: str | None) -> tuple[str, ...]:
    """File name extensions that fit the type (first preferred); empty when unknown."""
    return ALLOWED[media_type][1] if media_type in ALLOWED else ()
