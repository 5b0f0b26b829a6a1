"""Pictures from a library made safe and small, for every output.

Phone photos carry GPS position and device data in EXIF; JPEG comments and colour
profiles carry free text; an SVG can carry scripts, links and a whole phone photo. A
story is shared, so every library picture reaches a PDF, an HTML file or the catalog
only through `clean_picture`: photos re-encoded from their pixels alone (upright, in
sRGB, scaled down), SVGs cleaned by `svg.clean_svg`. Pillow opens JPEG, PNG, GIF and WebP
only; a GIF's or WebP's first frame is kept, re-encoded as PNG or JPEG (no output animates).
"""

from __future__ import annotations

import base64
import hashlib
import io
import threading
import warnings
from collections import OrderedDict
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path

from .. import files
from ..errors import HintedError

MAX_PIXELS = 1600  # longest side: 150 dpi over a full page width, and sharp on screens
MAX_MEGAPIXELS = 40  # a larger photo is refused from its header: 40 MP is more than any phone's
MAX_BYTES = 64 * 1024 * 1024  # a picture file: a 40 MP PNG with little to compress is about this
JPEG_QUALITY = 85
FORMATS = ["JPEG", "PNG", "GIF", "WEBP"]  # the only formats Pillow may open: no EPS (Ghostscript), no TIFF, ...
RASTER_TYPES = {
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".png": "image/png",
    ".gif": "image/gif",
    ".webp": "image/webp",
}
PICTURE_TYPES = {**RASTER_TYPES, ".svg": "image/svg+xml"}

NOT_RASTER = "cannot be read as a picture: it is not a JPEG, PNG, GIF or WebP picture"
EXPORT_RASTER = "export it again as JPEG or PNG"
KINDS = "a JPEG, PNG, GIF, WebP or SVG"
TOO_LARGE = "is {size}, too large"
RESIZE = f"resize it to at most {MAX_MEGAPIXELS} megapixels (a phone photo is about 12)"


class PictureError(HintedError):
    """Why a picture cannot be used, worded to follow "image 'photos/sink.jpg' ", and the fix."""


@lru_cache(maxsize=1)
def pillow():
    """Pillow, set up for pictures from strangers: no Ghostscript, ever (an EPS picture runs
    it, a classic way to run code from a picture file), and the pixel limit above."""
    from PIL import EpsImagePlugin, Image

    EpsImagePlugin.gs_binary = False  # Pillow then never looks for Ghostscript
    Image.MAX_IMAGE_PIXELS = MAX_MEGAPIXELS * 1_000_000  # Pillow refuses twice that outright
    return Image


def is_photo(path: Path) -> bool:
    return Path(path).suffix.lower() in RASTER_TYPES


def is_picture(path: Path) -> bool:
    return Path(path).suffix.lower() in PICTURE_TYPES


def story_picture(image: Path, folder: Path, library: Path) -> Path:
    """The real path of the picture a story names (image, relative to the story's folder);
    PictureError unless it is a JPEG, PNG, GIF, WebP or SVG file inside the library that storygen will use."""
    real = (Path(folder) / image).resolve()
    content = library_picture(real, library)
    if real.suffix.lower() == ".svg":
        cleaned(content, ".svg")  # cleaned once here; the build reuses the cleaned drawing
    else:
        check_photo(io.BytesIO(content))
    return real


def library_picture(path: Path, library: Path | None) -> bytes:
    """The bytes of a picture file of the library (PICTURE_TYPES), read through the descriptor checked
    (files.read: a file swapped for a link meanwhile is refused); PictureError else."""
    try:
        content = files.read(path, library, MAX_BYTES)
    except files.Outside:
        raise PictureError(
            "is outside the story's library folder",
            "copy the picture into the library (for example an `assets/` folder) and point to it there",
        ) from None
    except (files.NotAFile, OSError):
        raise PictureError("was not found", "check the file name (it is relative to the story file)") from None
    except files.TooLarge as error:
        raise PictureError(f"is {error.size / 1024 / 1024:.0f} MB, too large", "export it again smaller") from None
    if not is_picture(path):
        raise PictureError(f"is not {KINDS} picture")
    return content


_cleaned: OrderedDict[bytes, tuple[bytes, str]] = OrderedDict()  # the last few cleaned, by content
_cleaned_lock = threading.Lock()


def clean_picture(path: Path, library: Path | None = None) -> tuple[bytes, str]:
    """(bytes, mime type) of a picture file from a library (whose real path must lie in
    library; without one, path must hold no link), as outputs may show it. Raises PictureError
    for a picture storygen will not use."""
    return cleaned(library_picture(path, library), Path(path).suffix.lower())


