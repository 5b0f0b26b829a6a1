"""The preview's picture picker: each page's picture, a search of every symbol set as you type,
and the one request of the preview that writes: a page's `symbol:`, into its story file.

A web page elsewhere, open in the same browser, can send requests to this computer's loopback
address, so a write is refused (and changes nothing) unless it is a POST from the preview's own
page: its Origin the preview's own, the token this run put in that page (no other page can
read it), a small JSON body, a story the preview serves by its id (never a path), one of that
story's pages, and a picture one of its symbol sets has. The edit itself is story.edit's: one
line, or refused; the preview then reloads as on any save.
"""

from __future__ import annotations

import hmac
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from ..errors import StoryError
from ..pages.assets import Urls
from ..pictures import choice, symbols
from ..story.edit import EditRefused, set_symbol
from ..story.fields import MAX_SYMBOL, NO_PICTURE
from ..story.load import Loc
from ..story.open import Opened, open_story, picture_words, ranked_pictures
from ..story.parts import pages
from ..story.personalise import child_for, fill

TOKEN_HEADER = "X-Storygen-Token"
MOST_BYTES = 4096  # a choice's request body: a page, a name and a fingerprint
MOST_PICTURES = 48  # shown for one search: more is a word to narrow


@dataclass(frozen=True)
class PagePicture:
    """One page of a story as the picker lists it: its picture now, and the automatic one."""

    where: Loc
    page: str  # "Step 3", "Introduction"...
    text: str
    symbol: str | None  # the qualified name shown now (None: no picture, or a photo)
    src: str | None  # its drawing, as a data: URL
    photo: bool  # an `image:`: the picker does not change it
    chosen: bool  # written in the story (`symbol:`), not chosen automatically
    automatic: str | None  # what storygen would choose for the page's words
    word: str  # what the search starts with: the picture's own name
    set: str  # the set of the picture shown

    @property
    def where_json(self) -> str:
        return json.dumps(list(self.where))


def page_name(where: Loc) -> str:
    """A page's name for a person: 'Cover', 'Step 3', 'Step 3.1', 'Calm choice 2'..."""
    if not where:
        return "Cover"
    if where[0] in ("intro", "conclusion"):
        return "Introduction" if where[0] == "intro" else "Conclusion"
    numbers = ".".join(str(step + 1) for step in where[1::2])
    return f"{'Calm choice' if where[0] == 'calm' else 'Step'} {numbers}"


def page_pictures(opened: Opened) -> list[PagePicture]:
    """The cover and every page, in reading order, with their pictures."""
    story, urls, child = opened.story, Urls("screen", opened.sets, library=opened.library), child_for(opened.story)
    listed = []

    def unwritten(where: Loc, part: Any) -> bool:  # its picture is the automatic one: no need to rank it
        return not _written_symbol(opened.source.data, where)

    for where, part, candidates in ranked_pictures(story, opened.sets, skip=unwritten):  # as opening ranks them
        chosen = not unwritten(where, part)
        texts = picture_words(part, lambda text: fill(text, child))
        found = choice.first(candidates)
        automatic = part.symbol if not chosen else (found.qualified if found else None)
        shown = symbols.find(part.symbol, opened.sets) if part.symbol else None
        either = shown or (symbols.find(automatic, opened.sets) if automatic else None)
        listed.append(
            PagePicture(
                where=where,
                page=page_name(where),
                text=texts[-1] if texts else "",
                symbol=part.symbol,
                src=urls.symbol(part.symbol) if part.symbol else None,
                photo=part.image is not None,
                chosen=chosen,
                automatic=automatic,
                word=either.name if either else "",
                set=shown.set if shown else "",
            )
        )
    return listed


def _written_symbol(data: Any, where: Loc) -> str | None:
    """The `symbol:` a page names in the file (None or empty: none named)."""
    for step in where:
        data = data[step]
    return data.get("symbol") if isinstance(data, dict) else None


def opened(path: Path) -> Opened | None:
    """The story at path opened in its library (None when it has errors: nothing to pick for)."""
    try:
        return open_story(path)
    except StoryError:
        return None


def search(opened: Opened | None, word: str, first: Iterable[str] = ()) -> list[dict[str, Any]]:
    """The pictures whose name holds word, in every set the story's library has and in the
    story's language, as `storygen symbols WORD` finds them, each with the name to write; first:
    qualified names shown before them (the page's picture now and its automatic one)."""
    word = word.strip()[:MAX_SYMBOL]
    if opened is None or not word:
        return []
    urls, language = Urls("screen", opened.sets, library=opened.library), opened.story.language
    named = [symbols.find(name, opened.sets) for name in list(first)[:2] if len(name) <= 2 * MAX_SYMBOL]
    found = [*(hit for hit in named if hit), *symbols.search(word, opened.sets, language)]
    hits = [hit for hit in _with_twins(found, opened) if not hit.adult]
    return [
        {
            "name": hit.name if symbols.find(hit.name, opened.sets, language) == hit else hit.qualified,
            "shown": hit.name,
            "set": hit.set,
            "qualified": hit.qualified,
            "src": urls.symbol(hit.qualified),
        }
        for hit in hits[:MOST_PICTURES]
    ]


