"""The rules of every story (GEN): alt text, pictures chosen, reading level, step and word length, letters."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from typing import Any

from .. import i18n, languages
from ..errors import Severity, in_words
from ..pages.layouts import CHOICE_LINES, Sheet, calm_layout, calm_pages, fits_one_page, story_height
from ..pages.sharpness import LEAST_PPI, blurry_photos
from ..pictures import symbols
from ..story.fields import LONG_WORD
from ..story.load import Loc, place_name, with_place
from ..story.open import ranked_pictures
from ..story.parts import long_word_message, long_words, printed_texts
from .engine import EVERY_KIND, Hit, Review, rule
from .readability import fernandez_huerta, flesch_kincaid_grade, word_count

# -- every story -----------------------------------------------------------------------


@rule("GEN001", "photo-alt", Severity.WARNING, EVERY_KIND, "Every image has alt text.")
def _photo_alt(review: Review) -> Iterator[Hit]:
    """**Checks** that every `image:` has `alt:`. **Why:** WCAG's text alternatives: the PDF is
    tagged for screen readers, and a parent who cannot see the picture still gets the story.
    (Symbols get their name as alt text.) **Triggers:** `image: photos/sink.jpg` alone.
    **Fix:** `alt: Our bathroom sink with the blue soap`.
    """
    for loc, part in review.pictured():
        if part.image and not part.alt:
            yield Hit(
                (*loc, "image"),
                "this image has no alt text",
                "add `alt:` saying what the picture shows, for screen readers and anyone who cannot see it",
            )


PLACES = {(): "cover", ("intro",): "introduction", ("conclusion",): "conclusion"}  # the pages place_name() leaves out


@rule(
    "PIC001",
    "picked-picture",
    Severity.NOTE,
    EVERY_KIND,
    "Each picture storygen chose for a page's words, to confirm.",
)
def _picked_picture(review: Review) -> Iterator[Hit]:
    """**Notes** each picture storygen chose itself: a page (introduction, step, sub-step, calm
    choice, conclusion) with no `symbol:` and no `image:` gets the symbol that best fits its
    words, and the note names it and its set (`step 3: picked 'dry hands' (mulberry)`). It is a
    note, not a warning: `--strict` does not fail on it. **Why:** a picture says as much as the
    sentence to a child who reads pictures first; a literal child takes a wrong one literally, so
    the clinician confirms each. **Fix:** keep it, or write `symbol:` with another name
    (`storygen symbols WORD --sheet` shows the choices), or `symbol: none` for a page without a
    picture. A story whose pages all have pictures gets no such note.
    """
    written = review.source.keys
    for loc, part in review.pictured():
        if part.symbol and (*loc, "symbol") not in written and (*loc, "image") not in written:
            set_name = part.symbol.partition(":")[0]  # loading qualified it with its set
            name = symbols.short_name(part.symbol)
            where = place_name(loc) or PLACES.get(loc, "")
            yield Hit(
                loc or ("title",),  # a cover chosen for the title: at the title
                with_place(where, f"picked '{name}' ({set_name})"),
                "write symbol: to choose another, or symbol: none for no picture",
            )


@rule(
    "PIC002",
    "no-picture",
    Severity.WARNING,
    EVERY_KIND,
    "Every page has a picture, or says `symbol: none`.",
)
def _no_picture(review: Review) -> Iterator[Hit]:
    """**Warns** about a page that shows no picture and does not say so: the cover, the
    introduction, a calm choice, a step, a sub-step or the conclusion (every page of a story
    shows one) with no `symbol:`, no `image:` and no `picture:`, for whose words storygen
    chose none. The warning, at the page, names the three best candidates automatic choice may
    pick (never a frightening one, nor a negative feeling on a page that reassures), each as
    the line to write: `step 2: no picture: the best fits are `symbol: towel`, ...`; or says
    that no symbol set has a fitting name. **Why:** a page left without a picture, and without
    a word about it, is found only when the child turns to it. **Fix:** write one of the
    lines, find another with `storygen symbols WORD --sheet`, give an `image:`, or write
    `symbol: none` for no picture on purpose, which silences it. `storygen pictures STORY`
    lists every page's picture and its alternatives. `storygen check` and the preview say it;
    `storygen build` does not.
    """
    written = review.source.keys

    def pictured(loc: Loc, part: Any) -> bool:  # a picture, `symbol: none`, or the child's own picture (profiles)
        return bool(part.symbol or part.image or any((*loc, key) in written for key in ("symbol", "image", "picture")))

    for loc, part, candidates in ranked_pictures(review.story, review.sets, skip=pictured):
        if pictured(loc, part):
            continue
        lines = [f"`symbol: {_written_name(c.symbol, review.sets)}`" for c in candidates if c.allowed][:3]
        found = f"the best fits are {', '.join(lines)}" if lines else "no symbol set has a fitting name for its words"
        where = place_name(loc) or PLACES.get(loc, "")
        yield Hit(
            loc or ("title",),  # the cover's picture is chosen for the title
            with_place(where, f"no picture: {found}"),
            f"write {'one of those lines' if lines else 'a `symbol:` line'} (`storygen symbols WORD` finds others), "
            "an `image:`, or `symbol: none` for no picture on purpose",
        )


@rule(
    "PIC003",
    "blurry-photo",
    Severity.WARNING,
    EVERY_KIND,
    f"A photo has the pixels for its printed size ({LEAST_PPI} ppi).",
)
def _blurry_photo(review: Review) -> Iterator[Hit]:
    """**Warns** about a photo (`image:` a JPEG, PNG, GIF or WebP) with too few pixels for the
    size it prints at: under 100 pixels per inch on the largest box it prints in, across the
    outputs the library makes (`formats:` in `storygen.yaml`, on its `paper:`): the story's
    page (a step's photo up to 175 x 120 mm), a cover, a calm choice, a card or the strip. The
    warning, at the `image:` line, gives the photo's size, its printed size and resolution,
    and the pixels it needs for 100 ppi and for the sharpest print (300 ppi, or the 1600
    pixels storygen keeps): `image 'photos/sink.jpg' is 200x200 pixels: it prints 120x120 mm
    at 42 ppi, and needs 473x473 pixels (100 ppi; 1418x1418 for the sharpest print)`.
    **Why:** a small photo blown up to a page prints soft and blocky, and a child who reads
    the picture first may not recognise the sink. **Triggers:** a photo saved from a message
    or a web page (messaging apps shrink them). **Fix:** use the photo as the phone took it.
    `storygen build` gives the same warning.
    """
    for loc, message, hint in blurry_photos(review.story, review.source, review.settings, review.library):
        yield Hit(loc, message, hint)


def _written_name(symbol: symbols.Symbol, order: tuple[symbols.SymbolSet, ...]) -> str:
    """The shortest name that finds symbol in the library's sets: 'towel', else 'openmoji:towel'."""
    for name in (symbols.short_name(symbol.qualified), symbol.name):
        if symbols.find(name, order) == symbol:
            return name
    return symbol.qualified


@rule(
    "GEN002",
    "reading-level",
    Severity.WARNING,
    EVERY_KIND,
    "The reading level suits the story's age range.",
    languages.with_reading_level(),  # en, es: a formula made for each (Flesch-Kincaid, Fernández-Huerta)
)
def _reading_level(review: Review) -> Iterator[Hit]:
    """**Checks** the Flesch-Kincaid grade of the story's sentences against its `age:` range:
    at most the oldest age minus 5 (a US school grade is roughly the age minus 5 or 6).
    Stories with no `age:` are not checked. **Why:** children who read their own story need
    words they can read. **Triggers:** `age: 4-6` with "Occasionally the practitioner
    investigates the mouth using specialised instruments." **Fix:** short sentences,
    everyday words.
    """
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
            yield Hit(("age",), message, hint)
        return
    grade = flesch_kincaid_grade(sentences)
    if grade > limit:
        message = f"the text reads at grade {grade:.1f} (Flesch-Kincaid); ages {review.story.age} read up to about grade {limit}"
        yield Hit(("age",), message, hint)


MOST_WORDS = 20  # of a step: one small step per page


@rule("GEN003", "step-length", Severity.WARNING, EVERY_KIND, f"A step has at most {MOST_WORDS} words.")
def _step_length(review: Review) -> Iterator[Hit]:
    """**Checks** that no step or sub-step has more than 20 words. **Why:** one small step per
    page: long steps hide several steps and crowd the page. **Fix:** split the step, or move
    detail into sub-steps.
    """
    for loc, part in review.parts():
        if loc[0] == "steps" and word_count(part.text) > MOST_WORDS:
            yield Hit(
                (*loc, "text"),
                f"this step has {word_count(part.text)} words, more than {MOST_WORDS}",
                "split it into two steps, or move detail into a sub-step",
            )


@rule("GEN004", "long-word", Severity.WARNING, EVERY_KIND, f"No word longer than {LONG_WORD} characters.")
def _long_word(review: Review) -> Iterator[Hit]:
    """**Checks** that no word in a title, step, label, `feel:`, stimulus, calm choice,
    introduction, conclusion or mastery rule is longer than 30 characters (without a space or
    hyphen). **Why:** a word that long cannot wrap at a space; the page breaks it wherever
    the line ends (rather than letting it run off the page), and a child reads half a word.
    `storygen build` gives the same warning. **Triggers:** a word run together from several, or one
    held down on the keyboard. **Fix:** shorten it, or break it up with spaces or hyphens.
    """
    for loc, word in long_words(review.story):
        message, hint = long_word_message(word)
        yield Hit(loc, message, hint, needle=word)


@rule(
    "GEN005",
    "calm-choice-fits",
    Severity.WARNING,
    EVERY_KIND,
    f"Each calm choice fits in {CHOICE_LINES} lines under its picture.",
)
def _calm_choice_fits(review: Review) -> Iterator[Hit]:
    """**Warns** before printing when the calm choices are too long for one page (on the
    library's paper), at each choice whose words take more than 3 lines under its picture:
    the calm section then takes two pages, half the choices on each, by design. Longer words
    first shrink the pictures (to 24 mm at least); how many words fit one page depends on how
    many choices share it (they get narrower columns and smaller type) and on the words:
    about 20 each with up to 3 choices, 17 with 4, 9 with 5 or 6, 8 with 7 or 8; a row of
    short choices leaves room for a long one in another. The words are measured in the
    story's font before printing, as the page lays them out. `storygen build` also says when
    a printed page does not fit. **Why:** the calm page is the one a child chooses from
    before anything else, at a glance: on one page she sees every choice. **Triggers:** a
    sentence where a label would do ("Remember that I am staying strong and healthy and brave
    and that the nurse is kind"). **Fix:** a few words a child can point at ("Think of my
    dog"), or fewer choices.
    """
    sheet = Sheet(review.story, review.settings.paper)
    pages = calm_pages(sheet)
    if len(pages) == 1:
        return
    on_two = fits_one_page(calm_layout(sheet, story_height(sheet), len(pages[0])))
    lines = calm_layout(sheet, story_height(sheet))["lines"]
    for i, taken in enumerate(lines):
        if taken > CHOICE_LINES:
            yield Hit(
                ("calm", i, "text"),
                f"calm choice {i + 1} takes about {taken} lines under its picture, and the calm page has room "
                f"for {CHOICE_LINES} with {len(lines)} choices: "
                + (
                    "the calm choices take two pages, half on each, where one would do"
                    if on_two
                    else "even on two calm pages, their pictures are left very small"
                ),
                "shorten it to a few words a child can point at, e.g. 'Slow breaths', or give fewer choices",
            )


@rule(
    "GEN006",
    "letters",
    Severity.WARNING,
    EVERY_KIND,
    "A story or translation in Greek, Russian, Korean... is written in their letters.",
)
def _letters(review: Review) -> Iterator[Hit]:
    """**Warns** when a story or one of its translations is in a language written in letters
    of its own (languages.py's `script`: Greek for `el`, Cyrillic for `ru` and `uk`, Arabic,
    Hebrew, Devanagari, Hangul, Chinese characters, Japanese kana) and none of its texts holds
    one of them: at its `language:`, or at the translation's key (`el:`), naming the letters it
    has instead. **Why:** a translation pasted in English, or spelt in Latin letters
    ("Kalimera"), under `el:` is built and printed as the Greek story: a Greek family gets
    words it cannot read, in a story that looked translated. **Triggers:** `ko:` with `title: Going to the
    dentist`; `el:` with `title: Pao ston odontiatro`. **Fix:** write it in the language's
    letters, or put it under the language it is in.
    """
    scripts = languages.scripts(review.language)
    letters = Counter(
        languages.script_of(letter) for _loc, text in printed_texts(review.story) for letter in text if letter.isalpha()
    )
    if not scripts or not letters or any(script in letters for script in scripts):
        return
    written = in_words((languages.script_name(script) for script in scripts), "or")
    instead = languages.script_name(letters.most_common(1)[0][0])
    tag, name = review.story.language, i18n.language_name(review.story.language, "en")
    what = "this translation" if review.translation else "the story"
    fix = "put it under the language it is in" if review.translation else "set `language:` to the language it is in"
    yield Hit(
        () if review.translation else ("language",),
        f"'{tag}' ({name}) is written in {written}, but {what} has no such letter: its letters are {instead}",
        f"write it in {written} (not spelt in {instead} letters), or {fix}",
        at_key=review.translation,
    )
