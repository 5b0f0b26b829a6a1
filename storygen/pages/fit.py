"""Page fit: after printing, did each output take the pages its format expects?

The templates mark each part with an anchor (the anchor() macro: id="cover", id="step-3"),
the printer reports the page each anchor starts on, and the format (formats.py) says where
each should start. A part that spills onto more pages is named, at its line in the story.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import Problem, Severity
from .formats import Format
from .layouts import Sheet

if TYPE_CHECKING:
    from ..story.load import Source

PART_NAMES = {
    "cover": "the cover",
    "calm": "the calm page",
    "intro": "the introduction",
    "conclusion": "the conclusion",
}


def check(
    fmt: Format, sheet: Sheet, source: Source, starts: dict[str, int], pages: int, library: Path
) -> list[Problem]:
    """Warnings for an output that does not fit; one warning instead when its template has
    lost the anchors that tell which part it is."""
    expected = fmt.pages(sheet)
    missing = [part for part in expected if part not in starts]
    if missing:
        return [
            source.problem(
                (),
                f"{_template_name(fmt, library)} has no page anchors ({_ids(missing)}): storygen "
                "cannot tell which page does not fit",
                severity=Severity.WARNING,
                hint="use the anchor() macro (see templates/README.md)",
            )
        ]
    if fmt.page_each:
        return overflows(source, expected, starts, pages)
    return misfits(fmt, sheet, source, expected, starts, pages)


def overflows(source: Source, expected: dict[str, int], starts: dict[str, int], pages: int) -> list[Problem]:
    """A warning for each part that took more than the one page it should."""
    found = [(starts[part], part) for part in expected]
    ends = [start for start, _ in found[1:]] + [pages]
    problems = []
    for (start, part), end in zip(found, ends, strict=True):
        if end - start > 1:
            loc, name = _where(part)
            problems.append(
                source.problem(
                    loc,
                    f"{name} does not fit on one page (it takes {end - start})",
                    severity=Severity.WARNING,
                    hint="shorten the text, or use fewer sub-steps or choices",
                )
            )
    return problems


def misfits(
    fmt: Format, sheet: Sheet, source: Source, expected: dict[str, int], starts: dict[str, int], pages: int
) -> list[Problem]:
    """A warning when a handout takes more pages than it should, naming the first step that moved."""
    most = fmt.expected_pages(sheet)
    if pages <= most:
        return []
    for part, page in expected.items():
        if starts[part] > page:
            loc, name = _where(part)
            return [
                source.problem(
                    loc,
                    f"{fmt.name}: does not fit on {most} page{'s' * (most > 1)}: {name} moves "
                    f"to page {starts[part] + 1}",
                    severity=Severity.WARNING,
                    hint="shorten its text or give it a short `label:`",
                )
            ]
    return [
        source.problem(
            (),
            f"{fmt.name}: takes {pages} pages instead of {most}",
            severity=Severity.WARNING,
            hint="shorten the story's text",
        )
    ]


def _where(part: str) -> tuple[tuple, str]:
    """The place in the story, and the plain name, of an anchored part."""
    number = part.removeprefix("step-")
    if number != part and number.isdigit():
        return ("steps", int(number) - 1), f"step {number}"
    return ((part,) if part in PART_NAMES and part != "cover" else ()), PART_NAMES.get(part, part)


def _template_name(fmt: Format, library: Path) -> str:
    """The library's own template when it has one (the usual cause), else storygen's."""
    own = Path(library) / "templates" / str(fmt.template)
    return f"templates/{fmt.template}" if own.is_file() else f"storygen's {fmt.template}"


def _ids(parts: list[str]) -> str:
    shown = ", ".join(f'id="{part}"' for part in parts[:2])
    return shown + ("..." if len(parts) > 2 else "")
