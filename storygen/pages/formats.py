"""The output kinds: one registry entry per kind, and everything storygen knows about it.

A `Format` gives a kind's name, label, summary, the stories it suits, its template, its
paper orientation, the layout numbers its template gets, the page each anchored part
must start on, and any post-processing. The rest of storygen reads them from FORMATS:
`storygen formats`, the catalog's labels, render (template, paper, layout) and build (what to make, how to check
it fits: fit.py). Adding a kind is its name in story/fields.py's OutputKind (what a library may
ask for), an entry here, a template and its CSS.

Layout numbers (grids, picture sizes, margins) are computed here from counts and paper
sizes, never from story text, and reach the templates as plain numbers: the templates'
CSS uses them and never repeats them.
"""

from __future__ import annotations

import math
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, replace

from ..i18n import N_
from ..story.fields import OutputKind
from ..story.model import Story
from ..story.settings import Settings
from . import guide
from .paper import (
    CREDITS_MM,
    FOOTER_MM,
    FOOTER_PT,
    HEADER_MM,
    LOGO_GAP_MM,
    LOGO_MAX_MM,
    MARGIN_MM,
    PAGE_MM,
    PRINTABLE_EDGE_MM,
    RUNNING_HEAD_MM,
    STORY_MARGINS_MM,
    STORY_SIDE_MM,
    logo_height,
)

ALL_KINDS = ("social", "sensory", "task")
STORY = "story"  # the story itself: the booklet is made from it, and its pages are the outcome's
CARD_GRIDS = {
    1: (1, 1),
    2: (1, 2),
    3: (1, 3),
    4: (2, 2),
    5: (2, 3),
    6: (2, 3),
    7: (2, 4),
    8: (2, 4),
    9: (3, 3),
    10: (3, 4),
    11: (3, 4),
    12: (3, 4),
}


def anchor(part: str, number: int | None = None) -> str:
    """The id a printed part is found by ("cover", "step-3"): the anchor() macro in
    templates/macros.html writes the same."""
    return part if number is None else f"{part}-{number}"


@dataclass(frozen=True)
class Sheet:
    """What one output is laid out for: the story, the paper and its orientation, cards per page."""

    story: Story
    paper: str
    landscape: bool = False
    per_page: int = 6
    contact: str = ""  # the clinic and contact lines a family guide shows

    def content_mm(self) -> tuple[float, float]:
        """Width and height inside the margins and footer of a handout page."""
        width, height = PAGE_MM[self.paper]
        if self.landscape:
            width, height = height, width
        return width - 2 * MARGIN_MM, height - MARGIN_MM - FOOTER_MM

    @property
    def steps(self) -> int:
        return len(self.story.steps)


# -- orientation, layout and expected pages of each kind -------------------------------


def portrait(story: Story) -> bool:
    return False


def landscape(story: Story) -> bool:
    return True


def many_sessions(story: Story) -> bool:
    """A data sheet of more than 8 sessions needs the width of a landscape page."""
    return story.sessions > 8


def no_layout(sheet: Sheet) -> dict:
    return {}


Box = tuple[float, float]  # a picture's box on paper: width and height in mm, a photo fitted inside
STORY_PHOTOS: dict[str, Box] = {"page": (175, 120), "beside": (85, 85)}  # beside: sub-steps
COVER_PHOTO_W = 170


def photo_boxes(calm: dict, cover: dict) -> dict[str, Box]:
    """Each place's photo box on the story's pages: a page's, beside sub-steps, and the cover's
    and a calm choice's, which their layouts size."""
    return {
        **{f"{place}_photo": box for place, box in STORY_PHOTOS.items()},
        "cover_photo": (COVER_PHOTO_W, cover["photo"]),
        "choice_photo": (calm["photo_w"], calm["picture"]),
    }


