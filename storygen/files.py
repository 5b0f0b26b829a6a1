"""Files: read from a library through the descriptor that was checked, never again by their
path; written whole or not at all; locked while one process changes them; and the user's cache
folder, where storygen keeps what it computes from its own data between runs (`cached`).

A library is a folder someone shares. Checking a file's path (inside the library, a regular
file) and then opening it by that path leaves a moment to swap it for a link to a file outside:
in a loop, the outside file gets read. `read` opens the real path one folder at a time from the
top, following no link (O_NOFOLLOW), so a link put there after the check makes the open fail,
and checks and reads the file through that one descriptor.
"""

from __future__ import annotations

import errno
import json
import os
import stat
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

FOLDER = os.O_RDONLY | getattr(os, "O_DIRECTORY", 0) | getattr(os, "O_CLOEXEC", 0)
FILE = os.O_RDONLY | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_NONBLOCK", 0)  # a FIFO must not block the open
NO_LINK = getattr(os, "O_NOFOLLOW", 0)
REFUSED = {errno.ELOOP, errno.ENOTDIR, errno.EMLINK}  # an open that met a link (or a file for a folder)


class Outside(ValueError):
    """The file's real path is not inside the folder it must be in (a link leads out)."""


class NotAFile(ValueError):
    """Missing, a folder, a device or a FIFO: storygen reads only regular files."""


class TooLarge(ValueError):
    def __init__(self, size: int):
        super().__init__(f"{size} bytes")
        self.size = size


def read(path: Path, root: Path | None, most: int) -> bytes:
    """The bytes of the regular file at path, at most `most` of them, read through a descriptor
    whose path held no link when opened. With a root, path may hold links (a library may link
    inside itself): its real path must lie inside root. Without one, path must hold none."""
    real = Path(path).resolve() if root is not None else Path(os.path.abspath(path))
    if root is not None and not real.is_relative_to(Path(root).resolve()):
        raise Outside(str(path))
    try:
        handle = _open_unlinked(real)
    except (FileNotFoundError, NotADirectoryError):
        raise NotAFile(str(path)) from None
    except OSError as error:
        if error.errno == errno.ELOOP:  # a link put on the way after the check
            raise Outside(str(path)) from None
        raise
    with os.fdopen(handle, "rb") as stream:
        found = os.fstat(stream.fileno())
        if not stat.S_ISREG(found.st_mode):
            raise NotAFile(str(path))
        if found.st_size > most:
            raise TooLarge(found.st_size)
        content = stream.read(most + 1)
    if len(content) > most:  # grown since fstat
        raise TooLarge(len(content))
    return content


def _open_unlinked(real: Path) -> int:
    """A descriptor of the file at real (an absolute path), each folder on the way opened inside
    the one before, none of them, nor the file, a link."""
    if os.open not in os.supports_dir_fd or not NO_LINK:  # Windows: open, then check it is what lies there
        handle = os.open(real, FILE | getattr(os, "O_BINARY", 0))
        there = os.lstat(real)
        if stat.S_ISLNK(there.st_mode) or not os.path.samestat(os.fstat(handle), there):
            os.close(handle)
            raise OSError(errno.ELOOP, "the file was swapped for a link", str(real))
        return handle
    folder = os.open(real.anchor, FOLDER)
    try:
        for name in real.parts[1:-1]:
            inner = _open_in(folder, name, FOLDER)
            os.close(folder)
            folder = inner
        return _open_in(folder, real.name, FILE)
    finally:
        os.close(folder)


def _open_in(folder: int, name: str, flags: int) -> int:
    """name opened in folder, not following a link: OSError ELOOP when it is one (Linux says
    ENOTDIR for a link opened as a folder, as for a file)."""
    try:
        return os.open(name, flags | NO_LINK, dir_fd=folder)
    except OSError as error:
        if error.errno in REFUSED and stat.S_ISLNK(os.stat(name, dir_fd=folder, follow_symlinks=False).st_mode):
            raise OSError(errno.ELOOP, "a link is on the way", name) from None
        raise


