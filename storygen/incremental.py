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
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Iterable, Optional

from . import __version__

MANIFEST = Path(".storygen") / "manifest.json"
FORMAT_VERSION = 1


def file_hash(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _tree_hash(folder: Path, pattern: str = "*") -> str:
    digest = hashlib.sha256()
    if folder.is_dir():
        for path in sorted(p for p in folder.rglob(pattern) if p.is_file() and "__pycache__" not in p.parts):
            digest.update(path.relative_to(folder).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


@lru_cache(maxsize=1)
def _storygen_hash() -> str:
    """storygen itself: its version, its code and its built-in templates."""
    from .render import templates_folder

    package = Path(__file__).parent
    return hashlib.sha256(f"{__version__}\0{_tree_hash(package, '*.py')}\0{_tree_hash(templates_folder())}"
                          .encode()).hexdigest()


def shared_key(library: Path, paper: str, formats: Iterable[str]) -> str:
    """The fingerprint of what every story of a library shares."""
    settings = library / "storygen.yaml"
    parts = [_storygen_hash(), _tree_hash(library / "templates"),
             file_hash(settings) if settings.is_file() else "", paper, ",".join(formats)]
    return hashlib.sha256("\0".join(parts).encode()).hexdigest()


@dataclass
class Entry:
    """What the manifest remembers of one story's last successful build."""

    source: str                       # the story file, relative to the output folder
    key: str                          # shared_key() then
    story: str                        # content hash of the story file
    files: dict[str, list] = field(default_factory=dict)  # used file -> [size, mtime_ns, hash]
    outputs: list[str] = field(default_factory=list)      # file names in output/<id>/
    problems: list[dict] = field(default_factory=list)    # warnings to repeat when skipped
    about: dict = field(default_factory=dict)             # title, kind, tags... for the catalog


class Manifest:
    """build/.storygen/manifest.json: the last successful build of each story, by id."""

    def __init__(self, output: Path):
        self.output = Path(output)
        self.path = self.output / MANIFEST
        self.entries: dict[str, Entry] = {}
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
            if data.get("version") == FORMAT_VERSION:
                self.entries = {key: Entry(**value) for key, value in data["stories"].items()}
        except (OSError, ValueError, TypeError, KeyError):
            pass  # no manifest, or an unreadable one: everything is rebuilt

    def relative(self, path: Path) -> str:
        return os.path.relpath(Path(path).resolve(), self.output.resolve())

    def absolute(self, relative: str) -> Path:
        return (self.output / relative).resolve()

    def up_to_date(self, story_id: str, source: Path, key: str) -> Optional[Entry]:
        """The entry of a story whose last build still holds, else None."""
        entry = self.entries.get(story_id)
        if (entry is None or entry.key != key or entry.source != self.relative(source)
                or entry.story != file_hash(source)):
            return None
        folder = self.output / story_id
        if not all((folder / name).is_file() for name in entry.outputs):
            return None
        for name, (size, mtime, digest) in entry.files.items():
            path = self.absolute(name)
            try:
                stat = path.stat()
            except OSError:
                return None
            if (stat.st_size, stat.st_mtime_ns) != (size, mtime) and file_hash(path) != digest:
                return None
        return entry

    def record(self, story_id: str, source: Path, key: str, used: Iterable[Path], outputs: Iterable[Path],
               problems: list[dict], about: dict) -> None:
        files = {}
        for path in used:
            stat = Path(path).stat()
            files[self.relative(path)] = [stat.st_size, stat.st_mtime_ns, file_hash(path)]
        if "image" in about.get("cover", {}):  # no local paths kept: relative to the output folder
            about = {**about, "cover": {"image": self.relative(about["cover"]["image"])}}
        names = [Path(p).name for p in outputs]
        previous = self.entries.get(story_id)
        if previous and previous.source == self.relative(source):  # outputs of other kinds made before stay listed
            names += [n for n in previous.outputs if n not in names and (self.output / story_id / n).is_file()]
        self.entries[story_id] = Entry(self.relative(source), key, file_hash(source), files, names, problems, about)

    def stale(self) -> list[str]:
        """Ids of stories whose story file is gone."""
        return [story_id for story_id, entry in self.entries.items() if not self.absolute(entry.source).is_file()]

    def save(self) -> None:
        from .build import write_atomic

        self.path.parent.mkdir(parents=True, exist_ok=True)
        data = {"version": FORMAT_VERSION, "stories": {k: vars(v) for k, v in sorted(self.entries.items())}}
        write_atomic(self.path, json.dumps(data, indent=1).encode("utf-8"))
