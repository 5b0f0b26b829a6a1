"""`storygen pictures STORY`: every page's picture, page by page, with its exact name, whether
the story names it or storygen chose it (and why), and the alternatives, as `symbol:` lines a
clinician can copy; `--sheet`, the same on a contact sheet, to choose by looking."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import click

from .. import files
from ..errors import StoryError, display_path, printable
from ..pictures import symbols
from ..pictures.choice import Candidate
from ..story.load import Loc, place_name
from ..story.open import Opened, open_story, ranked_pictures
from .general import PLACES

ALTERNATIVES = 3  # shown for each page, after its picture


@dataclass(frozen=True)
class PagePicture:
    """One page's picture, how it came, and what else would fit it."""

    where: str  # 'cover', 'step 2'
    line: int
    col: int
    text: str  # its words, as the story writes them
    shown: str | None  # a symbol's exact name, an image's file; None for no picture
    how: str  # 'written (symbol:)', 'chosen automatically: the word 'towel'', ...
    symbol: symbols.Symbol | None
    alternatives: list[Candidate]


def page_pictures(opened: Opened) -> list[PagePicture]:
    """The cover and every page (story.parts' walk), in reading order."""
    found = []
    for loc, part, candidates in ranked_pictures(opened.story, opened.sets):
        symbol = symbols.find(part.symbol, opened.sets) if part.symbol else None
        shown = part.symbol or (_image_name(part.image, opened.path) if part.image else None)
        others = [c for c in candidates if c.allowed and c.symbol != symbol][:ALTERNATIVES]
        line, col = opened.source.locate(loc or ("title",), "")
        text = getattr(part, "text", None) or getattr(part, "label", None) or part.title
        where = place_name(loc) or PLACES.get(loc, "")
        found.append(PagePicture(where, line, col, text, shown, _how(opened, loc, part, candidates), symbol, others))
    return found


def _how(opened: Opened, loc: Loc, part: Any, candidates: list[Candidate]) -> str:
    written = opened.source.keys
    if (*loc, "image") in written and part.image:
        return "written (image:)"
    if (*loc, "symbol") in written:
        return "written (symbol:)" if part.symbol else "no picture on purpose (symbol: none)"
    if (*loc, "picture") in written and not part.symbol:
        return "the child's picture from a profile; none without one"
    if part.symbol:
        why = next((c.why for c in candidates if c.symbol.qualified == part.symbol), "")
        return f"chosen automatically: {why}" if why else "chosen automatically"
    return "no picture: none fits its words well enough (PIC002)"


def _image_name(image: Path, story: Path) -> str:
    """An image as the story names it: relative to the story's folder."""
    try:
        return str(Path(image).relative_to(story.parent.resolve()))
    except ValueError:
        return Path(image).name


def report_lines(path: Path, pages: list[PagePicture]) -> Iterator[str]:
    """The report, for a terminal: every text from the story made safe to print (printable)."""
    for page in pages:
        yield f"{display_path(path)}:{page.line}:{page.col}: {page.where}: {printable(page.text, keep='')}"
        how = printable(page.how, keep="")  # the reason quotes the story's words
        yield f"  {printable(page.shown, keep='')}: {how}" if page.shown else f"  {how}"
        yield "  alternatives:" if page.alternatives else "  alternatives: none"
        for other in page.alternatives:
            yield f"    symbol: {other.symbol.qualified}  # {printable(other.why, keep='')}"


def sheet_pages(pages: list[PagePicture]) -> list:
    """The pages of the contact sheet: each page's picture, when a symbol, then its alternatives."""
    from ..pages.sheet import SheetPage

    return [
        SheetPage(
            f"{page.where}, line {page.line}",
            page.text,
            [
                *([(page.symbol, page.how)] if page.symbol else []),
                *((c.symbol, f"or: {c.why}") for c in page.alternatives),
            ],
            "" if page.symbol else f"{page.shown or 'no picture'}: {page.how}",
        )
        for page in pages
    ]


class PicturesError(click.ClickException):
    """The story cannot be opened, or the sheet cannot be written: a message, and exit status 1."""


def write_sheet(opened: Opened, pages: list[PagePicture], path: Path) -> Path:
    """The contact sheet of every page's picture and alternatives, written to path (a PDF, or HTML for .html)."""
    from ..pages.sheet import file_for, render_pages_sheet

    title = f"Pictures of “{opened.story.title}”"
    language = opened.story.language

    def render(target: str) -> str:
        return render_pages_sheet(title, sheet_pages(pages), language, target, order=opened.sets)

    try:
        return files.replace(path, file_for(path, render, title))
    except OSError as exc:
        raise PicturesError(f"cannot write {display_path(path)}: {exc.strerror or exc}") from None


def pictures_command(story: Path, sheet: bool, output: Path | None) -> Iterator[str]:
    """What `storygen pictures` prints: the report, or the line saying where the sheet went.
    PicturesError when the story cannot be opened (every problem, at its place) or the sheet written."""
    try:
        opened = open_story(story)
    except StoryError as exc:
        raise PicturesError("\n".join(map(str, exc.problems))) from None
    pages = page_pictures(opened)
    if not sheet:
        yield from report_lines(story, pages)
        return
    written = write_sheet(opened, pages, output or Path(f"pictures-{story.stem}.pdf"))
    count = sum(bool(page.symbol) + len(page.alternatives) for page in pages)
    yield f"wrote {display_path(written)}: {len(pages)} pages, {count} pictures"
