"""Precise edits of a story file: one page's `symbol:` written (the picture picker's), one text
replaced or a step moved, removed or added (the preview's editor's), every other byte kept.

The preview's picture picker changes a story a clinician wrote by hand, with her comments, key
order and quoting: a YAML dump would lose them all. So the edit works on the text at the
positions the YAML parser gives (the value's start and end), changes that one line (or adds one
line, at the page's indentation, when the page had no `symbol:`), and is kept only when the
edited file reads as the old one with that page's symbol set (that text changed, those steps
moved): anything else is refused and nothing is written. The editor's edits are also checked as
`storygen check` checks the story (refused in its words) and keep the file as it was in the
library's .storygen/backups/<story id>/ first (the last 20), which undo puts back. The file is
read and written under a lock, through the descriptor checked inside the library (files.read),
whole or not at all (files.replace); a file changed since the page was shown (its fingerprint
differs) is refused, so a save in an editor is never overwritten.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import yaml

from .. import files
from .fields import MAX_SYMBOL
from .load import MAX_BYTES, MAX_NODES, SAFE_LOADER, Loc

LOCK_WAIT = 5  # seconds another edit of the same story may keep this one waiting
INDENT = 2  # spaces a page written as a plain string indents its new `text:` and `symbol:` by
BOM = "\ufeff"
# A name written as it is: words, spaces and the marks symbol names use, starting with a letter;
# anything else (a leading digit, `: `, `#`, a quote...) is written in double quotes.
PLAIN = re.compile(r"[^\W\d_][\w '’().,&+-]*(?<! )")
# Words that YAML 1.1 readers (other tools) take for true, false or null when unquoted.
YAML_WORDS = {"y", "n", "yes", "no", "on", "off", "true", "false", "null"}
PICTURE_KEYS = ("text", "title")  # a new `symbol:` line goes after the page's text (the cover's title)


class EditRefused(ValueError):
    """The edit was not made, and why, in words for the person who asked for it."""


def fingerprint(text: str) -> str:
    """What the preview saw of a story file: an edit is made only to the very same text."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def set_symbol(path: Path, where: Loc, name: str, library: Path, seen: str | None = None) -> Path:
    """Write `symbol: name` into the page at where (("steps", 2), ("intro",), ()...) of the story
    file at path, inside library; seen: the fingerprint of the text the change was chosen on.
    EditRefused, with nothing written, when it cannot be made exactly."""
    path = Path(path)
    _check_name(name)
    if path.is_symlink():
        raise EditRefused(f"{path.name} is a link; storygen edits only a story file itself")
    handle = _lock(path)
    try:
        text, bom = _read(path, library)
        if seen is not None and fingerprint(text) != seen:
            raise EditRefused(f"{path.name} changed since this page was shown; look again and choose again")
        edited = edit_symbol(text, tuple(where), name)
        mode = os.stat(path).st_mode & 0o777
        files.replace(path, ((BOM if bom else "") + edited).encode("utf-8"), mode)
    finally:
        os.close(handle)
    return path


def edit_symbol(text: str, where: Loc, name: str) -> str:
    """text with the page at where given `symbol: name`, else EditRefused."""
    root = _compose(text)
    page, parent = _find(root, where)
    value = quoted(name)
    if isinstance(page, yaml.MappingNode):
        edited = _in_mapping(text, page, value, name)
    elif isinstance(page, yaml.ScalarNode) and isinstance(parent, (yaml.MappingNode, yaml.SequenceNode)):
        edited = _from_string(text, page, parent, value)
    else:
        raise EditRefused("this page is not written as text or as `key: value` lines; write its `symbol:` by hand")
    _check_edit(text, edited, where, name)
    return edited


def quoted(name: str, flow: bool = False) -> str:
    """name as a YAML value that reads back as the same text in any YAML reader (flow: inside
    `{ }`, where a comma ends it)."""
    if PLAIN.fullmatch(name) and name.lower() not in YAML_WORDS and not (flow and "," in name):
        return name
    return json.dumps(name, ensure_ascii=False)  # a JSON string is a YAML double-quoted one


