"""Files read from a library through the descriptor that was checked, never again by their path.

A library is a folder someone shares. Checking a file's path (inside the library, a regular
file) and then opening it by that path leaves a moment to swap it for a link to a file outside:
in a loop, the outside file gets read. `read` opens the real path one folder at a time from the
top, following no link (O_NOFOLLOW), so a link put there after the check makes the open fail,
and checks and reads the file through that one descriptor.
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

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
