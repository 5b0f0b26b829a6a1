"""Layout numbers of each output kind: what a sheet is laid out for (`Sheet`), and the grids,
picture sizes, title sizes and margins each kind's template gets as `layout`.

They are computed from counts, paper sizes and text lengths, never drawn from story text,
and reach the templates as plain numbers: the templates' CSS uses them and never repeats
them. The registry (formats.py) names the layout of each kind.
"""

from __future__ import annotations

import math
import unicodedata
from dataclasses import dataclass, replace

from ..story.model import Story
from . import guide, measure
from .paper import (
    CREDITS_MM,
    FOOTER_MM,
    FOOTER_PT,
    HEADER_MM,
    LOGO_GAP_MM,
    LOGO_MAX_MM,
    MARGIN_MM,
    MM_PER_POINT,
    PAGE_MM,
    PRINTABLE_EDGE_MM,
    RUNNING_HEAD_MM,
    STORY_MARGINS_MM,
    STORY_SIDE_MM,
    logo_height,
)

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


def story_height(sheet: Sheet) -> float:
    """The height (mm) a story page's content is centred in."""
    return PAGE_MM[sheet.paper][1] - sum(STORY_MARGINS_MM) - 2  # 2 mm to spare: a page never spills


def story_layout(sheet: Sheet) -> dict:
    """The story's page: the height a page's content is centred in, the calm page's grid (and
    which choices each calm page holds), the cover's title and picture, and its photos' boxes
    (story.css)."""
    height = story_height(sheet)
    pages = calm_pages(sheet)
    calm, cover = calm_layout(sheet, height, len(pages[0])), cover_layout(sheet, height)
    return {
        "margin_top": STORY_MARGINS_MM[0],
        "margin_bottom": STORY_MARGINS_MM[1],
        "margin_side": STORY_SIDE_MM,
        "page_h": round(height, 1),
        "last_page_h": round(height - CREDITS_MM, 1),
        **branding_layout(STORY_MARGINS_MM[0]),
        **photo_boxes(calm, cover),
        "calm": calm,
        "calm_pages": pages,
        "cover": cover,
    }


CALM = {"title_pt": 34, "lead_pt": 24, "gap": 6, "pad_top": 12, "pad": 4, "text_gap": 2, "border": 1.4}
CHOICE_LINES = 3  # the lines a choice's words have room for under its picture


def line_mm(points: float, leading: float = 1.3) -> float:
    return points * MM_PER_POINT * leading


def calm_layout(sheet: Sheet, height: float, per_page: int | None = None) -> dict:
    """The calm pages' grid, per_page choices to a page (all of them by default): its columns,
    its type, and pictures as large as they can be (at most 60, 46 or 34 mm by the number of
    choices) with room under each row for the lines its longest choice takes (at least
    CHOICE_LINES), measured in the story's font: every row fits the page, on every calm page."""
    choices = sheet.story.calm
    count = per_page or len(choices) or 1
    cols = 1 if count == 1 else 2 if count in (2, 4) else 3
    text_pt = 24 if math.ceil(count / cols) <= 2 else 20
    head = calm_head(sheet)
    width = (PAGE_MM[sheet.paper][0] - 2 * STORY_SIDE_MM - (cols - 1) * CALM["gap"]) / cols
    width -= 2 * CALM["pad"] + CALM["border"]
    language = sheet.story.language
    lines = [measure.lines(choice.text, width, text_pt, language) for choice in choices] if choices else [CHOICE_LINES]
    fixed = CALM["pad_top"] + CALM["pad"] + CALM["text_gap"] + CALM["border"]  # a row's padding and border
    room = math.inf  # the picture each row has room for, on the fullest calm page
    for first in range(0, len(lines), count):
        page = lines[first : first + count]
        rows = [max(CHOICE_LINES, *page[i : i + cols]) for i in range(0, len(page), cols)]
        free = height - head - (len(rows) - 1) * CALM["gap"] - len(rows) * fixed - sum(rows) * line_mm(text_pt)
        room = min(room, free / len(rows))
    rows_of = math.ceil(count / cols)  # with CHOICE_LINES under each: the room short choices leave
    usual = (
        height - head - (rows_of - 1) * CALM["gap"] - rows_of * (fixed + CHOICE_LINES * line_mm(text_pt))
    ) / rows_of
    largest = 60 if cols <= 2 else 46 if math.ceil(count / cols) <= 2 else 34
    return {
        **CALM,
        "cols": cols,
        "text_pt": text_pt,
        "picture": round(max(0.0, min(largest, width, room)), 1),
        "photo_w": round(width, 1),
        "room": round(room, 1),  # the picture a row has room for beside its words
        "usual": round(usual, 1),  # the room with CHOICE_LINES under each choice
        "lines": lines,  # each choice's, under its picture
    }


BOLD_WIDER = 1.1  # a bold heading's letters are about a tenth wider than the regular ones measured


def calm_head(sheet: Sheet) -> float:
    """The height (mm) of the calm page's heading and lead, in the story's language: a heading
    that wraps (Russian's "Сначала я успокаиваю своё тело") takes its lines."""
    from .. import i18n

    story, words = sheet.story, i18n.translations(sheet.story.language, noting=False)
    heading = words.gettext("First, I calm my body") if story.calm_first else words.gettext("Then I calm my body")
    width = PAGE_MM[sheet.paper][0] - 2 * STORY_SIDE_MM
    title = measure.lines(heading, width / BOLD_WIDER, CALM["title_pt"], story.language)
    lead = measure.lines(words.gettext("I can choose one:"), width, CALM["lead_pt"], story.language)
    return title * line_mm(CALM["title_pt"]) + 4 + lead * line_mm(CALM["lead_pt"]) + 3 + 8  # margins: story.css


MIN_CHOICE_PICTURE = 24  # mm: long words may shrink a calm choice's picture to this on one page, no further


def fits_one_page(calm: dict) -> bool:
    """Whether a calm page's pictures keep their room beside the words: MIN_CHOICE_PICTURE, or
    the room short choices leave, where that is less (seven or eight choices)."""
    return calm["room"] >= min(MIN_CHOICE_PICTURE, calm["usual"]) - 0.05


def calm_pages(sheet: Sheet) -> list[list[int]]:
    """The calm choices (by index) on each calm page: all on one when their pictures keep their
    room beside the words they take (fits_one_page), else the section takes two pages by
    design, half the choices on each (the first the larger half), laid out alike: never a
    choice spilled onto a page of its own."""
    count = len(sheet.story.calm)
    if count <= 1 or fits_one_page(calm_layout(sheet, story_height(sheet))):
        return [list(range(count))]
    half = math.ceil(count / 2)
    return [list(range(half)), list(range(half, count))]


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
    return math.ceil(ems * size * MM_PER_POINT / width)


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
    head = HEADER_MM + (title_lines(sheet, size) - 1) * size * 1.25 * MM_PER_POINT
    width, height = sheet.content_mm()
    breaks = guide.page_breaks(sheet.story, width, height, head, sheet.contact)
    return {**handout_page(sheet), "title_pt": size, "breaks": breaks}


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


DASHED_MM = 0.8 * MM_PER_POINT  # a card's cut lines (cards.css)


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
        "body_h": round(card_h - 2 * pad - DASHED_MM, 2),  # inside a card: its picture and words centred in it
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
        "tile_w": round(tile_w, 2),
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