def _check_name(name: str) -> None:
    if not name or len(name) > MAX_SYMBOL or not name.isprintable():
        raise EditRefused("a symbol's name is one line of at most 80 printable characters")


def _lock(path: Path) -> int:
    """Held while a file is read, checked and written: two edits never interleave. One lock for
    the user's edits (each takes a blink), outside the library: nothing is added to its folders."""
    lock = Path(tempfile.gettempdir()) / f"storygen-edit-{os.getuid() if hasattr(os, 'getuid') else 0}.lock"
    try:
        return files.hold(lock, LOCK_WAIT)
    except OSError as error:
        raise EditRefused(f"{path.name} is being changed by another storygen; try again ({error})") from None


def _read(path: Path, library: Path) -> tuple[str, bool]:
    """The story's text (and whether it starts with a byte order mark), read inside library."""
    try:
        raw = files.read(path, Path(library), MAX_BYTES)
    except files.Outside:
        raise EditRefused(f"{path.name} is not inside the library; storygen edits only its stories") from None
    except (files.NotAFile, files.TooLarge, OSError) as error:
        raise EditRefused(f"{path.name} cannot be read ({error})") from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise EditRefused(f"{path.name} is not UTF-8 text") from None
    return text.removeprefix(BOM), text.startswith(BOM)


def _compose(text: str) -> yaml.Node:
    try:
        root = yaml.compose(text, Loader=SAFE_LOADER)
    except yaml.YAMLError:
        raise EditRefused("the story is not valid YAML now; fix it first") from None
    if not isinstance(root, yaml.MappingNode):
        raise EditRefused("the story is not a set of `key: value` lines")
    return root


def _find(root: yaml.Node, where: Loc) -> tuple[yaml.Node, yaml.Node | None]:
    """The node at where, and the node holding it."""
    node: yaml.Node | None = root
    parent = None
    for step in where:
        parent = node
        if isinstance(node, yaml.MappingNode) and isinstance(step, str):
            node = next((value for key, value in node.value if key.value == step), None)
        elif isinstance(node, yaml.SequenceNode) and isinstance(step, int) and 0 <= step < len(node.value):
            node = node.value[step]
        else:
            node = None
        if node is None:
            raise EditRefused("that page is not in the story now; look again and choose again")
    assert node is not None
    return node, parent


def _key(mapping: yaml.MappingNode, name: str) -> tuple[yaml.Node, yaml.Node] | None:
    return next(((key, value) for key, value in mapping.value if key.value == name), None)


def _in_mapping(text: str, page: yaml.MappingNode, value: str, name: str) -> str:
    """A page of `key: value` lines: its symbol's value replaced, or a `symbol:` line added."""
    if _key(page, "image") and name != "none":
        raise EditRefused("this page shows a photo (`image:`); remove it to give the page a symbol")
    if found := _key(page, "symbol"):
        start, end = found[1].start_mark.index, found[1].end_mark.index
        if getattr(found[1], "style", None) == "'":  # written in single quotes: kept so
            value = "'" + name.replace("'", "''") + "'"
        if start == end and text[start - 1] == ":":  # `symbol:` with no name yet
            value = " " + value
        return text[:start] + value + text[end:]
    after = next((found for key in PICTURE_KEYS if (found := _key(page, key))), None) or page.value[0]
    if page.flow_style:  # {text: ..., label: ...}: the new key beside the text, on its line
        at = after[1].end_mark.index
        return text[:at] + f", symbol: {quoted(name, flow=True)}" + text[at:]
    return _add_line(text, after[1].end_mark.index, " " * after[0].start_mark.column + f"symbol: {value}")


