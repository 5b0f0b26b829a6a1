"""The rules of sensory stories (SEN): one sentence and one stimulus a page, its sense, how many."""

from __future__ import annotations

from collections.abc import Iterator

from ..errors import Severity
from ..story.fields import SENSES
from .engine import Hit, Review, rule
from .readability import split_sentences

# -- sensory stories -----------------------------------------------------------------

MOST_SENTENCES = 10  # Grace's sensory stories are about ten sentences long


@rule("SEN001", "sentence-count", Severity.WARNING, ("sensory",), f"At most {MOST_SENTENCES} sentences.")
def _sensory_length(review: Review) -> Iterator[Hit]:
    """**Checks** that a sensory story has at most 10 sentences. **Why:** Grace's sensory
    stories are about ten sentences long, each with a rich sensory experience, short
    enough to share again and again. **Triggers:** 12 steps. **Fix:** keep the strongest
    moments.
    """
    count = len([s for s in review.sentences if s.loc[-1] == "text"])
    if count > MOST_SENTENCES:
        yield Hit(
            ("steps",),
            f"the story has {count} sentences, more than {MOST_SENTENCES}",
            "a sensory story holds attention best when short: keep one short sentence per page, "
            f"{MOST_SENTENCES} at most",
        )


@rule("SEN002", "one-stimulus", Severity.WARNING, ("sensory",), "One sentence and exactly one stimulus on every page.")
def _one_stimulus(review: Review) -> Iterator[Hit]:
    """**Checks** that every page has exactly one stimulus, and one sentence. **Why:** one
    sentence, one stimulus: the child can link what they hear to what they feel.
    **Triggers:** a step with no `stimulus:`, or "We go to the beach. The sand is warm." on
    one page. **Fix:** add `stimulus:`; split the page.
    """
    for i, step in enumerate(review.story.steps):
        if not step.stimulus:
            yield Hit(
                ("steps", i),
                f"step {i + 1} has no stimulus",
                "add `stimulus:` with the one thing to see, hear, touch, smell, taste or move with on this page",
            )
        if len(split_sentences(step.text)) > 1:
            yield Hit(
                ("steps", i, "text"),
                f"step {i + 1} has {len(split_sentences(step.text))} sentences",
                "keep one short sentence per page, paired with its stimulus",
            )


@rule("SEN003", "stimulus-sense", Severity.WARNING, ("sensory",), "Every stimulus names its sense.")
def _stimulus_sense(review: Review) -> Iterator[Hit]:
    """**Checks** that every stimulus names its `sense:` (sight, sound, touch, smell, taste,
    movement (vestibular), body (proprioceptive) or interoception (the body's inner signals)). **Why:** the kit sheet lists the senses
    to gather for, and clinicians plan for the senses a child seeks or avoids. **Triggers:**
    `stimulus: a warm towel`. **Fix:** `stimulus: {item: a warm towel, sense: touch}`.
    """
    for i, step in enumerate(review.story.steps):
        if step.stimulus and not step.stimulus.sense:
            yield Hit(
                ("steps", i, "stimulus"),
                f"the stimulus of step {i + 1} does not name its sense",
                f"add `sense:` ({', '.join(SENSES[:-1])} or {SENSES[-1]}) under `stimulus:`",
            )


@rule("SEN004", "senses-reached", Severity.NOTE, ("sensory",), "How many senses the story reaches.")
def _senses(review: Review) -> Iterator[Hit]:
    """**Reports** (as information) how many of the eight senses the story reaches (sight,
    sound, touch, smell, taste, movement, body, and interoception: the body's inner signals,
    a racing heart, hunger, needing the toilet). **Why:**
    variety keeps the story engaging and lets a clinician see the sensory diet at a glance.
    """
    senses = sorted({step.stimulus.sense for step in review.story.steps if step.stimulus and step.stimulus.sense})
    yield Hit(
        ("steps",),
        f"the story reaches {len(senses)} of {len(SENSES)} senses" + (f": {', '.join(senses)}" if senses else ""),
        "reaching several senses keeps a sensory story engaging",
    )