def cleaned(content: bytes, suffix: str) -> tuple[bytes, str]:
    """(bytes, mime type) of a picture file's content cleaned; the last few kept, by content
    (not by path: what was read is what is cleaned)."""
    key = hashlib.sha256(suffix.encode() + b"\0" + content).digest()
    with _cleaned_lock:
        if key in _cleaned:
            _cleaned.move_to_end(key)
            return _cleaned[key]
    result = _clean_content(content, suffix)
    with _cleaned_lock:
        _cleaned[key] = result
        while len(_cleaned) > 64:
            _cleaned.popitem(last=False)
    return result


def _clean_content(content: bytes, suffix: str) -> tuple[bytes, str]:
    from . import svg  # tinycss2: imported only when a drawing is cleaned

    if suffix == ".svg":
        try:
            return svg.clean_svg(content, clean_raster), "image/svg+xml"
        except svg.SvgError as error:
            raise PictureError(error.what, error.hint) from None
    return clean_raster(content)


LIBRARY_FILES = {
    ".css": "text/css",
    ".ttf": "font/ttf",
    ".otf": "font/otf",
    ".woff": "font/woff",
    ".woff2": "font/woff2",
}


def library_file(path: Path, library: Path) -> tuple[bytes, str]:
    """(bytes, mime type) of a file a document loads from a library: pictures cleaned, style
    sheets and fonts as they are, each read through the descriptor checked (files.read).
    ValueError for anything else: WeasyPrint would hand it to Pillow, which opens far more
    formats than storygen documents."""
    if is_picture(path):
        try:
            return clean_picture(path, library)
        except PictureError as error:
            raise ValueError(f"{Path(path).name} {error}") from None
    if Path(path).suffix.lower() in LIBRARY_FILES:
        return files.read(path, library, MAX_BYTES), LIBRARY_FILES[Path(path).suffix.lower()]
    raise ValueError(
        f"storygen loads only pictures (JPEG, PNG, GIF, WebP, SVG), style sheets and fonts from a library, "
        f"not {Path(path).name}"
    )


def clean_raster(content: bytes) -> tuple[bytes, str]:
    """A JPEG, PNG, GIF or WebP (as bytes) re-encoded from its pixels alone: PNG or JPEG."""
    return _clean_opened(io.BytesIO(content))


def _clean_opened(source) -> tuple[bytes, str]:
    with open_photo(source) as opened, _whole_files_only():
        try:
            return _pixels_only(opened)
        except PictureError:
            raise
        except (OSError, SyntaxError, ValueError, EOFError) as error:
            raise _damaged(error) from None


def open_photo(source):
    """A JPEG, PNG, GIF or WebP opened lazily (header only); PictureError for other formats or a
    picture over the pixel limit, before any pixel is decoded."""
    Image = pillow()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", Image.DecompressionBombWarning)  # the message below says more
        try:
            image = Image.open(source, formats=FORMATS)
        except Image.DecompressionBombError:
            raise PictureError(TOO_LARGE.format(size=f"over {2 * MAX_MEGAPIXELS} megapixels"), RESIZE) from None
        except (OSError, SyntaxError, ValueError, EOFError) as error:
            raise (_damaged(error) if _begins_as_picture(source) else PictureError(NOT_RASTER, EXPORT_RASTER)) from None
    width, height = image.size
    if width * height > MAX_MEGAPIXELS * 1_000_000:
        image.close()
        raise PictureError(TOO_LARGE.format(size=f"{width}x{height} pixels"), RESIZE)
    return image


def _begins_as_picture(source) -> bool:
    """Whether a file Pillow could not open begins as a JPEG, PNG, GIF or WebP does: damaged, not another kind."""
    try:
        if isinstance(source, io.BytesIO):
            head = source.getvalue()[:12]
        else:
            with open(source, "rb") as file:
                head = file.read(12)
    except OSError:
        return False
    return head.startswith((b"\xff\xd8\xff", b"\x89PNG\r\n\x1a\n", b"GIF87a", b"GIF89a")) or (
        head[:4] == b"RIFF" and head[8:12] == b"WEBP"
    )


TURNED = (5, 6, 7, 8)  # EXIF orientations that stand a photo on its side: its width is its height


def photo_size(path: Path, library: Path | None) -> tuple[int, int]:
    """A library photo's width and height in pixels, upright (its EXIF orientation), read from
    its header; PictureError as clean_picture."""
    with open_photo(io.BytesIO(library_picture(path, library))) as image:
        width, height = image.size
        turned = image.format in ("JPEG", "WEBP") and image.getexif().get(0x0112) in TURNED
    return (height, width) if turned else (width, height)


