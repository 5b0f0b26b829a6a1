"""Charts for the progress report: small line charts as SVG, vector in the PDF and on screen.

Black on white, so they print and photocopy: the series a solid line with round markers, the
mastery criterion a dashed line with its label; text in the report's font. A few dozen lines
of SVG do what a charting library would, with nothing to install or keep up to date.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from xml.sax.saxutils import escape

WIDTH, HEIGHT = 640, 260
LEFT, RIGHT, TOP, BOTTOM = 48, 28, 24, 40  # room for the axes' labels
MAX_LABELS = 12  # dates under the x axis; more would overlap


@dataclass(frozen=True)
class Axis:
    """The y axis: from bottom to top, numbered at ticks, each number written by text."""

    top: float
    ticks: tuple[float, ...]
    text: str = "{:g}"
    bottom: float = 0


@dataclass(frozen=True)
class Line:
    """A level drawn across the chart (the mastery criterion), with its label."""

    value: float
    label: str


def line_chart(values: Sequence[float | None], labels: Sequence[str], axis: Axis, level: Line | None = None) -> str:
    """An SVG line chart of values (None: no point, the line broken there) over the x labels."""
    top, bottom = axis.top, axis.bottom
    count = max(len(values), 1)
    inner_w, inner_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    step = inner_w / max(count - 1, 1)

    def x(i: int) -> float:
        return LEFT + (i * step if count > 1 else inner_w / 2)

    def y(value: float) -> float:
        return TOP + inner_h * (1 - (value - bottom) / ((top - bottom) or 1))

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" '
        f'font-family="Atkinson Hyperlegible, sans-serif" font-size="12">',
        f'<rect x="0" y="0" width="{WIDTH}" height="{HEIGHT}" fill="#fff"/>',
    ]
    for tick in axis.ticks:  # light rules and the y axis's numbers
        parts.append(f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y(tick):.1f}" y2="{y(tick):.1f}" stroke="#ccc"/>')
        parts.append(
            f'<text x="{LEFT - 6}" y="{y(tick) + 4:.1f}" text-anchor="end">{escape(axis.text.format(tick))}</text>'
        )
    every = -(-len(labels) // MAX_LABELS) or 1
    for i, label in enumerate(labels):
        if i % every == 0:
            parts.append(f'<text x="{x(i):.1f}" y="{HEIGHT - BOTTOM + 18}" text-anchor="middle">{escape(label)}</text>')
    parts.append(
        f'<polyline points="{LEFT},{TOP} {LEFT},{HEIGHT - BOTTOM} {WIDTH - RIGHT},{HEIGHT - BOTTOM}" fill="none" stroke="#000"/>'
    )
    if level is not None:
        at = y(level.value)
        parts.append(
            f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{at:.1f}" y2="{at:.1f}" stroke="#000" stroke-width="1.5" stroke-dasharray="6 4"/>'
        )
        parts.append(f'<text x="{WIDTH - RIGHT}" y="{at - 5:.1f}" text-anchor="end">{escape(level.label)}</text>')
    for run in _runs(values):  # the series: a line through each unbroken run of points
        points = " ".join(f"{x(i):.1f},{y(v):.1f}" for i, v in run)
        parts.append(f'<polyline points="{points}" fill="none" stroke="#000" stroke-width="2"/>')
    radius = 3.5 if count <= 60 else 2
    for i, value in enumerate(values):
        if value is not None:
            parts.append(f'<circle cx="{x(i):.1f}" cy="{y(value):.1f}" r="{radius}" fill="#000"/>')
    parts.append("</svg>")
    return "".join(parts)


def _runs(values: Sequence[float | None]) -> list[list[tuple[int, float]]]:
    """The points of values in unbroken runs (a None ends a run)."""
    runs: list[list[tuple[int, float]]] = [[]]
    for i, value in enumerate(values):
        if value is None:
            runs.append([])
        else:
            runs[-1].append((i, value))
    return [run for run in runs if run]
