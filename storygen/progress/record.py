"""The questions of `storygen record`: a code for each scored step (Enter keeps the last session's),
or a ladder's step reached and how worried the child was."""

from __future__ import annotations

import click

from ..errors import did_you_mean, printable
from .sessions import Session, codes, step_columns


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
