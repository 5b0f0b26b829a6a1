"""The output folder: the only place a build writes or deletes.

A folder is storygen's when it holds `.storygen/` (made at the start of every build).
storygen writes only `index.html`, `catalog.pdf`, `.storygen/` and `<id>/` folders there,
and refuses a folder that already holds other files, the top of the disk and the home
folder. A build holds `.storygen/lock` from start to end, keeps its scratch files in
`.storygen/tmp-<pid>/`, and first removes what a killed build left behind. A long catalog's
parts are kept, as printed, in `.storygen/catalog/` (KEPT_PARTS), for the next build to reuse.
"""

from __future__ import annotations

import errno
import os
import re
import shutil
import sys
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from ..errors import Problem, StoryError, display_path
from ..files import hold, replace
from ..pages.formats import FORMATS

STORY_ID = re.compile(r"[a-z0-9][a-z0-9_-]*", re.IGNORECASE)
LANGUAGE = re.compile(
    r"[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*"
)  # a translation's folder: <id>/<language>/ (model.language_code)
STATE = ".storygen"  # storygen's own folder: manifest, lock, scratch, catalog key
OWN_ROOT_FILES = ("index.html", "catalog.pdf")
SCRATCH_PREFIX = "tmp-"
KEPT_PARTS = "catalog"  # in .storygen/: the catalog's parts, <key>-<first>-<last>.part
KEPT_PART = re.compile(r"([0-9a-f]{64})-([0-9]{1,7})-([0-9]{1,7})\.part")
LOCK_WAIT = 120.0  # seconds a build waits for another build of the same folder
# Errors that no story can get past: the whole build stops with one message.
FOLDER_ERRNOS = {errno.ENOSPC, errno.EDQUOT, errno.EROFS, errno.EACCES, errno.EPERM}
_TEMPORARY = re.compile(r"\.(.+)\.[a-z0-9_]{8}\.tmp")  # write_atomic's temporary files


class OutputError(Exception):
    """The output folder cannot be used: one message for the whole build."""


def output_names(story_id: str) -> set[str]:
    """Every file name storygen writes in <output>/<id>/ (and in each <id>/<language>/)."""
    return {name for fmt in FORMATS.values() for name in fmt.file_names(story_id)} | set(progress_names(story_id))


def progress_names(story_id: str) -> tuple[str, str]:
    """The progress report's PDF and web page (a child's build only)."""
    return f"{story_id}-progress.pdf", f"{story_id}-progress.html"


def is_output_name(story_id: str, name: str) -> bool:
    """Whether name, relative to <output>/<id>/, is a file storygen writes: `<id>.pdf`, `es/<id>.pdf`."""
    language, _, file = name.rpartition("/")
    return file in output_names(story_id) and (not language or LANGUAGE.fullmatch(language) is not None)


PRIVATE = "private"  # in .storygen/: this folder holds a child's stories (a profile build)


def prepare(output: Path, private: bool = False) -> None:
    """Make sure output is a folder storygen may write into, and mark it as storygen's (and as
    a child's, for a profile build): a child's stories and the shared library's never share one."""
    try:
        _check_folder(output)
        _check_private(output, private)
        (output / STATE).mkdir(parents=True, exist_ok=True)
        if private:
            (output / STATE / PRIVATE).touch()
    except OSError as exc:
        raise OutputError(
            f"cannot make the output folder {display_path(output)}: {exc.strerror}; "
            "choose a folder you can write to with -o"
        ) from None


def _check_folder(output: Path) -> None:
    where, state, resolved = display_path(output), output / STATE, output.resolve()
    top = resolved == Path(resolved.anchor)
    if top or resolved == Path.home().resolve():
        raise OutputError(
            f"{where} is {'the top of the disk' if top else 'your home folder'}; "
            "give storygen a folder of its own for the outputs, like -o build"
        )
    if output.exists() and not output.is_dir():
        raise OutputError(f"{where} is a file, not a folder; choose another output folder with -o")
    if state.is_symlink() or (state.exists() and not state.is_dir()):
        raise OutputError(
            f"{display_path(state)} is not storygen's folder (it is a link or a file); remove it and build again"
        )
    # .storygen/ itself is not counted: another build into the same new folder may make it
    # between the two checks (it then waits for that build's lock).
    if output.is_dir() and not state.is_dir() and any(entry.name != STATE for entry in output.iterdir()):
        raise OutputError(
            f"{where} already holds files that storygen did not write; choose an empty or new "
            f"folder (storygen writes only <id>/, {', '.join(OWN_ROOT_FILES)} and {STATE}/ there)"
        )


