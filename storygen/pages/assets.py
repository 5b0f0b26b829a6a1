"""Files a page shows, each given the URL its target needs: storygen's own (templates, fonts,
symbols) and a library's (pictures cleaned, recordings with their sound only). `file:` URLs for
print, served by the confined fetcher (pdf.py); `data:` URLs for a screen, so a web page works alone."""

from __future__ import annotations

import base64
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path
from typing import Literal

from .. import PACKAGE, languages
from ..errors import Problem, StoryError
from ..pictures import audio, images, symbols

Target = Literal["print", "screen"]


def templates_folder() -> Path:
    """Inside the package when installed from a wheel, at the repo's top in a checkout."""
    packaged = PACKAGE / "templates"
    return packaged if packaged.is_dir() else PACKAGE.parent / "templates"


def font_folder() -> Path:
    import fontpkg_atkinson_hyperlegible as font

    return Path(font.ROOT) / "files"


def arabic_font() -> Path:
    """Noto Sans Arabic (OFL), bundled: the default font has no Arabic letters."""
    import fontpkg_noto_sans_arabic as font

    return next((Path(font.ROOT) / "files").glob("*.ttf"))


def sans_font() -> Path:
    """Noto Sans (OFL), bundled: Cyrillic and Greek, which the default font lacks, in a font made
    for legibility; a page in Russian or Greek prints wholly in it, not in two fonts side by side."""
    import fontpkg_noto_sans as font

    return next(path for path in (Path(font.ROOT) / "files").glob("*.ttf") if "Italic" not in path.name)


def devanagari_font() -> Path:
    """Noto Sans Devanagari (OFL), bundled: Hindi and Marathi."""
    import fontpkg_noto_sans_devanagari as font

    return next((Path(font.ROOT) / "files").glob("*.ttf"))


# The packages of the fonts storygen prints with: their versions are part of what a kept print was made with.
FONT_PACKAGES = (
    "fontpkg-atkinson-hyperlegible",
    "fontpkg-noto-sans-arabic",
    "fontpkg-noto-sans",
    "fontpkg-noto-sans-devanagari",
)
# A script's font storygen ships (languages.SCRIPTS), by its name in a page's fonts.
BUNDLED_FONTS = {"Arabic": arabic_font, "Sans": sans_font, "Devanagari": devanagari_font}


def asset_folders() -> list[Path]:
    """Folders of the package's own files a document may load."""
    fonts = [font().parent for font in BUNDLED_FONTS.values()]
    return [templates_folder(), *(s.files() for s in symbols.SETS if s.files), font_folder(), *fonts]


class Urls:
    """URLs of files for one target: `file:` for print (served by the confined fetcher),
    self-contained `data:` for screen (and for the catalog)."""

    def __init__(
        self,
        target: Target,
        symbol_sets: Iterable[symbols.SetOrName] = symbols.SETS,
        inline: bool = False,
        library: Path | None = None,
    ):
        self.target, self.symbol_sets = target, symbols.entries(symbol_sets)
        self.library = library  # a library file is read only inside it (without one: from a path holding no link)
        self.inline = inline or target == "screen"  # files as data: URLs (a print version in a browser too)
        self.sets_used: set[str] = set()  # the symbol sets given a URL: each is credited

    def symbol(self, name: str) -> str:
        """A symbol by name, from the first of symbol_sets that has it."""
        found = symbols.find(name, self.symbol_sets)
        if found is None:  # loading has checked every name
            raise KeyError(f"no symbol named {name!r}")
        self.sets_used.add(found.set)
        path = symbols.picture_file(found, self.symbol_sets)  # an own set's: a library file, like an image
        return self.file(path) if path else _symbol_data_uri(found)  # drawn: a data: URL for print and screen alike

    def recording(self, path: Path) -> str | None:
        """A recording, its sound only, inside the web page (a data: URL); none on paper."""
        if self.target != "screen":
            return None
        try:
            return audio.data_uri(path, self.library)
        except images.PictureError as error:  # changed since the story was checked
            message = f"recording '{Path(path).name}' {error.what}"
            raise StoryError([Problem(Path(path), 1, 1, message, hint=error.hint)]) from None

    def credits(self) -> list[str]:
        """The credit line of each set used, in the order of preference."""
        order = [s.name for s in (*self.symbol_sets, *symbols.SETS)]
        return [symbols.credit(name, self.symbol_sets) for name in dict.fromkeys(order) if name in self.sets_used]

    def file(self, path: Path) -> str:
        if not self.inline:
            return Path(path).as_uri()
        return _data_uri(Path(path), self.library)

    def fonts(self, *tags: str) -> dict[str, str]:
        """The default font's styles, and a font for the languages' scripts where storygen has one."""
        fonts = {
            style: self.file(font_folder() / f"AtkinsonHyperlegible-{style}.ttf")
            for style in ("Regular", "Bold", "Italic")
        }
        for name, font in BUNDLED_FONTS.items():
            if any(languages.bundled_font(tag) == name for tag in tags):
                fonts[name] = self.file(font())
        return fonts


@lru_cache(maxsize=512)
def _symbol_data_uri(symbol: symbols.Symbol) -> str:
    return images.data_uri(symbols.svg(symbol), "image/svg+xml")


def _data_uri(path: Path, library: Path | None = None) -> str:
    """Built-in files as they are; every picture from a library cleaned (images.clean_picture)."""
    if _is_builtin(path):
        return _file_data_uri(str(path))
    try:
        return images.data_uri(*images.clean_picture(path, library))
    except images.PictureError as error:  # changed since the story was checked
        raise StoryError(
            [Problem(Path(path), 1, 1, f"image '{Path(path).name}' {error.what}", hint=error.hint)]
        ) from None


def _is_builtin(path: Path) -> bool:
    try:
        real = Path(path).resolve()
    except OSError:  # a library file being swapped for a link as it is looked at: read as a library's
        return False
    return any(real.is_relative_to(folder) for folder in _builtin_folders())


@lru_cache(maxsize=1)
def _builtin_folders() -> tuple[Path, ...]:
    return tuple(folder.resolve() for folder in asset_folders())


@lru_cache(maxsize=512)
def _file_data_uri(path: str) -> str:
    mime = {".svg": "image/svg+xml", ".ttf": "font/ttf"}[Path(path).suffix.lower()]
    return f"data:{mime};base64,{base64.b64encode(Path(path).read_bytes()).decode('ascii')}"
