"""The sandbox every template runs in: Jinja's immutable sandbox (no file, no model, no
mutation), where no template can make a huge string, list or number either.

A library's templates are shared between clinics, so a template may try to exhaust memory:
`"x"|center(1500000000)`, `"%1500000000d"|format(1)`, `s ~ s` doubled in a loop. Every way
a template makes text or a list is checked, before it is made where its arguments say how
large it will be (a width, a count, a format), after otherwise:

- operators (`*`, `**`, `+`, `%`) in call_binop, and `~` (SandboxCodeGenerator.visit_Concat);
- filters (each wrapped by `checked_filter`, which also keeps Jinja from running them while
  it compiles the template, where nothing is checked);
- calls of methods, functions and macros (`"x".ljust(n)`, `_("...", x=...)`) in call;
- every text a template prints (finalize) and every block, macro and page it joins (concat).

No one string may pass MAX_TEXT characters, no list MAX_ITEMS items, no number MAX_BITS
bits; and all that one render makes, together, may not pass its budget (MAX_MADE, plus
what the template is given: a story's photos and recordings come as large `data:` URLs).
"""

from __future__ import annotations

import contextvars
import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from jinja2 import pass_context
from jinja2.compiler import CodeGenerator
from jinja2.filters import make_attrgetter
from jinja2.runtime import BlockReference, Macro, Namespace, markup_join, str_join
from jinja2.sandbox import ImmutableSandboxedEnvironment

MAX_TEXT = 4_000_000  # characters in one string a template makes
MAX_ITEMS = 100_000  # items in one list it makes (Jinja's sandbox caps range() there too)
MAX_BITS = 4096  # bits in a number it makes
MAX_MADE = 64_000_000  # characters (or list slots) one render may make, beyond GIVEN_SHARE times what it is given
GIVEN_SHARE = 8  # a picture given is printed by a macro, inside a page, inside the document: each is made again


class TooLarge(OverflowError):
    """A template tried to make something too large."""


def text_size(value: Any, limit: int = MAX_TEXT) -> int:
    """Roughly how long str(value) is, counted no further than just past limit: a list of the
    same long string 100,000 times is short to hold, but not to print."""
    if isinstance(value, str):
        return len(value)
    total, stack = 0, [value]
    while stack and total <= limit:
        item = stack.pop()
        if isinstance(item, str):
            total += len(item) + 4  # quoted inside a list
        elif isinstance(item, int):
            total += item.bit_length() // 3 + 2
        elif isinstance(item, Mapping):
            stack += [*item.keys(), *item.values()]
            total += 2
        elif isinstance(item, Namespace):
            stack.append(item.__dict__.get("_Namespace__attrs", {}))
        elif isinstance(item, (list, tuple, set, frozenset)) or type(item).__name__.startswith("dict_"):
            stack += list(item)
            total += 2
        else:
            total += 64  # a number, None, or a short <object ...>
    return total


def cost(value: Any) -> int:
    """What a made value counts against the budget: its characters, or its list slots."""
    if isinstance(value, (str, bytes)):
        return len(value)
    return 8 * len(value) if isinstance(value, (list, tuple, dict)) else 0


WIDTH = re.compile(r"\d+")


def format_size(text: str, values: Any) -> int:
    """The most a `%` format or str.format of text can make from values: every field as wide
    as the largest number in it (or given), holding the longest value."""
    if not isinstance(text, str):
        return 0
    values = list(values.values()) if isinstance(values, Mapping) else values
    values = list(values) if isinstance(values, (list, tuple)) else [values]
    widths = [int(d) if len(d) < 10 else 10**10 for d in WIDTH.findall(text)]
    if "*" in text or "{" in text:  # a width given as an argument: %*d, {:{w}}
        widths += [abs(v) for v in values if isinstance(v, int) and not isinstance(v, bool)]
    longest = max((text_size(v) for v in values), default=0)
    return len(text) + (text.count("%") + text.count("{")) * (max(widths, default=0) + longest)