def _check_private(output: Path, private: bool) -> None:
    where, state = display_path(output), output / STATE
    if private and state.is_dir() and not (state / PRIVATE).is_file():
        raise OutputError(
            f"{where} holds the shared library's build; a child's stories never go there: "
            "leave out -o (they go to profiles/<child>/build) or give a folder of the child's"
        )
    if not private and (state / PRIVATE).exists():
        raise OutputError(
            f"{where} holds a child's stories (built with --profile); build the shared library into another folder"
        )


@contextmanager
def locked(output: Path, say: Callable[[str], None] = lambda text: print(text, file=sys.stderr)) -> Iterator[None]:
    """Hold <output>/.storygen/lock: builds into the same folder run one after the other
    (the second waits up to LOCK_WAIT seconds, then stops with a message)."""
    try:
        handle = hold(
            output / STATE / "lock",
            LOCK_WAIT,
            lambda: say(f"waiting for another build of {display_path(output)}..."),
            0o644,
        )
    except TimeoutError:
        raise OutputError(
            f"another build of {display_path(output)} is still running; build again when it has finished"
        ) from None
    except OSError as exc:
        raise OutputError(
            f"cannot write in {display_path(output)}: {exc.strerror}; choose a folder you can write to with -o"
        ) from None
    try:
        yield
    finally:
        os.close(handle)  # releases the lock


def clean_leftovers(output: Path) -> None:
    """Remove what a killed build left: scratch folders and write_atomic's temporary files.

    Called under the lock, so no other build is using them. Only storygen's own names go.
    """
    state = output / STATE
    for path in state.iterdir():
        if path.name.startswith(SCRATCH_PREFIX) and path.is_dir() and not path.is_symlink():
            shutil.rmtree(path, ignore_errors=True)
    _remove_temporary(state, {"manifest.json"})
    parts = state / KEPT_PARTS
    if parts.is_dir() and not parts.is_symlink():
        _remove_temporary(parts, {path.name for path in parts.glob(".*.tmp")}, KEPT_PART)
    _remove_temporary(output, set(OWN_ROOT_FILES))
    for folder in output.iterdir():
        if STORY_ID.fullmatch(folder.name) and folder.is_dir() and not folder.is_symlink():
            _remove_temporary(folder, output_names(folder.name))
            for language in folder.iterdir():
                if LANGUAGE.fullmatch(language.name) and language.is_dir() and not language.is_symlink():
                    _remove_temporary(language, output_names(folder.name))


def _remove_temporary(folder: Path, names: set[str], pattern: re.Pattern | None = None) -> None:
    """write_atomic's temporary files in folder for the names given (or any name pattern matches)."""
    for path in folder.glob(".*.tmp"):
        match = _TEMPORARY.fullmatch(path.name)
        ours = match and (pattern.fullmatch(match.group(1)) if pattern else match.group(1) in names)
        if ours and path.is_file() and not path.is_symlink():
            path.unlink(missing_ok=True)


@contextmanager
def scratch_folder(output: Path) -> Iterator[str]:
    """<output>/.storygen/tmp-<pid>: WeasyPrint's font copies, in this process and its workers.

    Inside the output folder, not the system's temporary folder, so that a killed build's
    leftovers are found and removed by the next build (clean_leftovers).
    """
    folder = output / STATE / f"{SCRATCH_PREFIX}{os.getpid()}"
    shutil.rmtree(folder, ignore_errors=True)
    try:
        folder.mkdir()
    except OSError as exc:
        raise OutputError(
            f"cannot write in {display_path(output)}: {exc.strerror}; free some space, or "
            "choose a folder you can write to with -o"
        ) from None
    previous, tempfile.tempdir = tempfile.tempdir, str(folder)
    try:
        yield str(folder)
    finally:
        tempfile.tempdir = previous
        shutil.rmtree(folder, ignore_errors=True)


