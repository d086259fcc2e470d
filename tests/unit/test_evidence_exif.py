"""Photos: EXIF time, position, device read; copies carry no metadata; bad images harmless."""

from __future__ import annotations

import io
import struct
import zlib
from datetime import UTC, datetime

import pytest
from PIL import Image

from tests.evidence_support import photo
from tracker.evidence.derivatives import clean_copy
from tracker.evidence.exif import MAX_PIXELS, PhotoFacts, open_photo, photo_facts


def _facts(data: bytes) -> PhotoFacts:
    with open_photo(io.BytesIO(data)) as image:
        assert image is not None
        return photo_facts(image)


def _copy(data: bytes) -> tuple[str | None, bytes]:
    out = io.BytesIO()
    with open_photo(io.BytesIO(data)) as image:
        assert image is not None
        media_type = clean_copy(image, out)
    return media_type, out.getvalue()


def test_time_position_and_device_are_read() -> None:
    facts = _facts(photo())
    # No OffsetTimeOriginal: the camera's clock is taken as UTC.
    assert facts.taken_at == datetime(2024, 5, 17, 14, 30, tzinfo=UTC)
    assert facts.lat == pytest.approx(44.51) and facts.lon == pytest.approx(20.25)
    assert facts.device == "Canon EOS 5D"  # the make is not repeated


def test_offset_south_west_and_separate_make() -> None:
    facts = _facts(
        photo(
            offset="+02:00",
            gps=("S", (33.0, 52.0, 4.2), "W", (151.0, 12.0, 26.4)),
            make="Apple",
            model="iPhone 15",
        )
    )
    assert facts.taken_at == datetime(2024, 5, 17, 12, 30, tzinfo=UTC)
    assert facts.lat == pytest.approx(-33.867833, abs=1e-6)
    assert facts.lon == pytest.approx(-151.2073333, abs=1e-6)
    assert facts.device == "Apple iPhone 15"


@pytest.mark.parametrize("fmt", ["PNG", "WEBP"])
def test_other_formats(fmt: str) -> None:
    facts = _facts(photo(fmt=fmt))
    assert facts.taken_at is not None and facts.lat is not None and facts.device


def test_tiff() -> None:
    # Pillow writes no Exif or GPS sub-IFD into a TIFF, so only the device is there to read.
    assert _facts(photo(fmt="TIFF")).device == "Canon EOS 5D"
    media_type, data = _copy(photo(fmt="TIFF"))
    assert media_type == "image/jpeg" and b"Canon" not in data


def test_missing_or_nonsense_exif_gives_nothing() -> None:
    assert _facts(photo(taken=None, gps=None, make=None, model=None)) == PhotoFacts()
    nonsense = _facts(
        photo(taken="not a date", gps=("N", (0.0, 0.0, 0.0), "E", (0.0, 0.0, 0.0)), offset="bad")
    )
    assert nonsense == PhotoFacts(device="Canon EOS 5D")
    out_of_range = _facts(photo(gps=("N", (95.0, 0.0, 0.0), "E", (20.0, 0.0, 0.0))))
    assert out_of_range.lat is None and out_of_range.lon is None


def test_copy_has_no_metadata_and_is_upright() -> None:
    media_type, data = _copy(photo(size=(64, 48), orientation=6))
    assert media_type == "image/jpeg"
    with Image.open(io.BytesIO(data)) as copy:
        assert copy.format == "JPEG"
        assert copy.size == (48, 64)  # rotated as the EXIF orientation said
        exif = copy.getexif()
        assert len(exif) == 0 and len(exif.get_ifd(0x8825)) == 0
        assert not {"exif", "comment", "icc_profile", "xmp"} & set(copy.info)
    assert b"Canon" not in data and b"secret comment" not in data


def test_copy_of_a_transparent_image_is_a_png_without_metadata() -> None:
    media_type, data = _copy(photo(fmt="PNG", mode="RGBA"))
    assert media_type == "image/png"
    with Image.open(io.BytesIO(data)) as copy:
        assert copy.mode == "RGBA" and len(copy.getexif()) == 0
        assert "exif" not in copy.info
    assert b"Canon" not in data


def test_broken_image_is_no_photo() -> None:
    truncated = photo()[:200]
    with open_photo(io.BytesIO(truncated)) as image:
        if image is not None:  # the header may still parse; the pixels cannot
            assert clean_copy(image, io.BytesIO()) is None
    with open_photo(io.BytesIO(b"not an image at all")) as image:
        assert image is None


def _png_header_only(width: int, height: int) -> bytes:
    def chunk(kind: bytes, body: bytes) -> bytes:
        return (
            struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
        )

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", ihdr)
        + chunk(b"IDAT", zlib.compress(b""))
        + (chunk(b"IEND", b""))
    )


@pytest.mark.parametrize(
    "size", [(MAX_PIXELS // 1000 + 1, 1000), (MAX_PIXELS // 1000 * 2 + 1000, 1000), (60000, 60000)]
)
def test_decompression_bombs_are_refused(size: tuple[int, int]) -> None:
    with open_photo(io.BytesIO(_png_header_only(*size))) as image:
        assert image is None