def _with_twins(hits: list[symbols.Symbol], opened: Opened) -> list[symbols.Symbol]:
    """hits with the thing of the same name before each action ('sink' the basin, then 'to sink'):
    symbols.search lists both, but a picture named first (the page's) may be the action, and the
    thing is the one a page means most."""
    found: dict[str, symbols.Symbol] = {}
    for hit in hits:
        twin = symbols.find(f"{hit.set}:{hit.name}", opened.sets) if hit.action else None
        for symbol in (twin, hit):
            if symbol is not None and symbol.name == hit.name:
                found.setdefault(symbol.qualified, symbol)
    return list(found.values())


@dataclass
class Choice:
    """A request to write a page's picture, read and checked."""

    where: Loc
    symbol: str
    seen: str  # the fingerprint of the story's text the page was shown from


class Refused(Exception):
    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status = status


class Stories(Protocol):
    """What the picker asks of the preview's library."""

    paths: tuple[Path, ...]

    def stories(self) -> tuple[dict[str, Path], list]: ...

    def opened(self, story_id: str) -> Opened | None: ...


@dataclass
class Asked:
    """A request that writes, past the guard: the story it names and its JSON body."""

    path: Path  # the story file
    story: Opened
    root: Path  # the folder the preview serves that holds it: what a write must stay inside
    body: dict[str, Any]


def guard(headers: Any, body: Any, token: str, address: str, route: str, library: Stories, most: int) -> Asked:
    """The one guard of every request that writes (the picker's, the editor's): Refused unless
    it is the preview's own page (its Origin, this run's token), its body a JSON object of at
    most `most` bytes, and the address /<route>/<id> names a story the preview serves (by its
    id, never a path) that opens without errors."""
    check_sender(headers, token)
    asked = read_body(headers, body, most)
    found = re.fullmatch(rf"/{re.escape(route)}/([^/]+)", address)
    path = library.stories()[0].get(found[1]) if found else None
    story = library.opened(found[1]) if found and path else None
    if path is None or story is None:
        raise Refused(404, "no such story here, or it has errors to fix first")
    return Asked(path, story, served_root(path, library.paths), asked)


def answer(headers: Any, body: Any, token: str, address: str, library: Stories) -> tuple[int, dict[str, str]]:
    """POST /picture/<story id>: (status, answer), the picture written when the status is 200."""
    try:
        asked = guard(headers, body, token, address, "picture", library, MOST_BYTES)
        chosen = read_choice(asked.body)
        return 200, {"written": write_choice(asked.story, chosen, asked.root)}
    except Refused as refused:
        return refused.status, {"error": str(refused)}


def check_sender(headers: Any, token: str) -> None:
    """Refused (403) unless the request comes from the preview's own page: its Origin the address
    it was sent to, with this run's token."""
    if not token:
        raise Refused(403, "a preview other computers can open changes no file; serve it on this computer only")
    origin, host = headers.get("Origin"), headers.get("Host")
    if not origin or not host or origin != f"http://{host}":
        raise Refused(403, "a change must come from the preview's own page")
    if not hmac.compare_digest(headers.get(TOKEN_HEADER, "").encode("utf-8"), token.encode("utf-8")):
        raise Refused(403, "this page's key is out of date; reload the page")


def read_body(headers: Any, body: Any, most: int) -> dict[str, Any]:
    """The request's body: a JSON object of at most `most` bytes, said to be JSON."""
    if headers.get_content_type() != "application/json":
        raise Refused(415, "a change is sent as JSON")
    try:
        length = int(headers.get("Content-Length", ""))
    except ValueError:
        raise Refused(411, "a change says how long it is") from None
    if not 0 <= length <= most:
        raise Refused(413, "a change is a few words long")
    try:
        asked = json.loads(body.read(length))
    except (ValueError, UnicodeDecodeError):
        raise Refused(400, "a change is sent as JSON") from None
    if not isinstance(asked, dict):
        raise Refused(400, "a change is sent as a JSON object")
    return asked


def read_where(asked: dict[str, Any]) -> Loc:
    """The page (or text) a change names: a list of keys and numbers."""
    where = asked.get("page")
    if not (isinstance(where, list) and len(where) <= 8 and all(isinstance(step, (str, int)) for step in where)):
        raise Refused(400, "a change names its page")
    return tuple(where)


def read_choice(asked: dict[str, Any]) -> Choice:
    """A choice's body: {"page": [...], "symbol": NAME, "fingerprint": ...}."""
    where, name, seen = read_where(asked), asked.get("symbol"), asked.get("fingerprint")
    if not (isinstance(name, str) and isinstance(seen, str)):
        raise Refused(400, "a change names its picture and the story it was chosen on")
    return Choice(where, name, seen)


def write_choice(opened: Opened, chosen: Choice, root: Path) -> str:
    """Write the chosen picture into the story file (inside root); the line written."""
    if chosen.where not in [(), *(where for where, _ in pages(opened.story))]:
        raise Refused(400, "that page is not in the story now; look again and choose again")
    language = opened.story.language
    if chosen.symbol != NO_PICTURE and symbols.find(chosen.symbol, opened.sets, language) is None:
        raise Refused(400, f"there is no symbol named '{chosen.symbol}'")
    try:
        set_symbol(opened.path, chosen.where, chosen.symbol, root, seen=chosen.seen)
    except EditRefused as refused:
        raise Refused(409, str(refused)) from None
    return f"symbol: {chosen.symbol}"


def served_root(path: Path, served: tuple[Path, ...]) -> Path:
    """The folder the preview serves that holds a story: what an edit must stay inside."""
    real = path.resolve()
    folders = [(p if p.is_dir() else p.parent).resolve() for p in served]
    return next((folder for folder in folders if real.is_relative_to(folder)), real.parent)
