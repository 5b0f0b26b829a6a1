"""Pictures by name, from the built-in symbol sets (BUILT_IN: Mulberry, OpenMoji) and a
library's own, each an entry of one kind (sets.SymbolSet).

`find(name, order)` looks in the sets in the library's order of preference (`symbol_sets:`),
exact names first, then forgiving ones (plurals, verb forms, "my"); a set's name and a colon
before a name (`openmoji:toothbrush`, `ours:hand wash`) picks that set.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

from . import kept, mulberry, openmoji, sets, words
from .sets import Symbol, SymbolSet, changed, normalize

# Words people put in a name that the sets' names leave out: "brush my teeth" is "brush teeth".
FILLERS = {"a", "an", "the", "my", "your", "his", "her", "their", "our", "to", "some"}


# The built-in sets, in the default order of preference: adding one is its module (its entry,
# SET: names, drawings, credit) and its line here.
BUILT_IN: dict[str, SymbolSet] = {symbol_set.name: symbol_set for symbol_set in (mulberry.SET, openmoji.SET)}
SETS = BUILT_IN.values()  # the default order of preference: a view, so an entry added to BUILT_IN is in it
SetOrName = SymbolSet | str  # a built-in set may be given by its name, as storygen.yaml lists it


def entry(symbol_set: SetOrName) -> SymbolSet:
    """The set itself: a built-in one by its name from BUILT_IN (KeyError for a name it lacks)."""
    return BUILT_IN[symbol_set] if isinstance(symbol_set, str) else symbol_set


def entries(order: Iterable[SetOrName]) -> tuple[SymbolSet, ...]:
    return tuple(map(entry, order))


def set_named(name: str, order: Iterable[SetOrName] = ()) -> SymbolSet:
    """The set a symbol comes from, by its name (Symbol.set): the own set of order so named,
    else the built-in one."""
    return next((s for s in entries(order) if s.name == name), None) or BUILT_IN[name]


def split_set(name: str, order: Iterable[SetOrName] = ()) -> tuple[str | None, str]:
    """('mulberry', 'towel') for 'mulberry:towel'; (None, name) without the prefix of a set in
    order (or a built-in one)."""
    key = normalize(name)
    prefix, colon, rest = key.partition(":")
    return (prefix, rest) if colon and prefix in {*BUILT_IN, *(s.name for s in entries(order))} else (None, key)


@lru_cache(maxsize=65536)
def stems(word: str) -> tuple[str, ...]:
    """A word's plain forms, likeliest first: its English lemma (words.lemma: teeth -> tooth,
    scared -> scare, knives -> knife), then what the endings left off give (brushing -> brush,
    making -> mak or make), for a word the lemmatiser does not know. The sets' names are indexed
    by the first. A word the lemmatiser knows has its lemma only: scared is never 'scar'."""
    word = word.removesuffix("'s").strip("'")
    lemma = words.lemma(word)
    return (lemma,) if lemma != word else tuple(dict.fromkeys((word, *_endings_off(word))))


def _endings_off(word: str) -> tuple[str, ...]:
    for suffix, keep in (("ies", "y"), ("ing", ""), ("es", ""), ("ed", ""), ("s", "")):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3 and not word.endswith("ss"):
            if suffix == "es" and not word[:-2].endswith(("s", "x", "z", "ch", "sh", "o")):
                continue  # shines is shine + s; brushes, boxes and tomatoes take -es
            word = word[: -len(suffix)] + keep
            if suffix in ("ing", "ed") and len(word) > 3 and word[-1] == word[-2] and word[-1] not in "ls":
                return (word[:-1], word)  # running -> run, but not pulling -> pul
            return (word, word + "e") if suffix in ("ing", "ed") else (word,)  # making -> make
    return (word,)


@lru_cache(maxsize=65536)
def loose(name: str) -> str:
    """The forgiving key of a name: fillers left out, each word in its plain form."""
    return " ".join(stems(word)[0] for word in normalize(name).split() if word not in FILLERS)


def _loose_keys(name: str, normalized: bool = False) -> list[str]:
    """Every forgiving key a typed name may mean (a few: each word has at most two forms)."""
    keys = [""]
    for word in (name if normalized else normalize(name)).split():
        if word not in FILLERS:
            keys = [f"{key} {form}".strip() for key in keys for form in stems(word)][:16]
    return keys


def primary(language: str | None) -> str:
    """'es' for es-MX: the language a set's names are in."""
    return (language or "en").split("-")[0].lower()


