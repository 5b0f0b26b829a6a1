"""How wide a text prints in the story's font, and how many lines it takes in a column: the
advance widths of the letters of the font its language prints in (Atkinson Hyperlegible, or
the bundled Noto font of its script: languages.bundled_font), read once with fontTools (which
WeasyPrint already brings), lines broken at spaces as the page breaks them. Letters the font
does not have (CJK: the system's font draws them) count an em if wide, else half an em.
"""

from __future__ import annotations

import math
import unicodedata
from functools import cache

from ..languages import bundled_font
from .paper import MM_PER_POINT


@cache
def _advances(font_name: str | None = None) -> tuple[dict[int, float], float]:
    """Each letter's advance in ems, and a space's, in the bundled font of that name (its key
    in assets.BUNDLED_FONTS), else Atkinson Hyperlegible."""
    from fontTools.ttLib import TTFont

    from .assets import BUNDLED_FONTS, font_folder  # its pictures are not needed to measure words

    path = BUNDLED_FONTS[font_name]() if font_name else font_folder() / "AtkinsonHyperlegible-Regular.ttf"
    font = TTFont(path, lazy=True)
    per_em, metrics = font["head"].unitsPerEm, font["hmtx"]
    ems = {code: metrics[name][0] / per_em for code, name in font.getBestCmap().items()}
    return ems, ems.get(ord(" "), 0.25)


def has_letter(letter: str, language: str = "en") -> bool:
    """Whether the fonts a language prints in (its bundled one, then Atkinson Hyperlegible) draw the letter."""
    return ord(letter) in _advances(bundled_font(language))[0] or ord(letter) in _advances()[0]


def ems(text: str, language: str = "en") -> float:
    """The text's width in ems of the font its language prints in."""
    advances, _ = _advances(bundled_font(language))
    return sum(advances.get(ord(c)) or (1.0 if unicodedata.east_asian_width(c) in "WF" else 0.5) for c in text)


def lines(text: str, width_mm: float, size_pt: float, language: str = "en") -> int:
    """The lines the text takes in a column that wide at that size: its own line breaks kept,
    words moved whole to the next line, a word wider than the column broken across lines."""
    width, (_, space) = width_mm / (size_pt * MM_PER_POINT), _advances(bundled_font(language))  # in ems
    count = 0
    for paragraph in text.split("\n"):
        used = None  # the ems on the line being filled (None: no line begun)
        for word in paragraph.split():
            wide = ems(word, language)
            if used is not None and used + space + wide <= width:
                used += space + wide
                continue
            taken = max(1, math.ceil(wide / width))
            count += taken
            used = wide - (taken - 1) * width
        count += used is None  # an empty paragraph is an empty line
    return count