def _from_string(text: str, page: yaml.ScalarNode, parent: yaml.Node, value: str) -> str:
    """A page written as a plain string (`- Brush my teeth.`, `intro: Hello.`) made a mapping of
    its text, as written, and its symbol."""
    if getattr(parent, "flow_style", False):
        raise EditRefused("this page is written inside [ ] or { }; write its `symbol:` by hand")
    start, end = page.start_mark.index, page.end_mark.index
    head, column = text[:start], page.start_mark.column  # `- Brush my teeth.`: its text becomes `text:`
    if isinstance(parent, yaml.MappingNode):  # `intro: Hello.`: a mapping under the key, one step in
        key = next(key for key, item in parent.value if item is page)
        if page.start_mark.line == key.start_mark.line:
            column = key.start_mark.column + INDENT
            head = head.rstrip(" \t") + _newline(text) + " " * column
    moved = head + "text: " + _indented(text[start:end], column + INDENT)
    return _add_line(moved + text[end:], len(moved), " " * column + f"symbol: {value}")


def _indented(written: str, least: int) -> str:
    """A string's text, its lines after the first indented to at least `least` columns (what a
    value under a key needs); the text it reads as is the same."""
    lines = written.split("\n")
    rest = [line for line in lines[1:] if line.strip()]
    short = max((least - (len(line) - len(line.lstrip(" "))) for line in rest), default=0)
    if short <= 0:
        return written
    return "\n".join([lines[0], *((" " * short + line if line.strip() else line) for line in lines[1:])])


def _add_line(text: str, end: int, line: str) -> str:
    """text with line added after the line where the value ending at end ends (before the next
    line, when the value is a `|` or `>` text, which ends at the start of it)."""
    if end and text[end - 1] == "\n":
        at = end
    else:
        newline = text.find("\n", end)
        at = len(text) if newline < 0 else newline + 1
    before = text[:at] if text[:at].endswith("\n") or not text[:at] else text[:at] + _newline(text)
    return before + line + _newline(text) + text[at:]


def _newline(text: str) -> str:
    return "\r\n" if "\r\n" in text else "\n"


def _check_edit(old: str, new: str, where: Loc, name: str) -> None:
    """The edited text must read as the old one with that page's symbol set, and nothing else."""
    wanted = _plain(_compose(old))
    page = wanted
    for step in where[:-1]:
        page = page[step]
    if where:
        if isinstance(page[where[-1]], str):
            page[where[-1]] = {"text": page[where[-1]]}
        page[where[-1]]["symbol"] = name
    else:
        page["symbol"] = name
    try:
        got = _plain(_compose(new))
    except EditRefused:
        got = None
    if got != wanted:
        raise EditRefused(f"storygen could not add the line exactly here; write `symbol: {quoted(name)}` by hand")


def _plain(node: yaml.Node, count: list[int] | None = None) -> Any:
    """A node as dicts, lists and text (every scalar as written: this compares, never reads)."""
    count = count if count is not None else [0]
    count[0] += 1
    if count[0] > MAX_NODES:
        raise EditRefused("the story is too large to edit here")
    if isinstance(node, yaml.MappingNode):
        return {key.value: _plain(value, count) for key, value in node.value}
    if isinstance(node, yaml.SequenceNode):
        return [_plain(item, count) for item in node.value]
    return node.value


# Texts: one scalar's words replaced where they stand (the editor of the preview), with a backup
# of the file as it was, and an undo that puts the last backup back.

BACKUPS = Path(".storygen") / "backups"  # in the library: .storygen/backups/<story id>/
KEPT_BACKUPS = 20  # per story: older ones are removed
MOST_TEXT = 4000  # characters one text may hold here (the model's own limits are checked after)


def set_text(
    path: Path, where: Loc, value: str, library: Path, seen: str | None = None, root: Path | None = None
) -> str:
    """Replace the text at where (("title",), ("steps", 2), ("steps", 2, "text")...) of the story
    file at path, in library (root: the folder the edit must stay inside, the library when not
    given), by value: written plain when that reads back as the same text, in double quotes when
    it must be (single quotes kept where the writer used them), as a `|` block when it holds line
    breaks. The file as it was is kept in the library's backups first; the edited text's
    fingerprint is returned (the next edit's `seen`). EditRefused, nothing
    written, when the text cannot be written exactly, or when the story would not be valid (the
    message `storygen check` gives)."""
    path, library = Path(path), Path(library)
    if not isinstance(value, str) or len(value) > MOST_TEXT or "\r" in value or not _printable(value):
        raise EditRefused(f"a text here is at most {MOST_TEXT} printable characters")
    return _write(path, library, seen, root, lambda text: edit_text(text, tuple(where), value))


