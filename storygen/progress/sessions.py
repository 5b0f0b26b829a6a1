"""Sessions: a learner's recorded sessions of one story, read from (and added to) a CSV file in
the child's private profile folder, `profiles/<child>/data/<story-id>.csv`.

A task analysis's file has a `date` column, one column per scored step numbered as on the
data sheet (`1`, `2`, `4.1`, `4.2`...: a step with sub-steps is scored on its sub-steps), and
an optional `notes`; each cell is one of the story's prompt codes (or NR), empty when the
step was not tried. A graded ladder's file has `date`, `step` (the step reached) and `worry`
(0 to 10), and `notes`. Every problem is a Problem at its line and column, like a story's.
The file is a clinician's too (a spreadsheet can fill it in): storygen only ever appends, under
the profile's lock, and writes a note that starts like a formula as text (FORMULA).
"""

from __future__ import annotations

import csv
import datetime
import io
from dataclasses import dataclass, field
from pathlib import Path

from .. import files
from ..errors import Problem, StoryError, did_you_mean
from ..pages.layouts import datasheet_rows
from ..story.model import Story
from ..story.profiles import profile_folder, profile_locked

NOT_TRIED = ""
LADDER_COLUMNS = ("step", "worry")
MAX_BYTES = 2 * 1024 * 1024  # ten years of daily sessions of a 40-step chain is under 1 MB
MAX_SESSIONS = 5000
# A spreadsheet takes a cell starting with one of these for a formula (CSV injection): a note
# starting so is written after a ' (OWASP), which shows it as text, and read back without it.
FORMULA = ("=", "+", "-", "@", "\t", "\r")


@dataclass
class Session:
    """One session (or, on a ladder, one try): its date, a code per step tried, its notes."""

    date: datetime.date
    codes: dict[str, str] = field(default_factory=dict)  # step number -> code; a step not tried is absent
    notes: str = ""
    line: int = 0
    step: int | None = None  # a ladder's try: the step reached
    worry: int | None = None  # and how worried, 0 to 10


def data_file(profile: Path, story_id: str) -> Path:
    return Path(profile) / "data" / f"{story_id}.csv"


def step_columns(story: Story) -> list[tuple[str, str]]:
    """(number, text) of each scored step, as the data sheet numbers them."""
    return [(row.number, row.text) for row in datasheet_rows(story) if not row.heading]


def codes(story: Story) -> list[str]:
    """The codes a cell may hold, most independent first: the story's, and NR (no response)."""
    return [*story.prompt_codes, *([] if "NR" in story.prompt_codes else ["NR"])]


def header(story: Story) -> list[str]:
    """The columns of a new file for the story."""
    middle = list(LADDER_COLUMNS) if story.ladder else [number for number, _ in step_columns(story)]
    return ["date", *middle, "notes"]


def read_sessions(path: Path, story: Story) -> list[Session]:
    """The sessions in a file (none when there is no file), in file order; StoryError with every
    problem found, each at its line and column."""
    path = Path(path)
    data = _record(path)
    try:
        text = data.decode("utf-8-sig")  # a spreadsheet may save UTF-8 with a byte-order mark
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise StoryError([Problem(path, line, 1, "this line is not UTF-8 text; save the file as CSV UTF-8")]) from None
    return _Reader(path, story, text).sessions()


