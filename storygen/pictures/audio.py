"""Recordings: a parent's or therapist's voice on a page (`audio:`), checked like pictures.

A recording must be an MP3, OGG, M4A or WAV file inside the library whose first bytes say it
is one (a file named .mp3 holding anything else is refused). It is carried inside the story's
web page, so the page works offline and can be sent to a family: a large one is a warning.
It is carried with its sound only: its tags (names, places, dates, a cover picture) are
taken out as a photo's EXIF is (audio_tags.sound_only).
"""

from __future__ import annotations

from pathlib import Path

from .. import files
from . import audio_tags
from .images import PictureError

TYPES = {".mp3": "audio/mpeg", ".ogg": "audio/ogg", ".oga": "audio/ogg", ".m4a": "audio/mp4", ".wav": "audio/wav"}
LARGE = 2 * 1024 * 1024  # bytes: a warning above this (the web page carries it, for every page that has one)
NAMES = {"audio/mpeg": "MP3", "audio/ogg": "OGG", "audio/mp4": "M4A", "audio/wav": "WAV"}
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
    if real.suffix.lower() not in TYPES and real.is_relative_to(Path(library).resolve()):
        raise PictureError("is not a recording storygen plays", "use an MP3, OGG, M4A or WAV file")
    sound_only(real, library)  # a file whose tags cannot be taken out is refused here, at the story
    return real


def sound_only(path: Path, library: Path | None) -> tuple[bytes, str]:
    """(bytes, mime type) of a recording of the library with its tags taken out, read through the
    descriptor checked (files.read); PictureError for a file outside the library, missing, too
    large, not a recording or damaged (it is never carried as it is)."""
    try:
        content = files.read(path, library, MOST)
    except files.Outside:
        raise PictureError(
            "is outside the story's library folder", "copy the recording into the library and point to it there"
        ) from None
    except (files.NotAFile, OSError):
        raise PictureError("was not found", "check the file name (it is relative to the story file)") from None
    except files.TooLarge as error:
        raise PictureError(
            f"is {error.size / 1024 / 1024:.1f} MB, more than {MOST // 1024 // 1024} MB", "shorten it"
        ) from None
    mime = kind(content[:16])
    if mime is None:
        raise PictureError(
            f"is not a {Path(path).suffix.lower()[1:].upper()} recording (its content is something else)"
        )
    try:
        return audio_tags.sound_only(content, mime), mime
    except ValueError as error:
        raise PictureError(f"is a damaged {NAMES[mime]} recording ({error})", "export it again") from None


def size_warning(path: Path) -> tuple[str, str] | None:
    """What to say about a recording too large to send comfortably inside a web page, and the fix."""
    size = Path(path).stat().st_size
    if size <= LARGE:
        return None
    return (
        f"the recording '{Path(path).name}' is {size / 1024 / 1024:.1f} MB",
        f"the web page carries it inside, so keep each under {LARGE // 1024 // 1024} MB "
        "(a shorter take, or mono at 64 kbit/s)",
    )


def data_uri(path: Path, library: Path | None = None) -> str:
    """The recording, its sound only, as a data: URL (library: as sound_only)."""
    from .images import data_uri as encoded

    return encoded(*sound_only(path, library))
