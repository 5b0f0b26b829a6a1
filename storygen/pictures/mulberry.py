"""The Mulberry Symbols 3.6.1 (CC BY-SA 4.0): 3,436 AAC pictograms that show actions (brush
teeth, dry hands, towel, dentist), read from one zip in storygen/data/ (tools/vendor_mulberry.py),
named in English and French; a built-in symbol set (SET, listed in symbols.BUILT_IN)."""

from __future__ import annotations

import csv
import io
import re
import zipfile
from dataclasses import replace
from functools import lru_cache

from .. import PACKAGE
from ..i18n import N_
from .sets import Symbol, SymbolSet, normalize

CREDIT = N_("Mulberry Symbols, Steve Lee, CC BY-SA 4.0")  # translated where it is printed (i18n.py)
ZIP = PACKAGE / "data" / "mulberry-symbols-3.6.1.zip"


@lru_cache(maxsize=1)
def _archive() -> zipfile.ZipFile:
    """The Mulberry zip, opened once: reading its index is 15 ms, each drawing a fraction of one."""
    return zipfile.ZipFile(ZIP)


@lru_cache(maxsize=1)
def _rows() -> list[dict[str, str]]:
    """Mulberry's name index (symbol-info.csv): grammar, rating, category, English and French names."""
    with _archive().open("symbol-info.csv") as index_file:
        return list(csv.DictReader(io.TextIOWrapper(index_file, encoding="utf-8")))


def _english_name(row: dict[str, str]) -> str:
    """'brush teeth' for 'brush_teeth_,_to' (a verb), 'dentist 1a' for 'dentist_1a'."""
    return normalize(row["symbol-en"].removesuffix("_,_to").replace(",", " "))


@lru_cache(maxsize=1)
def names() -> dict[str, Symbol]:
    """Every Mulberry name -> its symbol: 'brush teeth' (the verb, 'brush_teeth_,_to.svg'),
    'towel', and 'dentist' for the first of 'dentist_1a', 'dentist_1b'..."""
    members = set(_archive().namelist())
    found: dict[str, Symbol] = {}
    for row in _rows():
        file = f"EN/{row['symbol-en']}.svg"
        if file not in members:
            continue
        action = row["symbol-en"].endswith("_,_to")
        name = _english_name(row)
        adult = row["rated"] not in ("", "0")
        symbol = Symbol("mulberry", name, file, row["grammar"], adult, action, row["category-en"])
        found.setdefault(name, symbol)
        if action:
            found.setdefault(f"to {name}", symbol)
        found.setdefault(re.sub(r" \d+[a-z]?$", "", name), symbol)  # dentist 1a -> dentist
    # a verb whose name finds a thing (paint, the pot) is written 'to paint'
    twins = {
        symbol: replace(symbol, twin=True)
        for symbol in found.values()
        if symbol.action and found[symbol.name] != symbol
    }
    return {name: twins.get(symbol, symbol) for name, symbol in found.items()}


def names_in(language: str) -> dict[str, Symbol]:
    """Mulberry's names in French ('savon'), each to its symbol; verbs keep a marker. They were
    translated from the English names, a word at a time: a French name given to pictures of
    different English names is left out ('avion' is an aeroplane and a carpenter's plane,
    'journal' a newspaper and a log, 'noyer' a walnut and drowning), as a word that names
    several pictures says none surely."""
    english = names()
    found: dict[str, Symbol] = {}
    meanings: dict[str, set[str]] = {}
    for row in _rows():
        name = normalize(row[f"symbol-{language}"].replace(" _, _ à", ""))  # 'savon'; verbs keep a marker
        symbol = english.get(_english_name(row))
        if symbol is not None and name and name != symbol.name and not symbol.adult:
            found.setdefault(name, symbol)
            meanings.setdefault(name, set()).add(re.sub(r" \d+[a-z]?$", "", symbol.name))  # 'dentist 1a' is 'dentist'
    return {name: symbol for name, symbol in found.items() if len(meanings[name]) == 1}


def languages() -> frozenset[str]:
    """The languages other than English Mulberry has names in: French (symbol-info.csv)."""
    return frozenset({"fr"})


def version() -> str:
    """The zip as it stands: its name holds Mulberry's version; its size and time tell one
    vendored again (hashing its 12 MB would cost more than a check)."""
    found = ZIP.stat()
    return f"{ZIP.name} {found.st_size} {found.st_mtime_ns}"


def _names_of(_: SymbolSet) -> dict[str, Symbol]:
    return names()


def drawing(symbol: Symbol) -> bytes:
    drawn = _archive().read(symbol.file)
    # Mulberry's drawings say overflow="visible", and a few reach past their box: kept inside
    # it, a picture never spills into the page margin.
    return drawn.replace(b'overflow="visible"', b'overflow="hidden"', 1)


SET = SymbolSet(
    "mulberry",
    CREDIT,
    "CC BY-SA 4.0",
    load=_names_of,
    draw=drawing,  # read from the zip: a data: URL for print and screen alike
    languages=languages,
    translated=names_in,
    version=version,
)
