"""The output kinds: one registry entry per kind, and everything storygen knows about it.

A `Format` gives a kind's name, label, summary, the stories it suits, its template, its
paper orientation, its layout (the numbers its template gets: layouts.py), the page each
anchored part must start on, the box each photo prints in, and any post-processing. The
rest of storygen reads them from FORMATS: `storygen formats`, the catalog's labels, render
(template, paper, layout) and build (what to make, how to check it fits: fit.py). Adding a
kind is its name in story/fields.py's OutputKind (what a library may ask for), an entry
here, its layout if it needs numbers of its own, a template and its CSS.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from ..i18n import N_
from ..story.fields import OutputKind
from ..story.model import Story
from ..story.settings import Settings
from .layouts import (
    Box,
    Sheet,
    calm_pages,
    cards_layout,
    datasheet_layout,
    guide_layout,
    handout_page,
    no_layout,
    story_layout,
    strip_layout,
    tracker_layout,
)
from .paper import (
    PAGE_MM,
)

ALL_KINDS = ("social", "sensory", "task")
STORY = "story"  # the story itself: the booklet is made from it, and its pages are the outcome's


def anchor(part: str, number: int | None = None) -> str:
    """The id a printed part is found by ("cover", "step-3"): the anchor() macro in
    templates/macros.html writes the same."""
    return part if number is None else f"{part}-{number}"


# -- orientation, layout and expected pages of each kind -------------------------------


def portrait(story: Story) -> bool:
    return False


def landscape(story: Story) -> bool:
    return True


def many_sessions(story: Story) -> bool:
    """A data sheet of more than 8 sessions needs the width of a landscape page."""
    return story.sessions > 8


def guide_pages(sheet: Sheet) -> dict[str, int]:
    """Each page of the guide after its first, by the anchor it starts at: a ladder's first step, its calm ideas."""
    breaks = guide_layout(sheet)["breaks"]
    starts = [anchor("step", 1) if part == "ladder" else anchor(part) for part in breaks]
    return {part: page for page, part in enumerate(starts, start=1)}


def story_pages(story: Story, sheet: Sheet | None = None) -> list[str]:
    """The anchor of each page of the story PDF, in order (on sheet's paper, where calm choices
    too long for one page take two: calm_pages; without one, the calm section's first)."""
    calm_count = len(calm_pages(sheet)) if sheet is not None and story.calm else 1
    calm = [anchor("calm", None if i == 0 else i + 1) for i in range(calm_count)] * bool(story.calm)
    intro = [anchor("intro")] * bool(story.intro)
    pages = [anchor("cover"), *(calm + intro if story.calm_first else intro + calm)]
    pages += [anchor("step", i) for i in range(1, len(story.steps) + 1)]
    return pages + [anchor("conclusion")] * bool(story.conclusion)


def step_page_numbers(story: Story, sheet: Sheet | None = None) -> list[int]:
    """The story PDF's page number (1-based) of each step."""
    pages = story_pages(story, sheet)
    return [pages.index(anchor("step", i)) + 1 for i in range(1, len(story.steps) + 1)]


def page_each(sheet: Sheet) -> dict[str, int]:
    """The story: each part on a page of its own."""
    return {part: page for page, part in enumerate(story_pages(sheet.story, sheet))}


def one_sheet(sheet: Sheet) -> dict[str, int]:
    """Every step on the first page."""
    return {anchor("step", i): 0 for i in range(1, sheet.steps + 1)}


