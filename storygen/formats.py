"""The outputs made from one story: what each is for, whom it suits, how it is laid out.

Layout numbers (grids, picture sizes) are computed here from counts and paper sizes,
never from story text, and reach the templates as plain numbers.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from .model import FORMAT_NAMES, Story

ALL_KINDS = ("social", "sensory", "task")
PAGE_MM = {"a4": (210.0, 297.0), "letter": (215.9, 279.4)}
MARGIN_MM, FOOTER_MM, HEADER_MM = 12.0, 22.0, 24.0
CARD_GRIDS = {1: (1, 1), 2: (1, 2), 3: (1, 3), 4: (2, 2), 5: (2, 3), 6: (2, 3),
              7: (2, 4), 8: (2, 4), 9: (3, 3), 10: (3, 4), 11: (3, 4), 12: (3, 4)}


@dataclass(frozen=True)
class Format:
    name: str
    summary: str
    kinds: tuple[str, ...] = ALL_KINDS

    def suits(self, story: Story) -> bool:
        return story.kind in self.kinds

    def file_name(self, story_id: str) -> str:
        return f"{story_id}.pdf" if self.name == "story" else f"{story_id}-{self.name}.pdf"


FORMATS = {f.name: f for f in [
    Format("story", "The story itself: cover, calm page, one step per page (PDF, and HTML for screens)."),
    Format("booklet", "A fold-and-staple booklet: half-size pages, two to a sheet, printed double-sided."),
    Format("strip", "Every step on one page, numbered, for the bathroom wall or a desk (two steps: first/then)."),
    Format("cards", "Each step as a cut-out card with dashed cut lines, for visual schedules and first/then boards."),
    Format("datasheet", "Task analyses: a data sheet of steps by sessions, with prompt codes, chaining and mastery.", ("task",)),
    Format("kit", "Sensory stories: a checklist of every stimulus, its page and sense, to gather before reading.", ("sensory",)),
    Format("tracker", "A small-wins chart for the fridge: a box per step for each try, and room for a sticker."),
    Format("guide", "One page for parents and carers: what the story is for, how to use it, calm ideas, contact."),
]}
assert tuple(FORMATS) == FORMAT_NAMES


def landscape(name: str, story: Story) -> bool:
    return name in ("strip", "tracker") or (name == "datasheet" and story.sessions > 8)


def content_mm(paper: str, is_landscape: bool) -> tuple[float, float]:
    """Width and height inside the margins, header and footer of a handout page."""
    width, height = PAGE_MM[paper]
    if is_landscape:
        width, height = height, width
    return width - 2 * MARGIN_MM, height - MARGIN_MM - FOOTER_MM


def story_pages(story: Story) -> list[str]:
    """The anchor of each page of the story PDF, in order."""
    pages = ["cover"] + ["calm"] * bool(story.calm) + ["intro"] * bool(story.intro)
    pages += [f"step-{i + 1}" for i in range(len(story.steps))]
    return pages + ["conclusion"] * bool(story.conclusion)


def step_page_numbers(story: Story) -> list[int]:
    """The story PDF's page number (1-based) of each step."""
    pages = story_pages(story)
    return [pages.index(f"step-{i + 1}") + 1 for i in range(len(story.steps))]


def cards_grid(per_page: int, paper: str) -> dict:
    cols, rows = CARD_GRIDS[per_page]
    width, height = content_mm(paper, False)
    height -= 6  # the taller top margin that holds the running head
    card_w, card_h = width / cols, (height - 1) / rows  # 1 mm for the dashed lines themselves
    label_pt = 28 if per_page <= 2 else 22 if per_page <= 6 else 16
    picture = min(card_w * 0.8, card_h - label_pt * 0.353 * 2.6 - 12)
    return {"cols": cols, "rows": rows, "per_page": per_page, "card_w": round(card_w, 2),
            "card_h": round(card_h, 2), "picture": round(picture, 1), "label_pt": label_pt}


def strip_grid(steps: int, paper: str) -> dict:
    cols = steps if steps <= 5 else math.ceil(steps / 2) if steps <= 10 else math.ceil(steps / 3)
    cols = min(cols, 6)
    rows = math.ceil(steps / cols)
    width, height = content_mm(paper, True)
    tile_w, tile_h = (width - (cols - 1) * 4) / cols, (height - HEADER_MM - (rows - 1) * 4) / rows
    label_pt = 22 if rows == 1 and cols <= 3 else 16 if rows <= 2 else 13
    picture = min(tile_w - 10, tile_h - label_pt * 0.353 * 3.6 - 16)
    return {"cols": cols, "rows": rows, "tile_h": round(tile_h, 2), "picture": round(picture, 1), "label_pt": label_pt}


def tracker_grid(steps: int, paper: str) -> dict:
    width, height = content_mm(paper, True)
    step_w = (width - 30 - 32) / steps  # minus the "try" and "sticker" columns
    picture = min(step_w - 6, 16.0)
    head_h = picture + 28  # number, picture, three lines of label
    rows = 7
    row_h = (height - HEADER_MM - head_h - 6) / rows
    return {"rows": rows, "step_w": round(step_w, 2), "picture": round(picture, 1),
            "head_h": round(head_h, 1), "row_h": round(row_h, 1), "label_pt": 10 if step_w > 28 else 9}


def datasheet_layout(story: Story, paper: str) -> dict:
    """Rows, and a row height that fits them on one page when it can (6 to 10 mm)."""
    rows = datasheet_rows(story)
    _, height = content_mm(paper, landscape("datasheet", story))
    free = height - 66 - 2 * 8  # title, blanks, facts; then the session and date rows
    row_h = max(6.0, min(10.0, free / (len(rows) + 1)))
    return {"rows": rows, "row_h": round(row_h, 2)}


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
        rows[target] = Row(**{**rows[target].__dict__, "target": True})
    return rows


def expected_pages(name: str, story: Story, per_page: int) -> int:
    if name == "story":
        return len(story_pages(story))
    if name == "cards":
        return math.ceil(len(story.steps) / per_page)
    return 1


def expected_page_of_step(name: str, index: int, per_page: int) -> int:
    """The page (0-based) a step's item should start on in a handout."""
    return index // per_page if name == "cards" else 0
