"""Worker processes: stories printed at once, each process with one Printer for all its stories.

Workers are started with "spawn" on every platform, so Linux runs what Windows runs:
"fork" does not exist on Windows and is unsafe once Pango is loaded (macOS); "forkserver"
would fork after Pango too (when preloaded) and keeps its socket in the temporary folder
of the build that started it, which that build removes. Spawn costs each worker its
imports once, then it prints many stories: a 40-story `--jobs 2` build took as long as
with fork (0.98x, measured). A spawned worker inherits none of this process's state: what
it needs comes as the initializer's arguments and with each task (all of it pickles).

A build stopped (Ctrl-C, SIGTERM, a full disk) kills its workers rather than waiting for
their stories, and a worker never outlives its build (_bind).
"""

from __future__ import annotations

import contextlib
import ctypes
import gc
import multiprocessing
import os
import signal
import sys
import tempfile
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor, as_completed
from typing import TYPE_CHECKING, TypeVar

if TYPE_CHECKING:  # WeasyPrint: imported where a story is printed, never by a build with nothing to print
    from ..pages.pdf import Printer

START_METHOD = "spawn"
STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM)
PR_SET_PDEATHSIG = 1  # prctl(2), Linux: the signal a process gets when its parent dies
Task = TypeVar("Task")
Result = TypeVar("Result")

_printer: Printer | None = None  # this process's: fonts and images loaded once serve every story


class Stopped(BaseException):
    """SIGINT (Ctrl-C) or SIGTERM stopped the build. A BaseException, like KeyboardInterrupt,
    so that the build unwinds through every `finally`: workers ended, scratch removed."""

    def __init__(self, signum: int):
        self.signum = signum
        super().__init__(signal.Signals(signum).name)


@contextlib.contextmanager
def stopped_by_signals() -> Iterator[None]:
    """Raise Stopped in the main thread on SIGINT or SIGTERM (Python's default for SIGTERM ends
    the process at once, its workers left running). A second signal ends it at once."""

    def stop(signum, frame):
        for number in STOP_SIGNALS:
            signal.signal(number, signal.SIG_DFL)
        raise Stopped(signum)

    if threading.current_thread() is not threading.main_thread():  # only the main thread may set handlers
        yield
        return
    previous = {number: signal.signal(number, stop) for number in STOP_SIGNALS}
    try:
        yield
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)


def run(tasks: list[Task], work: Callable[[Task, Printer], Result], jobs: int, scratch: str) -> Iterator[Result]:
    """work(task, printer) for every task, here (jobs 1) or in up to jobs worker processes,
    yielding the results as they finish. work must pickle: a module-level function, or a
    functools.partial of one. scratch is the folder for temporary files (output.scratch_folder)."""
    if not tasks:
        return
    if jobs <= 1 or len(tasks) == 1:
        _start_worker(scratch)
        for task in tasks:
            yield _work(work, task)
        return
    context = multiprocessing.get_context(START_METHOD)
    pool = ProcessPoolExecutor(
        min(jobs, len(tasks)), mp_context=context, initializer=_start_worker, initargs=(scratch, os.getpid())
    )
    finished = False
    try:
        with _ctrl_c_held():  # submit() starts the workers: each with Ctrl-C held back until it ignores it
            futures = [pool.submit(_work, work, task) for task in tasks]
        for future in as_completed(futures):
            yield future.result()
        finished = True
    finally:
        if not finished:  # a full disk, a signal, or the caller stopped: end the stories under way too
            _kill(pool)
        pool.shutdown(cancel_futures=True)


def _kill(pool: ProcessPoolExecutor) -> None:
    """Kill the pool's workers and wait until they are gone: shutdown() alone lets the stories
    under way run to their end. What they half-wrote, output.clean_leftovers removes. The
    workers are only in the pool's private _processes (Python 3.14 adds kill_workers())."""
    processes = list((pool._processes or {}).values())
    for process in processes:
        process.kill()
    for process in processes:
        process.join()


@contextlib.contextmanager
def _ctrl_c_held() -> Iterator[None]:
    """SIGINT blocked in this thread, and so in the processes it starts (they inherit the mask);
    delivered here when the block ends. As multiprocessing's resource tracker is started."""
    if not hasattr(signal, "pthread_sigmask"):  # Windows: no Ctrl-C reaches the workers as a signal
        yield
        return
    signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})


def _start_worker(scratch: str, parent: int | None = None) -> None:
    """WeasyPrint copies fonts into temporary folders: keep them in scratch, which a spawned
    worker must be told (tempfile.tempdir, set by the parent, is not inherited). A worker
    process (parent: the build's pid) belongs to the build: _bind."""
    global _printer
    if parent is not None:
        _bind(parent)
    from ..pages.pdf import Printer  # WeasyPrint takes 0.4 s to import: only where a story is printed

    tempfile.tempdir = scratch
    _printer = Printer()


def _bind(parent: int) -> None:
    """Ctrl-C reaches every process of the terminal: the build ends its workers itself, and a
    worker's own KeyboardInterrupt would only print a traceback. On Linux, a worker whose build
    dies (even killed outright) is killed by the kernel."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if hasattr(signal, "pthread_sigmask"):
        signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})  # held back by _ctrl_c_held
    if sys.platform == "linux":
        with contextlib.suppress(OSError, AttributeError):
            ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != parent:  # the build died before the line above: nobody waits for this worker
        os._exit(1)


def _work(work: Callable[[Task, Printer], Result], task: Task) -> Result:
    assert _printer is not None, "_start_worker runs first"
    result = work(task, _printer)
    _printer.trim()
    gc.collect()  # WeasyPrint's documents hold reference cycles: free them story by story
    return result
