"""pyphen's hyphenation dictionaries, whose breaks tell a word's syllables (readability.py):
each loaded once a process, when a rule first needs it, its patterns kept in the cache folder
between runs (files.cached): parsing English's 11,000 patterns costs 50 ms, reading them back
a third of that.

Kept as JSON, checked as read (anything else is parsed again); a dictionary pyphen reads into
more than plain patterns (a nonstandard break's data) is never kept.
"""

from __future__ import annotations

from functools import lru_cache
from itertools import chain
from pathlib import Path
from typing import Any

from .. import files

FORMAT = 1  # of the patterns kept: raise it when what they hold changes
HYPH_DICT = {"patterns", "cache", "maxlen"}  # what pyphen's HyphDict holds, as kept


@lru_cache(maxsize=8)
def hyphenator(dictionary: str) -> Any:
    """pyphen's hyphenator for a dictionary ('en_US'), its patterns read back when kept."""
    import pyphen  # ships with WeasyPrint; unlike textstat it needs no download at run time

    path = pyphen.LANGUAGES.get(pyphen.language_fallback(dictionary) or "")
    if isinstance(path, Path) and path not in pyphen.hdcache:  # pyphen's own cache, by the file
        pyphen.hdcache[path] = _kept(pyphen, path)
    return pyphen.Pyphen(lang=dictionary)


def _kept(pyphen: Any, path: Path) -> Any:
    found = path.stat()
    key = f"{FORMAT} pyphen {pyphen.__version__} {path.name} {found.st_size} {found.st_mtime_ns}"
    return files.cached(
        f"hyphenation-{path.stem}",
        key,
        lambda: pyphen.HyphDict(path),
        _encoded,
        lambda data: _decoded(pyphen.HyphDict, data),
    )


def _encoded(parsed: Any) -> dict[str, list[int]]:
    """Each pattern to its offset and values; ValueError (not kept) for a dictionary of more."""
    plain = all(type(value) is int for _, values in parsed.patterns.values() for value in values)
    if set(vars(parsed)) != HYPH_DICT or not plain:
        raise ValueError("not plain patterns")
    return {pattern: [offset, *values] for pattern, (offset, values) in parsed.patterns.items()}


def _decoded(kind: type, data: dict[str, list[int]]) -> Any:
    """The dictionary _encoded wrote, as pyphen parses it; ValueError (or another of
    files.DAMAGED) for anything else. Checked whole, not pattern by pattern: 3 ms, not 15."""
    numbers = set(map(type, chain.from_iterable(data.values())))  # a value that is no list fails here
    if set(map(type, data)) != {str} or numbers != {int} or min(map(len, data.values())) < 2:
        raise ValueError("not hyphenation patterns")
    parsed: Any = object.__new__(kind)  # without its __init__, which would parse the file again
    parsed.patterns = {pattern: (numbers[0], tuple(numbers[1:])) for pattern, numbers in data.items()}
    parsed.cache, parsed.maxlen = {}, max(map(len, data))
    return parsed
