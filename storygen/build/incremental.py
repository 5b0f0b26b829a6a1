"""Incremental builds: rebuild a story only when something it is made from has changed.

A story is up to date when the manifest written by the last build holds the same
fingerprint: the content hash of the story file and of every file it uses (photos,
drawings), and a key for everything shared (storygen's code and version, the
templates, the library's settings, the paper and the output kinds). Content hashes of
large files are reused while their size and modification time stay the same, so a
rebuild with nothing changed reads only the story files.
"""

from __future__ import annotations

import hashlib
import json
import os
import stat as stat_kind
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, StrictInt, StrictStr, ValidationError, with_config
from typing_extensions import TypedDict  # pydantic needs it on Python < 3.12

from .. import PACKAGE, __version__
from ..pages.assets import templates_folder
from ..pictures import symbols
from ..story.settings import find_library
from .output import STORY_ID, is_output_name, write_atomic

MANIFEST = Path(".storygen") / "manifest.json"
FORMAT_VERSION = 1


def file_hash(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _tree_hash(folder: Path, pattern: str = "*", inside: Path | None = None) -> str:
    """The hash of every file under folder; a file that links outside `inside` counts by where
    it leads, unread (a library's templates: the build refuses such a file anyway)."""
    digest = hashlib.sha256()
    if folder.is_dir():
        for path in sorted(p for p in folder.rglob(pattern) if p.is_file() and "__pycache__" not in p.parts):
            outside = inside is not None and not path.resolve().is_relative_to(inside.resolve())
            content = f"links to {path.resolve()}".encode() if outside else _content(path)
            digest.update(path.relative_to(folder).as_posix().encode() + b"\0" + content)
    return digest.hexdigest()


def _names_hash(folder: Path) -> str:
    try:
        return hashlib.sha256("\0".join(sorted(os.listdir(folder))).encode()).hexdigest()
    except OSError:
        return ""


def _content(path: Path) -> bytes:
    """A file's bytes; for an unreadable file, bytes that never match again (the build reports it)."""
    try:
        return path.read_bytes()
    except OSError:
        return os.urandom(16)


@lru_cache(maxsize=1)
def storygen_hash() -> str:
    """storygen itself: its version, its code, its catalogs and its built-in templates."""

    package = PACKAGE
    return hashlib.sha256(
        f"{__version__}\0{_tree_hash(package, '*.py')}\0{_tree_hash(package / 'locale')}\0{_tree_hash(templates_folder())}".encode()
    ).hexdigest()


def shared_key(
    library: Path,
    paper: str,
    formats: Iterable[str],
    symbol_sets: Iterable[symbols.SymbolSet] = (),
    languages: Iterable[str] | None = None,
    profile: Path | None = None,
    shown: Iterable[Path] = (),
) -> str:
    """The fingerprint of what every story of a library shares (the languages built too, and the
    child's profile.yaml in a profile build), its own symbol sets' names too: a picture added
    to one may become a page's automatic choice; and the files every page shows (the branding's
    logo), by content."""
    settings = library / "storygen.yaml"
    folders = [s.folder for s in symbol_sets if s.folder]  # own sets'
    parts = [
        *(_names_hash(folder) for folder in folders),
        storygen_hash(),
        _tree_hash(library / "templates", inside=library),
        _tree_hash(library / "locale", inside=library),  # its own catalogs (i18n.library_catalogs)
        hashlib.sha256(_content(settings)).hexdigest() if settings.is_file() else "",
        paper,
        ",".join(formats),
        ",".join(languages) if languages else "*",
        hashlib.sha256(_content(Path(profile) / "profile.yaml")).hexdigest() if profile else "",
        *(hashlib.sha256(_content(Path(path))).hexdigest() for path in shown),
    ]
    return hashlib.sha256("\0".join(parts).encode()).hexdigest()


@with_config(ConfigDict(extra="forbid"))
class _Problem(TypedDict):
    line: StrictInt
    col: StrictInt
    message: StrictStr
    severity: StrictStr
    hint: StrictStr | None


@with_config(ConfigDict(extra="forbid"))
class _Cover(TypedDict, total=False):
    symbol: StrictStr
    image: StrictStr  # relative to the output folder
    credit: StrictStr  # of an own set's symbol, shown as an image


@with_config(ConfigDict(extra="forbid"))
class _About(TypedDict, total=False):
    title: StrictStr
    kind: StrictStr
    tags: list[StrictStr]
    age: StrictStr | None
    steps: StrictInt
    library: StrictStr | None
    cover: _Cover
    languages: list[StrictStr]  # its own, then its translations'
    titles: dict[StrictStr, StrictStr]  # the translations' titles, by language


class Entry(BaseModel):
    """What the manifest remembers of one story's last successful build (checked when read:
    a manifest is a file in the build folder, and anyone may have edited it)."""

    model_config = ConfigDict(extra="forbid")

    source: StrictStr  # the story file, relative to the output folder
    key: StrictStr  # shared_key() then
    story: StrictStr  # content hash of the story file
    files: dict[StrictStr, tuple[StrictInt, StrictInt, StrictStr]] = Field(default_factory=dict)  # size, mtime_ns, hash
    outputs: list[StrictStr] = Field(default_factory=list)  # file names in output/<id>/: <id>.pdf, es/<id>.pdf
    problems: list[_Problem] = Field(default_factory=list)  # warnings to repeat when skipped
    about: _About = Field(default_factory=lambda: _About())  # title, kind, tags... for the catalog


def _read_entries(path: Path) -> dict[str, Entry]:
    """The manifest's entries of the right shape; any other entry (or manifest) is dropped,
    so what it described is simply built again."""
    if path.is_symlink() or not path.is_file():  # never read through a link, or a device named manifest.json
        return {}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError, RecursionError):
        return {}
    if not isinstance(data, dict) or data.get("version") != FORMAT_VERSION or not isinstance(data.get("stories"), dict):
        return {}
    entries = {}
    for story_id, value in data["stories"].items():
        try:
            entry = Entry.model_validate(value)
        except ValidationError:
            continue
        if STORY_ID.fullmatch(story_id) and all(is_output_name(story_id, name) for name in entry.outputs):
            entries[story_id] = entry
    return entries


