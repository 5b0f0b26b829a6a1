"""What `storygen build` says: a line for each story (built, up to date, removed, or its problems),
the counts for the summary, and a progress bar on a terminal."""

from __future__ import annotations

import os
from pathlib import Path

import click

from ..errors import Severity, display_path


def report_outcome(outcome, counts: dict, quiet: bool) -> None:
    """Print what happened to one story, and count it."""
    for problem in outcome.problems:
        if problem.severity == Severity.ERROR or not (quiet and problem.severity == Severity.NOTE):
            click.echo(str(problem), err=True)
    for hint in [] if quiet else outcome.hints:  # about this computer, once per build: not the story's
        click.echo(f"hint: {hint}", err=True)
    if outcome.library and not outcome.failed:  # warnings about the library's settings: no story to count
        return
    if outcome.removed:
        counts["removed"] += 1
        if not quiet:
            click.echo(
                f"removed the outputs of {display_path(outcome.path)} (the story file is gone): "
                f"{', '.join(display_path(p) for p in outcome.removed)}"
            )
        return
    if outcome.failed:
        counts["failed"] += 1
        return
    counts["with warnings"] += any(p.severity == Severity.WARNING for p in outcome.problems)
    if outcome.skipped:
        counts["up to date"] += 1
        return
    where = display_path(outcome.path)
    counts["built"] += 1
    if quiet:
        return
    if not outcome.outputs:
        click.echo(f"nothing to make for {where}: none of the chosen kinds suits it")
        return
    folder = Path(os.path.commonpath([p.parent for p in outcome.outputs]))  # the story's (its languages below)
    files = ", ".join(p.relative_to(folder).as_posix() for p in outcome.outputs)
    pages = f"{outcome.pages} pages, " if outcome.pages else ""
    click.echo(f"built {where} -> {display_path(folder)}/: {files} ({pages}{outcome.seconds:.1f} s)")


class Progress:
    """A one-line progress bar under the story lines, on a terminal only."""

    def __init__(self, total: int, enabled: bool):
        self.total, self.done, self.enabled, self.shown = total, 0, enabled and total > 1, False
        self.draw()

    def advance(self, story: bool = True) -> None:
        self.done += story
        self.draw()

    def draw(self) -> None:
        if self.enabled:
            width = 30
            filled = width * self.done // max(self.total, 1)
            click.echo(f"\r[{'#' * filled}{'.' * (width - filled)}] {self.done}/{self.total} stories", nl=False)
            self.shown = True

    def clear(self) -> None:
        if self.shown:
            click.echo("\r\033[K", nl=False)
            self.shown = False
