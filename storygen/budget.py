"""A time budget for each output, so that no story can keep a build busy for ever.

A story within the limits of model.py renders in seconds; the budget is the safety net
for whatever slips through (a layout WeasyPrint finds very slow). When an output takes
longer than OUTPUT_SECONDS, the build stops it, reports the story, and goes on with the
next one.
"""

from __future__ import annotations

import signal
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

OUTPUT_SECONDS = 60.0  # the most one output (a PDF, a web page) of one story may take


class OutOfTime(BaseException):
    """An output took longer than its budget and was stopped.

    A BaseException, like KeyboardInterrupt, so that no `except Exception` inside
    WeasyPrint or another library can swallow it and carry on.
    """

    def __init__(self, seconds: float, what: str = "story"):
        self.seconds, self.what = seconds, what
        super().__init__(f"{what}: took longer than {seconds:g} s and was stopped; shorten the story or split it")


def _can_interrupt() -> bool:
    # SIGALRM is delivered to the main thread only, and Windows has no setitimer: there
    # the budget does nothing (the limits on a story's size still hold).
    return hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()


@contextmanager
def time_budget(seconds: float, what: str = "story") -> Iterator[None]:
    """Raise OutOfTime in the block when it runs longer than seconds (a no-op where it cannot)."""
    if not _can_interrupt() or seconds <= 0:
        yield
        return

    def out_of_time(signum, frame):
        raise OutOfTime(seconds, what)

    start = time.monotonic()
    previous_handler = signal.signal(signal.SIGALRM, out_of_time)
    previous_delay, previous_interval = signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous_handler)
        if previous_delay:  # an outer timer was running: give it back what is left of it
            left = previous_delay - (time.monotonic() - start)
            signal.setitimer(signal.ITIMER_REAL, max(left, 0.001), previous_interval)
