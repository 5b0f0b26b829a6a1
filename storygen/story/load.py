"""Load a story file: YAML -> plain data plus the source position of every value.

Stories are untrusted input shared between clinics, so the loader is strict: the
safe loader's composer only, no anchors or aliases (no "billion laughs"), limits
on size and nesting, duplicate keys refused (the second would silently win), every
scalar kept as text (YAML 1.1 would turn a step reading `No` into False), and no
control characters, written raw or as YAML escapes ("\\e[2J"): story text reaches
terminals, and a terminal obeys them.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple, TypeVar

import yaml

from .. import files
from ..errors import UNPRINTABLE, Problem, Severity, StoryError, control_name

if TYPE_CHECKING:  # the model imports pydantic; loading a file alone need not
    from pydantic import BaseModel


MAX_BYTES = 512 * 1024
MAX_DEPTH = 12
MAX_NODES = 20_000
NULLS = {"", "~", "null", "Null", "NULL"}
# libyaml's C parser when PyYAML has it (ten times faster), the pure-Python one otherwise.
SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

Loc = tuple  # a path into the data: ("steps", 0, "text")
M = TypeVar("M", bound="BaseModel")


@dataclass
class Source:
    """A story's data as loaded, with 1-based (line, col) positions of values and keys."""

    path: Path
    data: Any
    text: str = ""
    values: dict[Loc, tuple[int, int]] = field(default_factory=dict)
    keys: dict[Loc, tuple[int, int]] = field(default_factory=dict)

    def position(self, loc: Loc, at_key: bool = False) -> tuple[int, int]:
        """Where loc is written; the nearest enclosing value when loc itself is not."""
        loc = tuple(loc)
        if at_key and loc in self.keys:
            return self.keys[loc]
        while loc not in self.values and loc:
            loc = loc[:-1]
        return self.values.get(loc, (1, 1))

    def problem(
        self, loc: Loc, message: str, at_key: bool = False, severity: Severity = Severity.ERROR, hint: str | None = None
    ) -> Problem:
        line, col = self.position(loc, at_key)
        return Problem(self.path, line, col, message, severity, hint)

    def locate(self, loc: Loc, needle: str) -> tuple[int, int]:
        """The line and column of needle in the text written at loc (or of loc itself)."""
        line, col = self.position(loc)
        if not needle:
            return line, col
        lines = self.text.splitlines(keepends=True)
        start = sum(len(text) for text in lines[: line - 1]) + col - 1
        found = re.search(re.escape(needle), self.text[start : start + 4000], re.IGNORECASE)
        if not found:
            return line, col
        offset = start + found.start()
        before = self.text[:offset]
        return before.count("\n") + 1, offset - (before.rfind("\n") + 1) + 1


def load_source(path: Path, library: Path | None = None) -> Source:
    """Read and parse a story file (one of library's, read as library_bytes does, when given),
    raising StoryError with positions on any problem."""
    path = Path(path)
    try:
        raw = path.read_bytes() if library is None else library_bytes(path, library, MAX_BYTES)
    except OSError as exc:
        raise StoryError([Problem(path, 1, 1, f"cannot read the file: {exc.strerror}")]) from None
    except files.TooLarge as exc:
        raise StoryError([_too_large(path, exc.size)]) from None
    if len(raw) > MAX_BYTES:
        raise StoryError([_too_large(path, len(raw))])
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise StoryError([_not_utf8(path, raw, exc.start)]) from None
    if controls := _raw_controls(path, text):
        raise StoryError(controls)
    try:
        root = yaml.compose(text, Loader=SAFE_LOADER)
    except yaml.MarkedYAMLError as exc:
        raise StoryError([_yaml_problem(path, exc, text)]) from None
    except yaml.reader.ReaderError as exc:  # a character YAML does not allow, such as U+FFFE
        line, col = _line_col(text, exc.position)
        raise StoryError(
            [
                Problem(
                    path,
                    line,
                    col,
                    f"the file contains a character YAML does not allow (U+{exc.character:04X})",
                    hint="remove it",
                )
            ]
        ) from None
    source = Source(path, None, text)
    if root is None:
        hint = "a story needs at least `title:` and `steps:`"
        raise StoryError([Problem(path, 1, 1, "the file is empty", hint=hint)])
    if not isinstance(root, yaml.MappingNode):
        raise StoryError([_at(path, root, "a story must be a set of `key: value` lines, starting with `title:`")])
    source.data = _Builder(source).build(root, (), 0)
    return source


