"""User errors: a clean `path:line:col: message` that never shows a traceback."""

from __future__ import annotations

import difflib
import os
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from enum import Enum
from pathlib import Path
from typing import TypeVar


class Severity(str, Enum):
    """How much a problem matters, the same for loading, building and checking: an error stops
    a story; a warning and a note do not (`storygen check` calls a note "info", GitHub "notice")."""

    ERROR = "error"
    WARNING = "warning"
    NOTE = "note"

    def __str__(self) -> str:
        return self.value


@dataclass(frozen=True)
class Problem:
    """One thing wrong (or worth a warning) in a story, with where it is and how to fix it."""

    path: Path
    line: int
    col: int
    message: str
    severity: Severity = Severity.ERROR
    hint: str | None = None

    def __str__(self) -> str:
        label = "" if self.severity == Severity.ERROR else f"{Severity(self.severity).value}: "
        text = printable(with_hint(self.message, self.hint))
        return f"{display_path(self.path)}:{self.line}:{self.col}: {label}{text}"


def with_hint(message: str, hint: str | None) -> str:
    """A message and its hint as one line says them: 'what is wrong; how to fix it'."""
    return f"{message}; {hint}" if hint else message


E = TypeVar("E", bound="HintedError")


class HintedError(ValueError):
    """Why something cannot be used (what) and how to fix it (hint), kept apart so that the
    problem made of it carries its hint as a field; str() says both as one line."""

    def __init__(self, what: str, hint: str | None = None):
        super().__init__(what, hint)  # both in args: the error pickles to a worker and back
        self.what, self.hint = what, hint

    def __str__(self) -> str:
        return with_hint(self.what, self.hint)

    def after(self: E, words: str) -> E:
        """The same error with words before what it says: "image 'sink.jpg' " + "was not found"."""
        return type(self)(f"{words}{self.what}", self.hint)


class StoryError(Exception):
    """A story could not be read or validated: one or more user-facing problems."""

    def __init__(self, problems: Iterable[Problem]):
        self.problems = list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


def display_path(path: Path) -> str:
    """The path as the user would type it: relative to the working folder when inside it,
    safe to print (a file name can hold a terminal escape, or a line break to fake a line)."""
    written = Path(os.path.abspath(path))
    try:  # the folder resolved, not the name: a link is shown as itself, not as where it leads
        shown = str((written.parent.resolve() / written.name).relative_to(Path.cwd().resolve()))
    except ValueError:
        shown = str(path)
    return printable(shown, keep="")


# Characters that act on a terminal or reorder what it shows, rather than being shown:
# C0 controls, DEL, C1 controls (\x9b is a one-byte CSI), bidi overrides and isolates.
UNPRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def control_name(char: str) -> str:
    """'U+001B ESC': how a message names a control character for a person."""
    names = {"\x1b": "ESC", "\x07": "BEL", "\x08": "BACKSPACE", "\r": "CARRIAGE RETURN", "\x7f": "DEL", "\x9b": "CSI"}
    name = names.get(char) or unicodedata.name(char, "CONTROL")
    return f"U+{ord(char):04X} {name}"


def printable(text: str, keep: str = "\n\t") -> str:
    """text safe to print on a terminal: every control character but those in keep shown as
    an escape (ESC as \\x1b, U+202E as \\u202e), so story text or a file name cannot clear
    the screen, set the window title or reorder a line."""

    def escape(found: re.Match) -> str:
        char = found.group(0)
        return char if char in keep else f"\\x{ord(char):02x}" if ord(char) < 0x100 else f"\\u{ord(char):04x}"

    return UNPRINTABLE.sub(escape, str(text))


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """' (did you mean 'x'?)' when a choice is close to word, in any case ('PPP': 'PP'), or is
    a word of it ('task analysis': 'task'), else ''."""
    by_lower = {str(choice).lower(): str(choice) for choice in choices}
    typed = str(word).lower()
    close = [c for c in by_lower if c in typed.split()] or difflib.get_close_matches(typed, by_lower, n=1, cutoff=0.6)
    return f" (did you mean '{by_lower[close[0]]}'?)" if close else ""


def in_words(items: Iterable[str], last: str = "and") -> str:
    """Items as a message lists them: 'English, Spanish and French'; 'Hiragana or Katakana'."""
    listed = list(items)
    return f"{', '.join(listed[:-1])} {last} {listed[-1]}" if len(listed) > 1 else "".join(listed)
