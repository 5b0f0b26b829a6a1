"""Worker processes (storygen/workers.py): started the same way on every platform, they get
what they need as arguments, send everything back pickled, and keep the time budget."""

from __future__ import annotations

import multiprocessing
import os
import pickle
import tempfile
import time
from pathlib import Path

import pytest

from storygen import budget, workers
from storygen.build import Outcome, _Task, build
from storygen.errors import Problem
from storygen.model import Settings
from storygen.output import OutputError

# Work functions are module-level: a spawned worker imports this module to unpickle them.


def where_am_i(task: str, printer) -> dict:
    return {
        "task": task,
        "pid": os.getpid(),
        "temp": tempfile.gettempdir(),
        "printer": id(printer),
        "inherited": getattr(workers, "set_by_the_parent", None),
    }


def disk_full(task: str, printer) -> None:
    raise OutputError("cannot write in build: No space left on device")


def endless(task: float, printer) -> float:
    """The processor time a never-ending output used before its budget of task seconds stopped it."""
    start = time.thread_time()
    try:
        with budget.time_budget(task, "story"):
            while time.thread_time() - start < 30:  # a safety net: stopped long before
                pass
    except budget.OutOfTime:
        pass
    return time.thread_time() - start


def test_every_platform_starts_workers_with_spawn():
    """fork does not exist on Windows and is unsafe once Pango is loaded on macOS."""
    assert workers.START_METHOD == "spawn" and "spawn" in multiprocessing.get_all_start_methods()


def test_workers_inherit_nothing_and_keep_their_temporary_files_in_scratch(tmp_path, monkeypatch):
    monkeypatch.setattr(workers, "set_by_the_parent", "state a forked worker would see", raising=False)
    scratch = str(tmp_path / "scratch")
    results = list(workers.run(["a", "b", "c"], where_am_i, 2, scratch))
    assert sorted(r["task"] for r in results) == ["a", "b", "c"]
    assert all(r["pid"] != os.getpid() for r in results)
    assert all(r["inherited"] is None for r in results)  # as on Windows: what a worker needs, it is given
    assert {r["temp"] for r in results} == {scratch}  # WeasyPrint's font copies go to the scratch folder


def test_one_process_builds_with_one_printer(tmp_path):
    results = list(workers.run(["a", "b"], where_am_i, 1, str(tmp_path)))
    assert {r["pid"] for r in results} == {os.getpid()} and len({r["printer"] for r in results}) == 1


def test_a_full_disk_in_a_worker_stops_the_build_with_its_message(tmp_path):
    with pytest.raises(OutputError, match="No space left on device"):
        list(workers.run(["a", "b"], disk_full, 2, str(tmp_path)))


def test_the_time_budget_stops_an_output_in_a_worker(tmp_path):
    assert all(seconds < 10 for seconds in workers.run([0.3, 0.3], endless, 2, str(tmp_path)))


def test_what_a_build_sends_to_and_gets_from_a_worker_pickles(tmp_path):
    task = _Task(tmp_path / "a.yaml", "a", Settings(name="Clinic"), "a4", ("story",), "key")
    warning = Problem(tmp_path / "a.yaml", 2, 3, "fix it", "warning")
    outcome = Outcome(
        tmp_path / "a.yaml", [tmp_path / "a.pdf"], [warning], pages=3, hints=["install it"], about={"title": "A"}
    )
    assert pickle.loads(pickle.dumps(task)) == task and pickle.loads(pickle.dumps(outcome)) == outcome
    assert str(pickle.loads(pickle.dumps(OutputError("the disk is full")))) == "the disk is full"


def test_a_parallel_build_reports_each_story_from_its_worker(tmp_path):
    stories = tmp_path / "stories"
    stories.mkdir()
    (stories / "good.yaml").write_text("title: Good\nsteps: [We go to the park.]\n")
    (stories / "lost.yaml").write_text("title: Lost\nsteps:\n  - text: Look.\n    image: gone.png\n")
    outcomes = {o.path.stem: o for o in build([stories], tmp_path / "out", formats=["story"], jobs=2)}
    assert not outcomes["good"].failed and outcomes["good"].pages == 2
    assert [Path(p).name for p in outcomes["good"].outputs] == ["good.pdf", "good.html"]
    [problem] = outcomes["lost"].problems
    assert (problem.line, problem.col) == (4, 12) and "image 'gone.png' was not found" in problem.message
