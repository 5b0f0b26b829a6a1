"""A story's parts, walked once: its pages in reading order, the texts printed on them, and the
warnings a build gives about them (long words, pictures not chosen in its language)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from .. import i18n
from ..errors import Problem, Severity
from ..pictures import symbols
from .load import Loc, Source

if TYPE_CHECKING:  # the model imports pydantic; loading a file alone need not
    from .model import Story


def pages(story: Story) -> list[tuple[Loc, Any]]:
    """(where, part) of every page a story has: its intro, calm choices, steps and conclusion."""
    parts = [(("intro",), story.intro), *((("calm", i), choice) for i, choice in enumerate(story.calm))]
    for i, step in enumerate(story.steps):
        parts += [(("steps", i), step), *((("steps", i, "steps", j), sub) for j, sub in enumerate(step.steps))]
    parts.append((("conclusion",), story.conclusion))
    return [(loc, part) for loc, part in parts if part is not None]


def picture_language_warnings(story: Story, source: Source, sets: tuple[symbols.SymbolSet, ...]) -> list[Problem]:
    """One warning, at the story's `language:`, when it leaves pictures to automatic choice in
    a language no symbol set has names in: those pages and its cover have no picture."""
    if symbols.named_in(story.language, sets):
        return []
    left = [loc for loc, part in [((), story), *pages(story)] if not part.image and (*loc, "symbol") not in source.keys]
    if not left:
        return []
    name = i18n.language_name(story.language, "en")
    shown = f"'{story.language}'" + (f" ({name})" if name != story.language else "")
    count = len(left) - (() in left)
    which = [*(["the cover"] if () in left else []), *([f"{count} page{'s' if count > 1 else ''}"] if count else [])]
    message = (
        f"pictures are not chosen automatically in {shown}: no symbol set has names in it, so "
        f"{' and '.join(which)} {'have' if len(left) > 1 else 'has'} no picture; give each a `symbol:` by its "
        "English name (`storygen symbols WORD` finds one), an `image:`, or `symbol: none`"
    )
    return [source.problem(("language",), message, severity=Severity.WARNING)]


def printed_texts(story: Story) -> Iterator[tuple[Loc, str]]:
    """(where, text) of every text a story prints on a page."""
    yield ("title",), story.title
    if isinstance(story.mastery, str):  # a rule's words are storygen's (render.mastery_words)
        yield ("mastery",), story.mastery
    for loc, part in pages(story):
        for name in ("text", "label", "feel"):
            if getattr(part, name, None):
                yield (*loc, name), getattr(part, name)
        if stimulus := getattr(part, "stimulus", None):
            yield (*loc, "stimulus", "item"), stimulus.item


def long_words(story: Story) -> Iterator[tuple[Loc, str]]:
    """(where, word) for every word longer than fields.LONG_WORD characters: it cannot wrap
    at a space, so the page breaks it anywhere (CSS overflow-wrap) and the reader sees half a word."""
    from .fields import LONG_WORD

    run = re.compile(r"[^\s/\-‐–—]+")  # what a line cannot break inside
    spaceless = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")  # breaks between any two
    for loc, text in printed_texts(story):
        for found in run.finditer(text):
            word = found.group(0).strip(".,;:!?\"'()[]“”‘’…")
            if len(word) > LONG_WORD and not spaceless.search(word):
                yield loc, word


def long_word_message(word: str) -> tuple[str, str]:
    """(what is wrong, how to fix it) for a word longer than fields.LONG_WORD characters."""
    from .fields import LONG_WORD

    shown = word if len(word) <= 40 else word[:30] + "…"
    return (
        f"the word '{shown}' has {len(word)} characters, more than {LONG_WORD}; it is broken across lines to fit the page",
        "shorten it, or break it up with spaces or hyphens",
    )


def long_word_warnings(story: Story, source: Source) -> list[Problem]:
    """A warning, at the word, for each word too long to fit on a line."""
    problems = []
    for loc, word in long_words(story):
        message, hint = long_word_message(word)
        problems.append(Problem(source.path, *source.locate(loc, word), message, Severity.WARNING, hint))
    return problems