def _not_utf8(path: Path, raw: bytes, start: int) -> Problem:
    """The error for a file saved in another encoding (Latin-1, Windows-1252), at the line and
    column of its first byte that is not UTF-8, naming the letter it most likely is."""
    before = raw[:start].decode("utf-8-sig", errors="replace")
    line, col = before.count("\n") + 1, len(before) - (before.rfind("\n") + 1) + 1
    letter = raw[start : start + 1].decode("cp1252", errors="replace")
    shown = f" ('{letter}')" if letter.isprintable() and letter != "\ufffd" else ""
    message = f"this letter{shown} is not UTF-8: the file was saved in another encoding (such as Latin-1)"
    return Problem(path, line, col, message, hint="save it as UTF-8 (in most editors: Save As, Encoding: UTF-8)")


def _too_large(path: Path, size: int) -> Problem:
    return Problem(
        path,
        1,
        1,
        f"the file is {-(-size // 1024)} KB",
        hint=f"a story must be at most {MAX_BYTES // 1024} KB (split it into two stories, or move long notes out of it)",
    )


REMOVE = "remove it"  # the fix for a control character in a story
RAW_ALLOWED = "\n\t\r"  # line ends and tabs; YAML itself refuses tabs where they would matter
MAX_REPORTED = 10  # a file full of control characters gets the first few, not thousands of lines


def _raw_controls(path: Path, text: str) -> list[Problem]:
    """A problem for each control character written into the file itself."""
    found = (m for m in UNPRINTABLE.finditer(text) if m.group(0) not in RAW_ALLOWED)
    problems = []
    for match in found:
        line, col = _line_col(text, match.start())
        problems.append(
            Problem(path, line, col, f"text contains a control character ({control_name(match.group(0))})", hint=REMOVE)
        )
        if len(problems) == MAX_REPORTED:
            break
    return problems


def _escaped_control(path: Path, node: yaml.ScalarNode) -> Problem | None:
    """A problem when a scalar holds a control character written as a YAML escape ("\\e", "\\x1b")."""
    found = next((m for m in UNPRINTABLE.finditer(node.value) if m.group(0) not in "\n\t"), None)
    if found is None:
        return None
    return _at(
        path,
        node,
        f"text contains a control character ({control_name(found.group(0))}) written as a backslash escape",
        REMOVE,
    )


def _line_col(text: str, offset: int) -> tuple[int, int]:
    before = text[:offset]
    return before.count("\n") + 1, offset - (before.rfind("\n") + 1) + 1


def _at(path: Path, node: yaml.Node, message: str, hint: str | None = None) -> Problem:
    return Problem(path, node.start_mark.line + 1, node.start_mark.column + 1, message, hint=hint)


QUOTE_HINT = "put quotes around text holding a comma or a colon"
QUOTE_EXAMPLE = 'caution: "nuts, check for allergies"'


def _yaml_problem(path: Path, exc: yaml.MarkedYAMLError, text: str) -> Problem:
    mark = exc.problem_mark or exc.context_mark
    what = exc.problem or "this is not valid YAML"
    hint = "check the indentation and that every `key:` is followed by a space"
    lines, line, col = text.splitlines(), (mark.line if mark else 0), (mark.column if mark else 0)
    if line < len(lines) and "\t" in lines[line][: col + 1]:
        hint = "indent with spaces, not tabs"
    elif "expected ',' or ']'" in what:
        hint = "a `[` or `{` opened earlier is not closed; close it, or put text that starts with [ or { in quotes"
    elif "expected ',' or '}'" in what:  # unclosed, or a text in it with a colon: {caution: hot: take care}
        hint = f"close every `{{` you open, and {QUOTE_HINT}, like {QUOTE_EXAMPLE}"
    elif "mapping values" in what:
        hint = f"a `:` inside text needs the whole text in quotes: {QUOTE_HINT}"
    return Problem(path, line + 1, col + 1, f"YAML syntax error: {what}", hint=hint)


