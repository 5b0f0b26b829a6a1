"""What a symbol set is: its pictures (Symbol), each named as the set names it (normalize), and
the one kind of entry every set is (SymbolSet), a built-in one (mulberry.py, openmoji.py,
listed in symbols.BUILT_IN) or a library's own folder of pictures (own_set)."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import util
from pathlib import Path

OWN_SUFFIXES = (".svg", ".png", ".jpg", ".jpeg", ".gif", ".webp")
SET_NAME = re.compile(r"[a-z][a-z0-9]*")  # a set's name, as written before a colon


def normalize(name: str) -> str:
    """'Worried_Face', ':worried-face:', 'worried face' and "woman’s hat" / "woman's hat" are
    each one name; a set's prefix (`mulberry:`, `ours:`) is kept."""
    text = str(name).strip().strip(":").lower().replace("\u2019", "'").replace("_", " ").replace("-", " ")
    prefix, colon, rest = text.partition(":")
    if colon and SET_NAME.fullmatch(prefix.strip()):
        return f"{prefix.strip()}:{' '.join(rest.split())}"
    return " ".join(text.split())


@dataclass(frozen=True)
class Symbol:
    """One picture of a set: its set, its name as the set gives it, and where it is."""

    set: str
    name: str
    file: str  # in its set's folder (OpenMoji's), a member of Mulberry's zip, or an own set's (its full path)
    grammar: str = ""  # Mulberry's word class: Noun, Verb...
    adult: bool = False  # Mulberry rates it adult: never chosen by a forgiving match
    action: bool = False  # a Mulberry verb ('park_,_to.svg': to park a car), also found as 'to park'
    category: str = ""  # Mulberry's category: 'Descriptive Position', 'Country Flags'...
    # an action whose name finds a thing of its set ('paint', the paint pot), so it is 'to paint';
    # known once its set is read, and no part of what makes it this symbol
    twin: bool = field(default=False, compare=False)

    @property
    def qualified(self) -> str:
        """The name that finds this symbol and no other: 'mulberry:towel', and 'mulberry:to paint'
        for the verb when 'paint' is the paint pot (a thing comes before an action)."""
        return f"{self.set}:{'to ' if self.twin else ''}{self.name}"


def _no_names(language: str) -> dict[str, Symbol]:
    return {}


@dataclass(frozen=True)
class SymbolSet:
    """A set of pictures by name: a built-in one (an entry of symbols.BUILT_IN) or a library's
    own (own_set). Whatever reads, draws, finds or credits a set reads it here, never its name.
    Its functions are module-level ones, not lambdas, so that it pickles (to a worker process)."""

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
    # what a built-in's names are read from, as it stands (its data's version): the key of its
    # name indexes kept on disk (kept.py); None for a set never kept there (an own set)
    version: Callable[[], str] | None = None

    @property
    def own(self) -> bool:
        return self.folder is not None


def own_set(name: str, folder: Path, credit: str) -> SymbolSet:
    """A clinic's own symbols: the pictures in a folder of its library, named by their files."""
    return SymbolSet(name, credit, "", load=own, draw=_file_bytes, folder=folder)


def own(symbol_set: SymbolSet) -> dict[str, Symbol]:
    """Every picture file in an own set's folder, by its name ('hand-wash.png': 'hand wash');
    read again when the folder changes (a file added, removed or renamed)."""
    return _own(symbol_set, changed(symbol_set))


def changed(symbol_set: SymbolSet) -> int:
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


def installed(package: str) -> str:
    """A package's version, as its dist-info folder beside it says it ('emoji-2.16.0.dist-info'),
    read without importing it; else by importlib.metadata (which imports email: 30 ms)."""
    spec = util.find_spec(package)
    beside = sorted(Path(spec.origin).parent.parent.glob(f"{package}-*.dist-info")) if spec and spec.origin else []
    if len(beside) == 1:
        return beside[0].name.removesuffix(".dist-info")
    from importlib import metadata

    return f"{package}-{metadata.version(package)}"
