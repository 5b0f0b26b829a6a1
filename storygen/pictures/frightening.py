"""The built-in symbols automatic choice never picks, by what they show (data/frightening.yaml):
fire, weapons and blades, injury, breaking, death, threat and faces in distress; and the faces
of a negative feeling, never picked for a page that praises, reassures or calms."""

from __future__ import annotations

import re
from functools import lru_cache

import yaml

from .. import PACKAGE
from . import symbols

LIST = PACKAGE / "data" / "frightening.yaml"
NEGATIVE_FEELING = "negative feeling"  # the one category a page about that feeling may show
TONE = re.compile(r"( (light|medium light|medium|medium dark|dark) skin tone)+$")  # an OpenMoji person's variants


def entries() -> dict[str, str]:
    """Every name the list holds, as written ('mulberry:to cut'), with its category."""
    data = yaml.safe_load(LIST.read_text(encoding="utf-8"))
    return {name: category for category, names in data.items() for name in names}


@lru_cache(maxsize=1)
def listed() -> dict[symbols.Symbol, str]:
    """Every listed symbol (its skin-tone variants too), with its category; a name no set has
    is left out here, and tests/pictures/test_frightening.py fails on it."""
    found: dict[symbols.Symbol, str] = {}
    for name, category in entries().items():
        symbol = symbols.find(name)
        if symbol is not None:
            found[symbol] = category
    pictures = {(s.set, s.file): category for s, category in found.items()}
    openmoji = symbols.names("openmoji")
    for name, symbol in openmoji.items():
        base = openmoji.get(TONE.sub("", name))
        if base is not None and (base.set, base.file) in pictures:
            found.setdefault(symbol, pictures[(base.set, base.file)])
    return found


@lru_cache(maxsize=1)
def _by_picture() -> dict[tuple[str, str], str]:
    return {(symbol.set, symbol.file): category for symbol, category in listed().items()}


def category(symbol: symbols.Symbol) -> str | None:
    """What a listed symbol shows ('fire', 'negative feeling'...), whichever of its names it has; None when not listed."""
    return _by_picture().get((symbol.set, symbol.file))