class _Builder:
    """Turns a composed node tree into dicts, lists and strings, recording positions."""

    def __init__(self, source: Source):
        self.source = source
        self.count = 0
        self.seen: set[int] = set()  # an alias composes to a node already seen

    def build(self, node: yaml.Node, loc: Loc, depth: int) -> Any:
        path = self.source.path
        self.count += 1
        if self.count > MAX_NODES:
            raise StoryError(
                [_at(path, node, f"the story has more than {MAX_NODES:,} values", "split it into shorter stories")]
            )
        if depth > MAX_DEPTH:
            raise StoryError(
                [
                    _at(
                        path,
                        node,
                        f"nested more than {MAX_DEPTH} levels deep",
                        "a story needs only a few (check the brackets and indentation here)",
                    )
                ]
            )
        if id(node) in self.seen:
            message = "anchors and aliases (& and *) are not supported"
            raise StoryError([_at(path, node, message, "write the text out")])
        self.seen.add(id(node))
        self.source.values[loc] = (node.start_mark.line + 1, node.start_mark.column + 1)
        if isinstance(node, yaml.MappingNode):
            return self._mapping(node, loc, depth)
        if isinstance(node, yaml.SequenceNode):
            return [self.build(item, (*loc, i), depth + 1) for i, item in enumerate(node.value)]
        assert isinstance(node, yaml.ScalarNode)  # the composer makes nothing else
        if problem := _escaped_control(path, node):
            raise StoryError([problem])
        if node.style is None and node.value in NULLS:
            return None
        return node.value

    def _mapping(self, node: yaml.MappingNode, loc: Loc, depth: int) -> dict:
        result: dict = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                raise StoryError([_at(self.source.path, key_node, "a key must be a plain word like `title`")])
            if problem := _escaped_control(self.source.path, key_node):
                raise StoryError([problem])
            key = key_node.value
            if node.flow_style and self._bare(key_node, value_node):
                raise StoryError([self._comma_in_text(node, key_node)])
            if key in result:
                raise StoryError(
                    [
                        _at(
                            self.source.path,
                            key_node,
                            f"`{key}` is given twice",
                            "keep one (the second would replace the first)",
                        )
                    ]
                )
            at = (*loc, key)
            self.source.keys[at] = (key_node.start_mark.line + 1, key_node.start_mark.column + 1)
            result[key] = self.build(value_node, at, depth + 1)
        return result

    def _bare(self, key_node: yaml.Node, value_node: yaml.Node) -> bool:
        """A key written alone in `{...}`, with no `:` after it."""
        between = self.source.text[key_node.end_mark.index : value_node.start_mark.index]
        return isinstance(value_node, yaml.ScalarNode) and value_node.value == "" and ":" not in between

    def _comma_in_text(self, node: yaml.MappingNode, key_node: yaml.Node) -> Problem:
        """`{item: jar, caution: nuts, check for allergies}`: the words after a comma read as a
        key of their own. The fix, quoting the text they belong to, written out when it can be."""
        pairs = node.value
        at = next(i for i, (k, _) in enumerate(pairs) if k is key_node)
        last = at
        while last + 1 < len(pairs) and self._bare(*pairs[last + 1]):  # "nuts, check, and more"
            last += 1
        message = f"'{key_node.value}' is not a `key: value`: inside {{ }} a comma ends a text"
        hint = f"{QUOTE_HINT}, like {QUOTE_EXAMPLE}"
        if at and isinstance(before := pairs[at - 1][1], yaml.ScalarNode) and not before.style:  # plain, not quoted
            words = " ".join(self.source.text[before.start_mark.index : pairs[last][0].end_mark.index].split())
            quoted = f'"{words}"' if '"' not in words else "'" + words.replace("'", "''") + "'"
            hint = f"{QUOTE_HINT}: {pairs[at - 1][0].value}: {quoted}"
        return _at(self.source.path, key_node, message, hint)


