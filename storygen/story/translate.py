"""Translate: a Story and one of its `translations:` -> the same story in that language.

A translation holds words only, step by step in the story's order; its pictures, structure
and settings stay the story's. check_translations() compares each translation's shape with
the story's: a step too many or too few, or words for a part the story does not have, is
an error at its line; words left untranslated are a warning naming them, and the story's
own words are printed there.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, NamedTuple

from ..errors import Problem, Severity
from .load import Loc, Source, place_name, with_place
from .model import Page, Stimulus, Story, Translation

WORDS = ("text", "alt", "label", "feel", "practise", "practise_for")  # the words of a page or step
PARTS = ("intro", "conclusion")  # pages a story may have once
LISTS = ("calm", "steps")  # pages it has in order: a translation has as many


def languages(story: Story) -> list[str]:
    """The story's own language, then those it is translated into."""
    return [story.language, *story.translations]


def translate(story: Story, language: str) -> Story:
    """The story in one of its languages: its translation's words where given, its own elsewhere."""
    if language == story.language:
        return story.model_copy(update={"translations": {}})
    words = story.translations[language]
    update: dict[str, Any] = {"language": language, "translations": {}}
    update.update({name: getattr(words, name) for name in ("title", "alt") if getattr(words, name)})
    if words.mastery and isinstance(story.mastery, str):  # a rule is worded by the catalogs
        update["mastery"] = words.mastery
    if story.symbol and not story.alt and "alt" not in update and words.title:
        update["alt"] = words.title
    for name in PARTS:
        if (page := getattr(story, name)) is not None:
            update[name] = _page(page, getattr(words, name))
    for name in LISTS:
        given = getattr(words, name)
        update[name] = [
            _page(page, given[i] if i < len(given) else None) for i, page in enumerate(getattr(story, name))
        ]
    return story.model_copy(update=update)


def _page(page: Any, words: Any) -> Any:
    """A page or step with its translated words (and sub-steps, and stimulus)."""
    if words is None:
        return _without_recordings(page)
    update = {name: getattr(words, name) for name in WORDS if getattr(words, name, None) and hasattr(page, name)}
    if getattr(page, "audio", None) is not None:
        update["audio"] = None  # a recording is in the story's language, not the translation's
    if page.symbol and not page.alt and not update.get("alt") and update.get("text"):
        update["alt"] = update["text"]  # a symbol's own name is English: the page's words say what it shows
    stimulus = getattr(page, "stimulus", None)
    if stimulus is not None and getattr(words, "stimulus", None) is not None:
        given = words.stimulus
        update["stimulus"] = stimulus.model_copy(
            update={name: getattr(given, name) for name in ("item", "caution") if getattr(given, name)}
        )
    if getattr(page, "steps", None):
        subs = words.steps
        update["steps"] = [_page(sub, subs[i] if i < len(subs) else None) for i, sub in enumerate(page.steps)]
    return page.model_copy(update=update)


def _without_recordings(page: Any) -> Any:
    """A page, and its sub-steps, without their recordings: those are in the story's language."""
    update: dict[str, Any] = {"audio": None} if getattr(page, "audio", None) is not None else {}
    if getattr(page, "steps", None):
        update["steps"] = [_without_recordings(sub) for sub in page.steps]
    return page.model_copy(update=update) if update else page


class Difference(NamedTuple):
    """One way a translation differs from its story: where, what, how much it matters, the fix."""

    loc: Loc
    message: str
    severity: Severity
    at_key: bool  # at the key that is written, rather than its value
    hint: str | None


def check_translations(story: Story, source: Source) -> list[Problem]:
    """Errors and warnings, at their lines, for every translation whose shape is not the story's."""
    problems = [
        source.problem(found.loc, found.message, at_key=found.at_key, severity=found.severity, hint=found.hint)
        for found in differences(story)
    ]
    return sorted(problems, key=lambda p: (p.line, p.col))


def differences(story: Story) -> Iterator[Difference]:
    """Each way a translation differs from its story."""
    for language, words in story.translations.items():
        at: Loc = ("translations", language)
        if language.lower() == story.language.lower():
            message = f"translations: the story is already in '{language}' (its `language:`)"
            yield Difference(at, message, Severity.ERROR, True, "translate it into another language")
            continue
        for found in _compare(story, words, at):
            yield found._replace(message=f"{language}: {found.message}")


