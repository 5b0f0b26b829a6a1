"""The sense table (data/senses.yaml): what a word used in more than one sense shows, told by
the words around it ("fire drill" shows no fire, "the bell rings" a bell, "my bag is light" the
scales), and the words that never make a picture on their own."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from functools import lru_cache

import yaml

from .. import PACKAGE

TABLE = PACKAGE / "data" / "senses.yaml"


@dataclass(frozen=True)
class Sense:
    cues: tuple[tuple[str, ...], ...]  # one of these (each its lemmas, all needed) must be on the page
    role: str | None  # the role the word must have in its sentence (words.THING...), or any
    symbol: str | None  # what the sense shows, by name; None: nothing

    def holds(self, lemmas: Collection[str], role: str | None) -> bool:
        cued = not self.cues or any(all(word in lemmas for word in cue) for cue in self.cues)
        return cued and self.role in (None, role)


@lru_cache(maxsize=1)
def _data() -> dict:
    return yaml.safe_load(TABLE.read_text(encoding="utf-8"))


@lru_cache(maxsize=1)
def table() -> dict[str, tuple[Sense, ...]]:
    """Each word (its lemma, or a name of two words) with its senses, in order."""
    return {word: tuple(_sense(entry) for entry in entries) for word, entries in _data()["senses"].items()}


def _sense(entry: dict) -> Sense:
    symbol = entry.get("symbol")
    cues = tuple(tuple(cue.split()) for cue in entry.get("cues", ()))
    return Sense(cues, entry.get("role"), None if symbol in (None, "none") else symbol)


def decide(word: str, lemmas: Collection[str], role: str | None) -> tuple[bool, Sense | None]:
    """(whether the table has the word, the sense that holds on a page of these lemmas, if any)."""
    senses = table().get(word)
    if senses is None:
        return False, None
    return True, next((sense for sense in senses if sense.holds(lemmas, role)), None)


@lru_cache(maxsize=1)
def alone_never() -> frozenset[str]:
    return frozenset(_data()["alone_never"])


@lru_cache(maxsize=1)
def idioms() -> tuple[frozenset[str], ...]:
    """The sayings whose words show something else than what they mean, each by its words' lemmas."""
    return tuple(frozenset(saying.split()) for saying in _data()["idioms"])


@lru_cache(maxsize=1)
def settings() -> frozenset[str]:
    return frozenset(_data()["settings"])


@lru_cache(maxsize=1)
def feelings() -> frozenset[str]:
    return frozenset(_data()["feelings"])


def level(lemma: str) -> int:
    """How much a word alone says of a page: 1 a thing or an action, 0 a setting (the doctor),
    chosen only when no other word shows something."""
    return 0 if lemma in settings() else 1