def validate_as(source: Source, model: type[M], context: dict | None = None) -> M:
    """source.data as the given pydantic model; StoryError with positions when it is not."""
    from pydantic import ValidationError

    try:
        return model.model_validate(source.data, context=context)
    except ValidationError as exc:
        raise StoryError(_problems(source, model, [dict(error) for error in exc.errors()])) from None


def library_bytes(path: Path, library: Path, most: int) -> bytes:
    """The bytes of a file of the library, read through the descriptor checked (files.read):
    StoryError when it (or a link on the way) leads outside the library or it is not a regular
    file, storygen reads nothing else from a library someone shares; files.TooLarge over most."""
    try:
        return files.read(path, library, most)
    except files.Outside:
        message, hint = (
            "this file links to a file outside the library",
            "copy the file into the library instead of linking to it",
        )
        raise StoryError([Problem(Path(path), 1, 1, message, hint=hint)]) from None
    except files.NotAFile:
        raise StoryError(
            [Problem(Path(path), 1, 1, "this is not a regular file", hint="storygen reads only files here")]
        ) from None
    except OSError as exc:
        raise StoryError([Problem(Path(path), 1, 1, f"cannot read the file: {exc.strerror}")]) from None


def _problems(source: Source, model: type, errors: list[dict]) -> list[Problem]:
    problems = [_problem(source, model, error) for error in errors]
    unique = {(p.line, p.col, p.message, p.hint): p for p in problems}
    return sorted(unique.values(), key=lambda p: (p.line, p.col))


def _problem(source: Source, model: type, error: dict) -> Problem:
    from .model import UNION_TAGS

    loc = tuple(part for part in error["loc"] if part not in UNION_TAGS)  # the branch of a union is no place
    if error["type"] == "too_long" and isinstance(error.get("input"), list):
        loc += (error["ctx"]["max_length"],)  # point at the first item too many: "step 101"
    said = _wording(model, loc, error)
    at_key = error["type"] == "extra_forbidden"
    return source.problem(loc, with_place(place_name(loc), said.message), at_key=at_key, hint=said.hint)


class Wording(NamedTuple):
    """What a validation error says: what is wrong, and how to fix it (None when what is wrong says it)."""

    message: str
    hint: str | None = None


def _wording(model: type, loc: Loc, error: dict) -> Wording:
    """What is wrong and how to fix it, in a clinician's words. storygen's own errors (each a
    PydanticCustomError) say what in their message and give the fix as `hint` in their context."""
    kind, given, name = error["type"], error.get("input"), _name(loc)
    if said := _field_message(kind, loc, given):
        return Wording(said)
    if kind.startswith("int_"):
        return Wording(f"`{name}` should be a whole number, like 10")
    if kind.startswith(("greater", "less")):
        return Wording(f"`{name}` {error['msg'][0].lower()}{error['msg'][1:]}")
    say = KIND_MESSAGES.get(kind)
    return say(model, loc, error, given, name) if say else Wording(error["msg"], error.get("ctx", {}).get("hint"))


def _field_message(kind: str, loc: Loc, given: Any) -> str | None:
    """The words some fields have of their own for an error (steps, mastery, prompt codes)."""
    if kind == "too_short" and loc[-1:] == ("steps",):
        return "a story needs at least one step under `steps:`"
    if kind == "string_type" and loc[-1:] == ("mastery",):
        return "`mastery` should be a rule, like {sessions: 3, independent: 100%}, or words"
    if kind == "string_pattern_mismatch" and ("prompts" in loc or loc[-2:] == ("mastery", "step")):
        return f"prompt code '{given}' should be 1 to 4 capital letters, like I, G, V, M, PP, FP"
    return None


def _unknown_key(model: type, loc: Loc, error: dict, given: Any, name: str) -> Wording:
    from ..errors import did_you_mean

    known = _known_keys(model, loc[:-1])
    close = did_you_mean(str(loc[-1]), known) or f" (known keys here: {', '.join(known)})"
    return Wording(f"unknown key '{loc[-1]}'{close}")