def cards_pages(sheet: Sheet) -> dict[str, int]:
    return {anchor("step", i + 1): i // sheet.per_page for i in range(sheet.steps)}


def kit_pages(sheet: Sheet) -> dict[str, int]:
    """A row for each step with a stimulus, all on one page."""
    return {anchor("step", i): 0 for i, step in enumerate(sheet.story.steps, start=1) if step.stimulus}


def no_anchors(sheet: Sheet) -> dict[str, int]:
    return {}


# -- the box each page's photo prints in, by where the story writes it -----------------


def story_photos(sheet: Sheet, layout: dict) -> dict[tuple, Box]:
    """The cover, calm choices, introduction, steps and conclusion (sub-steps' and stimuli's
    pictures print at symbol size, under 2 cm: no photo needs more pixels there than here)."""
    story = sheet.story
    boxes: dict[tuple, Box] = {(): layout["cover_photo"], ("intro",): layout["page_photo"]}
    boxes |= {("calm", i): layout["choice_photo"] for i in range(len(story.calm))}
    boxes |= {("steps", i): layout["beside_photo" if s.steps else "page_photo"] for i, s in enumerate(story.steps)}
    return boxes | {("conclusion",): layout["page_photo"]}


def step_photos(sheet: Sheet, layout: dict) -> dict[tuple, Box]:
    """Each step's picture, in the square its layout gives (cards, strip, tracker)."""
    return {("steps", i): (layout["picture"], layout["picture"]) for i in range(sheet.steps)}


def booklet_photos(sheet: Sheet, layout: dict) -> dict[tuple, Box]:
    """The story's, each page scaled into half a landscape sheet (impose.py)."""
    width, height = PAGE_MM[sheet.paper]
    scale = min(height / 2 / width, width / height)
    return {loc: (w * scale, h * scale) for loc, (w, h) in story_photos(sheet, story_layout(sheet)).items()}


def no_photos(sheet: Sheet, layout: dict) -> dict[tuple, Box]:
    """None larger than symbols: the guide's calm list, the kit's senses."""
    return {}


def impose_booklet(story_pdf: bytes, paper: str, right_to_left: bool = False) -> bytes:
    from .impose import impose_booklet as impose  # pypdf: imported only when a booklet is made

    return impose(story_pdf, paper, right_to_left)


# -- the registry ----------------------------------------------------------------------


@dataclass(frozen=True)
class Format:
    """One output kind."""

    name: OutputKind
    label: str  # what the catalog shows
    summary: str  # what `storygen formats` says
    template: str | None  # templates/<template>, or None when made from_story
    kinds: tuple[str, ...] = ALL_KINDS  # the story kinds it suits
    landscape: Callable[[Story], bool] = portrait
    layout: Callable[[Sheet], dict] = no_layout  # numbers the template gets as `layout`
    pages: Callable[[Sheet], dict[str, int]] = no_anchors  # anchor -> page (0-based) it must start on
    page_each: bool = False  # each anchored part fills a page of its own (the story)
    from_story: Callable[[bytes, str, bool], bytes] | None = None  # made from the story's PDF, paper, right to left
    screen: str | None = None  # the label of its HTML page for screens, when it has one
    photos: Callable[[Sheet, dict], dict[tuple, Box]] = no_photos  # where a story writes a picture -> its box

    def photo_boxes(self, sheet: Sheet) -> dict[tuple, Box]:
        """The box (mm) each page's photo prints in, by where the story writes it: ("steps", 0)."""
        return self.photos(sheet, self.layout(sheet))

    def suits(self, story: Story) -> bool:
        return story.kind in self.kinds

    def file_name(self, story_id: str, suffix: str = ".pdf") -> str:
        return f"{story_id}{suffix}" if self.name == STORY else f"{story_id}-{self.name}{suffix}"

    def file_names(self, story_id: str) -> dict[str, str]:
        """Each file this kind writes for a story, with its label."""
        names = {self.file_name(story_id): self.label}
        return {**names, self.file_name(story_id, ".html"): self.screen} if self.screen else names

    def sheet(self, story: Story, paper: str, settings: Settings) -> Sheet:
        shown = settings.for_families()
        contact = "\n".join(shown[key] for key in ("clinic", "contact") if shown[key])
        return Sheet(story, paper, self.landscape(story), story.cards_per_page or settings.cards_per_page, contact)

    def expected_pages(self, sheet: Sheet) -> int:
        return max(self.pages(sheet).values(), default=0) + 1


FORMATS: dict[str, Format] = {
    f.name: f
    for f in [
        Format(
            "story",
            N_("Story (PDF)"),
            "The story itself: cover, calm page, one step per page (PDF, and HTML for screens).",
            "story.html",
            layout=story_layout,
            pages=page_each,
            page_each=True,
            screen=N_("Web page"),
            photos=story_photos,
        ),
        Format(
            "booklet",
            N_("Booklet"),
            "A fold-and-staple booklet: half-size pages, two to a sheet, printed double-sided.",
            None,
            landscape=landscape,
            from_story=impose_booklet,
            photos=booklet_photos,
        ),
        Format(
            "strip",
            N_("Strip"),
            "Every step on one page, numbered, for the bathroom wall or a desk (two steps: first/then).",
            "strip.html",
            landscape=landscape,
            layout=strip_layout,
            photos=step_photos,
            pages=one_sheet,
        ),
        Format(
            "cards",
            N_("Cards"),
            "Each step as a cut-out card with dashed cut lines, for visual schedules and first/then boards.",
            "cards.html",
            layout=cards_layout,
            photos=step_photos,
            pages=cards_pages,
        ),
        Format(
            "datasheet",
            N_("Data sheet"),
            "Task analyses: a data sheet of steps by sessions, with prompt codes, chaining and mastery.",
            "datasheet.html",
            ("task",),
            landscape=many_sessions,
            layout=datasheet_layout,
            pages=one_sheet,
        ),
        Format(
            "kit",
            N_("Sensory kit"),
            "Sensory stories: a checklist of every stimulus, its page and sense, to gather before reading.",
            "kit.html",
            ("sensory",),
            layout=handout_page,
            pages=kit_pages,
        ),
        Format(
            "tracker",
            N_("Small wins"),
            "A small-wins chart for the fridge: a box per step for each try, and room for a sticker.",
            "tracker.html",
            ("social", "task"),  # a sensory story's pages are offered, not tried and ticked
            landscape=landscape,
            layout=tracker_layout,
            photos=step_photos,
            pages=one_sheet,
        ),
        Format(
            "guide",
            N_("Guide"),
            "One page for parents and carers: what the story is for, how to use it, calm ideas, contact.",
            "guide.html",
            layout=guide_layout,
            pages=guide_pages,
        ),
    ]
}