def undo(path: Path, library: Path, seen: str | None = None, root: Path | None = None) -> str:
    """Put back the story file as it was before its last save here (its newest backup, then
    removed: undo again goes one save further back). Refused when the file changed since seen."""
    path, library = Path(path), Path(library)
    kept = _backups(path, library)
    if not kept:
        raise EditRefused("there is nothing to undo: no save of this story is kept")
    last = kept[-1]
    try:
        raw = files.read(last, library, MAX_BYTES)
    except (files.Outside, files.NotAFile, files.TooLarge, OSError) as error:
        raise EditRefused(f"the last backup cannot be read ({error})") from None
    try:
        previous = raw.decode("utf-8").removeprefix(BOM)
    except UnicodeDecodeError:
        raise EditRefused("the last backup is not UTF-8 text") from None
    written = _write(path, library, seen, root, lambda text: previous, keep=False)
    last.unlink()
    return written


def backup_folder(path: Path, library: Path) -> Path:
    """Where the backups of the story at path are kept: the library's .storygen/backups/<id>/,
    made when missing, each folder a folder (never a link) inside the library."""
    folder, library = library / BACKUPS / Path(path).stem, Path(library)
    at = library
    for name in folder.relative_to(library).parts:
        at = at / name
        if at.is_symlink() or (at.exists() and not at.is_dir()):
            raise EditRefused(f"{at} is not a folder storygen made; backups are not written through it")
        at.mkdir(exist_ok=True)
    if not folder.resolve().is_relative_to(library.resolve()):
        raise EditRefused("the backups folder is not inside the library")
    return folder


def _backups(path: Path, library: Path) -> list[Path]:
    """The backups of the story at path, oldest first (two stories of one name in two folders
    share a backup folder: each backup's name ends with its story's mark)."""
    folder = backup_folder(path, library)
    return sorted(p for p in folder.glob(f"*-{_mark(path, library)}.yaml") if p.is_file() and not p.is_symlink())


def _mark(path: Path, library: Path) -> str:
    """A short mark of the story's place in the library."""
    real = Path(path).resolve()
    place = real.relative_to(root).as_posix() if real.is_relative_to(root := Path(library).resolve()) else str(real)
    return hashlib.sha256(place.encode("utf-8")).hexdigest()[:8]


def _printable(value: str) -> bool:
    return all(line.isprintable() for line in value.split("\n"))


def _write(path: Path, library: Path, seen: str | None, root: Path | None, change, keep: bool = True) -> str:
    """The story at path changed by change(text) -> text, under the lock, checked and kept; the
    fingerprint of the text written."""
    if path.is_symlink():
        raise EditRefused(f"{path.name} is a link; storygen edits only a story file itself")
    handle = _lock(path)
    try:
        text, bom = _read(path, root or library)
        if seen is not None and fingerprint(text) != seen:
            raise EditRefused(f"{path.name} changed since this page was shown; it is shown again now")
        edited = change(text)
        _check_story(path, edited, library)
        mode = os.stat(path).st_mode & 0o777
        if keep:
            _keep(path, library, ((BOM if bom else "") + text).encode("utf-8"))
        files.replace(path, ((BOM if bom else "") + edited).encode("utf-8"), mode)
    finally:
        os.close(handle)
    return fingerprint(edited)


def _keep(path: Path, library: Path, content: bytes) -> None:
    """A backup of the file as it was; the oldest removed past KEPT_BACKUPS."""
    import time

    folder = backup_folder(path, library)
    files.replace(folder / f"{time.time_ns():020d}-{_mark(path, library)}.yaml", content, 0o600)
    for old in _backups(path, library)[:-KEPT_BACKUPS]:
        old.unlink(missing_ok=True)


def _check_story(path: Path, text: str, library: Path) -> None:
    """EditRefused with storygen check's words when the story in text is not valid."""
    from ..errors import StoryError
    from .load import Source, _Builder
    from .open import validate

    source = Source(path, None, text)
    root = _compose(text)
    try:
        source.data = _Builder(source).build(root, (), 0)
        validate(source, library)
    except StoryError as error:
        raise EditRefused("; ".join(problem.message for problem in error.problems[:3])) from None


