"""Report: a learner's progress with a story as HTML (templates/progress.html), printed to PDF
and written as a web page into the child's private build folder, never the shared one.

The numbers come from progress.py; here they become plain data for the template: the charts
(chart.py) as pictures with their text alternatives, the step-by-session grid in sheets of at
most GRID_SESSIONS sessions, the chain's target and its moves, the mastery rule and when it was
met, and the small wins in the family's words with the story's pictures.
"""

from __future__ import annotations

import datetime
from pathlib import Path

from ..pages import layouts
from ..pages.assets import Target
from ..pages.paper import PAPERS
from ..pages.render import picture, render_page
from ..pictures import images
from ..story.model import MasteryRule, Story
from ..story.settings import Settings
from .chart import Axis, Line, line_chart
from .mastery import INDEPENDENT, Report, at_least
from .sessions import codes

GRID_SESSIONS = 20  # sessions on one sheet of the grid: a code fits each box at 9 pt
# On paper, the grid of the latest sessions only (the chart shows them all, the web page's grid
# too): a clinician prints the recent sessions, and WeasyPrint lays out about 500 boxes a second.
PRINTED_SESSIONS = GRID_SESSIONS
PRINTED_TRIES = 40  # a ladder's tries on paper: a row each
TEMPLATE = "progress.html"


def render_progress(
    told: Story,
    found: Report,
    target: Target = "print",
    paper: str = "a4",
    settings: Settings | None = None,
    library: Path | None = None,
    document_title: str | None = None,
) -> str:
    """The report as HTML. told: the story as the family reads it (in their language, about
    their child), found: its sessions' report; document_title: the title in the PDF's metadata
    (never a child's name)."""

    def more(urls, words) -> dict:
        when, steps = _dates(told.language), scored(told, urls)
        return {
            "format": "progress",
            "page_size": PAPERS[paper],
            "layout": layouts.handout_page(layouts.Sheet(told, paper)),
            "count": len(found.sessions),
            "first": when(found.sessions[0].date) if found.sessions else "",
            "last": when(found.sessions[-1].date) if found.sessions else "",
            "testable": found.testable,
            "mastered": when(found.mastered) if found.mastered else None,
            "target_step": found.target,
            "moves": [{"date": when(m.date), "from": m.came_from, "to": m.to} for m in found.moves],
            "step_texts": dict(found.steps),
            "levels": [{"code": code, "level": level} for level, code in enumerate(codes(told))],
            "grids": grids(found, _short_dates(told.language), PRINTED_SESSIONS if target == "print" else None),
            "left_out": max(0, len(found.sessions) - (PRINTED_TRIES if told.ladder else PRINTED_SESSIONS))
            if target == "print"
            else 0,
            "charts": charts(found, told, words, when),
            "wins": [step for step in steps if step["number"] in found.wins],
            "ladder_wins": ladder_wins(found, steps),
            "tries": [
                {"date": when(s.date), "step": s.step, "worry": s.worry, "notes": s.notes}
                for s in found.sessions[-PRINTED_TRIES if target == "print" else 0 :]
            ],
            "notes": [{"date": when(s.date), "notes": s.notes} for s in found.sessions if s.notes],
        }

    return render_page(told, TEMPLATE, more, target, settings, library, document_title)


def _dates(language: str):
    """A date as the family's language writes it: 2 Nov 2026, 2 nov 2026, 2026. 11. 2."""
    from babel.dates import format_date

    locale = _locale(language)
    return lambda day: format_date(day, "medium", locale=locale)


def _short_dates(language: str):
    """A date without its year, under a chart: 2 Nov."""
    from babel.dates import format_skeleton

    locale = _locale(language)
    return lambda day: format_skeleton("MMMd", datetime.datetime(day.year, day.month, day.day), locale=locale)


def _locale(language: str):
    from babel.core import Locale, UnknownLocaleError

    try:
        return Locale.parse(language, sep="-")
    except (UnknownLocaleError, ValueError):  # a language Babel does not know: English dates
        return Locale.parse("en")


def scored(told: Story, urls) -> list[dict]:
    """Each scored step (a sub-step for a step that has them) with its picture, for the small wins."""
    found = []
    for i, step in enumerate(told.steps, start=1):
        parts = [(f"{i}.{j}", sub) for j, sub in enumerate(step.steps, start=1)] or [(str(i), step)]
        for number, part in parts:
            shown = part if (part.symbol or part.image) else step
            found.append({"number": number, "text": part.text, "picture": picture(shown, urls, part.text)})
    return found