def named_in(language: str | None, order: Iterable[SetOrName] = SETS) -> bool:
    """Whether a story in language can be illustrated by its words: English, or a language
    one of the built-in sets in order has names in (Albanian, Greek... have none; an own set
    none: automatic choice in another language reads the built-in sets' names only)."""
    return primary(language) == "en" or any(primary(language) in s.languages() for s in entries(order))


def names_in(symbol_set: SetOrName, language: str) -> dict[str, Symbol]:
    """A built-in set's names in another language (OpenMoji's from the emoji package: es, fr,
    de, pt, it, ja, ko, zh, ru, fa, id, tr, ar; Mulberry's in French), each to its symbol;
    none in a language the set has no names in."""
    return _names_in(entry(symbol_set), language)


@lru_cache(maxsize=16)
def _names_in(symbol_set: SymbolSet, language: str) -> dict[str, Symbol]:
    if language not in symbol_set.languages():
        return {}  # the emoji package raises NotImplementedError for one it does not have
    if symbol_set.version is None:
        return symbol_set.translated(language)
    return kept.indexes(symbol_set, lambda: (symbol_set.translated(language),), BUILDERS, language, count=1)[0]


def names(symbol_set: SetOrName) -> dict[str, Symbol]:
    symbol_set = entry(symbol_set)
    return _kept(symbol_set)[0] if symbol_set.version else symbol_set.load(symbol_set)


def loose_names(symbol_set: SetOrName) -> dict[str, Symbol]:
    """The set's names by their forgiving keys (loose), adult symbols left out."""
    symbol_set = entry(symbol_set)
    return _kept(symbol_set)[1] if symbol_set.version else _loose_of(symbol_set, changed(symbol_set))


BUILDERS = (
    __name__,
    sets.__name__,
    kept.__name__,
    words.__name__,
)  # a change to any of them builds the kept indexes again


@lru_cache(maxsize=16)
def _kept(symbol_set: SymbolSet) -> kept.Indexes:
    """A built-in set's names and forgiving keys: built once for each version of the set (and
    of this code), and kept on disk for the runs after (kept.py)."""

    def build() -> kept.Indexes:
        found = symbol_set.load(symbol_set)
        return found, _loose_index(found)

    return kept.indexes(symbol_set, build, BUILDERS)


@lru_cache(maxsize=16)
def _loose_of(symbol_set: SymbolSet, _changed: int) -> dict[str, Symbol]:
    return _loose_index(names(symbol_set))


def _loose_index(names: dict[str, Symbol]) -> dict[str, Symbol]:
    keyed = [(_loose_keys(name, normalized=True), symbol) for name, symbol in names.items()]
    found: dict[str, Symbol] = {}
    for keys, symbol in keyed:
        if not symbol.adult:  # an adult symbol is shown only when asked for by its exact name
            found.setdefault(keys[0], symbol)
    for keys, symbol in keyed:  # then by the other plain forms: 'raising hand' as 'raise hand'
        if not symbol.adult:
            for key in keys[1:]:
                found.setdefault(key, symbol)
    return found


def find(name: str, order: Iterable[SetOrName] = SETS, language: str | None = None) -> Symbol | None:
    """The symbol a name means: exactly in the first set that has it (in order), then by its
    name in the story's language (`cepillo de dientes` in a Spanish story), else forgivingly;
    a prefix (`openmoji:toothbrush`) looks in that set only."""
    order = entries(order)
    chosen, key = split_set(name, order)
    looked_in = [s for s in (*order, *SETS) if s.name == chosen][:1] if chosen else list(order)
    exact = [names(s)[key] for s in looked_in if key in names(s)]
    if exact:  # a thing before an action of the same name: 'park' the place, not 'to park' a car
        return min(exact, key=lambda symbol: symbol.action and key == symbol.name)
    if primary(language) != "en":
        translated = [names_in(s, primary(language)).get(key) for s in looked_in if not s.own]
        if found := next((symbol for symbol in translated if symbol), None):
            return found
    for symbol_set in looked_in:
        for loose_key in _loose_keys(key):
            if (hit := loose_names(symbol_set).get(loose_key)) is not None:
                return hit
    return None