class _Reader:
    """One file read, its problems gathered."""

    def __init__(self, path: Path, story: Story, text: str):
        self.path, self.story, self.text = path, story, text
        self.lines = text.splitlines()
        self.problems: list[Problem] = []

    def problem(self, line: int, column: int, message: str) -> None:
        self.problems.append(Problem(self.path, line, self.col(line, column), message))

    def col(self, line: int, column: int) -> int:
        """The character column where field number `column` (0-based) of a line starts."""
        raw = self.lines[line - 1] if 0 < line <= len(self.lines) else ""
        field, quoted = 0, False
        for at, char in enumerate(raw):
            if field == column:
                return at + 1
            if char == '"':
                quoted = not quoted
            elif char == "," and not quoted:
                field += 1
        return len(raw) + 1

    def sessions(self) -> list[Session]:
        rows = csv.reader(io.StringIO(self.text))
        try:
            first = next(rows, None)
        except csv.Error as error:
            raise StoryError([Problem(self.path, 1, 1, f"not a CSV file: {error}")]) from None
        if first is None:
            return []
        columns = self.columns([name.strip() for name in first])
        if columns[:1] != ["date"]:  # every row would say its date is missing: the header is the mistake
            raise StoryError(self.problems)
        found: list[Session] = []
        try:
            for row in rows:
                line = rows.line_num
                if not any(cell.strip() for cell in row):
                    continue
                if len(found) >= MAX_SESSIONS:
                    self.problem(line, 0, f"more than {MAX_SESSIONS} sessions; keep older ones in another file")
                    break
                if session := self.session(row, line, columns):
                    found.append(session)
        except csv.Error as error:
            self.problem(rows.line_num, 0, f"this line cannot be read as CSV: {error}")
        if self.problems:
            raise StoryError(self.problems)
        return found

    def columns(self, names: list[str]) -> list[str]:
        """The header's column names, checked: date first, each step the story has, notes last."""
        if not names or names[0].lower() != "date":
            self.problem(1, 0, f"the first column must be `date`; the header is: {','.join(header(self.story))}")
        known = list(LADDER_COLUMNS) if self.story.ladder else [number for number, _ in step_columns(self.story)]
        seen: set[str] = set()
        for i, name in enumerate(map(_column, names[1:]), start=1):
            if name == "notes" and i == len(names) - 1:
                continue
            if name in seen:
                self.problem(1, i, f"the column `{name}` is there twice")
            elif name not in known:
                what = "this ladder's columns are" if self.story.ladder else "the story's steps are"
                self.problem(
                    1,
                    i,
                    f"the story has no step `{name}`{did_you_mean(name, known)}; {what} {', '.join(known)}"
                    + (" (notes is the last column)" if name == "notes" else ""),
                )
            seen.add(name)
        return [_column(name) for name in names]

    def session(self, row: list[str], line: int, columns: list[str]) -> Session | None:
        if len(row) > len(columns):
            self.problem(line, len(columns), f"this row has {len(row)} cells, the header {len(columns)}")
            return None
        cells = dict(zip(columns, (cell.strip() for cell in row), strict=False))
        date = self.date(cells.get("date", ""), line)
        note = cells.get("notes", "")
        note = note[1:] if note.startswith("'") and note[1:].startswith(FORMULA) else note  # as typed
        session = Session(date or datetime.date.min, notes=note, line=line)
        if self.story.ladder:
            session.step = self.number(cells, columns, line, "step", 1, len(self.story.steps))
            session.worry = self.number(cells, columns, line, "worry", 0, 10)
        else:
            allowed = codes(self.story)
            for i, name in enumerate(columns):
                cell = cells.get(name, NOT_TRIED)
                if name in ("date", "notes") or cell == NOT_TRIED:
                    continue
                if cell.upper() in allowed:
                    session.codes[name] = cell.upper()
                else:
                    self.problem(
                        line,
                        i,
                        f"step {name}: '{cell}' is not one of the story's prompt codes{did_you_mean(cell, allowed)}; "
                        f"write one of {', '.join(allowed)}, or leave it empty when the step was not tried",
                    )
        return session if date else None

    def date(self, text: str, line: int) -> datetime.date | None:
        try:
            return datetime.date.fromisoformat(text)
        except ValueError:
            self.problem(line, 0, f"'{text}' is not a date; write dates as year-month-day, like 2026-11-02")
            return None

    def number(self, cells: dict, columns: list[str], line: int, name: str, low: int, high: int) -> int | None:
        text = cells.get(name, "")
        if not text:
            return None
        if text.isdigit() and low <= int(text) <= high:
            return int(text)
        self.problem(line, columns.index(name), f"`{name}` is '{text}'; write a whole number from {low} to {high}")
        return None


