"""The family guide's pages: one, or two designed as two (never a box split by the break).

The guide (templates/guide.html) is one page when what it holds fits; otherwise its second
page starts at "First, calm the body", so page 1 says what the story is for and how to use
it (a ladder: its steps too) and page 2 holds the calm ideas, how the steps are taught and
the contact box. Which one is decided here, before printing, from the story's counts and the
lengths of its texts, so the registry's expected pages (formats.py) and the printed guide
agree: the guess is generous, and a guide guessed to need two is laid out as two.
"""

from __future__ import annotations

import math
import unicodedata

from ..story.model import Story
from .paper import MM_PER_POINT

TEXT_PT, HEADING_PT = 13.5, 17  # handouts.css: .guide p, li; .guide h2
LINE_MM = TEXT_PT * 1.45 * MM_PER_POINT  # a line of the guide's text
HEADING_MM = 7 + HEADING_PT * 1.3 * MM_PER_POINT + 2  # a heading with its margins
LETTER_EM = 0.5  # a letter of running text, in ems (CJK: 1)
TRANSLATED = 1.25  # storygen's own words may be this much longer in another language than in English
# storygen's own words, in English letters: what the story is for; each "how to use it" item
PURPOSE = 230
HOW_TO_USE = {
    "sensory": (120, 115, 120, 150, 140, 110),
    "ladder": (125, 95, 110, 165, 50),
    "other": (95, 100, 100, 90, 90),
}
CALM_LEAD, CALM_NONE, TAUGHT = 70, 150, 130
LIST_INDENT_MM, CALM_PICTURE_MM = 6, 16
# the guess against WeasyPrint's layout, on the example library and guides in French, Spanish and
# six scripts: it ran 10 to 25% over; this keeps it a few mm over, so a guide guessed to fit does
MEASURED = 0.92


def ems(text: str) -> float:
    """Its width in ems: a CJK letter one, any other letter about half."""
    return sum(1.0 if unicodedata.east_asian_width(c) in "WF" else LETTER_EM for c in text)


def lines(width_ems: float, width_mm: float, size: float = TEXT_PT, used: float = 0.95) -> int:
    """The lines a text that wide takes in a width, at a size (in points), lines filled to `used`
    (they break at spaces: a narrow column loses more at each line's end)."""
    return max(1, math.ceil(width_ems * size * MM_PER_POINT / (width_mm * used)))


def own(letters: int, language: str = "") -> float:
    """storygen's own words, in ems: in English, or longer in a translation."""
    return letters * (1 if language.split("-")[0] == "en" else TRANSLATED) * LETTER_EM


def first_page_mm(story: Story, width: float, head_mm: float) -> float:
    """The height of what the first page holds: head, what it is for, how to use it."""
    intro = ems(story.intro.text) + own(15, story.language) if story.intro else 0
    height = head_mm + 2 * HEADING_MM + lines(own(PURPOSE, story.language) + intro, width) * LINE_MM
    items = HOW_TO_USE["sensory" if story.kind == "sensory" else "ladder" if story.ladder else "other"]
    return height + sum(lines(own(n, story.language), width - LIST_INDENT_MM) * LINE_MM + 1 for n in items)


def ladder_mm(story: Story, width: float) -> float:
    """The height of a ladder's steps."""
    height = 0.0
    if story.ladder:
        height += HEADING_MM
        for step in story.steps:
            practice = ems(step.practise or "") + ems(step.practise_for or "")
            said = practice + own(25, story.language) if practice else 0
            height += lines(ems(step.label or step.text) + said, width - LIST_INDENT_MM) * LINE_MM + 1
    return height


def rest_mm(story: Story, width: float, contact: str) -> float:
    """The height of the rest: the calm ideas, how the steps are taught, the contact box."""
    height = HEADING_MM
    if story.calm:
        height += lines(own(CALM_LEAD, story.language), width) * LINE_MM + 2
        row = 0.0  # the choices side by side, as many to a line as fit: a line's height is its first's
        for choice in story.calm:
            picture = CALM_PICTURE_MM  # a picture is assumed: most choices have one
            wide = min(width, picture + 2 + ems(choice.text) * TEXT_PT * MM_PER_POINT / 0.9)
            if row and row + 6 + wide <= width:
                row += 6 + wide
                continue
            row = wide
            height += max(CALM_PICTURE_MM, lines(ems(choice.text), width - picture - 2) * LINE_MM) + 2
    else:
        height += lines(own(CALM_NONE, story.language), width) * LINE_MM
    if story.kind == "task" and (story.chaining or story.mastery):
        mastery = ems(str(story.mastery or "")) * TRANSLATED
        height += HEADING_MM + lines(own(TAUGHT, story.language) + mastery, width) * LINE_MM
    if contact:
        inner = width - 8
        height += 6 + 6 + 2 + HEADING_MM
        height += sum(lines(ems(line), inner) * LINE_MM for line in contact.splitlines() if line.strip())
    return height


def page_breaks(story: Story, width: float, height: float, head_mm: float, contact: str) -> tuple[str, ...]:
    """Where the guide's pages start after its first (width, height: its page's content, in mm;
    head_mm: its head's height; contact: the clinic and contact lines it shows): "ladder", a
    ladder's steps, when they do not fit beside what it is for; "calm", the calm ideas and the
    rest, when they do not fit before them."""
    first = first_page_mm(story, width, head_mm) * MEASURED
    ladder = ladder_mm(story, width) * MEASURED
    rest = rest_mm(story, width, contact) * MEASURED
    if first + ladder + rest <= height:
        return ()
    if first + ladder <= height:
        return ("calm",)
    return ("ladder",) if ladder + rest <= height else ("ladder", "calm")
