"""Types come from content, names stay data, downloads get safe names."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from tracker.evidence.names import clean_name, content_disposition, download_name
from tracker.evidence.sniff import allowed, is_image, sniff


def _image(fmt: str) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (4, 4)).save(out, fmt)
    return out.getvalue()


@pytest.mark.parametrize(
    ("head", "expected"),
    [
        (b"%PDF-1.7\n", "application/pdf"),
        (_image("PNG"), "image/png"),
        (_image("JPEG"), "image/jpeg"),
        (_image("WEBP"), "image/webp"),
        (_image("TIFF"), "image/tiff"),
        ("Izjava svedoka: čšžćđ, Изјава.\n".encode(), "text/plain"),
        ("ćao".encode() * 2730 + "č".encode()[:1], "text/plain"),  # a character cut at the end
        (b"<!DOCTYPE html><html></html>", None),
        (b"  \n<svg xmlns='http://www.w3.org/2000/svg'/>", None),
        (b"<?xml version='1.0'?><root/>", None),
        (b"plain\x00binary", None),
        (b"\xff\xfe\x00t\x00e\x00x\x00t", None),  # UTF-16
        (b"\x1b[31mred", None),
        (b"caf\xe9 latin-1", None),
        (b"MZ\x90\x00", "application/x-msdownload"),  # told, and then refused
        (b"", None),
    ],
)
def test_sniff(head: bytes, expected: str | None) -> None:
    assert sniff(head) == expected


def test_allow_list() -> None:
    assert allowed("application/pdf") and allowed("text/plain") and allowed("video/mp4")
    for refused in (
        "text/html",
        "image/svg+xml",
        "application/zip",
        None,
        "application/x-msdownload",
    ):
        assert not allowed(refused)
    assert is_image("image/jpeg") and not is_image("application/pdf") and not is_image(None)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("zapisnik.pdf", "zapisnik.pdf"),
        ("../../etc/passwd", "../../etc/passwd"),
        ("a\x00b\r\nc\td.txt", "ab c d.txt"),
        ("photo\u202egpj.exe", "photogpj.exe"),
        ("  spaced   out  .txt ", "spaced out .txt"),
        ("Čačak.jpg", "Čačak.jpg"),
        ("C\u030cac\u030cak.jpg", "Čačak.jpg"),  # NFC
        ("", None),
        ("\x00\x01", None),
        (None, None),
    ],
)
def test_clean_name(raw: str | None, expected: str | None) -> None:
    assert clean_name(raw) == expected


def test_clean_name_caps_length_and_keeps_the_extension() -> None:
    name = clean_name("x" * 1000 + ".jpeg")
    assert name is not None and len(name) == 255 and name.endswith("….jpeg")


@pytest.mark.parametrize(
    ("name", "media_type", "expected"),
    [
        ("photo.JPG", "image/jpeg", "photo.JPG"),
        ("report.pdf", "image/png", "report.pdf.png"),
        ("tool.exe", "text/plain", "tool.exe.txt"),
        ("../../etc/passwd", "text/plain", "passwd.txt"),
        ("C:\\Users\\ana\\notes.txt", "text/plain", "notes.txt"),
        ("..", "application/pdf", "evidence-1.pdf"),
        (None, "application/pdf", "evidence-1.pdf"),
        ("table.xls", "application/msword", "table.xls"),
    ],
)
def test_download_name(name: str | None, media_type: str, expected: str) -> None:
    assert download_name(name, media_type, "evidence-1") == expected


def test_content_disposition_is_ascii_with_an_exact_utf8_name() -> None:
    header = content_disposition('đak "x"; y.pdf')
    assert header == (
        "attachment; filename=\"ak _x_ y.pdf\"; filename*=UTF-8''%C4%91ak%20%22x%22%3B%20y.pdf"
    )
    assert content_disposition("фото.jpg").startswith('attachment; filename="evidence.jpg"')
    assert all(32 <= ord(ch) < 127 for ch in content_disposition("a\u202eb\u2028c.txt"))
