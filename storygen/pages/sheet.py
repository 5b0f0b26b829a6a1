"""The contact sheet of `storygen symbols WORD --sheet`: every match with its picture, the
exact name to write after `symbol:` and its set, so a clinician chooses by looking."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from .. import __version__
from ..pictures import symbols
from .assets import Urls, asset_folders
from .paper import PAPERS
from .render import environment, render_template

MOST = 60  # pictures on one sheet: more is a word to narrow


def render_sheet(
    word: str,
    hits: list[symbols.Symbol],
    target: str = "print",
    paper: str = "a4",
    order: Iterable[symbols.SetOrName] = symbols.SETS,
) -> str:
    urls = Urls("screen", order)  # data: URLs: the HTML sheet stands alone, and print reads no file
    shown = [
        {
            "src": urls.symbol(hit.qualified),
            "name": hit.name,
            "paste": hit.name if symbols.find(hit.name, order) == hit else hit.qualified,  # what finds this one
            "set": hit.set,
            "kind": "verb" if hit.action else hit.grammar.lower(),
        }
        for hit in hits[:MOST]
    ]
    context = {
        "word": word,
        "symbols": shown,
        "more": max(0, len(hits) - MOST),
        "target": target,
        "fonts": urls.fonts(),
        "version": __version__,
        "page_size": PAPERS[paper],
        "symbol_credits": urls.credits(),
        "language": "en",  # for the clinician choosing a name, in storygen's own language
        "text_direction": "ltr",
    }
    return render_template(environment(), "symbols.html", context)


def sheet_file(
    word: str, hits: list[symbols.Symbol], path: Path, order: Iterable[symbols.SetOrName] = symbols.SETS
) -> bytes:
    """The sheet's file for path: HTML when it ends in .html, else a PDF."""
    if path.suffix.lower() in (".html", ".htm"):
        return render_sheet(word, hits, "screen", order=order).encode("utf-8")
    from .pdf import About, Printer  # WeasyPrint: imported only when a sheet is printed

    folder = Path.cwd()
    about = About(f"Symbols for “{word}”")
    return Printer().print(render_sheet(word, hits, order=order), folder, folder, asset_folders(), about).pdf