def _compare(story: Story, words: Translation, at: Loc) -> Iterator[Difference]:
    """Each difference between a translation and its story."""
    if not words.title:
        yield Difference(at, "the title is not translated", Severity.WARNING, True, f"it reads '{story.title}'")
    if isinstance(story.mastery, str) and not words.mastery:
        yield Difference(
            at, "`mastery` is not translated", Severity.WARNING, True, "the data sheet and guide print the story's"
        )
    if words.mastery and not isinstance(story.mastery, str):
        yield Difference(
            (*at, "mastery"),
            "the story has no `mastery` in words (a rule is printed in every language by storygen)",
            Severity.ERROR,
            True,
            "remove it here",
        )
    for name in PARTS:
        yield from _part(getattr(story, name), getattr(words, name), (*at, name), name)
    for name in LISTS:
        yield from _list(getattr(story, name), getattr(words, name), (*at, name), name)


def _part(page: Page | None, words: Any, loc: Loc, name: str) -> Iterator[Difference]:
    """A page the story may have once (intro, conclusion), or a page of a list."""
    where = place_name(loc) or f"the {name}"
    if page is None:
        if words is not None:
            message = f"{where}: the story has no {name}"
            yield Difference(loc, message, Severity.ERROR, True, "remove it here, or add it to the story")
        return
    if words is None:
        message = f"{where} is not translated"
        yield Difference(loc[:-1], message, Severity.WARNING, True, "the story's own words are printed")
        return
    yield from _words(page, words, loc, where)


def _words(page: Any, words: Any, loc: Loc, where: str) -> Iterator[Difference]:
    for name in WORDS:
        mine, theirs = getattr(page, name, None), getattr(words, name, None)
        key = "for" if name == "practise_for" else name
        if theirs and not mine and name != "alt":
            message = f"{where}: the story has no `{key}` here"
            yield Difference((*loc, key), message, Severity.ERROR, True, "remove it, or add it to the story")
        elif mine and not theirs and name != "alt":
            message = f"{where}: `{key}` is not translated"
            yield Difference(loc, message, Severity.WARNING, False, f"it prints '{_short(mine)}'")
    stimulus: Stimulus | None = getattr(page, "stimulus", None)
    given = getattr(words, "stimulus", None)
    if given is not None and stimulus is None:
        message = f"{where}: the story has no `stimulus` here"
        yield Difference((*loc, "stimulus"), message, Severity.ERROR, True, "remove it")
    elif stimulus is not None:
        if given is None or not given.item:
            message, hint = f"{where}: the stimulus is not translated", f"it prints '{_short(stimulus.item)}'"
            yield Difference(loc, message, Severity.WARNING, False, hint)
        if stimulus.caution and (given is None or not given.caution):
            yield Difference(loc, f"{where}: the stimulus's caution is not translated", Severity.WARNING, False, None)
        if given is not None and given.caution and not stimulus.caution:
            message = f"{where}: the story's stimulus has no caution"
            yield Difference((*loc, "stimulus", "caution"), message, Severity.ERROR, True, "remove it")
    if hasattr(page, "steps"):
        yield from _list(page.steps, words.steps, (*loc, "steps"), "steps")


def _list(pages: list, given: list, loc: Loc, name: str) -> Iterator[Difference]:
    """The pages of a list (calm choices, steps, sub-steps): as many, in the same order."""
    what = {"calm": "calm choice", "steps": "sub-step" if len(loc) > 3 else "step"}[name]
    owner, counted = place_name(loc[:-1]), f"{_count(len(given), what)} here, but the story has {len(pages)}"
    if len(given) > len(pages):
        hint = "remove this one and those after it, or add them to the story"
        yield Difference((*loc, len(pages)), with_place(owner, counted), Severity.ERROR, False, hint)
    elif len(given) < len(pages):
        missing = f"{what} {len(given) + 1}" + (f" to {len(pages)}" if len(pages) > len(given) + 1 else "")
        hint = f"translate {missing} too, in the story's order"
        yield Difference(loc if given else loc[:-1], with_place(owner, counted), Severity.ERROR, bool(given), hint)
    for i, (page, words) in enumerate(zip(pages, given, strict=False)):
        yield from _words(page, words, (*loc, i), place_name((*loc, i)))


def _count(number: int, what: str) -> str:
    return f"{number} {what}{'s' if number != 1 else ''}"


def _short(text: str) -> str:
    return text if len(text) <= 40 else text[:37] + "…"