def _items(value: Any, attribute: Any = None, context: Any = None) -> list:
    if isinstance(value, str) or not isinstance(value, Iterable):
        return []
    items = list(value) if isinstance(value, (list, tuple, dict)) else []
    return [make_attrgetter(context.environment, attribute)(i) for i in items] if attribute is not None else items


def _length(value: Any) -> int:
    return len(value) if isinstance(value, (str, list, tuple, dict)) else 0


def _number(value: Any, default: int = 0) -> int:
    return value if isinstance(value, int) else default


def _joined(value: Any, sep: Any = "", attribute: Any = None, context: Any = None) -> int:
    items = _items(value, attribute, context)
    return sum(text_size(i) for i in items) + len(str(sep)) * len(items)


def _replaced(text: Any, old: Any, new: Any, count: Any = None) -> int:
    text, old, new = str(text), str(old), str(new)
    times = text.count(old) if old else len(text) + 1
    return len(text) + min(times, count if isinstance(count, int) and count >= 0 else times) * len(new)


def _indented(text: Any, width: Any = 4, *_: Any) -> int:
    text = str(text)
    return len(text) + (text.count("\n") + 1) * (_number(width) if isinstance(width, int) else len(str(width)))


def _wrapped(text: Any, width: Any = 79, _break: Any = True, wrapstring: Any = None, *_: Any) -> int:
    return len(str(text)) * (1 + len(str(wrapstring or "\n")))


# How large a filter's result will be (characters, or items for a list), from its arguments:
# the filters whose result may grow beyond a small multiple of what they are given.
FILTER_SIZES: dict[str, Callable[..., int]] = {
    "center": lambda value, width=80, *_: max(len(str(value)), _number(width)),
    "indent": _indented,
    "wordwrap": _wrapped,
    "replace": _replaced,
    "format": lambda value, *args, **kwargs: format_size(str(value), kwargs or args),
    "join": lambda value, d="", attribute=None, *, context: _joined(value, d, attribute, context),
    "batch": lambda value, linecount, fill_with=None, *_: (
        _length(value) + (_number(linecount) if fill_with is not None else 0)
    ),
    "slice": lambda value, slices, *_: _length(value) + _number(slices),
    "urlize": lambda value, *args, **kwargs: (
        4 * text_size(value) + str(value).count(" ") * sum(text_size(v) for v in [*args, *kwargs.values()])
    ),
}
# Filters that only pick, count or order what they are given: the others print it as text.
NOT_TEXT = {"attr", "batch", "count", "d", "default", "dictsort", "first", "groupby", "in_rows", "items", "join"}
NOT_TEXT |= {"last", "length", "list", "map", "max", "min", "random", "reject", "rejectattr", "reverse", "select"}
NOT_TEXT |= {"selectattr", "slice", "sort", "sum", "unique", "abs", "int", "float", "round", "filesizeformat"}

# How large a method's result will be (`"x".ljust(n)`), by its name, from its object and arguments.
METHOD_SIZES: dict[str, Callable[..., int]] = {
    "center": lambda s, width=0, *_: max(_length(s), _number(width)),
    "ljust": lambda s, width=0, *_: max(_length(s), _number(width)),
    "rjust": lambda s, width=0, *_: max(_length(s), _number(width)),
    "zfill": lambda s, width=0: max(_length(s), _number(width)),
    "expandtabs": lambda s, tabsize=8: _length(s) + str(s).count("\t") * _number(tabsize),
    "replace": lambda s, old, new, count=-1: _replaced(s, old, new, count),
    "join": lambda s, items: _joined(items, s),
    "format": lambda s, *args, **kwargs: format_size(s, [*args, *kwargs.values()]),
    "format_map": lambda s, mapping: format_size(s, mapping),
    "translate": lambda s, table: (
        _length(s) * max([1, *(text_size(v) for v in _items(getattr(table, "values", list)()))])
    ),
    "to_bytes": lambda number, length=1, *_: _number(length),
}