@lru_cache(maxsize=4096)
def short_name(qualified: str) -> str:
    """The shortest name that finds a built-in symbol: 'collar' for 'mulberry:collar 1' (the
    built-in sets do not change while storygen runs: said once for each, as every page chosen
    in a library is reported)."""
    set_of, _, name = qualified.partition(":")
    short = re.sub(r" \d+[a-z]?$", "", name)
    found = find(qualified) if set_of in BUILT_IN else None
    return short if found is not None and find(f"{set_of}:{short}") == found else name


def credit(set_of: str, order: Iterable[SetOrName] = ()) -> str:
    """The credit line of a set, by its name."""
    return set_named(set_of, order).credit


def picture_file(symbol: Symbol, order: Iterable[SetOrName] = ()) -> Path | None:
    """Where a symbol's picture is a file a page loads: an own set's (a library file), or a
    built-in's in its folder; None for one drawn from its set (svg) into the page."""
    symbol_set = set_named(symbol.set, order)
    if symbol_set.own:
        return Path(symbol.file)
    return symbol_set.files() / symbol.file if symbol_set.files else None


@lru_cache(maxsize=512)
def svg(symbol: Symbol) -> bytes:
    """A built-in symbol's SVG drawing."""
    return BUILT_IN[symbol.set].draw(symbol)


def suggestions(name: str, n: int = 3, order: Iterable[SetOrName] = SETS) -> list[str]:
    """Names close to a misspelt one: names holding the same word first, then look-alikes."""
    order = entries(order)
    _, key = split_set(name, order)
    every = [name for symbol_set in (*order, *SETS) for name in names(symbol_set)]
    holding = sorted((k for k in every if key and key in k.split()), key=len)
    close = difflib.get_close_matches(key, every, n=n, cutoff=0.75)
    return list(dict.fromkeys(holding[:n] + close))[:n]


def search(word: str, order: Iterable[SetOrName] = SETS, language: str | None = None) -> list[Symbol]:
    """Every symbol whose name holds word (or its plain form), from every set, in English and
    in the language given: names that are the word first, then the shortest; a thing and a verb
    of the same name both ('cut', a bleeding finger, then 'to cut', a kitchen knife), the thing first."""
    order = entries(order)
    chosen, key = split_set(word, order)
    plain = loose(key)
    every = [*order, *(s for s in SETS if s not in order)]
    ranks = {s.name: i for i, s in enumerate(every)}
    hits = {  # by the name that finds each: a thing and a verb of one name ('cut', 'to cut') are two pictures
        symbol.qualified: symbol
        for symbol_set in every
        if chosen in (None, symbol_set.name)
        for name, symbol in names(symbol_set).items()
        if key in name or (plain and plain in loose(name))
    }
    if primary(language) != "en":
        for symbol_set in every:
            if not symbol_set.own and chosen in (None, symbol_set.name):
                translated = names_in(symbol_set, primary(language)).items()
                hits.update({s.qualified: s for name, s in translated if key in name})

    def rank(symbol: Symbol) -> tuple:  # the word itself, then names holding it as a word, then the shortest
        whole = key in symbol.name.split() or (plain and plain in loose(symbol.name).split())
        return (symbol.name != key, not whole, len(symbol.name), symbol.name, ranks[symbol.set], symbol.twin)

    return sorted(hits.values(), key=rank)


# Symbols (by qualified name) that do not print as they should even after cleaning, never
# chosen automatically: none today. tests/pictures/test_symbol_drawing.py prints all 7,388 drawings and
# compares each with librsvg's; it fails unless the ones that differ are exactly these.
MISPRINTED: frozenset[str] = frozenset()