def check_photo(path: Path | io.BytesIO) -> None:
    """PictureError unless the file is a whole JPEG, PNG, GIF or WebP within the limits. Cheap:
    a JPEG is decoded at 1/8 scale (every byte is still read), a PNG's chunks are checked, a
    GIF's or WebP's first frame (the one printed) is decoded."""
    with open_photo(path) as image, _whole_files_only():
        try:
            if image.format == "PNG":
                image.verify()
            else:
                if image.format == "JPEG":
                    image.draft(None, (image.width // 8, image.height // 8))
                image.load()
        except (OSError, SyntaxError, ValueError, EOFError) as error:
            raise _damaged(error) from None


@contextmanager
def _whole_files_only():
    """A file that ends early is an error, not a picture with a grey half. WeasyPrint turns
    Pillow's LOAD_TRUNCATED_IMAGES on for the whole process when imported: off while we read."""
    from PIL import ImageFile

    before, ImageFile.LOAD_TRUNCATED_IMAGES = ImageFile.LOAD_TRUNCATED_IMAGES, False
    try:
        yield
    finally:
        ImageFile.LOAD_TRUNCATED_IMAGES = before


def _damaged(error: Exception) -> PictureError:
    if isinstance(error, EOFError) or "truncated" in str(error).lower():
        return PictureError("is damaged (the file ends early)", "export it again")
    return PictureError("is damaged", EXPORT_RASTER)


def _pixels_only(opened) -> tuple[bytes, str]:
    """Upright, scaled down, in sRGB, and nothing but pixels: no EXIF, XMP, comment,
    colour profile text or PNG text chunks."""
    from PIL import ImageOps

    icc = opened.info.get("icc_profile")
    has_alpha = opened.mode in ("RGBA", "LA", "PA") or "transparency" in opened.info
    lossless = opened.format == "GIF"  # drawn pictures' flat colours: PNG keeps their edges sharp
    if opened.mode == "P":  # a GIF's first frame: scaled by its colours, not its palette's indexes
        opened.thumbnail((2 * MAX_PIXELS, 2 * MAX_PIXELS))  # a large one first roughly (by index: small in memory)
        opened = opened.convert("RGBA" if has_alpha else "RGB")
    # A JPEG is decoded reduced (1/2, 1/4 or 1/8) to about twice the size kept, so a large
    # photo never needs its full size in memory; a PNG is reduced as soon as it is read.
    opened.draft(None, _fit(opened.size, 2 * MAX_PIXELS))
    opened.thumbnail((MAX_PIXELS, MAX_PIXELS))
    image = ImageOps.exif_transpose(opened)  # after thumbnail: turning a small image is cheap
    if has_alpha:
        image = image.convert("RGBA")  # a palette's or a colour's transparency as an alpha channel
    if icc:
        image = _to_srgb(image, icc)
    pixels = image.convert("RGBA" if has_alpha else "RGB")
    pixels.info = {}  # Pillow writes a JPEG comment and a PNG's colour profile from info
    out = io.BytesIO()
    if has_alpha:
        pixels.save(out, "PNG", optimize=True)
        return out.getvalue(), "image/png"
    if lossless:
        pixels.save(out, "PNG", optimize=True)
        return out.getvalue(), "image/png"
    pixels.save(out, "JPEG", quality=JPEG_QUALITY, optimize=True)
    return out.getvalue(), "image/jpeg"


def _fit(size: tuple[int, int], longest: int) -> tuple[int, int]:
    scale = min(1.0, longest / max(size))
    return max(1, int(size[0] * scale)), max(1, int(size[1] * scale))


def _to_srgb(image, icc: bytes):
    """The pixels converted to sRGB by their colour profile, which is then dropped (its
    description is free text). A profile Little CMS cannot use is dropped as it is."""
    from PIL import ImageCms

    if image.mode not in ("RGB", "RGBA", "CMYK", "L"):
        return image
    try:
        source = ImageCms.ImageCmsProfile(io.BytesIO(icc))
        return ImageCms.profileToProfile(
            image, source, ImageCms.createProfile("sRGB"), outputMode="RGBA" if image.mode == "RGBA" else "RGB"
        )
    except (ImageCms.PyCMSError, OSError, ValueError, TypeError):
        return image


def data_uri(content: bytes, mime: str) -> str:
    return f"data:{mime};base64,{base64.b64encode(content).decode('ascii')}"


def thumbnail(path: Path, library: Path, pixels: int = 320) -> tuple[bytes, str]:
    """A small, clean JPEG or PNG of a photo of the library (a GIF's first frame), for the catalog."""
    return _thumbnail(*clean_picture(path, library), pixels)


def _thumbnail(content: bytes, mime: str, pixels: int) -> tuple[bytes, str]:
    with pillow().open(io.BytesIO(content), formats=FORMATS) as image:
        image.thumbnail((pixels, pixels))
        out = io.BytesIO()
        image.save(out, "PNG" if mime == "image/png" else "JPEG", quality=80)
    return out.getvalue(), mime