@dataclass
class Budget:
    """What one render may still make, and the longest text it was given."""

    left: int
    longest: int


_budget: contextvars.ContextVar[Budget | None] = contextvars.ContextVar("template_budget", default=None)


@contextmanager
def budget(given: Any) -> Iterator[None]:
    """Limits for one render of a template given `given`: it may make MAX_MADE characters,
    and GIVEN_SHARE times those it is given, in all; one string as long as MAX_TEXT, or twice
    the longest it is given (`'<img src="' ~ picture.src ~ '">'`, a photo as a data: URL)."""
    texts = list(_texts(given))
    token = _budget.set(Budget(MAX_MADE + GIVEN_SHARE * sum(map(len, texts)), max(map(len, texts), default=0)))
    try:
        yield
    finally:
        _budget.reset(token)


def _texts(value: Any) -> Iterator[str]:
    """Every string in plain data (what render.py gives a template)."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, Mapping):
        for item in value.values():
            yield from _texts(item)
    elif isinstance(value, (list, tuple)):
        for item in value:
            yield from _texts(item)


def text_limit() -> int:
    found = _budget.get()
    return max(MAX_TEXT, 2 * found.longest) if found else MAX_TEXT


def refuse(size: int, what: str, limit: int | None = None, unit: str = "characters") -> None:
    """TooLarge when size is over limit (text_limit() by default): what the template tried, and the limit."""
    limit = text_limit() if limit is None else limit
    if size > limit:
        raise TooLarge(f"{what} would make over {limit:,} {unit}; a template makes pages, not large data")


def made(value: Any, what: str) -> Any:
    """value, once checked against the limits and counted against the render's budget."""
    if isinstance(value, (str, bytes)):
        refuse(len(value), what)
    elif isinstance(value, (list, tuple, dict)):
        refuse(len(value), what, MAX_ITEMS, "items")
    elif isinstance(value, int):
        refuse(value.bit_length(), what, MAX_BITS, "bits in a number")
    charge(cost(value), what)
    return value


def charge(size: int, what: str) -> None:
    found = _budget.get()
    if found is not None:
        found.left -= size
        if found.left < 0:
            raise TooLarge(f"{what}: the template makes too much text in all; a template makes pages, not large data")


def checked_filter(name: str, function: Callable) -> Callable:
    """A filter that refuses to make a result over the limits. It takes the context, as Jinja's
    constant folding cannot: Jinja never runs it while compiling, unchecked."""
    size = FILTER_SIZES.get(name)

    @pass_context
    def checked(context, value, *args, **kwargs):
        what = f"the filter {name}"
        if name not in NOT_TEXT:
            refuse(text_size(value), what)
        if size is not None:
            extra = {"context": context} if name == "join" else {}
            items = name in ("batch", "slice")
            refuse(
                size(value, *args, **kwargs, **extra),
                what,
                MAX_ITEMS if items else None,
                "items" if items else "characters",
            )
        if name == "sum" and isinstance(kwargs.get("start", args[1] if len(args) > 1 else 0), (list, tuple)):
            attribute = kwargs.get("attribute", args[0] if args else None)
            refuse(sum(map(_length, _items(value, attribute, context))), what, MAX_ITEMS, "items")
        return made(context.call(function, value, *args, **kwargs), what)

    checked.__name__ = getattr(function, "__name__", name)
    return checked


class CheckedFilters(dict):
    """The environment's filters, each checked (checked_filter), those added later too."""

    def __init__(self, filters: Mapping[str, Callable]):
        super().__init__()
        for name, function in filters.items():
            self[name] = function

    def __setitem__(self, name: str, function: Callable) -> None:
        super().__setitem__(name, checked_filter(name, function))


