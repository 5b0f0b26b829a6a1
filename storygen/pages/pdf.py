"""Print: HTML -> PDF with WeasyPrint, fetching only files the story may use.

WeasyPrint is imported here only, and lazily by callers, because importing it takes
about 0.4 s and `storygen --help` or `storygen symbols` must stay instant.
"""

from __future__ import annotations

import logging
import mimetypes
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit
from urllib.request import url2pathname

from weasyprint import HTML
from weasyprint.pdf import fonts as pdf_fonts
from weasyprint.pdf.metadata import DocumentMetadata
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher, URLFetcherResponse

from .. import __version__
from ..pictures import images, svg
from ..story.profiles import PROFILES

PRINT_DPI = 150  # photos are resampled to this resolution at their printed size
# WeasyPrint's warning, for every font of every document, when HarfBuzz-Subset is missing: a fact
# about this computer, not about the story, so a build says it once, as a hint of what to install.
SLOW_FONTS = "Using fontTools instead of HarfBuzz-Subset"
SLOW_FONTS_HINT = (
    "PDFs are made slowly because the HarfBuzz-Subset library is missing; install it to make builds "
    "faster (Debian, Ubuntu: sudo apt-get install libharfbuzz-subset0; macOS: brew install harfbuzz)"
)


class LibraryFetcher(URLFetcher):
    """Serves `file:` URLs inside the allowed folders (after resolving symlinks and `..`)
    and `data:` URLs; refuses every other scheme, so a story never reaches the network
    or a file outside its library. Photos from the library are served cleaned."""

    def __init__(self, library: Path, assets: list[Path], profile: Path | None = None):
        super().__init__(allowed_protocols={"data"})
        self.library = Path(library).resolve()
        self.roots = [self.library, *(Path(a).resolve() for a in assets)]
        # children's profiles: only the one whose story this is (a template's relative URL could
        # otherwise print another child's photo into a shared PDF)
        self.profiles = self.library / PROFILES
        self.profile = Path(profile).resolve() if profile else None

    def fetch(self, url, headers=None):
        scheme = urlsplit(url).scheme.lower()
        if scheme == "data":
            return self._clean_data(url, headers)
        if scheme != "file":
            raise ValueError(f"storygen does not fetch {scheme or 'relative'} URLs: {url}")
        path = Path(url2pathname(urlsplit(url).path)).resolve(strict=True)
        if not any(path.is_relative_to(root) for root in self.roots) or not path.is_file():
            raise ValueError(f"{path} is outside the story's library")
        if path.is_relative_to(self.profiles) and not (self.profile and path.is_relative_to(self.profile)):
            raise ValueError(f"{path} is a child's own file: only her own story shows it")
        if path.is_relative_to(self.library):
            body, mime = images.library_file(path, self.library)
        else:  # storygen's own files: symbols (their arcs made printable), templates, fonts
            body, mime = path.read_bytes(), mimetypes.guess_type(path.name)[0] or "application/octet-stream"
            body = svg.straight_arcs(body) if mime == "image/svg+xml" else body
        return URLFetcherResponse(path.as_uri(), body, headers={"Content-Type": mime})

    def _clean_data(self, url, headers):
        """A `data:` URL (a library template or style sheet may hold one): its picture cleaned
        like a picture file, so no metadata and no format beyond JPEG, PNG, GIF, WebP and SVG gets in."""
        response = super().fetch(url, headers)
        mime = response.content_type
        if mime in ("image/png", "image/jpeg", "image/gif", "image/webp"):
            body, mime = images.clean_raster(response.read())
        elif mime == "image/svg+xml":
            body = svg.clean_svg(response.read(), images.clean_raster)
        elif mime.startswith("image/"):
            raise ValueError(f"storygen shows only JPEG, PNG, GIF, WebP and SVG pictures, not {mime}")
        else:
            return response
        return URLFetcherResponse("data:", body, headers={"Content-Type": mime})


@dataclass(frozen=True)
class About:
    """What a PDF says of itself (Title, Keywords, and the XMP made from them): set by storygen
    after rendering, from the story's shared words (never a child's name, no author: no person's
    name at all), whatever a template's <head> says."""

    title: str
    keywords: tuple[str, ...] = ()

    def metadata(self, lang: str | None) -> DocumentMetadata:
        return DocumentMetadata(
            title=self.title, keywords=list(self.keywords), generator=f"storygen {__version__}", lang=lang
        )


@dataclass
class Printed:
    pdf: bytes
    pages: int
    warnings: list[str]
    starts: dict[str, int]  # element id -> index of the page it starts on
    fonts: frozenset[str] = frozenset()  # the families of the fonts its letters are printed in


@dataclass
class Printer:
    """One per build: fonts and images loaded once are shared by every document."""

    font_config: FontConfiguration = field(default_factory=FontConfiguration)
    cache: dict = field(default_factory=dict)
    hints: list[str] = field(default_factory=list)  # about this computer, not a story: see take_hints

    def __post_init__(self):
        images.pillow()  # WeasyPrint hands pictures to Pillow: set it up for strangers' files first

    def trim(self, most: int = 300) -> None:
        """Forget cached images when there are many, so a long build keeps a flat memory curve."""
        if len(self.cache) > most:
            self.cache.clear()

    def take_hints(self) -> list[str]:
        """What printing found to say about this computer since last asked."""
        hints, self.hints = self.hints, []
        return hints

    def print(
        self, html: str, base: Path, library: Path, assets: list[Path], about: About, profile: Path | None = None
    ) -> Printed:
        """html as a PDF: files from library and assets only (profile: the one child's folder it
        may show), its metadata what about says."""
        fetcher = LibraryFetcher(library, assets, profile)
        with captured_warnings() as warnings:
            document = HTML(string=html, base_url=Path(base).resolve().as_uri() + "/", url_fetcher=fetcher).render(
                font_config=self.font_config, cache=self.cache, dpi=PRINT_DPI, optimize_images=True, jpeg_quality=80
            )
            # the head's title, meta, dates and attachments are a template's: not the PDF's
            document.metadata = about.metadata(document.metadata.lang)
            # A tagged PDF (structure, language, alt text) for screen readers: about 2% more time.
            pdf = document.write_pdf(pdf_variant="pdf/ua-1")
        starts: dict[str, int] = {}
        for number, page in enumerate(document.pages):
            for anchor in page.anchors:
                starts.setdefault(anchor, number)
        # WeasyPrint 69 falls back to fontTools without a word; later versions warn per font.
        slow = pdf_fonts.harfbuzz_subset is None or any(SLOW_FONTS in warning for warning in warnings)
        if slow and SLOW_FONTS_HINT not in self.hints:
            self.hints.append(SLOW_FONTS_HINT)
        fonts = frozenset(font.family for font in document.fonts.values())  # the fonts written: write_pdf's
        return Printed(pdf, len(document.pages), [w for w in warnings if SLOW_FONTS not in w], starts, fonts)


@contextmanager
def captured_warnings():
    """WeasyPrint logs (does not raise) missing images and bad CSS: collect them."""
    logger = logging.getLogger("weasyprint")
    messages: list[str] = []

    class Collect(logging.Handler):
        def emit(self, record):
            messages.append(record.getMessage())

    handler = Collect(logging.WARNING)
    logger.addHandler(handler)
    propagate, logger.propagate = logger.propagate, False
    try:
        yield messages
    finally:
        logger.removeHandler(handler)
        logger.propagate = propagate
