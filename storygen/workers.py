"""Worker processes: stories printed at once, each process with one Printer for all its stories.

Workers are started with "spawn" on every platform, so Linux runs what Windows runs:
"fork" does not exist on Windows and is unsafe once Pango is loaded (macOS); "forkserver"
would fork after Pango too (when preloaded) and keeps its socket in the temporary folder
of the build that started it, which that build removes. Spawn costs each worker its
imports once, then it prints many stories: a 40-story `--jobs 2` build took as long as
with fork (0.98x, measured). A spawned worker inherits none of this process's state: what
it needs comes as the initializer's arguments and with each task (all of it pickles),
and it runs tasks in its main thread, so budget.py's timer works there too.
"""

from __future__ import annotations

import gc
import multiprocessing
import tempfile
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor, as_completed
from typing import TYPE_CHECKING, TypeVar

if TYPE_CHECKING:  # WeasyPrint: imported where a story is printed, never by a build with nothing to print
    from .pdf import Printer

START_METHOD = "spawn"
Task = TypeVar("Task")
Result = TypeVar("Result")

_printer: Printer | None = None  # this process's: fonts and images loaded once serve every story


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
    with ProcessPoolExecutor(
        min(jobs, len(tasks)), mp_context=context, initializer=_start_worker, initargs=(scratch,)
    ) as pool:
        futures = [pool.submit(_work, work, task) for task in tasks]
        try:
            for future in as_completed(futures):
                yield future.result()
        finally:  # a full disk, or the caller stopped: start no more stories
            for future in futures:
                future.cancel()


def _start_worker(scratch: str) -> None:
    """WeasyPrint copies fonts into temporary folders: keep them in scratch, which a spawned
    worker must be told (tempfile.tempdir, set by the parent, is not inherited)."""
    global _printer
    from .pdf import Printer  # WeasyPrint takes 0.4 s to import: only where a story is printed

    tempfile.tempdir = scratch
    _printer = Printer()


def _work(work: Callable[[Task, Printer], Result], task: Task) -> Result:
    assert _printer is not None, "_start_worker runs first"
    result = work(task, _printer)
    _printer.trim()
    gc.collect()  # WeasyPrint's documents hold reference cycles: free them story by story
    return result
