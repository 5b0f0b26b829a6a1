"""Render: a validated Story -> HTML, through sandboxed, autoescaped Jinja2 templates.

Story text reaches templates only as data. Every URL in the HTML is built here, in
Python, from checked paths: a `file:` URL for print (served by the confined fetcher)
or a `data:` URL for screen, so the HTML file works alone, shared or emailed.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Literal, Optional

from jinja2 import ChoiceLoader, FileSystemLoader, PrefixLoader, StrictUndefined
from jinja2.sandbox import SandboxedEnvironment

from . import __version__, formats, images, symbols
from .model import PROMPT_NAMES, Picture, Settings, Story

Target = Literal["print", "screen"]

PAPERS = {"a4": "A4", "letter": "letter"}
SENSE_SYMBOLS = {
    "sight": "eye", "sound": "ear", "touch": "raised hand", "smell": "nose",
    "taste": "tongue", "movement": "person cartwheeling", "body": "people hugging",
}
SENSE_NAMES = {"sight": "Sight", "sound": "Sound", "touch": "Touch", "smell": "Smell", "taste": "Taste",
               "movement": "Movement (vestibular)", "body": "Body (proprioceptive)"}
KIND_NAMES = {"social": "A social story", "sensory": "A sensory story", "task": "Step by step"}


def templates_folder() -> Path:
    """Inside the package when installed from a wheel, at the repo's top in a checkout."""
    packaged = Path(__file__).parent / "templates"
    return packaged if packaged.is_dir() else Path(__file__).parent.parent / "templates"


def font_folder() -> Path:
    import fontpkg_atkinson_hyperlegible as font

    return Path(font.ROOT) / "files"


def asset_folders() -> list[Path]:
    """Folders of the package's own files a document may load."""
    return [templates_folder(), symbols.svg_folder(), font_folder()]


@lru_cache(maxsize=8)
def environment(overrides: Optional[Path] = None) -> SandboxedEnvironment:
    """Templates: a library's `templates/` first, then the built-in ones, which are also
    reachable as `builtin/<name>` so that an override can extend the one it replaces."""
    builtin = FileSystemLoader(str(templates_folder()))
    loaders = [FileSystemLoader(str(overrides))] if overrides and overrides.is_dir() else []
    return SandboxedEnvironment(
        loader=ChoiceLoader([*loaders, builtin, PrefixLoader({"builtin": builtin})]),
        autoescape=True, undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True)


@dataclass(frozen=True)
class Image:
    """A picture ready for a template: where to load it, what it shows, what kind it is."""

    src: str
    alt: str
    kind: Literal["symbol", "photo"]


def render_story(story: Story, target: Target = "print", paper: str = "a4") -> str:
    """The story as one HTML document: for WeasyPrint (print) or for a browser (screen)."""
    return render(story, "story", target, paper)


def render(story: Story, name: str, target: Target = "print", paper: str = "a4",
           settings: Optional[Settings] = None, library: Optional[Path] = None) -> str:
    """One output of a story (see formats.FORMATS) as HTML, from the template `<name>.html`
    (the library's own `templates/<name>.html` when it has one)."""
    urls, settings = Urls(target), settings or Settings()

    def picture(part: Optional[Picture], text: str = "") -> Optional[Image]:
        if part is None:
            return None
        if part.symbol:
            return Image(urls.file(symbols.find(part.symbol)), part.alt or part.symbol, "symbol")
        if part.image:
            kind = "symbol" if part.image.suffix.lower() == ".svg" else "photo"
            return Image(urls.file(part.image), part.alt or text or "", kind)
        return None

    def sense_symbol(sense: str) -> Image:
        return Image(urls.file(symbols.find(SENSE_SYMBOLS[sense])), sense, "symbol")

    is_landscape = formats.landscape(name, story)
    per_page = story.cards_per_page or settings.cards_per_page
    template = environment(Path(library) / "templates" if library else None).get_template(f"{name}.html")
    return template.render(
        story=story, target=target, format=name, settings=settings,
        page_size=f"{PAPERS[paper]}{' landscape' if is_landscape else ''}",
        picture=picture, cover=cover_of(story), sense_symbol=sense_symbol, fonts=urls.fonts(),
        kind_name=KIND_NAMES[story.kind], prompt_names=PROMPT_NAMES, sense_names=SENSE_NAMES,
        openmoji_credit=symbols.OPENMOJI_CREDIT if story.uses_symbols() else None,
        version=__version__, layout=_layout(name, story, paper, per_page),
        step_pages=formats.step_page_numbers(story))


def _layout(name: str, story: Story, paper: str, per_page: int) -> dict:
    """Grid and picture sizes for a handout, as plain numbers (millimetres and points)."""
    steps = len(story.steps)
    if name == "cards":
        return formats.cards_grid(per_page, paper)
    if name == "strip":
        return formats.strip_grid(steps, paper)
    if name == "tracker":
        return formats.tracker_grid(steps, paper)
    if name == "datasheet":
        return formats.datasheet_layout(story, paper)
    return {}


def cover_of(story: Story) -> Optional[Picture]:
    """The story's own picture, else the first picture in it."""
    return next((part for part in (story, *story.steps) if part.symbol or part.image), None)


class Urls:
    """URLs of files for one target: `file:` for print (served by the confined fetcher),
    self-contained `data:` for screen (and for the catalog)."""

    def __init__(self, target: Target):
        self.target = target

    def file(self, path: Path) -> str:
        if self.target == "print":
            return Path(path).as_uri()
        return _data_uri(Path(path))

    def fonts(self) -> dict[str, str]:
        return {style: self.file(font_folder() / f"AtkinsonHyperlegible-{style}.ttf")
                for style in ("Regular", "Bold", "Italic")}


def _data_uri(path: Path) -> str:
    if images.is_photo(path):
        return images.data_uri(*images.clean_photo(path))
    return _file_data_uri(str(path))


@lru_cache(maxsize=512)
def _file_data_uri(path: str) -> str:
    mime = {".svg": "image/svg+xml", ".ttf": "font/ttf"}[Path(path).suffix.lower()]
    return f"data:{mime};base64,{base64.b64encode(Path(path).read_bytes()).decode('ascii')}"