def story_folder(output: Path, story_id: str, language: str | None = None) -> Path:
    """<output>/<id> (or a translation's <output>/<id>/<language>), made if needed; never a link,
    never outside the output folder."""
    if language is not None:
        parent = story_folder(output, story_id)
        assert LANGUAGE.fullmatch(language), language  # checked by the model
        return _own_folder(parent / language, parent)
    return _own_folder(output / story_id, output)


def relative_link(own: str, page: str, language: str, name: str) -> str:
    """The link from a story's page in one language to its file name in another (or the same):
    the story's own language is in <id>/, a translation in <id>/<language>/ (story_folder)."""
    if language == page:
        return name
    return ("" if page == own else "../") + ("" if language == own else f"{language}/") + name


def _own_folder(folder: Path, parent: Path) -> Path:
    if folder.is_symlink() or not folder.resolve().is_relative_to(parent.resolve()):
        raise StoryError(
            [
                Problem(
                    folder,
                    1,
                    1,
                    "this output folder is a link; storygen never writes through "
                    "a link (it could lead outside the build folder): remove the link",
                )
            ]
        )
    if folder.exists() and not folder.is_dir():
        raise StoryError(
            [
                Problem(
                    folder, 1, 1, "this should be the story's output folder but it is a file; remove it and build again"
                )
            ]
        )
    try:
        folder.mkdir(exist_ok=True)
    except OSError as exc:
        raise _folder_error(folder, exc) from None
    return folder


def write_atomic(target: Path, content: bytes, mode: int = 0o644) -> Path:
    """Write content to target through a temporary file and a rename: never a half-written file."""
    try:
        return replace(target, content, mode)
    except OSError as exc:
        raise _folder_error(target, exc) from None


def _folder_error(path: Path, exc: OSError) -> Exception:
    """A full or read-only output folder stops the build; anything else is this story's problem."""
    if exc.errno in FOLDER_ERRNOS:
        return OutputError(
            f"cannot write {display_path(path)}: {exc.strerror}; free some space, or "
            "choose a folder you can write to with -o"
        )
    return StoryError([Problem(path, 1, 1, f"cannot write this file: {exc.strerror}")])


def disk_full(exc: BaseException) -> OutputError | None:
    """The message that stops the build when exc says the disk is full, wherever it was met."""
    if isinstance(exc, OSError) and exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return OutputError(f"the disk is full ({exc.strerror}); free some space, or choose another folder with -o")
    return None


def removable(output: Path, story_id: str, name: str) -> Path | None:
    """<output>/<id>/<name> (name may be `es/<id>.pdf`) when it is a file storygen wrote there
    and may delete, else None."""
    if not STORY_ID.fullmatch(story_id) or not is_output_name(story_id, name):
        return None
    folder = output / story_id
    path = folder / name
    if folder.is_symlink() or path.parent.is_symlink() or path.is_symlink() or not path.is_file():
        return None
    if path.resolve().parent != output.resolve() / story_id / Path(name).parent:
        return None
    return path


def kept_parts(output: Path) -> dict[str, tuple[Path, int, int]]:
    """The catalog's kept parts: each one's key to its file and its objects' range (first, last);
    made if missing, never through a link."""
    folder = output / STATE / KEPT_PARTS
    if folder.is_symlink() or (folder.exists() and not folder.is_dir()):
        raise OutputError(f"{display_path(folder)} is not storygen's folder (it is a link or a file); remove it")
    try:
        folder.mkdir(exist_ok=True)
    except OSError as exc:
        raise _folder_error(folder, exc) from None
    found = {}
    for path in folder.iterdir():
        match = KEPT_PART.fullmatch(path.name)
        if match and path.is_file() and not path.is_symlink():
            found[match.group(1)] = (path, int(match.group(2)), int(match.group(3)))
    return found


def kept_part_path(output: Path, key: str, first: int, last: int) -> Path:
    return output / STATE / KEPT_PARTS / f"{key}-{first}-{last}.part"


def remove_kept_parts(output: Path, keep: set[Path]) -> None:
    """Remove the catalog's kept parts but those given (those the catalog just written is made of)."""
    if not (output / STATE / KEPT_PARTS).exists():  # none kept: nothing to make or remove
        return
    kept_parts(output)  # the folder checked
    for path in (output / STATE / KEPT_PARTS).iterdir():
        if KEPT_PART.fullmatch(path.name) and path not in keep and path.is_file() and not path.is_symlink():
            path.unlink(missing_ok=True)