def _not_a_choice(model: type, loc: Loc, error: dict, given: Any, name: str) -> Wording:
    from ..errors import did_you_mean

    choices = re.findall(r"'([^']+)'", error["ctx"]["expected"])
    return Wording(
        f"'{given}' is not a valid `{name}`", f"use one of {', '.join(choices)}{did_you_mean(str(given), choices)}"
    )


def _too_long_text(model: type, loc: Loc, error: dict, given: Any, name: str) -> Wording:
    limit = error["ctx"]["max_length"]
    hint = "split it into two steps or shorten it" if name == "text" and "steps" in loc else "shorten it"
    return Wording(f"`{name}` has {len(given or '')} characters, more than {limit}", hint)


NOT_KEYS = Wording("should be text or `key: value` lines")
# pydantic's error kinds in a clinician's words: (model, loc, error, given, name) -> wording
KIND_MESSAGES: dict[str, Callable[[type, Loc, dict, Any, str], Wording]] = {
    "extra_forbidden": _unknown_key,
    "missing": lambda model, loc, error, given, name: Wording(
        f"`{loc[-1]}` is missing", f"add a line `{loc[-1]}: ...`"
    ),
    "literal_error": _not_a_choice,
    "list_type": lambda model, loc, error, given, name: Wording(
        f"`{name}` should be a list: put each item on its own line starting with `- `"
    ),
    "model_type": lambda *_: NOT_KEYS,
    "model_attributes_type": lambda *_: NOT_KEYS,
    "dict_type": lambda *_: NOT_KEYS,
    "string_too_short": lambda model, loc, error, given, name: Wording(
        f"`{name}` is empty", "write some text or remove the line"
    ),
    "too_long": lambda model, loc, error, given, name: _too_many(loc, error["ctx"]["max_length"]),
    "string_too_long": _too_long_text,
}


def _too_many(loc: Loc, limit: int) -> Wording:
    """What to say when a list is longer than the model allows; loc ends at the first item too many."""
    what = loc[-2]
    if what == "steps" and len(loc) == 2:
        return Wording(f"a story can have at most {limit} steps", "split it into two stories")
    if what == "steps":
        return Wording(f"a step can have at most {limit} sub-steps", "make some of them steps of their own")
    if what == "calm":
        return Wording(f"a story can have at most {limit} calm choices", "keep the ones that work best")
    return Wording(f"`{what}` can have at most {limit} items", "remove some")


def _name(loc: Loc) -> str:
    return next((str(part) for part in reversed(loc) if isinstance(part, str)), "story")


def place_name(loc: Loc) -> str:
    """The page a location is on, as a message names it: 'step 2.1', 'calm choice 3'; '' for
    a location outside the steps and calm choices."""
    numbers, part = [], None
    for i, item in enumerate(loc):
        if isinstance(item, int) and i and loc[i - 1] in ("steps", "calm"):
            numbers.append(str(item + 1))
            part = "step" if loc[i - 1] == "steps" else "calm choice"
    return f"{part} {'.'.join(numbers)}" if numbers else ""


def with_place(where: str, message: str) -> str:
    """A message about a place, after the place's name when it has one: 'step 2: ...'."""
    return f"{where}: {message}" if where else message


def _known_keys(model: Any, loc: Loc) -> list[str]:
    """The keys allowed in the mapping at loc, found by walking the model's fields."""
    import typing

    keyed = False  # the part after a mapping's field is one of its keys: `translations: {es: ...}`
    for part in loc:
        if isinstance(part, int) or keyed:
            keyed = False
            continue
        field = next((f for name, f in model.model_fields.items() if part in (name, f.alias)), None)
        if field is None:
            return []
        keyed = typing.get_origin(field.annotation) is dict
        model = _model_in(field.annotation)
        if model is None:
            return []
    return [field.alias or name for name, field in model.model_fields.items()]  # as written: `for`


def _model_in(annotation: Any) -> Any:
    import typing

    from pydantic import BaseModel

    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in typing.get_args(annotation):
        found = _model_in(arg)
        if found is not None:
            return found
    return None
