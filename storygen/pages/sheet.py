"""The contact sheets: every match of `storygen symbols WORD --sheet` with its picture, the exact
name to write after `symbol:` and its set; and every page of `storygen pictures STORY --sheet`
with its picture and the alternatives. A clinician chooses by looking."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from .. import __version__, files
from ..pictures import symbols
from .assets import Urls, asset_folders
from .paper import PAPERS
from .render import environment, render_template

MOST = 60  # pictures on one sheet: more is a word to narrow


@dataclass(frozen=True)
class SheetPage:
    """A page of a story on the pictures' sheet: where it is, its words and what each picture is to it."""

    heading: str  # 'step 2, line 7'
    text: str  # its words, in the story's language
    pictures: list[tuple[symbols.Symbol, str]]  # each with a note: how it came, or why it is an alternative
    summary: str = ""  # said when it has no picture to show


def render_sheet(
    word: str,
    hits: list[symbols.Symbol],
    target: str = "print",
    paper: str = "a4",
    order: Iterable[symbols.SetOrName] = symbols.SETS,
) -> str:
    urls = Urls("screen", order)  # data: URLs: the HTML sheet stands alone, and print reads no file
    # each under the name that finds it: its own, or with its set's prefix where another set would win
    shown = [
        _shown(urls, hit, hit.name if symbols.find(hit.name, order) == hit else hit.qualified) for hit in hits[:MOST]
    ]
    return _render(urls, target, paper, {"word": word, "symbols": shown, "more": max(0, len(hits) - MOST)})


def render_pages_sheet(
    heading: str,
    pages: list[SheetPage],
    language: str,
    target: str = "print",
    paper: str = "a4",
    order: Iterable[symbols.SetOrName] = symbols.SETS,
) -> str:
    """The sheet of a story's pages: each picture under its exact (qualified) name."""
    urls = Urls("screen", order)
    groups = [
        {
            "heading": page.heading,
            "text": page.text,
            "summary": page.summary,
            "symbols": [_shown(urls, symbol, symbol.qualified, note) for symbol, note in page.pictures],
        }
        for page in pages
    ]
    return _render(urls, target, paper, {"heading": heading, "pages": groups, "story_language": language})


def _shown(urls: Urls, symbol: symbols.Symbol, paste: str, note: str = "") -> dict:
    kind = "verb" if symbol.action else symbol.grammar.lower()
    return {
        "src": urls.symbol(symbol.qualified),
        "name": symbol.name,
        "paste": paste,
        "set": symbol.set,
        "kind": kind,
        "note": note,
    }


def _render(urls: Urls, target: str, paper: str, context: dict) -> str:
    context = {"word": "", "symbols": [], "more": 0, "heading": "", "pages": [], "story_language": "en", **context}
    context |= {
        "target": target,
        "fonts": urls.fonts(),
        "version": __version__,
        "page_size": PAPERS[paper],
        "symbol_credits": urls.credits(),
        "language": "en",  # for the clinician choosing a name, in storygen's own language
        "text_direction": "ltr",
    }
    return render_template(environment(), "symbols.html", context)


def write_sheet(
    word: str, hits: list[symbols.Symbol], path: Path, order: Iterable[symbols.SetOrName] = symbols.SETS
) -> Path:
    """The sheet written to path, whole or not at all: HTML when it ends in .html, else a PDF."""
    return files.replace(
        path, file_for(path, lambda target: render_sheet(word, hits, target, order=order), f"Symbols for “{word}”")
    )


def file_for(path: Path, render: Callable[[str], str], title: str) -> bytes:
    """A sheet rendered for path: HTML for the screen when it ends in .html, else printed to a PDF."""
    if path.suffix.lower() in (".html", ".htm"):
        return render("screen").encode("utf-8")
    from .pdf import About, Printer  # WeasyPrint: imported only when a sheet is printed

    folder = Path.cwd()
    return Printer().print(render("print"), folder, folder, asset_folders(), About(title)).pdf