class Manifest:
    """build/.storygen/manifest.json: the last successful build of each story, by id."""

    def __init__(self, output: Path):
        self.output = Path(output)
        self.path = self.output / MANIFEST
        self.root = self.output.resolve()  # once: relative() runs for every story
        self.entries: dict[str, Entry] = _read_entries(self.path)  # none: everything is rebuilt

    def relative(self, path: Path) -> str:
        return os.path.relpath(Path(path).resolve(), self.root)

    def absolute(self, relative: str) -> Path:
        return (self.output / relative).resolve()

    def up_to_date(self, story_id: str, source: Path, key: str) -> Entry | None:
        """The entry of a story whose last build still holds, else None."""
        entry = self.entries.get(story_id)
        if entry is None or entry.key != key or entry.source != self.relative(source):
            return None
        folder = self.output / story_id
        if not all((folder / name).is_file() for name in entry.outputs):
            return None
        try:  # an unreadable file is not up to date: building it says what is wrong
            if entry.story != file_hash(source):
                return None
            library = find_library(source).resolve() if entry.files else None
            for name, (size, mtime, digest) in entry.files.items():
                path = self.absolute(name)
                if library is None or not path.is_relative_to(
                    library
                ):  # a hand-edited manifest: storygen reads only the library
                    return None
                stat = path.stat()
                if not stat_kind.S_ISREG(stat.st_mode):  # never hash a device or a pipe named by the manifest
                    return None
                if (stat.st_size, stat.st_mtime_ns) != (size, mtime) and file_hash(path) != digest:
                    return None
        except OSError:
            return None
        return entry

    def record(
        self,
        story_id: str,
        source: Path,
        key: str,
        used: Iterable[Path],
        outputs: Iterable[Path],
        problems: list[dict],
        about: dict,
    ) -> list[str]:
        """Remember a story's build; returns the outputs of the last build that it no longer has
        (those of a translation taken out of the story), for the caller to remove."""
        files = {}
        for path in used:
            stat = Path(path).stat()
            files[self.relative(path)] = [stat.st_size, stat.st_mtime_ns, file_hash(path)]
        if "image" in about.get("cover", {}):  # no local paths kept: relative to the output folder
            about = {**about, "cover": {**about["cover"], "image": self.relative(about["cover"]["image"])}}
        names = [Path(p).relative_to(self.output / story_id).as_posix() for p in outputs]
        previous, gone = self.entries.get(story_id), []
        if previous and previous.source == self.relative(source):  # outputs of other kinds made before stay listed
            languages = about.get("languages", [])
            kept = [n for n in previous.outputs if n not in names and (self.output / story_id / n).is_file()]
            gone = [n for n in kept if "/" in n and n.split("/")[0] not in languages]
            names += [n for n in kept if n not in gone]
        self.entries[story_id] = Entry(
            source=self.relative(source),
            key=key,
            story=file_hash(source),
            files=files,
            outputs=names,
            problems=problems,
            about=about,
        )
        return gone

    def stale(self) -> list[str]:
        """Ids of stories whose story file is gone."""
        return [story_id for story_id, entry in self.entries.items() if not (self.output / entry.source).is_file()]

    def save(self) -> None:
        data = {"version": FORMAT_VERSION, "stories": {k: v.model_dump() for k, v in sorted(self.entries.items())}}
        write_atomic(self.path, json.dumps(data, indent=1).encode("utf-8"))
