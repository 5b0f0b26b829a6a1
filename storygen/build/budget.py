"""A time budget for each output, so that no story can keep a build busy for ever.

A story within the limits of story/fields.py renders in seconds; the budget is the safety net
for whatever slips through (a layout WeasyPrint finds very slow). When an output uses
more than OUTPUT_SECONDS, the build stops it, reports the story, and goes on with the
next one.

The budget counts the processor time of the thread doing the work, not the clock: on a
busy machine a story waits for a processor without being charged for the wait. One
watchdog thread reads each watched thread's CPU clock and, once its budget is spent,
raises OutOfTime in that thread at its next Python instruction (WeasyPrint is Python, so
it lands within milliseconds). No signals: it works in a worker's main thread and in the
preview's request threads alike.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from ..errors import with_hint

OUTPUT_SECONDS = 60.0  # the most processor time one output (a PDF, a web page) of one story may use
_POLL = 0.5  # the longest the watchdog sleeps: a process-wide clock (the fallback) may run faster than the wall


class OutOfTime(BaseException):
    """An output used more than its budget and was stopped.

    A BaseException, like KeyboardInterrupt, so that no `except Exception` inside
    WeasyPrint or another library can swallow it and carry on.
    """

    hint = "shorten the story or split it"

    def __init__(self, seconds: float, what: str = "story"):
        self.seconds, self.what = seconds, what
        self.message = f"{what}: used more than {seconds:g} s of processor time and was stopped"
        super().__init__(with_hint(self.message, self.hint))

    def __reduce__(self):  # pickles (from a worker) as a plain OutOfTime with the same message
        return OutOfTime, (self.seconds, self.what)


@contextmanager
def time_budget(seconds: float, what: str = "story") -> Iterator[None]:
    """Raise OutOfTime in the block once the calling thread has used seconds of processor
    time in it (a no-op where it cannot). Enter it in the thread that does the work."""
    clock = _thread_clock()
    if clock is None or seconds <= 0:
        yield
        return
    budget = _Budget(threading.get_ident(), clock, seconds, _stop(seconds, what))
    _watchdog.watch(budget)
    try:
        yield
    finally:
        _watchdog.forget(budget)


def _stop(seconds: float, what: str) -> type[OutOfTime]:
    """The exception the watchdog raises in the thread: a class (an asynchronous exception is
    made without arguments), this budget's own, so that it says this budget's message."""

    class Stop(OutOfTime):
        def __init__(self) -> None:
            super().__init__(seconds, what)

    return Stop


def _thread_clock() -> Callable[[], float] | None:
    """The calling thread's CPU clock, readable from the watchdog; None where no exception
    can be raised in another thread (not CPython). Without per-thread clocks (macOS,
    Windows): the process's CPU time, which other busy threads only make stop sooner."""
    if not hasattr(ctypes, "pythonapi"):
        return None
    getcpuclockid = getattr(time, "pthread_getcpuclockid", None)
    if getcpuclockid is None:
        return time.process_time
    clock_id = getcpuclockid(threading.get_ident())
    return lambda: time.clock_gettime(clock_id)


class _Budget:
    def __init__(self, thread: int, clock: Callable[[], float], seconds: float, stop: type[OutOfTime]):
        self.thread, self.clock, self.stop = thread, clock, stop
        self.deadline = clock() + seconds
        self.again = max(seconds / 10, 0.1)  # CPU seconds after a stop that did not end the block
        self.fired = False


class _Watchdog:
    """One daemon thread for the process that stops each thread whose budget is spent."""

    def __init__(self) -> None:
        self.budgets: set[_Budget] = set()
        self.changed = threading.Condition()
        self.thread: threading.Thread | None = None

    def watch(self, budget: _Budget) -> None:
        with self.changed:
            self.budgets.add(budget)
            if self.thread is None:
                self.thread = threading.Thread(target=self._run, name="storygen-budget", daemon=True)
                self.thread.start()
                sys.unraisablehook = _quiet(sys.unraisablehook)
            self.changed.notify()

    def forget(self, budget: _Budget) -> None:
        with self.changed:  # under the lock: the watchdog fires now, or never
            self.budgets.discard(budget)
            if budget.fired:  # the block ended before the stop landed: take it back
                _raise_in(budget.thread, None)

    def _run(self) -> None:
        with self.changed:
            while True:
                left = [self._check(budget) for budget in list(self.budgets)]
                self.changed.wait(max(min([*left, _POLL]), 0.001) if self.budgets else None)

    def _check(self, budget: _Budget) -> float:
        """The CPU seconds left to budget; once spent, its thread is stopped.
        A thread's CPU clock runs no faster than the wall's: waiting that long misses nothing."""
        try:
            now = budget.clock()
        except OSError:  # its thread is gone (and its id may be another's now): nothing to stop
            self.budgets.discard(budget)
            return _POLL
        if now < budget.deadline:
            return budget.deadline - now
        # stopped again later if the block goes on: a stop landing in a __del__ is lost
        budget.fired, budget.deadline = True, now + budget.again
        _raise_in(budget.thread, budget.stop)
        return budget.again


def _quiet(hook: Callable[[Any], object]) -> Callable[[Any], object]:
    """hook, but silent about a stop that landed in a __del__ (Python prints "Exception ignored"):
    the watchdog stops the block again."""

    def quiet(unraisable: Any) -> object:
        return None if issubclass(unraisable.exc_type, OutOfTime) else hook(unraisable)

    return quiet


def _raise_in(thread: int, exception: type[BaseException] | None) -> None:
    """Raise exception in thread at its next Python instruction (None: withdraw one not raised yet)."""
    ctypes.pythonapi.PyThreadState_SetAsyncExc(
        ctypes.c_ulong(thread), None if exception is None else ctypes.py_object(exception)
    )


def _start_afresh() -> None:  # a forked child has no watchdog thread, and none of the parent's budgets
    global _watchdog
    _watchdog = _Watchdog()


_watchdog = _Watchdog()
with contextlib.suppress(AttributeError):  # no fork on Windows
    os.register_at_fork(after_in_child=_start_afresh)
