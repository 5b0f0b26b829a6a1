"""The rules of every story (GEN): alt text, pictures chosen, reading level, step and word length."""

from __future__ import annotations

import re

from .. import languages
from ..pictures import symbols
from ..story.fields import LONG_WORD
from ..story.load import place_name, with_place
from ..story.open import ranked_pictures
from ..story.parts import long_word_message, long_words
from .engine import Review, rule
from .readability import fernandez_huerta, flesch_kincaid_grade, word_count

# -- every story -----------------------------------------------------------------------


@rule("GEN001", "photo-alt", "warning", ("social", "sensory", "task"), "Every image has alt text.")
def _photo_alt(review: Review):
    for loc, part in review.pictured():
        if part.image and not part.alt:
            yield (
                (*loc, "image"),
                "",
                "this image has no alt text",
                "add `alt:` saying what the picture shows, for screen readers and anyone who cannot see it",
            )


PLACES = {(): "cover", ("intro",): "introduction", ("conclusion",): "conclusion"}  # the pages place_name() leaves out


@rule(
    "PIC001",
    "picked-picture",
    "info",
    ("social", "sensory", "task"),
    "Each picture storygen chose for a page's words, to confirm.",
)
def _picked_picture(review: Review):
    written = review.source.keys
    for loc, part in review.pictured():
        if part.symbol and (*loc, "symbol") not in written and (*loc, "image") not in written:
            set_name = part.symbol.partition(":")[0]  # loading qualified it with its set
            name = symbols.short_name(part.symbol)
            where = place_name(loc) or PLACES.get(loc, "")
            yield (
                loc or ("title",),  # a cover chosen for the title: at the title
                "",
                with_place(where, f"picked '{name}' ({set_name})"),
                "write symbol: to choose another, or symbol: none for no picture",
            )


@rule(
    "PIC002",
    "no-picture",
    "warning",
    ("social", "sensory", "task"),
    "Every page has a picture, or says `symbol: none`.",
)
def _no_picture(review: Review):
    written = review.source.keys
    for loc, part, candidates in ranked_pictures(review.story, review.sets):
        if part.symbol or part.image or any((*loc, key) in written for key in ("symbol", "image", "picture")):
            continue  # a picture, `symbol: none`, or the child's own picture (profiles)
        lines = [f"`symbol: {_written_name(c.symbol, review.sets)}`" for c in candidates if c.allowed][:3]
        found = f"the best fits are {', '.join(lines)}" if lines else "no symbol set has a fitting name for its words"
        where = place_name(loc) or PLACES.get(loc, "")
        yield (
            loc or ("title",),  # the cover's picture is chosen for the title
            "",
            with_place(where, f"no picture: {found}"),
            f"write {'one of those lines' if lines else 'a `symbol:` line'} (`storygen symbols WORD` finds others), "
            "an `image:`, or `symbol: none` for no picture on purpose",
        )


def _written_name(symbol: symbols.Symbol, order: tuple[symbols.SymbolSet, ...]) -> str:
    """The shortest name that finds symbol in the library's sets: 'towel', else 'openmoji:towel'."""
    for name in (symbols.short_name(symbol.qualified), symbol.name):
        if symbols.find(name, order) == symbol:
            return name
    return symbol.qualified


@rule(
    "GEN002",
    "reading-level",
    "warning",
    ("social", "sensory", "task"),
    "The reading level suits the story's age range.",
    languages.with_reading_level(),  # en, es: a formula made for each (Flesch-Kincaid, Fernández-Huerta)
)
def _reading_level(review: Review):
    ages = re.findall(r"\d+", review.story.age or "")
    if not ages or not review.sentences:
        return
    oldest = int(ages[-1]) if len(ages) > 1 else int(ages[0]) + (4 if "+" in (review.story.age or "") else 0)
    limit = max(1, oldest - 5)  # a US school grade is about the age minus 5 or 6
    sentences, hint = [s.text for s in review.sentences], "use shorter sentences and shorter, everyday words"
    # Fernández-Huerta on its own scale: 90 and over very easy, 80 easy, 70 fairly easy
    if languages.of(review.language).reading_level == "fernandez-huerta":
        ease, least = (
            fernandez_huerta(sentences),
            90 if oldest <= 6 else 80 if oldest <= 9 else 70 if oldest <= 12 else 60,
        )
        if ease < least:
            message = f"the text's reading ease is {ease:.0f} (Fernández-Huerta); ages {review.story.age} need {least} or more"
            yield ("age",), "", message, hint
        return
    grade = flesch_kincaid_grade(sentences)
    if grade > limit:
        message = f"the text reads at grade {grade:.1f} (Flesch-Kincaid); ages {review.story.age} read up to about grade {limit}"
        yield ("age",), "", message, hint


@rule("GEN003", "step-length", "warning", ("social", "sensory", "task"), "A step has at most 20 words.")
def _step_length(review: Review):
    for loc, part in review.parts():
        if loc[0] == "steps" and word_count(part.text) > 20:
            yield (
                (*loc, "text"),
                "",
                f"this step has {word_count(part.text)} words, more than 20",
                "split it into two steps, or move detail into a sub-step",
            )


@rule("GEN004", "long-word", "warning", ("social", "sensory", "task"), f"No word longer than {LONG_WORD} characters.")
def _long_word(review: Review):
    for loc, word in long_words(review.story):
        yield loc, word, *long_word_message(word)
