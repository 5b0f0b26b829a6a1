"""Recordings: a parent's or therapist's voice on a page (`audio:`), checked like pictures.

A recording must be an MP3, OGG, M4A or WAV file inside the library whose first bytes say it
is one (a file named .mp3 holding anything else is refused). It is carried inside the story's
web page, so the page works offline and can be sent to a family: a large one is a warning.
"""

from __future__ import annotations

from pathlib import Path

from .images import PictureError

TYPES = {".mp3": "audio/mpeg", ".ogg": "audio/ogg", ".oga": "audio/ogg", ".m4a": "audio/mp4", ".wav": "audio/wav"}
LARGE = 2 * 1024 * 1024  # bytes: a warning above this (the web page carries it, for every page that has one)
MOST = 20 * 1024 * 1024  # bytes: refused above this


def kind(head: bytes) -> str | None:
    """The audio type the first bytes of a file say it is, or None."""
    if head.startswith(b"RIFF") and head[8:12] == b"WAVE":
        return "audio/wav"
    if head.startswith(b"OggS"):
        return "audio/ogg"
    if head[4:8] == b"ftyp":
        return "audio/mp4"
    if head.startswith(b"ID3") or (len(head) > 1 and head[0] == 0xFF and head[1] & 0xE0 == 0xE0):
        return "audio/mpeg"
    return None


def story_recording(recording: Path, folder: Path, library: Path) -> Path:
    """The real path of a recording a story names (relative to the story's folder); PictureError
    (the same error as a picture's, worded for a recording) unless it is an MP3, OGG, M4A or WAV
    file inside the library, no larger than MOST."""
    real = (Path(folder) / recording).resolve()
    if not real.is_relative_to(Path(library).resolve()):
        raise PictureError(
            "is outside the story's library folder; copy the recording into the library and point to it there"
        )
    if real.suffix.lower() not in TYPES:
        raise PictureError("is not a recording storygen plays; use an MP3, OGG, M4A or WAV file")
    if not real.is_file():
        raise PictureError("was not found; check the file name (it is relative to the story file)")
    with open(real, "rb") as stream:
        head = stream.read(16)
    if kind(head) is None:
        raise PictureError(f"is not a {real.suffix.lower()[1:].upper()} recording (its content is something else)")
    if real.stat().st_size > MOST:
        raise PictureError(
            f"is {real.stat().st_size / 1024 / 1024:.1f} MB, more than {MOST // 1024 // 1024} MB; shorten it"
        )
    return real


def size_warning(path: Path) -> str | None:
    """What to say about a recording too large to send comfortably inside a web page."""
    size = Path(path).stat().st_size
    if size <= LARGE:
        return None
    return (
        f"the recording '{Path(path).name}' is {size / 1024 / 1024:.1f} MB; the web page carries it inside, "
        f"so keep each under {LARGE // 1024 // 1024} MB (a shorter take, or mono at 64 kbit/s)"
    )


def data_uri(path: Path) -> str:
    from .images import data_uri as encoded

    content = Path(path).read_bytes()
    return encoded(content, kind(content[:16]) or TYPES[Path(path).suffix.lower()])
