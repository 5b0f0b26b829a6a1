"""Text measures: sentences and words in any script, syllables, and reading level (Flesch-Kincaid
grade; Fernández-Huerta's ease for Spanish)."""

from __future__ import annotations

import re
from functools import lru_cache

from .. import languages
from .hyphenation import hyphenator


def split_sentences(text: str) -> list[str]:
    """A text's sentences: after . ! ? and a space, or after Chinese and Japanese 。！？."""
    return [s.strip() for s in re.split(r"(?<=[.!?])[\"')\]]*\s+|(?<=[。！？])", text.strip()) if s.strip()]


WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*")  # letters of any script: Latin, Hangul, Arabic, Cyrillic...


def words(text: str) -> list[str]:
    return WORD.findall(text)


def word_count(text: str) -> int:
    """Words, in any script; Chinese and Japanese, written without spaces, count a word for
    every two characters (their words are one to two characters long)."""
    count = 0
    for word in words(text):
        spaceless = len(languages.SPACELESS_LETTERS.findall(word))
        count += -(-spaceless // 2) + bool(len(word) - spaceless) if spaceless else 1
    return count


# -- reading level -----------------------------------------------------------------------


@lru_cache(maxsize=4)
def _hyphenator(language: str):
    """pyphen's dictionary for a language (languages.py names it): where its words may break
    tells their syllables. Loaded once, when first needed (hyphenation.py)."""
    return hyphenator(languages.of(language).hyphenation)


def syllables(word: str) -> int:
    vowel_groups = len(re.findall(r"[aeiouy]+", word.lower())) - (word.lower().endswith("e") and len(word) > 2)
    return max(1, vowel_groups, len(_hyphenator("en").positions(word)) + 1)


def fernandez_huerta(sentences: list[str]) -> float:
    """Fernández-Huerta's reading ease for Spanish: 206.84 - 0.60 syllables and 1.02
    sentences per 100 words (90 and over: very easy; 60 to 70: normal)."""
    all_words = [w for s in sentences for w in words(s)]
    if not all_words:
        return 100.0
    per_word = sum(max(1, len(_hyphenator("es").positions(w)) + 1) for w in all_words) / len(all_words)
    return 206.84 - 60 * per_word - 102 * len(sentences) / len(all_words)


def flesch_kincaid_grade(sentences: list[str]) -> float:
    all_words = [w for s in sentences for w in words(s)]
    if not all_words:
        return 0.0
    per_sentence = len(all_words) / len(sentences)
    per_word = sum(map(syllables, all_words)) / len(all_words)
    return max(0.0, 0.39 * per_sentence + 11.8 * per_word - 15.59)