def edit_text(text: str, where: Loc, value: str) -> str:
    """text with the scalar at where holding value, every other byte kept, else EditRefused."""
    node, parent = _find(_compose(text), where)
    if not isinstance(node, yaml.ScalarNode) or not where:
        raise EditRefused("this is not a text; write it by hand")
    wanted = yaml.load(text, Loader=SAFE_LOADER)
    holder = wanted
    for step in where[:-1]:
        holder = holder[step]
    holder[where[-1]] = value
    for edited in _candidates(text, node, parent, value):
        try:
            if yaml.load(edited, Loader=SAFE_LOADER) == wanted:
                return edited
        except yaml.YAMLError:
            continue
    raise EditRefused("storygen could not write this text exactly here; write it by hand")


def _candidates(text: str, node: yaml.ScalarNode, parent: yaml.Node | None, value: str) -> Iterator[str]:
    """text with the node's value written each way that may fit, the clinician's way first."""
    start, end = node.start_mark.index, node.end_mark.index
    quoted_ = json.dumps(value, ensure_ascii=False)
    if node.style in ("|", ">"):  # `|` lines: their header's comment and the blank lines after them stay
        header = text[start : text.find("\n", start)].split("#", 1)
        comment = ("   #" + header[1]) if len(header) > 1 else ""
        body = text[start:end].rstrip("\n").rstrip(" \t\r")
        head, tail = text[:start], text[start + len(body) :]
        if "\n" in value:
            yield head + "|" + _block(text, node, parent, value, comment) + tail
        for written in (_plain_text(value), quoted_):
            if written is not None:
                yield head + written + comment + tail
        return
    line_end = text.find("\n", end)
    line_end = len(text) if line_end < 0 else line_end
    rest = text[end:line_end].rstrip("\r")
    flow = bool(getattr(parent, "flow_style", False))
    if "\n" in value and not flow and (not rest.strip() or rest.strip().startswith("#")):
        yield text[:start] + "|" + _block(text, node, parent, value, rest) + text[line_end:]
    elif node.style == "'" and "\n" not in value:
        yield text[:start] + "'" + value.replace("'", "''") + "'" + text[end:]
    elif node.style != '"' and (plain := _plain_text(value)) is not None:
        yield text[:start] + plain + text[end:]
    yield text[:start] + quoted_ + text[end:]


def _block(text: str, node: yaml.Node, parent: yaml.Node | None, value: str, comment: str) -> str:
    """A `|` text's header (after the bar), comment and lines, without the last line's break."""
    newline, indent = _newline(text), _block_indent(text, node, parent)
    chomp = "" if value.endswith("\n") and not value.endswith("\n\n") else "-"
    lines = (value[:-1] if chomp == "" else value).split("\n")
    return chomp + comment + newline + newline.join((" " * indent + line) if line else "" for line in lines)


def _plain_text(value: str) -> str | None:
    """value as a plain YAML scalar when it may be one (the re-read checks the rest)."""
    if not value or value != value.strip() or value.lower() in YAML_WORDS or "\n" in value:
        return None
    if value[0] in "-?:,[]{}#&*!|>'\"%@`" or ": " in value or " #" in value or value.endswith(":"):
        return None
    return value


def _block_indent(text: str, node: yaml.Node, parent: yaml.Node | None) -> int:
    """The columns a `|` text's lines are indented by under its key or dash."""
    if isinstance(parent, yaml.MappingNode):
        key = next(key for key, item in parent.value if item is node)
        return key.start_mark.column + INDENT
    line_start = text.rfind("\n", 0, node.start_mark.index) + 1
    dash = text.find("-", line_start, node.start_mark.index)
    return (dash - line_start if dash >= 0 else node.start_mark.column) + INDENT


# Steps: moved, removed or added where they stand, each step's lines (and the comments inside
# them) kept as written; what lies between steps stays where it is.
