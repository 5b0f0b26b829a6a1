"""A built-in set's name indexes kept on disk between runs (files.cached): built once for each
version of the set and of the code that builds them, then read back in a fraction of the time
(a check of one story needs both sets' names; building them costs more than the check).

Kept as JSON, checked as it is read: a file that is not what `decoded` expects is built again.
An own set is never kept here: its folder may change, and it is the library's, not storygen's.
"""

from __future__ import annotations

import hashlib
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from .. import __version__, files
from . import words
from .sets import Symbol, SymbolSet

# Raise it when what an index holds, or how it is written, changes.
INDEX_FORMAT = 1

Indexes = tuple[dict[str, Symbol], ...]  # a set's names (its forgiving keys, its names in a language) to their symbols
FIELDS = ("name", "file", "grammar", "adult", "action", "category", "twin")  # a symbol's, but its set's name
KINDS = (str, str, str, bool, bool, str, bool)


def indexes(
    symbol_set: SymbolSet, build: Callable[[], Indexes], builders: tuple[str, ...], what: str = "", count: int = 2
) -> Indexes:
    """A built-in set's count indexes, as build() makes them (what: which, as 'es' for its names
    in Spanish): those kept for its version (symbol_set.version) and for the modules that build
    them (builders, by name: a change to how names are read rebuilds them), else build()'s,
    kept for the next run."""
    assert symbol_set.version is not None, "an own set is never kept"
    key = f"{INDEX_FORMAT} {__version__} {symbol_set.version()} {words.version()} {_code((*builders, symbol_set.load.__module__))}"
    name = "-".join(filter(None, ("names", symbol_set.name, what)))
    return files.cached(name, key, build, _encoded, lambda data: _decoded(symbol_set.name, data, count))


def _code(modules: tuple[str, ...]) -> str:
    """A fingerprint of the modules' source (a third of a millisecond to read)."""
    digest = hashlib.sha256()
    for module in dict.fromkeys(modules):
        try:
            digest.update(Path(str(sys.modules[module].__file__)).read_bytes())
        except OSError:  # no source beside it (a zipped install): storygen's version tells it
            digest.update(module.encode())
    return digest.hexdigest()[:16]


def _encoded(found: Indexes) -> dict[str, Any]:
    """Each symbol once (a row of its fields), and each index's names to its row's number."""
    rows: dict[Symbol, int] = {}
    for index in found:
        for symbol in index.values():
            rows.setdefault(symbol, len(rows))
    return {
        "symbols": [[getattr(symbol, field) for field in FIELDS] for symbol in rows],
        "indexes": [{name: rows[symbol] for name, symbol in index.items()} for index in found],
    }


def _decoded(set_name: str, data: dict[str, Any], count: int) -> Indexes:
    """The count indexes written by _encoded; ValueError (or another of files.DAMAGED) for anything else."""
    symbols = [_symbol(set_name, row) for row in data["symbols"]]
    if type(data["indexes"]) is not list or len(data["indexes"]) != count:
        raise ValueError(f"not a list of {count} indexes")
    return tuple(_index(names, symbols) for names in data["indexes"])


def _symbol(set_name: str, row: list[Any]) -> Symbol:
    if len(row) != len(KINDS) or not all(type(value) is kind for value, kind in zip(row, KINDS, strict=True)):
        raise ValueError(f"not a symbol: {row!r:.80}")
    name, file, grammar, adult, action, category, twin = row
    return Symbol(set_name, name, file, grammar, adult, action, category, twin)


def _index(names: dict[str, int], symbols: list[Symbol]) -> dict[str, Symbol]:
    if not all(type(name) is str and type(row) is int and 0 <= row < len(symbols) for name, row in names.items()):
        raise ValueError("not an index of names to symbols")
    return {name: symbols[row] for name, row in names.items()}