class SandboxCodeGenerator(CodeGenerator):
    """Jinja's code generator, with `~` made by the environment, which checks its size first."""

    def visit_Concat(self, node, frame) -> None:
        self.write("environment.joined(context, (")
        for operand in node.nodes:
            self.visit(operand, frame)
            self.write(", ")
        self.write("))")


class Sandbox(ImmutableSandboxedEnvironment):
    """Jinja's immutable sandbox, where no template can make a huge string, list or number."""

    code_generator_class = SandboxCodeGenerator
    intercepted_binops = frozenset({"*", "**", "+", "%"})  # nor are they folded while compiling

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, finalize=self.printed, **kwargs)
        self.filters = CheckedFilters(self.filters)

    def call_binop(self, context, operator, left, right):
        what = f"the operator {operator}"
        if operator == "**" and isinstance(left, int) and isinstance(right, int):
            refuse(left.bit_length() * abs(right), what, MAX_BITS, "bits in a number")
        elif operator == "*":
            times, thing = (left, right) if isinstance(left, int) else (right, left)
            if isinstance(times, int) and isinstance(thing, int):
                refuse(times.bit_length() + thing.bit_length(), what, MAX_BITS, "bits in a number")
            elif isinstance(times, int) and isinstance(thing, (str, list, tuple)):
                text = isinstance(thing, str)
                refuse(len(thing) * times, what, None if text else MAX_ITEMS, "characters" if text else "items")
        elif operator == "+" and isinstance(left, (str, list, tuple)) and isinstance(right, (str, list, tuple)):
            text = isinstance(left, str)
            refuse(len(left) + len(right), what, None if text else MAX_ITEMS, "characters" if text else "items")
        elif operator == "%" and isinstance(left, str):
            refuse(format_size(left, right), what)
        return made(super().call_binop(context, operator, left, right), what)

    def call(__self, __context, __obj, *args, **kwargs):  # Jinja's names: no keyword argument clashes with them
        what = f"calling {getattr(__obj, '__name__', 'a function')}"
        owner = getattr(getattr(__obj, "__wrapped__", __obj), "__self__", None)  # the str of "x".format
        size = METHOD_SIZES.get(getattr(__obj, "__name__", ""))
        if isinstance(owner, (str, bytes, int)) and not isinstance(owner, bool):
            if size is not None:
                refuse(size(owner, *args, **kwargs), what)
            refuse(max([0, *(abs(a) for a in [*args, *kwargs.values()] if isinstance(a, int))]), what)
        if getattr(__obj, "__module__", "") == "jinja2.ext":  # _("%(n)9999999999d", n=1): a message is a format
            refuse(max([0, *(format_size(a, kwargs) for a in args if isinstance(a, str))]), what)
        result = super().call(__context, __obj, *args, **kwargs)
        return result if isinstance(__obj, (Macro, BlockReference)) else made(result, what)  # concat counted those

    def joined(self, context, operands: tuple) -> str:
        """`a ~ b`: the text of each operand, joined once their size is known."""
        refuse(sum(text_size(operand) for operand in operands), "the operator ~")
        return made((markup_join if context.eval_ctx.autoescape else str_join)(operands), "the operator ~")

    def printed(self, value: Any) -> Any:
        """A value a template prints ({{ value }}), counted: escaping copies it (and a list or
        mapping is printed as text), and a macro's output holds those copies until it is joined."""
        size = text_size(value)
        if not isinstance(value, str):
            refuse(size, "printing a value")
        charge(size, "printing")
        return value

    def concat(self, parts: Iterable[str]) -> str:
        """A page, block or macro's output, joined once its size is counted (a part at a time:
        a loop that prints the same long text many times is stopped before the join)."""
        kept = []
        for part in parts:
            try:
                charge(len(part) + 8, "printing")
            except TooLarge as error:
                if hasattr(parts, "throw"):  # a page's output: raised where the template printed it, at its line
                    parts.throw(error)
                raise
            kept.append(part)
        return "".join(kept)
