"""The preview's editor: a story's texts changed on the page, each saved into its YAML as the
clinician wrote it (story.edit.set_text: one value replaced, every other byte kept, a backup of
the file first), and the last saves undone.

Its requests, POST /edit/<id>, /steps/<id> (a step moved, removed or added) and /undo/<id>, pass the picker's guard (picker.guard:
the preview's own page, this run's token, a small JSON body, a story served by its id) and
write nothing but that story's file and its backups under the library's .storygen/.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from ..story.edit import MOST_TEXT, EditRefused, set_text, undo
from ..story.edit_steps import change_steps
from ..story.load import Loc
from ..story.open import Opened
from ..story.parts import pages
from .picker import Refused, Stories, guard, page_name, read_where

MOST_BYTES = 8 * MOST_TEXT + 1024  # an edit's body: one text (escaped in JSON), its place, a fingerprint


@dataclass(frozen=True)
class Text:
    """One text of a story as the editor shows it: where it is written, and its words as written."""

    where: Loc
    name: str  # "Title", "Step 3", "Calm choice 1"...
    text: str

    @property
    def where_json(self) -> str:
        return json.dumps(list(self.where))

    @property
    def step_json(self) -> str:  # a step's place (without its `text`), "" for any other text
        where = self.where[:-1] if self.where[-1] == "text" else self.where
        return json.dumps(list(where)) if where[0] == "steps" else ""

    @property
    def key(self) -> str:  # an id for the page's field
        return "text-" + "-".join(str(step) for step in self.where)


def texts(opened: Opened) -> list[Text]:
    """The texts the editor changes, in reading order: the title, the introduction, each calm
    choice, step and sub-step, the conclusion; as written in the file (not filled in for a child)."""
    data = opened.source.data
    found = [Text(("title",), "Title", data["title"])] if isinstance(data.get("title"), str) else []
    for where, _ in pages(opened.story):
        written: Any = data
        for step in where:
            written = written[step]
        if isinstance(written, str):
            found.append(Text(where, page_name(where), written))
        elif isinstance(written, dict) and isinstance(written.get("text"), str):
            found.append(Text((*where, "text"), page_name(where), written["text"]))
    return found


def answer(headers: Any, body: Any, token: str, address: str, library: Stories) -> tuple[int, dict[str, Any]]:
    """POST /edit/<id> ({"page": where, "text": ..., "fingerprint": ...}), /steps/<id> ({"page":
    a step, "action": up, down, remove or add, "text": a new step's, "fingerprint": ...}) or
    /undo/<id> ({"fingerprint": ...}): (status, answer), the file written when the status is 200."""
    route = address.split("/")[1]
    try:
        asked = guard(headers, body, token, address, route, library, MOST_BYTES)
        seen = asked.body.get("fingerprint")
        if not isinstance(seen, str):
            raise Refused(400, "a change names the story it was made on")
        if route == "undo":
            written = undo(asked.path, asked.story.library, seen=seen, root=asked.root)
            return 200, {"fingerprint": written, "undone": True}
        where, text = read_where(asked.body), asked.body.get("text")
        if not isinstance(text, str):
            raise Refused(400, "an edit sends its text")
        if route == "steps":
            if where not in [where for where, _ in pages(asked.story.story) if where[0] == "steps"]:
                raise Refused(400, "that step is not in the story now; look again")
            action = asked.body.get("action")
            written = change_steps(
                asked.path, where, str(action), asked.story.library, text=text, seen=seen, root=asked.root
            )
            return 200, {"fingerprint": written}
        if where not in [shown.where for shown in texts(asked.story)]:
            raise Refused(400, "that text is not in the story now; look again")
        written = set_text(
            asked.path, where, text.replace("\r\n", "\n"), asked.story.library, seen=seen, root=asked.root
        )
        return 200, {"fingerprint": written}
    except EditRefused as refused:
        return 409, {"error": str(refused)}
    except Refused as refused:
        return refused.status, {"error": str(refused)}
