"""The questions of `storygen record`: a code for each scored step (Enter keeps the last session's),
or a ladder's step reached and how worried the child was."""

from __future__ import annotations

import datetime
from pathlib import Path

import click

from ..errors import StoryError, did_you_mean, display_path, printable
from ..story.open import open_story
from ..story.personalise import Child, personalise
from ..story.profiles import read_profile
from ..story.settings import find_library, story_by_id
from . import sessions as data
from .sessions import Session, codes, step_columns


def record_session(profile: Path, story_id: str, date: datetime.date) -> str:
    """Ask for one session of a story with the child of a profile, add its row to the child's
    data file, and say what was added; a problem is a ClickException, and nothing is written."""
    try:
        child = Child.of(*read_profile(profile))
        library = find_library(profile / "profile.yaml")
        opened = open_story(story_by_id(library, story_id), library=library)
        story = personalise(opened.story, child, opened.sets)
        if story.kind != "task" and not story.ladder:
            raise click.ClickException(
                f"{story_id} is a {story.kind} story: sessions are recorded for task analyses and ladders"
            )
        file = data.data_file(profile, story_id)
        earlier = data.read_sessions(file, story)
    except StoryError as exc:
        raise click.ClickException("\n".join(map(str, exc.problems))) from None
    click.echo(f"{printable(story.title)}: the session of {date.isoformat()} (Ctrl+C leaves without saving)")
    session = ask_ladder(story, date) if story.ladder else ask_steps(story, date, earlier[-1] if earlier else None)
    session.notes = click.prompt("Notes (Enter for none)", default="", show_default=False).strip()
    try:
        data.add_session(profile, story_id, story, session)
    except StoryError as exc:  # not saved: the message holds the row to paste
        raise click.ClickException("\n".join(map(str, exc.problems))) from None
    tried = (
        f"step {session.step} reached"
        if story.ladder
        else f"{sum(c == 'I' for c in session.codes.values())} of {len(data.step_columns(story))} steps independent"
    )
    return f"added to {display_path(file)}: {tried}"


def ask_steps(story, date, last):
    """A code for each scored step: Enter keeps the last session's, - leaves it not tried."""
    allowed, session = codes(story), Session(date)
    click.echo(f"Codes: {', '.join(allowed)}; Enter keeps the last session's code, - means not tried.")
    for number, text in step_columns(story):
        before = last.codes.get(number, "") if last else ""
        while True:
            typed = (
                click.prompt(f"{number} {printable(text)}", default=before or "-", show_default=True).strip().upper()
            )
            if typed in allowed or typed == "-":
                break
            click.echo(
                f"  '{printable(typed)}' is not a code{did_you_mean(typed, allowed)}; write one of {', '.join(allowed)}, or -"
            )
        if typed != "-":
            session.codes[number] = typed
    return session


def ask_ladder(story, date):
    """A try of a ladder: the step reached and how worried the child was."""
    for number, step in enumerate(story.steps, start=1):
        click.echo(f"  {number}. {printable(step.text)}")
    reached = click.prompt("Step reached", type=click.IntRange(1, len(story.steps)))
    worry = click.prompt(
        "How worried, 0 (not at all) to 10 (the most)? Enter to skip", default="", show_default=False, type=str
    ).strip()
    while worry and not (worry.isdigit() and int(worry) <= 10):
        worry = click.prompt("  a whole number from 0 to 10, or Enter to skip", default="", show_default=False).strip()
    return Session(date, step=reached, worry=int(worry) if worry else None)
