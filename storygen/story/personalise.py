"""Personalise: a Story and the child it is for -> the story told about that child.

Story text may hold placeholders, with no YAML quoting needed: `$name`, `$they`, `$them`,
`$their`, `$theirs`, `$themself` (capitalised as written, `$They`, and at the start of a
sentence) and `$likes` (the child's first favourite thing); `$$` is a dollar sign. A verb
that changes with the pronoun is written with both forms, `{is|are}`: the first after
`$name` and after she or he, the second after they (`$They {is|are} brave.` reads "She is
brave." or "They are brave."). A word that agrees with the child's gender, as adjectives and
pronouns do in Spanish, French or Arabic, is written with three forms, she's, he's and
they's: `{Ella|Él|Elle} está {contenta|contento|contente}` (own pronouns take the third). A page's `picture: barber` shows the child's own photo of
that name, and the profile's `cover` the cover. Without a profile, the story's `defaults:`
(else a neutral built-in one) fill them in, so the shared library never prints a `$`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from ..errors import Problem, Severity, did_you_mean
from ..pictures import symbols
from .load import Loc, Source, place_name, with_place
from .model import PRONOUN_SETS, Defaults, PronounSet, Story
from .parts import printed_texts

PRONOUNS = ("they", "them", "their", "theirs", "themself")
PLACEHOLDERS = ("name", *PRONOUNS, "likes")
# $word, or a choice of two forms {is|are} (verb agreement) or three {contenta|contento|contente} (gender)
TOKEN = re.compile(r"\$(\$|[A-Za-z][A-Za-z_]*)|\{([^{}|\n]*)\|([^{}|\n]*)(?:\|([^{}|\n]*))?\}")
TEMPLATE_LIKE = re.compile(r"\{\{\s*(\w+)\s*\}\}|\{(\w+)\}")  # {{ name }}, {name}: other tools' placeholders
TEXT_KEYS = {"title", "text", "label", "alt", "feel", "item", "caution", "mastery", "practise", "for"}
SHORTHAND_LISTS = {"calm", "steps"}  # a plain string in these lists is a page's text
SHORTHAND_PAGES = {"intro", "conclusion", "stimulus"}


@dataclass(frozen=True)
class Child:
    """Who a story is told about: a profile's child, or a story's defaults."""

    name: str
    pronouns: PronounSet
    likes: tuple[str, ...] = ()
    pictures: dict[str, Path] = field(default_factory=dict)  # checked files, by the name the profile gives them

    @classmethod
    def of(cls, who: Defaults, pictures: dict[str, Path] | None = None) -> Child:
        pronouns = who.pronouns if isinstance(who.pronouns, PronounSet) else PRONOUN_SETS[who.pronouns]
        return cls(who.name, pronouns, tuple(who.likes), dict(pictures or {}))


def uses_placeholders(story: Story) -> bool:
    return any(re.search(r"\$[A-Za-z]", text) for _loc, text in printed_texts(story))


def fill(text: str, child: Child) -> str:
    """text with its placeholders filled in for the child, each verb choice agreeing with the
    placeholder before it in its sentence ($name: the first form; a pronoun: the second for they)."""
    plural = False
    out, last = [], 0
    for found in TOKEN.finditer(text):
        out.append(text[last : found.start()])
        last = found.end()
        word, first, second, third = found.groups()
        if word is None and third is not None:  # a word that agrees with the child's gender
            out.append((first, second, third)[gender_form(child)])
            continue
        if word is None:  # a verb choice
            out.append(second if plural else first)
            continue
        if word == "$":
            out.append("$")
            continue
        key = word.lower()
        if key not in PLACEHOLDERS:  # check_placeholders reports it
            out.append(found.group(0))
            continue
        value = {"name": child.name, "likes": child.likes[0] if child.likes else ""}.get(key)
        if value is None:
            value = getattr(child.pronouns, key)
            plural = child.pronouns.plural and key == "they"
        else:
            plural = False
        starts = not "".join(out).strip() or re.search(r"[.!?]\s*$", "".join(out))
        out.append(value[:1].upper() + value[1:] if word[0].isupper() or (starts and key in PRONOUNS) else value)
    out.append(text[last:])
    return "".join(out)


def gender_form(child: Child) -> int:
    """Which of three forms {she's|he's|they's} is the child's: 0 for she, 1 for he, else 2."""
    return next((i for i, word in enumerate(("she", "he")) if child.pronouns == PRONOUN_SETS[word]), 2)


def personalise(story: Story, child: Child, sets: Iterable[symbols.SetOrName] = symbols.SETS) -> Story:
    """The story told about the child: every text filled in, the child's own pictures shown
    where a page names one (and the profile's `cover` on the cover); `picture: likes` shows
    the child's favourite thing: their photo of it, else the symbol of that name."""
    favourite = _favourite(child, sets)

    def part(page: Any) -> Any:
        update: dict[str, Any] = {}
        for name in ("title", "text", "label", "alt", "feel", "mastery", "practise", "practise_for"):
            value = getattr(page, name, None)
            if isinstance(value, str) and ("$" in value or "|" in value):
                update[name] = fill(value, child)
        stimulus = getattr(page, "stimulus", None)
        if stimulus is not None:
            update["stimulus"] = stimulus.model_copy(
                update={n: fill(getattr(stimulus, n), child) for n in ("item", "caution") if getattr(stimulus, n)}
            )
        own = child.pictures.get(page.picture) if getattr(page, "picture", None) else None
        if own is not None:
            update.update(image=own, symbol=None)
        elif getattr(page, "picture", None) == LIKES and favourite:
            update.update(favourite)
        for name in ("intro", "conclusion"):
            if getattr(page, name, None) is not None:
                update[name] = part(getattr(page, name))
        for name in ("calm", "steps"):
            if getattr(page, name, None):
                update[name] = [part(item) for item in getattr(page, name)]
        return page.model_copy(update=update) if update else page

    told = part(story)
    if "cover" in child.pictures:
        told = told.model_copy(update={"image": child.pictures["cover"], "symbol": None, "alt": told.title})
    return told


LIKES = "likes"  # `picture: likes`: the child's favourite thing


def _favourite(child: Child, sets: Iterable[symbols.SetOrName]) -> dict[str, Any] | None:
    """The picture of the child's favourite thing, as a page's fields: their photo named after
    it, else the symbol of its name (a built-in one), else none."""
    if not child.likes:
        return None
    like = child.likes[0]
    if like in child.pictures:
        return {"image": child.pictures[like], "symbol": None}
    found = symbols.find(like, [s for s in symbols.entries(sets) if not s.own] or symbols.SETS)
    return {"symbol": found.qualified, "image": None} if found else None


def child_for(story: Story) -> Child:
    """Who a story is about without a profile: its `defaults:`, else the built-in neutral ones."""
    return Child.of(story.defaults or Defaults())


def check_placeholders(source: Source) -> list[Problem]:
    """An error, at its place, for each `$word` storygen does not know, and for each {{ name }}
    or {name} written as other tools write placeholders."""
    problems = []
    for loc, text in _written_texts(source.data):
        for found in TOKEN.finditer(text):
            word = found.group(1)
            if word and word != "$" and word.lower() not in PLACEHOLDERS:
                close = (
                    did_you_mean(word.lower(), PLACEHOLDERS) or f" (known: {', '.join('$' + p for p in PLACEHOLDERS)})"
                )
                message = f"unknown placeholder '${word}'{close}"
                problems.append(_at(source, loc, f"${word}", message, "write $$ for a dollar sign"))
        for found in TEMPLATE_LIKE.finditer(text):
            word = found.group(1) or found.group(2)
            if word.lower() in PLACEHOLDERS:
                message = f"'{found.group(0)}' is printed as it stands"
                hint = f"write ${word.lower()} to fill in the child's {word.lower()}"
                problems.append(_at(source, loc, found.group(0), message, hint))
    return problems


# A language's pronouns in three forms, for the hint when $they is written in it
THREE_FORMS = {"es": "{ella|él|elle}", "fr": "{elle|il|iel}", "pt": "{ela|ele|elu}", "it": "{lei|lui|loro}"}


def pronoun_warnings(source: Source, language: str) -> list[Problem]:
    """A warning at each pronoun placeholder ($they, $their...) in a text not in English (the
    story's own, language; or a translation's): it prints an English pronoun, she or he."""
    problems = []
    for loc, text in _written_texts(source.data):
        written_in = loc[1] if loc[:1] == ("translations",) and len(loc) > 1 else language
        if str(written_in).split("-")[0].lower() == "en":
            continue
        for found in TOKEN.finditer(text):
            if (found.group(1) or "").lower() in PRONOUNS:
                example = THREE_FORMS.get(str(written_in).split("-")[0].lower(), "{she's form|he's form|they's form}")
                message = f"{written_in}: '${found.group(1)}' prints an English pronoun (she, he, they)"
                hint = f"write the pronoun in its three forms, {example}, or $name"
                problem = _at(source, loc, found.group(0), message, hint)
                problems.append(replace(problem, severity=Severity.WARNING))
    return problems


def _at(source: Source, loc: Loc, needle: str, message: str, hint: str) -> Problem:
    return Problem(source.path, *source.locate(loc, needle), with_place(place_name(loc), message), hint=hint)


def _written_texts(data: Any, loc: Loc = ()) -> Iterator[tuple[Loc, str]]:
    """(where, text) of every text of loaded story data that is printed (not a symbol's name or a path)."""
    if isinstance(data, dict):
        for key, value in data.items():
            if isinstance(value, str) and (key in TEXT_KEYS or key in SHORTHAND_PAGES):
                yield (*loc, key), value
            else:
                yield from _written_texts(value, (*loc, key))
    elif isinstance(data, list):
        for i, value in enumerate(data):
            if isinstance(value, str) and loc and loc[-1] in SHORTHAND_LISTS:
                yield (*loc, i), value
            else:
                yield from _written_texts(value, (*loc, i))
