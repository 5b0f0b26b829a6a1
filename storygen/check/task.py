"""The rules of task analyses (TSK): step count, prompt codes, chaining, a mastery rule storygen can test."""

from __future__ import annotations

from collections.abc import Iterator

from ..errors import Severity, did_you_mean
from .engine import Hit, Review, rule

# -- task analyses -------------------------------------------------------------------

FIRST_STEPS = range(5, 11)  # 5 to 10 steps: where a task analysis usually starts
LONG_TASK = 20  # steps: published task analyses run to 14 or more (tooth brushing); above 20, group them
STARTING = f"{FIRST_STEPS[0]} to {FIRST_STEPS[-1]}"


@rule("TSK001", "step-count", Severity.NOTE, ("task",), f"{STARTING} steps to start with; up to {LONG_TASK} is common.")
def _step_count(review: Review) -> Iterator[Hit]:
    """**Notes** (as information, not a warning) a task analysis with fewer than 5 or more than
    10 steps, up to 20. **Why:** 5 to 10 steps is where a task analysis usually starts, but
    many published ones run to 14 or more (tooth brushing), and a learner may need more
    steps, or fewer. **Triggers:** "Get dressed" in 3 steps; tooth brushing in 14.
    **Fix:** none needed when it suits the learner; otherwise split big steps or join tiny ones.
    """
    steps = review.story.steps
    if len(steps) not in FIRST_STEPS and (len(steps) <= LONG_TASK or any(step.steps for step in steps)):
        yield Hit(
            ("steps",),
            f"the task has {len(steps)} steps; a task analysis usually starts with {STARTING}",
            "fine if it suits the learner (many run to 14 or more); otherwise split big steps or join tiny ones",
        )


@rule("TSK005", "long-task", Severity.WARNING, ("task",), f"Over {LONG_TASK} steps, grouped under main steps.")
def _long_task(review: Review) -> Iterator[Hit]:
    """**Checks** that a task analysis over 20 steps groups them under main steps (sub-steps).
    **Why:** a long flat list is hard to teach, to score on a data sheet and to show on a
    wall strip. **Triggers:** 24 steps without sub-steps. **Fix:** group the steps into 5 to
    10 main steps with sub-steps under them.
    """
    steps = review.story.steps
    if len(steps) > LONG_TASK and not any(step.steps for step in steps):
        yield Hit(
            ("steps",),
            f"the task has {len(steps)} steps and no sub-steps",
            f"group the steps into {STARTING} main steps with sub-steps under them",
        )


@rule(
    "TSK002",
    "prompt-codes",
    Severity.WARNING,
    ("task",),
    "Prompt codes known, unique, and including I (independent).",
)
def _prompts(review: Review) -> Iterator[Hit]:
    """**Checks** the `prompts:` codes: each once, each known, and I (independent) among them.
    Known are the codes of ABA data sheets (I or IND, G or GP, V or VP, M or MP, VS, POS, P,
    PP, FP, HOH, NR) and any a story gives with its meaning:
    `prompts: {I: independent, VP: verbal prompt, TP: tap on the shoulder}`, which the data
    sheet's legend prints. **Why:** the data sheet's legend and the mastery rule rely on them;
    independence is what mastery measures. **Triggers:** `prompts: [G, V, V]`;
    `prompts: [I, PPP]` (did you mean PP?). **Fix:** `prompts: [I, G, V, M, PP, FP]`.
    """
    prompts, known = review.story.prompt_codes, review.story.prompt_names
    for i, code in enumerate(prompts):
        if code in prompts[:i]:
            yield Hit(("prompts", i), f"prompt code '{code}' is listed twice", "list each prompt code once")
        elif code not in known:
            yield Hit(
                ("prompts", i),
                f"'{code}' is not a known prompt code{did_you_mean(code, known)}",
                "use I, G, V, M, PP, FP (independent, gestural, verbal, model, partial and full physical), "
                "or give each code its meaning: prompts: {I: independent, " + code + ": ...}",
            )
    if "I" not in prompts:
        yield Hit(
            ("prompts",), "the prompt codes have no I (independent)", "add I: mastery is measured by independent steps"
        )


@rule("TSK003", "chaining", Severity.WARNING, ("task",), "A chaining method is chosen.")
def _chaining(review: Review) -> Iterator[Hit]:
    """**Checks** that `chaining:` is given (forward, backward or total). **Why:** the data
    sheet marks the target step from it, and everyone teaching the task must teach it the
    same way. **Fix:** add `chaining: backward` (or forward, total).
    """
    if not review.story.chaining:
        yield Hit((), "no chaining method is given", "add `chaining:` forward, backward or total")


@rule("TSK004", "mastery", Severity.WARNING, ("task",), "A mastery rule is given.")
def _mastery(review: Review) -> Iterator[Hit]:
    """**Checks** that `mastery:` is given. **Why:** without a mastery rule nobody knows when
    to move on, fade prompts or add the next step. **Fix:** `mastery: {sessions: 3, independent: 100%}`,
    or in words, `mastery: 3 sessions in a row, every step I`.
    """
    if not review.story.mastery:
        yield Hit((), "no mastery rule is given", "add `mastery:`, e.g. {sessions: 3, independent: 100%}")


@rule("TSK006", "testable-mastery", Severity.NOTE, ("task",), "The mastery rule is one storygen can test.")
def _testable_mastery(review: Review) -> Iterator[Hit]:
    """**Checks** that `mastery:` is a rule storygen can test, not words. **Why:** with a rule,
    `storygen progress` marks the session where it was met and moves a chain's target step by
    itself; words are printed on the data sheet as they are, and nobody but the clinician can
    tell when they are met. **Triggers:** `mastery: 3 sessions in a row, every step I`.
    **Fix:** `mastery: {sessions: 3, independent: 100%}` (the share of steps done independently
    in each of 3 sessions in a row) or `mastery: {sessions: 2, step: I}` (every step at I, or a
    more independent code, in 2 sessions in a row).
    """
    if isinstance(review.story.mastery, str):
        yield Hit(
            ("mastery",),
            "the mastery rule is in words, so `storygen progress` cannot tell when it is met",
            "write it as a rule, e.g. mastery: {sessions: 3, independent: 100%} or {sessions: 2, step: I}",
        )