def replace(target: Path, content: bytes, mode: int = 0o644) -> Path:
    """Write content to target through a temporary file and a rename (never a half-written file,
    no temporary file left); OSError as it is, for the caller to say what it means."""
    temporary = None
    try:
        handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
        with os.fdopen(handle, "wb") as stream:
            stream.write(content)
        os.chmod(temporary, mode)
        os.replace(temporary, target)
    except BaseException:
        if temporary:
            Path(temporary).unlink(missing_ok=True)
        raise
    return target


def hold(path: Path, wait: float, waiting: Callable[[], None] = lambda: None, mode: int = 0o600) -> int:
    """An open handle on the lock file path (made with mode, never through a link), locked for
    this process alone: close it to let go. Another holder is waited for (waiting is called
    once) up to wait seconds, then TimeoutError; OSError when the file cannot be opened."""
    handle = os.open(path, os.O_RDWR | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0), mode)
    try:
        deadline, said = time.monotonic() + wait, False
        while not _try_lock(handle):
            if time.monotonic() > deadline:
                raise TimeoutError(errno.ETIMEDOUT, f"another storygen held it for over {wait:.0f} seconds", str(path))
            if not said:
                waiting()
                said = True
            time.sleep(0.05)
    except BaseException:
        os.close(handle)
        raise
    return handle


def _try_lock(handle: int) -> bool:
    if sys.platform == "win32":
        import msvcrt

        try:
            msvcrt.locking(handle, msvcrt.LK_NBLCK, 1)
            return True
        except OSError:
            return False
    import fcntl

    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    except OSError as exc:
        if exc.errno in (errno.ENOLCK, errno.EOPNOTSUPP, errno.ENOSYS):
            return True  # a file system without locks: build unlocked, as storygen did before
        raise
    return True


# -- the cache folder --------------------------------------------------------------------------
# What storygen computes from its own data (the symbol sets' name indexes, hyphenation patterns),
# kept between runs so that a check starts quickly: never a child's data, nor a library's.

T = TypeVar("T")
CACHE_MOST = 32 * 1024 * 1024  # bytes: a kept index is about one megabyte; a larger file is not one
DAMAGED = (ValueError, TypeError, KeyError, IndexError, AttributeError, RecursionError)  # what bad JSON raises


def cache_folder() -> Path | None:
    """$STORYGEN_CACHE, else $XDG_CACHE_HOME/storygen, else ~/.cache/storygen; None without a home."""
    if os.environ.get("STORYGEN_CACHE"):
        return Path(os.environ["STORYGEN_CACHE"]).absolute()
    xdg = os.environ.get("XDG_CACHE_HOME", "")
    try:  # the XDG spec: a relative path is invalid, and ignored
        return (Path(xdg) if os.path.isabs(xdg) else Path.home() / ".cache") / "storygen"
    except RuntimeError:  # no home folder to be found
        return None


def cached(name: str, key: str, build: Callable[[], T], encode: Callable[[T], Any], decode: Callable[[Any], T]) -> T:
    """build()'s value, kept in the cache folder as JSON (`name`.json, encode) and read back
    (decode) while its key is the same. A file missing, of another key, unreadable or not what
    decode expects (it raises one of DAMAGED) is built again; one that cannot be written is not
    kept, silently: storygen works as it did without it."""
    folder = cache_folder()
    if folder is None:
        return build()
    path = folder / f"{name}.json"
    try:  # through a descriptor, at most CACHE_MOST bytes, a link leading out of the folder refused
        kept = json.loads(read(path, folder, CACHE_MOST))
        if isinstance(kept, dict) and kept.get("key") == key:
            return decode(kept["data"])
    except (OSError, *DAMAGED):
        pass
    value = build()
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        text = json.dumps({"key": key, "data": encode(value)}, ensure_ascii=False, separators=(",", ":"))
        replace(path, text.encode("utf-8"), 0o600)
    except (OSError, ValueError, TypeError):  # a read-only home, a full disk, a value encode refuses: not kept
        pass
    return value
