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
from .sets import Symbol, SymbolSet

# Raise it when what an index holds, or how it is written, changes.
INDEX_FORMAT = 1

Indexes = tuple[dict[str, Symbol], dict[str, Symbol]]  # a set's names, and its forgiving keys, to their symbols
FIELDS = ("name", "file", "grammar", "adult", "action", "category", "twin")  # a symbol's, but its set's name
KINDS = (str, str, str, bool, bool, str, bool)


def indexes(symbol_set: SymbolSet, build: Callable[[], Indexes], builders: tuple[str, ...]) -> Indexes:
    """A built-in set's indexes: those kept for its version (symbol_set.version) and for the
    modules that build them (builders, by name: a change to how names are read rebuilds them),
    else build()'s, kept for the next run."""
    assert symbol_set.version is not None, "an own set is never kept"
    key = f"{INDEX_FORMAT} {__version__} {symbol_set.version()} {_code((*builders, symbol_set.load.__module__))}"
    return files.cached(f"names-{symbol_set.name}", key, build, _encoded, lambda data: _decoded(symbol_set.name, data))


def _code(modules: tuple[str, ...]) -> str:
    """A fingerprint of the modules' source (a third of a millisecond to read)."""
    digest = hashlib.sha256()
    for module in dict.fromkeys(modules):
        digest.update(Path(str(sys.modules[module].__file__)).read_bytes())
    return digest.hexdigest()[:16]


def _encoded(found: Indexes) -> dict[str, Any]:
    """Each symbol once (a row of its fields), and each index's names to its row's number."""
    rows: dict[Symbol, int] = {}
    for symbol in (*found[0].values(), *found[1].values()):
        rows.setdefault(symbol, len(rows))
    return {
        "symbols": [[getattr(symbol, field) for field in FIELDS] for symbol in rows],
        "names": {name: rows[symbol] for name, symbol in found[0].items()},
        "loose": {name: rows[symbol] for name, symbol in found[1].items()},
    }


def _decoded(set_name: str, data: dict[str, Any]) -> Indexes:
    """The indexes written by _encoded; ValueError (or another of files.DAMAGED) for anything else."""
    symbols = [_symbol(set_name, row) for row in data["symbols"]]
    return _index(data["names"], symbols), _index(data["loose"], symbols)


def _symbol(set_name: str, row: list[Any]) -> Symbol:
    if len(row) != len(KINDS) or not all(type(value) is kind for value, kind in zip(row, KINDS, strict=True)):
        raise ValueError(f"not a symbol: {row!r:.80}")
    name, file, grammar, adult, action, category, twin = row
    return Symbol(set_name, name, file, grammar, adult, action, category, twin)


def _index(names: dict[str, int], symbols: list[Symbol]) -> dict[str, Symbol]:
    if not all(type(name) is str and type(row) is int and 0 <= row < len(symbols) for name, row in names.items()):
        raise ValueError("not an index of names to symbols")
    return {name: symbols[row] for name, row in names.items()}
