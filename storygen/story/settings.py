"""A library as stories are read in it: where its stories are, its storygen.yaml settings, its
symbol sets in order (its own folders resolved inside it)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from .. import i18n
from ..errors import Problem, StoryError
from ..pictures import symbols
from .load import load_source, validate_as
from .profiles import PROFILES

if TYPE_CHECKING:  # the model imports pydantic; loading a file alone need not
    from .model import Settings

STORY_SUFFIXES = {".yaml", ".yml"}


def symbol_sets(settings: Settings, library: Path) -> tuple[symbols.SymbolSet, ...]:
    """The library's symbol sets in order of preference, its own folders resolved; a folder
    that leads outside the library is left out (read_settings reports it)."""
    root, sets = Path(library).resolve(), list[symbols.SymbolSet]()
    for symbol_set in settings.symbol_sets:
        if isinstance(symbol_set, str):
            sets.append(symbol_set)
        elif (folder := (root / symbol_set.folder).resolve()).is_relative_to(root):
            sets.append(symbols.OwnSet(str(symbol_set.name), folder, symbol_set.credit))
    return tuple(sets)


def read_settings(library: Path) -> Settings:
    """The library's storygen.yaml, or the defaults when it has none."""
    from .model import Settings

    path = Path(library) / "storygen.yaml"
    if not path.is_file():
        return Settings()
    source = load_source(path, library)
    settings, root = validate_as(source, Settings), Path(library).resolve()
    problems = []
    for i, symbol_set in enumerate(settings.symbol_sets):
        if isinstance(symbol_set, str):
            continue
        folder = (root / symbol_set.folder).resolve()
        if not folder.is_relative_to(root) or not folder.is_dir():
            why = "leads outside the library" if not folder.is_relative_to(root) else "is not a folder of the library"
            message = f"symbol set '{symbol_set.name}': folder '{symbol_set.folder}' {why}; give a folder of pictures inside the library, like assets/symbols"
            problems.append(source.problem(("symbol_sets", i, "folder"), message))
    for language, labels in settings.labels.items():
        problems += [
            source.problem(("labels", language, key), f"labels: {wrong}", at_key=True)
            for key, words in labels.items()
            if (wrong := i18n.label_problem(key, words))
        ]
    if problems:
        raise StoryError(problems)
    return settings


def starter_text(library: Path) -> list[Problem]:
    """A warning for each of `clinic` and `contact` in the library's storygen.yaml still holding
    what `storygen init` wrote: the family guides leave it out."""
    from .model import STARTER_TEXT

    path = Path(library) / "storygen.yaml"
    if not path.is_file():
        return []
    source = load_source(path, library)
    data = source.data if isinstance(source.data, dict) else {}
    return [
        source.problem(
            (key,),
            f"`{key}` is still the starter text, so the family guides leave it out; "
            f"write your {'clinic or practice' if key == 'clinic' else 'name and how families reach you'}, or remove it",
            severity="warning",
        )
        for key, text in STARTER_TEXT.items()
        if str(data.get(key) or "").strip() == text
    ]


def find_stories(paths: Iterable[Path]) -> Iterator[Path | Problem]:
    """Story files under the given files and folders, in a stable order; a Problem for a path
    that is not there, or for a story file in a folder that links to a file outside it."""
    for path in map(Path, paths):
        if path.is_dir():
            root = path.resolve()
            for story in sorted(
                p
                for p in path.rglob("*")
                if p.suffix in STORY_SUFFIXES
                and p.is_file()
                and p.name != "storygen.yaml"
                and not any(part.startswith(".") or part == PROFILES for part in p.relative_to(path).parts)
            ):
                if story.resolve().is_relative_to(root):
                    yield story
                else:
                    yield Problem(
                        story,
                        1,
                        1,
                        "this story file links to a file outside its folder; "
                        "copy the story into the library instead of linking to it",
                    )
        elif path.is_file():
            yield path
        else:
            yield Problem(path, 1, 1, "no such file or folder; give a story file or a folder of stories")


def story_by_id(library: Path, story_id: str) -> Path:
    """The story file of a library with this id; StoryError, naming the close ones, when none."""
    found = {path.stem: path for path in find_stories([library]) if isinstance(path, Path)}
    if story_id in found:
        return found[story_id]
    from ..errors import did_you_mean

    hint = did_you_mean(story_id, found) or f"; its stories are {', '.join(sorted(found)) or 'none yet'}"
    raise StoryError([Problem(Path(library), 1, 1, f"the library has no story '{story_id}'{hint}")])


def find_library(story: Path) -> Path:
    """The library a story belongs to: the nearest folder up with storygen.yaml, else its own folder."""
    folder = Path(story).resolve().parent
    for candidate in (folder, *folder.parents):
        if (candidate / "storygen.yaml").is_file():
            return candidate
    return folder