def story_layout(sheet: Sheet) -> dict:
    """The story's page: the height a page's content is centred in, the calm page's grid, the
    cover's title and picture, and its photos' boxes (story.css)."""
    height = PAGE_MM[sheet.paper][1] - sum(STORY_MARGINS_MM) - 2  # 2 mm to spare: a page never spills
    calm, cover = calm_layout(sheet, height), cover_layout(sheet, height)
    return {
        "margin_top": STORY_MARGINS_MM[0],
        "margin_bottom": STORY_MARGINS_MM[1],
        "margin_side": STORY_SIDE_MM,
        "page_h": round(height, 1),
        "last_page_h": round(height - CREDITS_MM, 1),
        **branding_layout(STORY_MARGINS_MM[0]),
        **photo_boxes(calm, cover),
        "calm": calm,
        "cover": cover,
    }


PT_MM = 25.4 / 72
CALM = {"title_pt": 34, "lead_pt": 24, "gap": 6, "pad_top": 12, "pad": 4, "text_gap": 2, "border": 1.4}
CHOICE_LINES = 3  # the lines a choice's words have room for under its picture (MAX_CHOICE_WORDS)


def line_mm(points: float, leading: float = 1.3) -> float:
    return points * PT_MM * leading


def calm_layout(sheet: Sheet, height: float) -> dict:
    """The calm page's grid: its columns, and pictures as large as they can be (at most 60, 46
    or 34 mm by the number of choices) with room under each for CHOICE_LINES lines of words,
    so that every row fits the page."""
    count = len(sheet.story.calm) or 1
    cols = 1 if count == 1 else 2 if count in (2, 4) else 3
    rows = math.ceil(count / cols)
    text_pt = 24 if rows <= 2 else 20
    head = line_mm(CALM["title_pt"]) + 4 + line_mm(CALM["lead_pt"]) + 3 + 8  # margins: story.css
    width = (PAGE_MM[sheet.paper][0] - 2 * STORY_SIDE_MM - (cols - 1) * CALM["gap"]) / cols
    width -= 2 * CALM["pad"] + CALM["border"]
    row = (height - head - (rows - 1) * CALM["gap"]) / rows
    room = row - CALM["pad_top"] - CALM["pad"] - CALM["text_gap"] - CALM["border"] - CHOICE_LINES * line_mm(text_pt)
    largest = 60 if cols <= 2 else 46 if rows <= 2 else 34
    return {
        **CALM,
        "cols": cols,
        "text_pt": text_pt,
        "picture": round(min(largest, width, room), 1),
        "photo_w": round(width, 1),
    }


def cover_layout(sheet: Sheet, height: float) -> dict:
    """The cover's title: smaller for a longer title, with room for the lines it may take in
    any script (CJK and wide scripts wrap sooner), and the picture as large as what is left,
    so a title of up to MAX_TITLE characters and its picture fit one page."""
    length = len(sheet.story.title)
    title_pt, lines = (48, 2) if length <= 20 else (36, 4) if length <= 45 else (26, 7)
    # a line of CJK or Arabic, in a font beside the Latin one, is taller than its 1.15 line-height: 1.3
    head = 30 + line_mm(20) + 6 + lines * line_mm(title_pt) + 20 + 4  # padding, kind, margins, to spare
    room = height - head
    return {"title_pt": title_pt, "picture": round(min(140.0, room), 1), "photo": round(min(130.0, room), 1)}


HEAD_LABEL_MM = 62  # the head's label beside the title ("A guide for families", in capitals)
HEAD_LINES_PT = 36  # lines x points of title the head holds (HEADER_MM): one at 20 pt, two at 18, three at 12
TITLE_SIZES = (24, 20, 18, 16, 14, 12, 11, 10)


def title_pt(sheet: Sheet, largest: int = 20, room: int = HEAD_LINES_PT) -> int:
    """The size of a handout's title: the largest, up to `largest` points, at which it takes the
    lines the head has room for beside its label; a longer title wraps onto more lines at 10 pt,
    never cut."""
    for size in (pt for pt in TITLE_SIZES if pt <= largest):
        lines = title_lines(sheet, size)
        if lines * size <= room or lines == 1:
            return size
    return TITLE_SIZES[-1]


