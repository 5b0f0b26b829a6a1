"""Worker processes (storygen/workers.py): started the same way on every platform, they get
what they need as arguments, send everything back pickled, and keep the time budget."""

from __future__ import annotations

import multiprocessing
import os
import pickle
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

from storygen.build import budget, workers
from storygen.build.output import OutputError
from storygen.build.stories import _Task, build
from storygen.build.story import Outcome
from storygen.errors import Problem
from storygen.story.settings import Settings
from tests.conftest import REPO

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
    # processor time (thread_time), not the clock: stopped near its 0.3 s, far from the 30 s net
    assert all(used < 10 for used in workers.run([0.3, 0.3], endless, 2, str(tmp_path)))


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


# -- stopping a build: Ctrl-C and SIGTERM end the workers and keep nothing half-written ------

STOP_LINE = "storygen: stopped; nothing half-written was kept"


def _children(pid: int) -> dict[int, str]:
    """The live processes whose parent is pid, with their command lines (read from /proc)."""
    found = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:  # pid (name) state ppid ...: the name may hold spaces and parentheses
            state, ppid = stat.read_text().rpartition(")")[2].split()[:2]
            command = (stat.parent / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:  # gone meanwhile
            continue
        if int(ppid) == pid and state != "Z":
            found[int(stat.parent.name)] = command
    return found


def _alive(pids) -> set[int]:
    alive = set()
    for pid in pids:
        try:
            if Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()[0] != "Z":
                alive.add(pid)
        except OSError:
            pass
    return alive


def _wait_for(condition, seconds: float = 120):  # a safety net: a busy machine is slow
    deadline = time.monotonic() + seconds
    while not (found := condition()):
        assert time.monotonic() < deadline, "waited too long"
        time.sleep(0.05)
    return found


@pytest.mark.skipif(not Path("/proc/self/stat").is_file(), reason="reads the processes from /proc (Linux)")
@pytest.mark.parametrize(("signum", "status"), [(signal.SIGTERM, 143), (signal.SIGINT, 130)])
def test_a_stopped_build_ends_its_workers_and_keeps_nothing_half_written(tmp_path, signum, status):
    stories = tmp_path / "stories"
    stories.mkdir()
    steps = "".join(f"  - text: I take step {i} on the path to the shop.\n    symbol: soap\n" for i in range(12))
    for name in ("a", "b", "c", "d", "e", "f"):
        (stories / f"{name}.yaml").write_text(f"title: Story {name}\nsteps:\n{steps}")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(REPO), os.environ.get("PYTHONPATH", "")])}
    build_ = subprocess.Popen(
        [sys.executable, "-m", "storygen", "build", "stories", "-o", "out", "-j", "2", "-q"],
        cwd=tmp_path,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,  # its own process group: Ctrl-C reaches the whole group, as from a terminal
    )
    try:
        workers_ = _wait_for(lambda: {p for p, c in _children(build_.pid).items() if "spawn_main" in c} or None)
        _wait_for(lambda: len(list((tmp_path / "out").glob("?"))) >= 1)  # a worker is writing a story's files
        workers_ |= {p for p, c in _children(build_.pid).items() if "spawn_main" in c}
        if signum == signal.SIGINT:
            os.killpg(build_.pid, signum)  # Ctrl-C: the terminal signals the build and its workers
        else:
            os.kill(build_.pid, signum)  # `kill`: the build only
        _, stderr = build_.communicate(timeout=120)
    finally:
        if build_.poll() is None:
            os.killpg(build_.pid, signal.SIGKILL)
    assert build_.returncode == status
    assert stderr.splitlines() == [STOP_LINE]
    assert len(workers_) == 2 and not _alive(workers_)  # ended before the build itself
    out = tmp_path / "out"
    assert not list((out / ".storygen").glob("tmp-*"))  # the scratch folder
    assert not [path for path in out.rglob("*") if path.name.endswith(".tmp")]