def grids(found: Report, when, latest: int | None = None) -> list[dict]:
    """The step-by-session grid, GRID_SESSIONS sessions a sheet (latest: of only that many of
    the last sessions): each cell's code and level of help (0: the most independent code), the
    chain's target that session outlined."""
    level = {code: i for i, code in enumerate(codes(found.story))}
    sheets = []
    first = max(0, len(found.sessions) - latest) if latest else 0
    for start in range(first, len(found.sessions), GRID_SESSIONS):
        sessions = found.sessions[start : start + GRID_SESSIONS]
        targets = found.targets[start : start + GRID_SESSIONS] if found.targets else [None] * len(sessions)
        rows = [
            {
                "number": number,
                "text": text,
                "cells": [
                    {
                        "code": s.codes.get(number, ""),
                        "level": level.get(s.codes.get(number, "")),
                        "target": t == number,
                    }
                    for s, t in zip(sessions, targets, strict=True)
                ],
            }
            for number, text in found.steps
        ]
        percents = found.independent[start : start + GRID_SESSIONS]
        sheets.append(
            {
                "first": start + 1,
                "dates": [when(s.date) for s in sessions],
                "rows": rows,
                "independent": [round(p) for p in percents],
            }
        )
    return sheets


def charts(found: Report, told: Story, words, when) -> list[dict]:
    """The report's charts, each {title, src (an SVG data: URL), alt (its points in words)}: % of
    steps independent per session (or, for a rule naming a code, % at that code or better) with
    the mastery criterion; for a ladder, the step reached and the worry rating per try."""
    short = _short_dates(told.language)
    labels = [short(s.date) for s in found.sessions]
    _ = words.gettext

    def chart(title: str, values: list[float | None], axis: Axis, level: Line | None = None) -> dict:
        svg = line_chart(values, labels, axis, level)
        points = "; ".join(
            f"{when(s.date)}: {axis.text.format(round(v))}"
            for s, v in zip(found.sessions, values, strict=True)
            if v is not None
        )
        return {
            "title": title,
            "src": images.data_uri(svg.encode("utf-8"), "image/svg+xml"),
            "alt": f"{title}. {points}",
        }

    if told.ladder:
        steps = len(told.steps)
        reached = [float(s.step) if s.step else None for s in found.sessions]
        worry = [float(s.worry) if s.worry is not None else None for s in found.sessions]
        return [
            chart(_("Step reached, per try"), reached, Axis(steps, tuple(range(1, steps + 1)), bottom=1)),
            chart(_("Worry, 0 to 10, per try"), worry, Axis(10, tuple(range(0, 11, 2)))),
        ]
    rule = told.mastery if isinstance(told.mastery, MasteryRule) else None
    percent = Axis(100, (0, 25, 50, 75, 100), "{:g}%")
    if rule and rule.step and rule.step != INDEPENDENT:
        title = _("Steps at %(code)s or more independent, per session (%%)") % {"code": rule.step}
        order, total = codes(told), len(found.steps) or 1
        values = [
            100 * sum(at_least(s.codes.get(n), rule.step, order) for n, _t in found.steps) / total
            for s in found.sessions
        ]
    else:
        title, values = _("Steps done independently, per session (%%)") % {}, list(found.independent)
    if not rule:
        return [chart(title, list(values), percent)]
    goal = 100 if rule.step else rule.independent or 100
    said = _("mastery: %(percent)s%% in %(num)s sessions in a row") % {"percent": goal, "num": rule.sessions}
    return [chart(title, list(values), percent, Line(goal, said))]


def ladder_wins(found: Report, steps: list[dict]) -> dict | None:
    """A ladder's progress in a family's terms: the step reached and the worry, first and latest;
    the furthest step with its words and picture."""
    tries = [s for s in found.sessions if s.step is not None]
    if not found.story.ladder or not tries:
        return None
    worries = [s.worry for s in found.sessions if s.worry is not None]
    return {
        "first_step": tries[0].step,
        "best_step": (best := max(s.step for s in tries if s.step is not None)),
        "best": steps[best - 1],
        "first_worry": worries[0] if worries else None,
        "last_worry": worries[-1] if worries else None,
    }
