"""Photos made safe and small: EXIF orientation applied, every metadata block dropped.

Phone photos carry GPS position and device data in EXIF; a story is shared, so the
bytes that reach a PDF or HTML file are re-encoded from pixels only.
"""

from __future__ import annotations

import base64
import io
from functools import lru_cache
from pathlib import Path

MAX_PIXELS = 1600  # longest side: 150 dpi over a full page width, and sharp on screens
JPEG_QUALITY = 85
RASTER_TYPES = {".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".png": "image/png"}


def is_photo(path: Path) -> bool:
    return Path(path).suffix.lower() in RASTER_TYPES


def clean_photo(path: Path) -> tuple[bytes, str]:
    """(bytes, mime type) of the photo, upright, scaled down, without metadata."""
    stat = Path(path).stat()
    return _clean_photo(str(path), stat.st_mtime_ns, stat.st_size)


@lru_cache(maxsize=64)
def _clean_photo(path: str, mtime_ns: int, size: int) -> tuple[bytes, str]:
    from PIL import Image, ImageOps

    with Image.open(path) as opened:
        image = ImageOps.exif_transpose(opened)
        image.thumbnail((MAX_PIXELS, MAX_PIXELS))
        has_alpha = image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info
        out = io.BytesIO()
        if has_alpha:
            image.convert("RGBA").save(out, "PNG", optimize=True)
            return out.getvalue(), "image/png"
        # A fresh image from the pixels alone: no EXIF, XMP, ICC comments or text chunks.
        image.convert("RGB").save(out, "JPEG", quality=JPEG_QUALITY, optimize=True)
        return out.getvalue(), "image/jpeg"


def data_uri(content: bytes, mime: str) -> str:
    return f"data:{mime};base64,{base64.b64encode(content).decode('ascii')}"


@lru_cache(maxsize=256)
def thumbnail(path: str, pixels: int = 320) -> tuple[bytes, str]:
    """A small, clean JPEG or PNG of a photo, for the catalog."""
    from PIL import Image

    content, mime = clean_photo(Path(path))
    with Image.open(io.BytesIO(content)) as image:
        image.thumbnail((pixels, pixels))
        out = io.BytesIO()
        image.save(out, "PNG" if mime == "image/png" else "JPEG", quality=80)
    return out.getvalue(), mime
