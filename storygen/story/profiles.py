"""Children's profiles: `profiles/<child>/` in a library, a real folder with no link on the way,
its profile.yaml read and its photos checked, its lock, and whether git keeps it out of the repo."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from itertools import islice
from pathlib import Path
from typing import TYPE_CHECKING

from .. import files
from ..errors import Problem, StoryError
from ..pictures import images
from .load import load_source, validate_as

if TYPE_CHECKING:  # the model imports pydantic; loading a file alone need not
    from .model import Profile

PROFILES = "profiles"  # a library's children's profiles: never read as stories, read only when asked for


PROFILE_LOCK_WAIT = 30.0  # seconds: another record holds a profile's lock for a few milliseconds


def profile_folder(folder: Path) -> Path:
    """A child's profile folder, checked (profile_problems) and written without `..`: StoryError else."""
    if problems := profile_problems(folder):
        raise StoryError(problems)
    return Path(os.path.abspath(folder))


def profile_problems(folder: Path) -> list[Problem]:
    """Why a folder is not a child's profile folder storygen may read or write: it must be
    <library>/profiles/<child> (the library holds storygen.yaml), with no link on the way nor in
    it (profile.yaml, data/ and its files, build/). A link could lead out of the library, or into
    a folder git shares: a child's data never leaves. The folder itself need not exist yet."""
    folder = Path(os.path.abspath(folder))  # `..` resolved in the path as written, links not followed
    profiles, library = folder.parent, folder.parent.parent
    for path in (profiles, folder, *_profile_contents(folder)):
        if path.is_symlink():
            hint = (
                "storygen keeps a child's data only in real folders inside the library, never through a link "
                "that could lead out of it or into a folder git shares: replace the link with the real folder or file"
            )
            return [Problem(path, 1, 1, f"this is a link (to {os.readlink(path)})", hint=hint)]
    if profiles.name != PROFILES:
        message = f"a child's profile must be in the library's {PROFILES}/ folder: give {PROFILES}/<child>"
        return [Problem(folder, 1, 1, message)]
    if not (library / "storygen.yaml").is_file():
        message = f"there is no storygen.yaml here: a child's profile must be in the library's {PROFILES}/ folder"
        hint = "run storygen in a library (`storygen init` makes one)"
        return [Problem(library / "storygen.yaml", 1, 1, message, hint=hint)]
    message, hint = "this should be a folder of the child's profile but it is a file", "remove it or move it away"
    return [
        Problem(path, 1, 1, message, hint=hint)
        for path in (profiles, folder, folder / "data", folder / "build")
        if path.exists() and not path.is_dir()
    ]


@contextmanager
def profile_locked(folder: Path) -> Iterator[None]:
    """Hold the child's profile lock, <folder>/.lock (the owner's only): what changes a profile's
    files (profile new, record) runs one at a time, each reading, checking and writing before the
    next reads. OSError when it cannot be had (TimeoutError after PROFILE_LOCK_WAIT seconds)."""
    handle = files.hold(Path(folder) / ".lock", PROFILE_LOCK_WAIT)
    try:
        yield
    finally:
        os.close(handle)  # lets go of the lock


def _profile_contents(folder: Path) -> Iterator[Path]:
    """What of a profile folder storygen reads or writes: none of it may be a link."""
    yield from (folder / name for name in ("profile.yaml", "data", "build", ".lock"))
    data = folder / "data"
    if data.is_dir() and not data.is_symlink():
        yield from sorted(data.iterdir())


def read_profile(folder: Path) -> tuple[Profile, dict[str, Path]]:
    """A child's profile (<folder>/profile.yaml) and its pictures, each a picture storygen will
    use inside the profile's folder (a child's photos stay in it): StoryError, positioned, else."""
    from .model import Profile

    folder = profile_folder(folder)
    path = folder / "profile.yaml"
    if not path.is_file():
        hint = "start one with `storygen profile new <child>`"
        raise StoryError([Problem(path, 1, 1, "there is no profile.yaml here", hint=hint)])
    source = load_source(path, folder)
    profile = validate_as(source, Profile)
    root, pictures, problems = folder.resolve(), {}, []
    for name, picture in profile.pictures.items():
        where = ("pictures", name)
        if not (root / picture).resolve().is_relative_to(root):
            message = f"picture '{name}': '{picture}' is outside the profile's folder"
            problems.append(source.problem(where, message, hint=f"keep the child's photos in {folder}"))
            continue
        try:
            pictures[name] = images.story_picture(picture, root, root)
        except images.PictureError as error:
            problems.append(source.problem(where, f"picture '{name}': '{picture}' {error.what}", hint=error.hint))
    if problems:
        raise StoryError(problems)
    return profile, pictures


def profiles_ignored(library: Path) -> bool:
    """Whether the library keeps its children's profiles (profiles/) out of its git repository:
    asked of git when the library is in one, else read from the library's .gitignore."""
    if (Path(library) / PROFILES).is_symlink():  # git shares the link, and what it leads to is not profiles/
        return False
    told = _git_ignores_profiles(Path(library))
    return _gitignore_names_profiles(Path(library)) if told is None else told


def _git_ignores_profiles(library: Path) -> bool | None:
    """Whether git ignores every file in profiles/, and one a new profile would add: git reads
    every .gitignore (`!profiles/` undoes `profiles/`) and says a tracked file is not ignored,
    since git shares it anyway. None when git cannot say (not installed, not a repository)."""
    folder = library / PROFILES
    found = folder.rglob("*") if folder.is_dir() and not folder.is_symlink() else iter(())
    names = [f"{PROFILES}/child/profile.yaml", *(p.relative_to(library).as_posix() for p in islice(found, 5000))]
    try:
        asked = subprocess.run(
            ["git", "-C", str(library), "check-ignore", "--stdin", "-z"],
            input="".join(f"{name}\0" for name in names),
            capture_output=True,
            text=True,
            timeout=30,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    if asked.returncode not in (0, 1):  # 128: not a repository, or git refuses it
        return None
    return set(names) <= set(asked.stdout.split("\0"))


def _gitignore_names_profiles(library: Path) -> bool:
    """Whether the library's .gitignore has a line for profiles/ (`!` lines are not read)."""
    try:
        lines = (library / ".gitignore").read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return False
    return any(line.strip().strip("/").rstrip("*").rstrip("/") == PROFILES for line in lines)
