"""The rules of sensory stories (SEN): one sentence and one stimulus a page, its sense, how many."""

from __future__ import annotations

from ..story.fields import SENSES
from .engine import Review, rule
from .readability import split_sentences

# -- sensory stories -----------------------------------------------------------------


@rule("SEN001", "sentence-count", "warning", ("sensory",), "At most 10 sentences.")
def _sensory_length(review: Review):
    count = len([s for s in review.sentences if s.loc[-1] == "text"])
    if count > 10:
        yield (
            ("steps",),
            "",
            f"the story has {count} sentences, more than 10",
            "a sensory story holds attention best when short: keep one short sentence per page, 10 at most",
        )


@rule("SEN002", "one-stimulus", "warning", ("sensory",), "One sentence and exactly one stimulus on every page.")
def _one_stimulus(review: Review):
    for i, step in enumerate(review.story.steps):
        if not step.stimulus:
            yield (
                ("steps", i),
                "",
                f"step {i + 1} has no stimulus",
                "add `stimulus:` with the one thing to see, hear, touch, smell, taste or move with on this page",
            )
        if len(split_sentences(step.text)) > 1:
            yield (
                ("steps", i, "text"),
                "",
                f"step {i + 1} has {len(split_sentences(step.text))} sentences",
                "keep one short sentence per page, paired with its stimulus",
            )


@rule("SEN003", "stimulus-sense", "warning", ("sensory",), "Every stimulus names its sense.")
def _stimulus_sense(review: Review):
    for i, step in enumerate(review.story.steps):
        if step.stimulus and not step.stimulus.sense:
            yield (
                ("steps", i, "stimulus"),
                "",
                f"the stimulus of step {i + 1} does not name its sense",
                f"add `sense:` ({', '.join(SENSES[:-1])} or {SENSES[-1]}) under `stimulus:`",
            )


@rule("SEN004", "senses-reached", "info", ("sensory",), "How many senses the story reaches.")
def _senses(review: Review):
    senses = sorted({step.stimulus.sense for step in review.story.steps if step.stimulus and step.stimulus.sense})
    yield (
        ("steps",),
        "",
        f"the story reaches {len(senses)} of {len(SENSES)} senses" + (f": {', '.join(senses)}" if senses else ""),
        "reaching several senses keeps a sensory story engaging",
    )
