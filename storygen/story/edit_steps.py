"""A story's steps added, moved and removed where they stand, as story/edit.py edits a text: a
step's own lines and comments move with it, every other byte kept, the result re-read and
compared, each change backed up and undoable."""

from __future__ import annotations

import json
import re
from pathlib import Path

import yaml

from .edit import MOST_TEXT, EditRefused, _compose, _find, _newline, _plain_text, _printable, _write
from .load import SAFE_LOADER, Loc

STEP_ACTIONS = ("up", "down", "remove", "add")


def change_steps(
    path: Path,
    where: Loc,
    action: str,
    library: Path,
    text: str = "",
    seen: str | None = None,
    root: Path | None = None,
) -> str:
    """Move the step at where (("steps", 2), ("steps", 2, "steps", 0)) up or down, remove it, or
    add a step of text after it; backed up, checked and refused as set_text. The fingerprint written."""
    if action not in STEP_ACTIONS:
        raise EditRefused("a step is moved up or down, removed or added")
    if action == "add" and (not text.strip() or len(text) > MOST_TEXT or not _printable(text) or "\r" in text):
        raise EditRefused("a new step has a text")
    return _write(Path(path), Path(library), seen, root, lambda old: edit_steps(old, tuple(where), action, text))


def edit_steps(text: str, where: Loc, action: str, new: str = "") -> str:
    """text with the step at where moved, removed or followed by a new one, else EditRefused."""
    if len(where) < 2 or where[-2] != "steps" or not isinstance(where[-1], int):
        raise EditRefused("this is not a step")
    sequence, _ = _find(_compose(text), where[:-1])
    at = where[-1]
    if not isinstance(sequence, yaml.SequenceNode) or sequence.flow_style or not 0 <= at < len(sequence.value):
        raise EditRefused("these steps are written inside [ ]; change them by hand")
    blocks = [_item_lines(text, item) for item in sequence.value]
    wanted = yaml.load(text, Loader=SAFE_LOADER)
    steps = wanted
    for step in where[:-1]:
        steps = steps[step]
    start, end = blocks[at]
    if action in ("up", "down"):
        other = at - 1 if action == "up" else at + 1
        if not 0 <= other < len(blocks):
            raise EditRefused(f"this is the {'first' if action == 'up' else 'last'} step")
        (a_start, a_end), (b_start, b_end) = sorted([blocks[at], blocks[other]])
        edited = text[:a_start] + text[b_start:b_end] + text[a_end:b_start] + text[a_start:a_end] + text[b_end:]
        steps[at], steps[other] = steps[other], steps[at]
    elif action == "remove":
        edited = text[:start] + text[end:]
        del steps[at]
    else:
        dash = text[start : text.index("-", start) + 1]
        edited = (
            text[:end]
            + f"{dash} {_plain_text(new) or json.dumps(new, ensure_ascii=False)}{_newline(text)}"
            + text[end:]
        )
        steps.insert(at + 1, new)
    try:
        if yaml.load(edited, Loader=SAFE_LOADER) == wanted:
            return edited
    except yaml.YAMLError:
        pass
    raise EditRefused("storygen could not change these steps exactly; change them by hand")


def _item_lines(text: str, item: yaml.Node) -> tuple[int, int]:
    """Where a sequence item's lines start (its dash's line) and end (after its last value's line)."""
    start = text.rfind("\n", 0, item.start_mark.index) + 1
    if not re.fullmatch(r"[ \t]*-[ \t]+", text[start : item.start_mark.index]):
        raise EditRefused("this step is not written as `- ` and its text; change it by hand")
    last = item
    while isinstance(last, (yaml.MappingNode, yaml.SequenceNode)) and last.value:
        last = last.value[-1][1] if isinstance(last, yaml.MappingNode) else last.value[-1]
    end = last.end_mark.index
    if not (end and text[end - 1] == "\n"):  # a `|` text ends at the next line's start
        newline = text.find("\n", end)
        end = len(text) if newline < 0 else newline + 1
    return start, end