def row_text(columns: list[str], session: Session) -> str:
    """One session as a CSV line, its cells in the order of columns (a file's header)."""
    values = {
        "date": session.date.isoformat(),
        "step": "" if session.step is None else str(session.step),
        "worry": "" if session.worry is None else str(session.worry),
        "notes": f"'{session.notes}" if session.notes.startswith(FORMULA) else session.notes,
        **session.codes,
    }
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerow([values.get(name, "") for name in columns])
    return out.getvalue()


def appended(path: Path, story: Story, session: Session) -> bytes:
    """The file's bytes with one session added at its end in the file's own column order, the
    rest as it was; a new file starts with the story's header."""
    old = _record(Path(path))
    return (old if old.strip() else b"") + addition(old, story, session)


def addition(old: bytes, story: Story, session: Session) -> bytes:
    """What one session adds at the end of a file holding old: its row in the file's column order
    (a new or empty file: the story's header, then the row)."""
    if not old.strip():
        return (",".join(header(story)) + "\n" + row_text(header(story), session)).encode("utf-8")
    columns = [_column(name) for name in next(csv.reader(io.StringIO(old.decode("utf-8-sig"))))]
    return (b"" if old.endswith(b"\n") else b"\n") + row_text(columns, session).encode("utf-8")


def add_session(profile: Path, story_id: str, story: Story, session: Session) -> Path:
    """Add one session to the child's file of the story (data_file), under the profile's lock:
    records made at once each read, check and write the file in turn, none lost. StoryError when
    the file cannot be read or written, its message holding the session's row to paste."""
    file = data_file(profile, story_id)
    try:
        profile_folder(profile)  # again: a link may have been made while the session was typed
        file.parent.mkdir(exist_ok=True)
        with profile_locked(profile):
            read_sessions(file, story)  # again: another record or a spreadsheet may have changed it
            files.replace(file, appended(file, story, session), file.stat().st_mode & 0o777 if file.exists() else 0o600)
    except OSError as exc:
        raise StoryError([_not_saved(file, story, session, exc.strerror or str(exc))]) from None
    except StoryError as exc:
        raise StoryError([*exc.problems, _not_saved(file, story, session, "see above")]) from None
    return file


def _not_saved(file: Path, story: Story, session: Session, reason: str) -> Problem:
    """The session not saved, at the line it would have taken: why, and its row to paste."""
    try:
        old = file.read_bytes() if file.is_file() else b""
        added = addition(old, story, session)
    except (OSError, UnicodeDecodeError, csv.Error):  # unreadable: the row in the story's columns
        old, added = b"", row_text(header(story), session).encode("utf-8")
    lines = added.decode("utf-8").strip("\n")
    what = "these lines into this new file" if "\n" in lines else "this line at the end of the file"
    return Problem(
        file,
        old.count(b"\n") + added.count(b"\n"),
        1,
        f"the session was not saved: {reason}; fix that, or paste {what} yourself:\n{lines}",
    )


def _record(path: Path) -> bytes:
    """The bytes of a child's data file (none when there is none), read through the descriptor
    checked (files.read): a file inside the child's profile, not a link out of it."""
    try:
        return files.read(path, path.parent.parent, MAX_BYTES)  # profiles/<child>/data/<story>.csv
    except files.NotAFile:
        return b""
    except files.Outside:
        message = (
            "this file links to a file outside the child's profile; copy the file into it instead of linking to it"
        )
        raise StoryError([Problem(path, 1, 1, message)]) from None
    except files.TooLarge:
        raise StoryError(
            [Problem(path, 1, 1, f"this file is over {MAX_BYTES // 1024 // 1024} MB; split it by year")]
        ) from None
    except OSError as error:
        raise StoryError([Problem(path, 1, 1, f"cannot read the file: {error.strerror}")]) from None


def _column(name: str) -> str:
    """A header's name as storygen knows it: date, notes, step and worry in any case."""
    name = name.strip()
    return name.lower() if name.lower() in ("date", "notes", *LADDER_COLUMNS) else name
