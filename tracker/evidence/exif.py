"""Photos: open them safely with Pillow and read EXIF time, position and device.

Everything here treats a broken or hostile image as "nothing to read": it never raises.
"""

from __future__ import annotations

import logging
import math
import struct
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone
from typing import Any, BinaryIO

from PIL import Image

log = logging.getLogger(__name__)

# Larger photos get no derivative: decoding one takes several copies of width × height × 4
# bytes. Pillow itself warns past this and refuses past twice this (decompression bombs).
MAX_PIXELS = 40_000_000
Image.MAX_IMAGE_PIXELS = MAX_PIXELS
FORMATS = ("JPEG", "PNG", "WEBP", "TIFF")
# What Pillow may raise on a broken, truncated or hostile file.
IMAGE_ERRORS = (
    OSError,
    ValueError,
    struct.error,
    AttributeError,
    RuntimeError,
    SyntaxError,
    EOFError,
    KeyError,
    IndexError,
    TypeError,
    ZeroDivisionError,
    MemoryError,
    Image.DecompressionBombError,
    Image.DecompressionBombWarning,  # raised, not just warned, when warnings are errors
)
EXIF_IFD, GPS_IFD = 0x8769, 0x8825
MAKE, MODEL = 0x010F, 0x0110
DATETIME_ORIGINAL, OFFSET_TIME_ORIGINAL = 0x9003, 0x9011
GPS_LAT_REF, GPS_LAT, GPS_LON_REF, GPS_LON = 1, 2, 3, 4


@dataclass(frozen=True)
class PhotoFacts:
    """What a photo's EXIF says about when, where and with what it was taken."""

    taken_at: datetime | None = None
    lat: float | None = None
    lon: float | None = None
    device: str | None = None


@contextmanager
def open_photo(stream: BinaryIO) -> Iterator[Image.Image | None]:
    """The photo in `stream`, or None when Pillow cannot or must not decode it."""
    try:
        image = Image.open(stream, formats=FORMATS)
    except IMAGE_ERRORS as err:
        log.info("not an image we can read: %s", err)
        yield None
        return
    try:
        width, height = image.size
        yield image if 0 < width * height <= MAX_PIXELS else None
    finally:
        image.close()


def photo_facts(image: Image.Image) -> PhotoFacts:
    """Time, position and device from the photo's EXIF; empty when absent or unreadable."""
    try:
        exif = image.getexif()
        lat, lon = _position(exif.get_ifd(GPS_IFD))
        return PhotoFacts(_taken_at(exif.get_ifd(EXIF_IFD)), lat, lon, _device(exif))
    except IMAGE_ERRORS as err:
        log.info("unreadable EXIF: %s", err)
        return PhotoFacts()


def _taken_at(ifd: dict[int, Any]) -> datetime | None:
    raw = _text(ifd.get(DATETIME_ORIGINAL))
    if not raw:
        return None
    try:
        taken = datetime.strptime(raw[:19], "%Y:%m:%d %H:%M:%S")
    except ValueError:
        return None
    offset = _offset(_text(ifd.get(OFFSET_TIME_ORIGINAL)))
    # Cameras record local time and most do not say which zone. Without OffsetTimeOriginal
    # the time is taken as UTC: it is shown as recorded, never shifted by a guessed zone.
    return taken.replace(tzinfo=offset or UTC).astimezone(UTC)


def _offset(raw: str | None) -> timezone | None:
    if not raw or len(raw) != 6 or raw[0] not in "+-" or raw[3] != ":":
        return None
    try:
        hours, minutes = int(raw[1:3]), int(raw[4:6])
    except ValueError:
        return None
    delta = timedelta(hours=hours, minutes=minutes)
    return timezone(-delta if raw[0] == "-" else delta) if delta < timedelta(hours=15) else None


def _position(gps: dict[int, Any]) -> tuple[float | None, float | None]:
    lat = _degrees(gps.get(GPS_LAT), _text(gps.get(GPS_LAT_REF)), "S", 90)
    lon = _degrees(gps.get(GPS_LON), _text(gps.get(GPS_LON_REF)), "W", 180)
    if lat is None or lon is None or (lat == 0 and lon == 0):
        return None, None  # no fix: many devices write zeros
    return round(lat, 7), round(lon, 7)


def _degrees(dms: Any, ref: str | None, negative: str, limit: float) -> float | None:
    if not isinstance(dms, tuple) or len(dms) != 3:
        return None
    degrees, minutes, seconds = (float(part) for part in dms)
    value = degrees + minutes / 60 + seconds / 3600
    if not math.isfinite(value) or not 0 <= value <= limit:
        return None
    return -value if (ref or "").upper().startswith(negative) else value


def _device(exif: Image.Exif) -> str | None:
    make, model = _text(exif.get(MAKE)), _text(exif.get(MODEL))
    if make and model and model.lower().startswith(make.lower()):
        make = None  # "Canon" + "Canon EOS 5D"
    device = " ".join(part for part in (make, model) if part)
    return device[:200] or None


def _text(value: Any) -> str | None:
    """An EXIF string without NULs, control characters or padding."""
    if isinstance(value, bytes):
        value = value.decode("utf-8", "replace")
    if not isinstance(value, str):
        return None
    cleaned = "".join(ch for ch in value if unicodedata.category(ch)[0] != "C")
    return cleaned.strip() or None
