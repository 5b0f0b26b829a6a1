"""What a build says about a story's letters and words: letters no font has, letters printed in
a fallback font, and storygen's labels printed in English for want of words in a language."""

from __future__ import annotations

import re
from collections.abc import Iterator

from .. import i18n
from ..errors import Problem, Severity
from ..story.load import Loc, Source, place_name, with_place
from ..story.model import Story
from ..story.open import Opened
from ..story.parts import printed_texts


def english_warnings(opened: Opened, english: dict[str, set[str]]) -> list[Problem]:
    """A warning for each language the story printed storygen's labels in English, for want of
    its words (no catalog, no label), at its `language:` or its translation: which labels, and how
    to give them."""
    problems = []
    for language, messages in sorted(english.items()):
        if not messages:
            continue
        name = i18n.language_name(language, "en")
        shown = f"'{language}'" + (f" ({name})" if name != language else "")
        message = f"{shown}: storygen has no words in this language for {i18n.english_labels(messages)}, so they print in English"
        hint = (
            f"`storygen labels {language} --po` writes locale/{language}.po for a translator, which the build then "
            f"uses; or give each under `labels: {{{language}: ...}}` in storygen.yaml"
        )
        at, at_key = (("language",), False) if language == opened.story.language else (("translations", language), True)
        problems.append(opened.source.problem(at, message, at_key=at_key, severity=Severity.WARNING, hint=hint))
    return problems


MISSING_GLYPH = re.compile(r'unsupported by fonts: "(.+?)" \((.+?)\)')


def missing_letters(source: Source, letters: list[str]) -> list[Problem]:
    """One error for each field holding letters no font has, at its line, naming its words
    that hold them, their script and what to install: WeasyPrint's warning for each letter, folded."""
    from ..languages import font_package, script_of  # here: only when a letter is missing

    missing, problems = set(letters), []
    for at, text in written_texts(source.data):
        words = [word for word in text.split() if missing & set(word)]
        if not words:
            continue
        first = next(letter for letter in words[0] if letter in missing)
        script, package = font_package(script_of(first))
        shown = " ".join(words[:3]) + (" …" if len(words) > 3 else "")
        message, hint = f"no font has '{shown}' ({script})", f"install {package}, or the output would print boxes"
        problems.append(source.problem(at, with_place(place_name(at), message), hint=hint))
    return problems


CHOSEN_FONTS = ("Atkinson Hyperlegible", "Noto Sans")  # the default, the bundled Noto and the system's Noto CJK
SYSTEM_FONTS = ("CJK", "HANGUL", "HIRAGANA", "KATAKANA")  # scripts printed in the system's Noto Sans CJK


def fallback_font(source: Source, story: Story, fonts: frozenset[str], at: tuple[Loc, bool]) -> Problem | None:
    """A warning when a page printed letters in a font storygen did not choose (the system's
    fallback, such as DejaVu Sans), naming it, the script it stood in for and what to install."""
    import unicodedata

    from ..languages import SCRIPTS, font_package

    fallback = sorted(font for font in fonts if not font.startswith(CHOSEN_FONTS))
    if not fallback:
        return None
    letters = {letter for _loc, text in printed_texts(story) for letter in text if letter.isalpha()}
    scripts = {unicodedata.name(letter, "UNKNOWN").split()[0] for letter in letters} - {"LATIN", *SYSTEM_FONTS}
    unchosen = sorted(name for name in scripts if not (name in SCRIPTS and SCRIPTS[name].font))
    script, package = (
        font_package(unchosen[0]) if unchosen else (_unchosen_letters(letters, story.language), "fonts-noto-core")
    )
    message = f"{script} printed in {', '.join(fallback)}, a fallback font, beside the fonts storygen chose"
    hint = f"install {package}"
    loc, at_key = at
    return source.problem(loc, message, at_key=at_key, severity=Severity.WARNING, hint=hint)


def _unchosen_letters(letters: set[str], language: str) -> str:
    """The letters (up to five) of a script storygen has a font for that its fonts lack: 'letters ạ, ầ'."""
    from ..pages.measure import has_letter

    missing = sorted(letter for letter in letters if not has_letter(letter, language))[:5]
    return f"letters {', '.join(missing)}" if missing else "some letters"


def written_texts(data, loc: tuple = ()) -> Iterator[tuple[tuple, str]]:
    """(loc, text) of every text value in loaded story data, in file order."""
    if isinstance(data, dict):
        for key, value in data.items():
            yield from written_texts(value, (*loc, key))
    elif isinstance(data, list):
        for i, value in enumerate(data):
            yield from written_texts(value, (*loc, i))
    elif isinstance(data, str):
        yield loc, data
