"""Every fact storygen knows about a language, in one table: which way it is written, whether
its words have spaces between them, its script (and so its font), where its lines may break,
how its syllables are found, the reading-level formula made for it, the endings automatic
pictures leave off its words.

A language is known by its tag's first part ('es' for es-MX). A tag the table has no row for
builds all the same, with the defaults: left to right, spaces between words, the default
font. Adding a language is its row here (`Language()` where it keeps every default) and its
catalog, storygen/locale/<lang>/LC_MESSAGES/storygen.po (i18n.py ships every catalog there).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal


@dataclass(frozen=True)
class Script:
    name: str  # in words, as a message names it: 'Chinese characters'
    package: str  # the Debian package with a font for it, for letters no installed font has
    font: str | None = None  # the font storygen bundles for it, by its name in a page's fonts


# Scripts by the first word of their letters' Unicode names ('ARABIC LETTER ALEF').
SCRIPTS = {
    "HANGUL": Script("Hangul", "fonts-noto-cjk"),
    "CJK": Script("Chinese characters", "fonts-noto-cjk"),
    "HIRAGANA": Script("Hiragana", "fonts-noto-cjk"),
    "KATAKANA": Script("Katakana", "fonts-noto-cjk"),
    "ARABIC": Script("Arabic", "fonts-noto-core", font="Arabic"),  # Noto Sans Arabic: pages/assets.py
    "HEBREW": Script("Hebrew", "fonts-noto-core"),
    "DEVANAGARI": Script("Devanagari", "fonts-noto-core", font="Devanagari"),  # Noto Sans Devanagari
    "CYRILLIC": Script("Cyrillic", "fonts-noto-core", font="Sans"),  # Noto Sans
    "GEORGIAN": Script("Georgian", "fonts-noto-core"),
    "ARMENIAN": Script("Armenian", "fonts-noto-core"),
    "ETHIOPIC": Script("Ethiopic", "fonts-noto-core"),  # Amharic, Tigrinya
    "BENGALI": Script("Bengali", "fonts-noto-core"),
    "TAMIL": Script("Tamil", "fonts-noto-core"),
    "KHMER": Script("Khmer", "fonts-noto-core"),
    "MYANMAR": Script("Myanmar", "fonts-noto-core"),
    "GREEK": Script("Greek", "fonts-noto-core", font="Sans"),
    "THAI": Script("Thai", "fonts-noto-core"),
}


@dataclass(frozen=True)
class Language:
    direction: Literal["ltr", "rtl"] = "ltr"
    script: str | None = None  # its letters' Unicode name where not Latin (a SCRIPTS key, if storygen knows a font)
    also_written_in: tuple[str, ...] = ()  # other scripts its words are written in, by Unicode name: Japanese kana
    spaceless: bool = False  # written without spaces between words: a word is found inside a sentence
    keep_words: bool = False  # lines break between words, never inside one (Korean's syllables)
    hyphenation: str | None = None  # pyphen's dictionary, which counts its syllables
    reading_level: str | None = None  # the formula made for it: 'flesch-kincaid', 'fernandez-huerta'
    endings: tuple[str, ...] = ()  # endings the symbol sets' names leave off: a plural, a particle
    font: str | None = None  # the bundled font it prints in, where its script's is not enough (Vietnamese)


IN_ARABIC_LETTERS = Language("rtl", "ARABIC")  # Arabic, Persian, Urdu, Pashto...
LANGUAGES = {
    "en": Language(hyphenation="en_US", reading_level="flesch-kincaid"),
    "es": Language(hyphenation="es", reading_level="fernandez-huerta", endings=("es", "s")),
    "fr": Language(endings=("x", "s")),
    "de": Language(endings=("en", "n", "e", "s")),
    "pt": Language(endings=("es", "s")),
    "vi": Language(font="Sans"),  # Atkinson Hyperlegible lacks Vietnamese's stacked accents; Noto Sans has them
    "ar": IN_ARABIC_LETTERS,
    "fa": IN_ARABIC_LETTERS,
    "ur": IN_ARABIC_LETTERS,
    "ps": IN_ARABIC_LETTERS,
    "sd": IN_ARABIC_LETTERS,
    "ug": IN_ARABIC_LETTERS,
    "ckb": IN_ARABIC_LETTERS,
    "he": Language("rtl", "HEBREW"),
    "yi": Language("rtl", "HEBREW"),
    "dv": Language("rtl", "THAANA"),
    "ru": Language(script="CYRILLIC"),
    "uk": Language(script="CYRILLIC"),
    "bg": Language(script="CYRILLIC"),
    "sr": Language(script="CYRILLIC"),
    "el": Language(script="GREEK"),
    "hi": Language(script="DEVANAGARI"),
    "mr": Language(script="DEVANAGARI"),
    "ne": Language(script="DEVANAGARI"),
    "it": Language(),
    "pl": Language(),
    "tl": Language(),
    "fil": Language(),
    "ht": Language(),
    "so": Language(),
    "zh": Language(script="CJK", spaceless=True),
    "ja": Language(script="CJK", spaceless=True, also_written_in=("HIRAGANA", "KATAKANA")),
    "ko": Language(
        script="HANGUL",
        keep_words=True,
        endings=("으로", "에서", "을", "를", "이", "가", "은", "는", "에", "로", "와", "과", "도", "의"),
    ),
}
DEFAULT = Language()  # any other tag: Latin letters, left to right, spaces between words

# The letters of the languages written without spaces (Chinese characters, Japanese kana):
# a word of them is counted by its letters.
SPACELESS_LETTERS = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")


def base(language: str) -> str:
    """The language of a tag, lower-case: 'es' for es-MX, 'zh' for zh-Hans-CN."""
    return language.split("-")[0].lower()


def of(language: str) -> Language:
    """A language tag's facts: its row's, else the defaults."""
    return LANGUAGES.get(base(language), DEFAULT)


def direction(language: str) -> str:
    """'rtl' for a language written right to left (Arabic, Hebrew...), else 'ltr'."""
    return of(language).direction


def bundled_font(language: str) -> str | None:
    """The font storygen bundles for a language's script, by its name in a page's fonts."""
    facts = of(language)
    script = SCRIPTS.get(facts.script or "")
    return facts.font or (script.font if script else None)


def font_package(unicode_name: str) -> tuple[str, str]:
    """A script in words and the package with a font for it, by the first word of its letters'
    Unicode names ('HANGUL'); a script the table lacks, by that word."""
    script = SCRIPTS.get(unicode_name)
    return script_name(unicode_name), script.package if script else "a font for it (the fonts-noto packages)"


def script_of(letter: str) -> str:
    """A letter's script: the first word of its Unicode name ('GREEK' for 'α', 'LATIN' for 'a')."""
    import unicodedata  # here: only a few callers need it

    return unicodedata.name(letter, "UNKNOWN").split()[0]


def script_name(unicode_name: str) -> str:
    """A script in words, by its letters' Unicode name: 'Hangul', 'Chinese characters', 'Greek'."""
    script = SCRIPTS.get(unicode_name)
    return script.name if script else unicode_name.title()


def scripts(language: str) -> tuple[str, ...]:
    """The scripts a language is written in, by Unicode name; () for one in Latin letters."""
    facts = of(language)
    return (facts.script, *facts.also_written_in) if facts.script else ()


def with_reading_level() -> tuple[str, ...]:
    """The languages a reading-level formula is made for."""
    return tuple(tag for tag, facts in LANGUAGES.items() if facts.reading_level)