def title_lines(sheet: Sheet, size: int) -> int:
    """The lines a handout's title takes at a size (its width guessed from its letters: a CJK
    letter is an em wide, others about 0.6 em)."""
    width = (sheet.content_mm()[0] - HEAD_LABEL_MM) * 0.85  # lines break at spaces: room to spare
    ems = sum(1.0 if unicodedata.east_asian_width(c) in "WF" else 0.6 for c in sheet.story.title)
    return math.ceil(ems * size * 25.4 / 72 / width)


def handout_page(sheet: Sheet) -> dict:
    """The page every handout shares (handouts.css): margins, footer, the cards' running head,
    the size of the title in its head."""
    return {
        "margin": MARGIN_MM,
        "footer": FOOTER_MM,
        "running_head": RUNNING_HEAD_MM,
        "title_pt": title_pt(sheet),
        **branding_layout(MARGIN_MM),
    }


def guide_layout(sheet: Sheet) -> dict:
    """The family guide: a larger title; one page, or more when its text needs them (guide.py)."""
    size = title_pt(sheet, 24, HEAD_LINES_PT * 3 // 2)  # its page flows: room for a line more
    head = HEADER_MM + (title_lines(sheet, size) - 1) * size * 1.25 * 25.4 / 72
    width, height = sheet.content_mm()
    breaks = guide.page_breaks(sheet.story, width, height, head, sheet.contact)
    return {**handout_page(sheet), "title_pt": size, "breaks": breaks}


def guide_pages(sheet: Sheet) -> dict[str, int]:
    """Each page of the guide after its first, by the anchor it starts at: a ladder's first step, its calm ideas."""
    breaks = guide_layout(sheet)["breaks"]
    starts = [anchor("step", 1) if part == "ladder" else anchor(part) for part in breaks]
    return {part: page for page, part in enumerate(starts, start=1)}


def branding_layout(top_margin: float) -> dict:
    """The library's logo and footer line in the margins (branding.css), the logo as tall as
    the top margin leaves room for (paper.logo_height)."""
    return {
        "logo_h": logo_height(top_margin),
        "logo_w": LOGO_MAX_MM[1],
        "logo_gap": LOGO_GAP_MM,
        "footer_pt": FOOTER_PT,
        "edge": PRINTABLE_EDGE_MM,
    }


def cards_layout(sheet: Sheet) -> dict:
    cols, rows = CARD_GRIDS[sheet.per_page]
    width, height = sheet.content_mm()
    height -= RUNNING_HEAD_MM
    card_w, card_h = width / cols, (height - 1) / rows  # 1 mm for the dashed lines themselves
    pad, label_gap = 4, 3  # inside each card's edge; between picture and label
    label_pt = 28 if sheet.per_page <= 2 else 22 if sheet.per_page <= 6 else 16
    picture = min(card_w * 0.8, card_h - label_pt * 0.353 * 2.6 - 2 * pad - label_gap - 1)
    return {
        **handout_page(sheet),
        "cols": cols,
        "rows": rows,
        "per_page": sheet.per_page,
        "pad": pad,
        "label_gap": label_gap,
        "card_w": round(card_w, 2),
        "card_h": round(card_h, 2),
        "picture": round(picture, 1),
        "label_pt": label_pt,
    }


def strip_layout(sheet: Sheet) -> dict:
    steps, gap = sheet.steps, 4
    pad_top, pad = 8, 3  # inside each tile: room for its number on top, then its sides and bottom
    cols = min(steps if steps <= 5 else math.ceil(steps / 2) if steps <= 10 else math.ceil(steps / 3), 6)
    rows = math.ceil(steps / cols)
    width, height = sheet.content_mm()
    tile_w, tile_h = (width - (cols - 1) * gap) / cols, (height - HEADER_MM - (rows - 1) * gap) / rows
    label_pt = 22 if rows == 1 and cols <= 3 else 16 if rows <= 2 else 13
    picture = min(tile_w - 2 * pad - 4, tile_h - label_pt * 0.353 * 3.6 - pad_top - pad - 5)  # borders, room to spare
    return {
        **handout_page(sheet),
        "cols": cols,
        "rows": rows,
        "gap": gap,
        "pad_top": pad_top,
        "pad": pad,
        "tile_h": round(tile_h, 2),
        "picture": round(picture, 1),
        "label_pt": label_pt,
    }


def label_lines(sheet: Sheet, size: float, width_mm: float) -> int:
    """The lines the longest step label takes at a size in a width (its letters' width guessed
    as the guide's are, guide.ems), for the tracker's head to leave it room."""
    longest = max((guide.ems(step.label or step.text) for step in sheet.story.steps), default=0)
    return guide.lines(longest, width_mm, size, used=0.75)


def tracker_layout(sheet: Sheet) -> dict:
    width, height = sheet.content_mm()
    try_w, sticker_w = 30, 32  # the "day or try" and "sticker" columns
    worry_w = 46 if sheet.story.ladder else 0  # a ladder's 0 to 10 worry rating
    step_w = (width - try_w - sticker_w - worry_w) / sheet.steps
    label_pt = 10 if step_w > 28 else 9
    picture = min(step_w - 6, 16.0)
    head_h = (
        picture + 17 + max(3, label_lines(sheet, label_pt, step_w - 2)) * label_pt * 0.353 * 1.3
    )  # number, picture, label
    group_h = 7 if sheet.story.ladder else 0  # a ladder's "step reached" over its steps
    room = height - HEADER_MM - head_h - group_h - 6
    rows = max(2, min(7, int(room // 12)))  # a row per try, at least 12 mm to write in: fewer when labels are long
    row_h = round(room / rows, 1)
    return {
        **handout_page(sheet),
        "rows": rows,
        "try_w": try_w,
        "sticker_w": sticker_w,
        "worry_w": worry_w,
        "step_w": round(step_w, 2),
        "picture": round(picture, 1),
        "head_h": round(head_h, 1),
        "row_h": row_h,
        "sticker": min(row_h - 4, 26),
        "label_pt": label_pt,
    }


def datasheet_layout(sheet: Sheet) -> dict:
    """Rows, and a row height that fits them on one page when it can (6 to 10 mm)."""
    rows, date_h = datasheet_rows(sheet.story), 8
    _, height = sheet.content_mm()
    free = height - 66 - 2 * date_h  # title, blanks, facts; then the session and date rows
    row_h = max(6.0, min(10.0, free / (len(rows) + 1)))
    return {
        **handout_page(sheet),
        "rows": rows,
        "row_h": round(row_h, 2),
        "date_h": date_h,
        "step_col": 85 if sheet.landscape else 75,
    }


@dataclass(frozen=True)
class Row:
    """A row of the data sheet: a step, or a sub-step indented under it."""

    number: str
    text: str
    sub: bool = False
    heading: bool = False  # a step with sub-steps: data is taken on its sub-steps
    target: bool = False


def datasheet_rows(story: Story) -> list[Row]:
    """Steps and sub-steps, numbered; the target step marked for forward or backward chaining."""
    rows: list[Row] = []
    for i, step in enumerate(story.steps, start=1):
        rows.append(Row(str(i), step.text, heading=bool(step.steps)))
        rows += [Row(f"{i}.{j}", sub.text, sub=True) for j, sub in enumerate(step.steps, start=1)]
    scored = [i for i, row in enumerate(rows) if not row.heading]
    target = {"forward": scored[0], "backward": scored[-1]}.get(story.chaining or "")
    if target is not None:
        rows[target] = replace(rows[target], target=True)
    return rows


def story_pages(story: Story) -> list[str]:
    """The anchor of each page of the story PDF, in order."""
    calm, intro = [anchor("calm")] * bool(story.calm), [anchor("intro")] * bool(story.intro)
    pages = [anchor("cover"), *(calm + intro if story.calm_first else intro + calm)]
    pages += [anchor("step", i) for i in range(1, len(story.steps) + 1)]
    return pages + [anchor("conclusion")] * bool(story.conclusion)


def step_page_numbers(story: Story) -> list[int]:
    """The story PDF's page number (1-based) of each step."""
    pages = story_pages(story)
    return [pages.index(anchor("step", i)) + 1 for i in range(1, len(story.steps) + 1)]


def page_each(sheet: Sheet) -> dict[str, int]:
    """The story: each part on a page of its own."""
    return {part: page for page, part in enumerate(story_pages(sheet.story))}


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
