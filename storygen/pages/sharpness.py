"""How sharp each photo prints: the box it prints in on each output a story makes (the
registry's layout numbers, formats.py), its pixels, and a warning for a photo with too few.

A photo is fitted inside its box (object-fit: contain), so its printed size follows from its
shape and the box; the largest it prints across the outputs is the one that counts. Below
LEAST_PPI pixels per inch a print looks soft and blocky at a child's reading distance; at
SHARP_PPI paper shows no more. `storygen check` (PIC003) and `storygen build` say the same.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from ..pictures import images
from ..story.load import Loc, Source, place_name, with_place
from ..story.model import Story
from ..story.parts import pages
from ..story.settings import Settings
from .formats import FORMATS
from .layouts import Box

LEAST_PPI = 100  # fewer pixels per inch: soft and blocky on paper
SHARP_PPI = 300  # print's own resolution: more pixels show nothing more
MM_PER_INCH = 25.4
PLACES = {(): "cover", ("intro",): "introduction", ("conclusion",): "conclusion"}  # where place_name() says nothing
HINT = "use a larger copy: the photo as the phone or camera took it, not one saved from a message or a web page"


def photo_boxes(story: Story, settings: Settings) -> dict[Loc, list[Box]]:
    """Every box each page's photo prints in, on the outputs the library makes of the story."""
    boxes: dict[Loc, list[Box]] = {}
    for name in settings.formats:
        fmt = FORMATS[name]
        if fmt.suits(story):
            for loc, box in fmt.photo_boxes(fmt.sheet(story, settings.paper, settings)).items():
                boxes.setdefault(loc, []).append(box)
    return boxes


def printed_mm(pixels: tuple[int, int], boxes: list[Box]) -> tuple[float, float]:
    """The largest a photo of that many pixels prints, fitted whole inside each box."""
    width, height = pixels
    scale = max(min(w / width, h / height) for w, h in boxes)  # mm per pixel
    return width * scale, height * scale


def needed(printed: tuple[float, float], ppi: int, most: int | None = None) -> tuple[int, int]:
    """The pixels a photo printed that large needs for ppi pixels per inch (most: at most that
    many on its longest side)."""
    width, height = printed[0] / MM_PER_INCH * ppi, printed[1] / MM_PER_INCH * ppi
    scale = min(1.0, most / max(width, height)) if most else 1.0
    return math.ceil(round(width * scale, 6)), math.ceil(round(height * scale, 6))


def sharpest(printed: tuple[float, float]) -> tuple[int, int]:
    """The pixels for SHARP_PPI, or as many as storygen keeps (images.MAX_PIXELS on the longest side)."""
    return needed(printed, SHARP_PPI, images.MAX_PIXELS)


def blurry_photos(
    story: Story, source: Source, settings: Settings, library: Path | None
) -> Iterator[tuple[Loc, str, str]]:
    """(where, message, hint) for each photo printing below LEAST_PPI, at its `image:`."""
    boxes = photo_boxes(story, settings)
    for loc, part in [((), story), *pages(story)]:
        if not (part.image and images.is_photo(part.image) and boxes.get(loc)):
            continue
        try:
            pixels = images.photo_size(part.image, library)
        except images.PictureError:  # opening the story said so
            continue
        from .render import cover_of  # Jinja: imported only for a story with photos

        cover = boxes.get((), []) if loc and cover_of(story) is part else []  # the cover shows it too
        printed = printed_mm(pixels, [*boxes[loc], *cover])
        ppi = pixels[0] / (printed[0] / MM_PER_INCH)
        if ppi >= LEAST_PPI:
            continue
        at = (*loc, "image") if (*loc, "image") in source.keys else loc
        written = _written(source.data, at) or part.image.name
        least, sharp = needed(printed, LEAST_PPI), sharpest(printed)
        message = (
            f"image '{written}' is {pixels[0]}x{pixels[1]} pixels: it prints {printed[0]:.0f}x{printed[1]:.0f} mm "
            f"at {ppi:.0f} ppi, and needs {least[0]}x{least[1]} pixels ({LEAST_PPI} ppi; "
            f"{sharp[0]}x{sharp[1]} for the sharpest print)"
        )
        yield at, with_place(place_name(loc) or PLACES.get(loc, ""), message), HINT


def _written(data: Any, loc: Loc) -> str | None:
    for key in loc:
        try:
            data = data[key]
        except (KeyError, IndexError, TypeError):
            return None
    return data if isinstance(data, str) else None
