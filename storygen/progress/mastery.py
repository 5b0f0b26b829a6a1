"""Progress: what a learner's recorded sessions of a story say (sessions.py reads them).

Per session, the share of steps done independently; whether and when the story's mastery rule
was met; for forward and backward chaining, the target step and when it moved; and the small
wins a family can be told: what the child now does alone that they did not at the start. A
ladder's tries give the step reached and the worry rating instead. Plain data, for the
progress report's template and for tests: no rendering here.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from ..story.model import MasteryRule, Story
from .sessions import Session, codes, step_columns

INDEPENDENT = "I"
DEFAULT_RUN = 3  # sessions in a row at I that move a chain's target when the rule is in words


@dataclass
class Move:
    """The target step of a chain, moved on after the session of `date`."""

    date: datetime.date
    came_from: str  # step numbers, as on the data sheet
    to: str | None  # None: the chain is learnt, no step left to teach


@dataclass
class Report:
    """What the sessions of one story say."""

    story: Story
    sessions: list[Session]
    steps: list[tuple[str, str]]  # (number, text) of each scored step
    independent: list[float] = field(default_factory=list)  # % of steps at I, per session
    testable: bool = False  # the mastery rule is one storygen can test
    mastered: datetime.date | None = None  # the date the rule was met
    targets: list[str | None] = field(default_factory=list)  # the target step during each session
    moves: list[Move] = field(default_factory=list)
    wins: list[str] = field(default_factory=list)  # step numbers now done alone that were not at the start

    @property
    def target(self) -> str | None:
        """The step to teach next (after the last session)."""
        if self.moves:
            return self.moves[-1].to
        return self.targets[0] if self.targets else first_target(self.story, self.steps)


def report(story: Story, sessions: list[Session]) -> Report:
    """The report of a story's sessions, in date order (a day's sessions in file order)."""
    ordered = sorted(sessions, key=lambda s: (s.date, s.line))
    result = Report(story, ordered, step_columns(story))
    if story.ladder:
        return result
    total = len(result.steps) or 1
    result.independent = [100 * sum(c == INDEPENDENT for c in s.codes.values()) / total for s in ordered]
    rule = story.mastery if isinstance(story.mastery, MasteryRule) else None
    result.testable = rule is not None
    if rule:
        result.mastered = mastery_date(ordered, result.independent, rule, story, [n for n, _ in result.steps])
    if story.chaining in ("forward", "backward"):
        result.targets, result.moves = chain(story, ordered, result.steps, rule)
    result.wins = small_wins(ordered, [n for n, _ in result.steps])
    return result


def at_least(code: str | None, wanted: str, order: list[str]) -> bool:
    """Whether code is wanted or a more independent code (order: most independent first)."""
    return code in order and order.index(code) <= order.index(wanted)


def session_meets(session: Session, percent: float, rule: MasteryRule, order: list[str], steps: list[str]) -> bool:
    if rule.independent is not None:
        return percent >= rule.independent
    return all(at_least(session.codes.get(step), rule.step or INDEPENDENT, order) for step in steps)


def mastery_date(
    sessions: list[Session], percents: list[float], rule: MasteryRule, story: Story, steps: list[str]
) -> datetime.date | None:
    """The date of the session that made `rule.sessions` sessions in a row meeting the rule."""
    run, order = 0, codes(story)
    for session, percent in zip(sessions, percents, strict=True):
        run = run + 1 if session_meets(session, percent, rule, order, steps) else 0
        if run >= rule.sessions:
            return session.date
    return None


def first_target(story: Story, steps: list[tuple[str, str]]) -> str | None:
    numbers = [number for number, _ in steps]
    if story.chaining == "forward" and numbers:
        return numbers[0]
    if story.chaining == "backward" and numbers:
        return numbers[-1]
    return None


def chain(
    story: Story, sessions: list[Session], steps: list[tuple[str, str]], rule: MasteryRule | None
) -> tuple[list[str | None], list[Move]]:
    """The target step during each session, and each move: the target moves on (forward: to the
    next step; backward: to the one before) once it is done at the rule's level, I unless the
    rule names a code, in as many sessions in a row as the rule asks (3 for a rule in words);
    past any step the learner already does that way, to the first not yet learnt."""
    order = [number for number, _ in steps]
    if story.chaining == "backward":
        order.reverse()
    wanted = rule.step if rule and rule.step else INDEPENDENT
    needed = rule.sessions if rule else DEFAULT_RUN
    level = codes(story)

    def learnt(step: str, so_far: list[Session]) -> bool:
        last = so_far[-needed:]
        return len(last) == needed and all(at_least(s.codes.get(step), wanted, level) for s in last)

    at, targets, moves = 0, [], []
    for done, session in enumerate(sessions, start=1):
        target = order[at] if at < len(order) else None
        targets.append(target)
        if target is None or not learnt(target, sessions[:done]):
            continue
        while at < len(order) and learnt(order[at], sessions[:done]):
            at += 1
        moves.append(Move(session.date, target, order[at] if at < len(order) else None))
    return targets, moves


def small_wins(sessions: list[Session], steps: list[str]) -> list[str]:
    """Steps done independently in the latest session where they were tried, that were not
    independent the first time they were tried."""
    wins = []
    for step in steps:
        tried = [s.codes[step] for s in sessions if step in s.codes]
        if len(tried) >= 2 and tried[-1] == INDEPENDENT and tried[0] != INDEPENDENT:
            wins.append(step)
    return wins
