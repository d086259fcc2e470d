"""Metadata-free copies of photos, for any later public use."""

from __future__ import annotations

import logging
from typing import BinaryIO

from PIL import Image, ImageOps

from tracker.evidence.exif import IMAGE_ERRORS

log = logging.getLogger(__name__)
JPEG_QUALITY = 90


def clean_copy(image: Image.Image, out: BinaryIO) -> str | None:
    """Write the photo's pixels, upright, with no metadata at all; its type, or None on failure.

    The copy is a new image holding pixels only, so no EXIF, GPS, XMP, ICC profile or
    comment can travel along, whatever the encoder would take from the source's `info`.
    """
    try:
        upright = ImageOps.exif_transpose(image)  # orientation first: the tag goes away
        alpha = upright.mode in ("RGBA", "LA", "PA") or "transparency" in upright.info
        mode = "RGBA" if alpha else "RGB"
        pixels = upright.convert(mode)
        del upright
        clean = Image.new(mode, pixels.size)
        clean.paste(pixels)
        del pixels
        if alpha:
            clean.save(out, format="PNG", optimize=False)
            return "image/png"
        clean.save(out, format="JPEG", quality=JPEG_QUALITY)
        return "image/jpeg"
    except IMAGE_ERRORS as err:
        log.info("no derivative: %s", err)
        return None
