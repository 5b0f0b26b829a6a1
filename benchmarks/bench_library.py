"""Benchmark: a generated library of stories of 10 steps, built as a clinic would.

    python benchmarks/bench_library.py [--stories 100] [--formats story] [--no-serial]
    python benchmarks/bench_library.py --stories 1000 --no-serial   # the scale run

Reports, from one run, every command in a new process as a clinician types it: the full
`--jobs 2` build with the memory of all its processes sampled (flat from the first
quarter to the last), `--jobs 2` against `--jobs 1` (goal at most 0.6x; skipped with
--no-serial), a rebuild with nothing changed, one story edited and rebuilt, `storygen
check` on the whole library, and storygen against raw WeasyPrint on the same HTML (goal
at most 1.15x). Everything is made in one temporary folder, removed at the end, also
after Ctrl-C or an error.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import re
import resource
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

SYMBOLS = [
    "soap",
    "toothbrush",
    "school",
    "bus",
    "house",
    "backpack",
    "red apple",
    "sun",
    "bird",
    "basketball",
    "waving hand",
    "thumbs up",
    "droplet",
    "star",
    "bed",
    "books",
    "automobile",
    "dog face",
    "cat face",
    "deciduous tree",
]
REPEAT = 3  # the quick measures are the median of this many runs


def story_text(n: int, edit: int = 0) -> str:
    steps = "".join(
        f"  - text: Step {s + 1} of story {n}. I do the next small thing.\n"
        f"    symbol: {SYMBOLS[(n + s) % len(SYMBOLS)]}\n"
        for s in range(10)
    )
    changed = f" I changed it {edit} times." if edit else ""
    return (
        f"title: Story number {n}\nintro: This is story {n}.{changed}\nsteps:\n{steps}conclusion: I did it!\n"
        f"tags: [tag{n % 7}]\nage: 4-8\n"
    )


def make_library(folder: Path, stories: int, formats: str) -> Path:
    (folder / "stories").mkdir(parents=True)
    (folder / "storygen.yaml").write_text(f"name: Benchmark library\nformats: [{formats}]\n")
    for n in range(stories):
        (folder / "stories" / f"story-{n:04d}.yaml").write_text(story_text(n))
    return folder


def descendants(pid: int) -> list[int]:
    """pid and every process started under it (workers, their helpers), from /proc."""
    children: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        children.setdefault(int(fields[1]), []).append(int(stat.parent.name))
    found, todo = [], [pid]
    while todo:
        found.append(todo.pop())
        todo += children.get(found[-1], [])
    return found


def rss_of_tree(pid: int) -> tuple[int, int]:
    """(resident memory in kB, number of worker processes) of a process and all its descendants."""
    total, workers = 0, 0
    for each in descendants(pid):
        try:
            status = Path(f"/proc/{each}/status").read_text()
            workers += b"spawn_main" in Path(f"/proc/{each}/cmdline").read_bytes()  # a multiprocessing worker
        except OSError:
            continue
        found = re.search(r"^VmRSS:\s+(\d+) kB", status, re.M)
        total += int(found.group(1)) if found else 0
    return total, workers


class Commands:
    """`storygen ...` in new processes, whose temporary files stay in the benchmark's folder;
    stop() ends any still running (after Ctrl-C), workers included."""

    def __init__(self, temporary: Path):
        self.env = {**os.environ, "TMPDIR": str(temporary), "PYTHONPATH": str(REPO)}
        self.running: list[subprocess.Popen] = []

    def start(self, cwd: Path, *args: str) -> subprocess.Popen:
        process = subprocess.Popen(
            [sys.executable, "-m", "storygen", *args],
            cwd=cwd,
            env=self.env,
            text=True,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
        )
        self.running.append(process)
        return process

    def run(self, cwd: Path, *args: str, ok: tuple[int, ...] = (0,)) -> tuple[float, str]:
        """(seconds, output) of one command; a failure stops the benchmark with its output."""
        start = time.perf_counter()
        process = self.start(cwd, *args)
        output, _ = process.communicate()
        seconds = time.perf_counter() - start
        self.running.remove(process)
        if process.returncode not in ok:
            sys.exit(f"storygen {' '.join(args)} failed ({process.returncode}):\n{output}")
        return seconds, output

    def stop(self) -> None:
        for process in self.running:
            for pid in reversed(descendants(process.pid)):
                with contextlib.suppress(OSError):  # ended meanwhile
                    os.kill(pid, signal.SIGKILL)
            process.wait()


def sampled_build(commands: Commands, library: Path, output: str) -> tuple[float, list[tuple[int, int]]]:
    """A full `--jobs 2` build: (seconds, (MB of all its processes, workers running) every 0.25 s)."""
    start = time.perf_counter()
    process = commands.start(library, "build", "-q", "-j", "2", "-o", output)
    samples: list[tuple[int, int]] = []

    def sample():
        while process.poll() is None:
            kilobytes, workers = rss_of_tree(process.pid)
            samples.append((kilobytes // 1024, workers))
            time.sleep(0.25)

    watcher = threading.Thread(target=sample, daemon=True)
    watcher.start()
    text, _ = process.communicate()
    seconds = time.perf_counter() - start
    watcher.join()
    commands.running.remove(process)
    if process.returncode:
        sys.exit(f"the full build failed:\n{text}")
    return seconds, samples


def expect_summary(output: str, wanted: str) -> None:
    last = output.strip().splitlines()[-1] if output.strip() else ""
    if last != wanted:
        sys.exit(f"expected {wanted!r}, the build said:\n{output}")


def noop_rebuild(commands: Commands, library: Path, stories: int) -> float:
    times = []
    for _ in range(REPEAT):
        seconds, output = commands.run(library, "build", "-q", "-j", "2", "-o", "build-2")
        expect_summary(output, f"0 built, {stories} up to date, 0 failed")
        times.append(seconds)
    return statistics.median(times)


def one_story_edited(commands: Commands, library: Path, stories: int) -> float:
    times = []
    for edit in range(1, REPEAT + 1):
        (library / "stories" / f"story-{stories // 2:04d}.yaml").write_text(story_text(stories // 2, edit))
        seconds, output = commands.run(library, "build", "-q", "-j", "2", "-o", "build-2")
        expect_summary(output, f"1 built, {stories - 1} up to date, 0 failed")
        times.append(seconds)
    return statistics.median(times)


def check_library(commands: Commands, library: Path, stories: int) -> float:
    times = []
    for _ in range(REPEAT):
        seconds, output = commands.run(library, "check", "stories", ok=(0, 1))
        if f"{stories} stories checked" not in output:
            sys.exit(f"storygen check did not check the {stories} stories:\n{output[-2000:]}")
        times.append(seconds)
    return statistics.median(times)


def raw_ratio(library: Path, out: Path, sample: int) -> float:
    """storygen's story build against raw WeasyPrint on the same HTML, alternating (median ratio)."""
    from weasyprint import HTML

    from storygen.build.story import build_story
    from storygen.pages.assets import asset_folders
    from storygen.pages.pdf import LibraryFetcher, Printer
    from storygen.pages.render import render_story
    from storygen.story.open import read_story
    from storygen.story.settings import find_library

    printer, ratios = Printer(), []
    out.mkdir()
    for path in sorted((library / "stories").glob("*.yaml"))[:sample]:
        html = render_story(read_story(path))
        fetcher = LibraryFetcher(find_library(path), asset_folders())
        ours, theirs = [], []
        for _ in range(3):
            start = time.perf_counter()
            build_story(path, out, printer, formats=["story"])
            ours.append(time.perf_counter() - start)
            start = time.perf_counter()
            HTML(string=html, base_url=path.parent.as_uri() + "/", url_fetcher=fetcher).write_pdf()
            theirs.append(time.perf_counter() - start)
        ratios.append(statistics.median(ours) / statistics.median(theirs))
    return statistics.median(ratios)


def quarters(values: list[int]) -> tuple[int, int]:
    """The peak in the first quarter and in the last quarter of values."""
    quarter = max(1, len(values) // 4)
    return max(values[:quarter]), max(values[-quarter:])


def memory(samples: list[tuple[int, int]]) -> dict[str, tuple[int, int] | int]:
    """Peak memory (MB): first and last quarter of the whole build, and of the stories'
    rendering alone (while workers run), then the peak of what follows (the catalog)."""
    working = [n for n, (_, workers) in enumerate(samples) if workers] or [0, len(samples) - 1]
    rendering = [mb for mb, _ in samples[working[0] : working[-1] + 1]]
    after = [mb for mb, _ in samples[working[-1] + 1 :]] or [0]
    return {"whole": quarters([mb for mb, _ in samples]), "rendering": quarters(rendering), "after": max(after)}


def measure(bench: Path, commands: Commands, args) -> None:
    n = args.stories
    library = make_library(bench / "library", n, args.formats)
    parallel, samples = sampled_build(commands, library, "build-2")
    serial = None if args.no_serial else commands.run(library, "build", "-q", "-j", "1", "-o", "build-1")[0]
    noop = noop_rebuild(commands, library, n)
    edit = one_story_edited(commands, library, n)
    checked = check_library(commands, library, n)
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss // 1024
    ratio = raw_ratio(library, bench / "raw", 10)
    report(n, args.formats, serial, parallel, noop, edit, checked, ratio, peak, memory(samples))


def report(
    n: int,
    formats: str,
    serial: float | None,
    parallel: float,
    noop: float,
    edit: float,
    checked: float,
    ratio: float,
    peak: int,
    peaks: dict,
) -> None:
    """The results as the README's table."""
    noop_goal, check_goal = (0.5, 1.0) if n <= 100 else (1.0, 5.0)
    print(f"{n} stories of 10 steps, kinds: {formats}")
    print("| measure | result | goal |\n|---|---|---|")
    if serial is not None:
        print(f"| full build, `--jobs 1` | {serial:.1f} s | |")
    versus = f" ({parallel / serial:.2f}x)" if serial else ""
    print(f"| full build, `--jobs 2` | {parallel:.1f} s{versus} | {'at most 0.6x' if serial else ''} |")
    print(
        f"| rebuild, nothing changed | {noop:.2f} s ({noop / parallel:.3f}x the full `--jobs 2` build) "
        f"| under {noop_goal:g} s, at most 0.05x |"
    )
    print(f"| one story edited, rebuilt | {edit:.2f} s | under 2 s |")
    print(f"| `storygen check` of the library | {checked:.2f} s | under {check_goal:g} s |")
    print(f"| story build / raw WeasyPrint on the same HTML (median of 10) | {ratio:.2f}x | at most 1.15x |")
    print(f"| peak memory of one process | {peak} MB | |")
    (first, last), (rendering_first, rendering_last) = peaks["whole"], peaks["rendering"]
    print(
        f"| memory of the `--jobs 2` build, all processes | {first} MB peak in the first quarter, "
        f"{last} MB in the last | flat |"
    )
    print(
        f"| the same, while the workers render stories | {rendering_first} MB peak in the first quarter, "
        f"{rendering_last} MB in the last | flat |"
    )
    print(f"| the same, after the workers (the catalog) | {peaks['after']} MB peak | |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--stories", type=int, default=100)
    parser.add_argument("--formats", default="story", help="comma-separated kinds for the library's settings")
    parser.add_argument("--no-serial", action="store_true", help="skip the --jobs 1 build (minutes at 1,000 stories)")
    args = parser.parse_args()
    bench = Path(tempfile.mkdtemp(prefix="storygen-bench-"))
    (bench / "tmp").mkdir()
    commands, previous = Commands(bench / "tmp"), tempfile.tempdir
    tempfile.tempdir = str(bench / "tmp")  # WeasyPrint's font copies in this process
    try:
        measure(bench, commands, args)
    except KeyboardInterrupt:
        print("stopped; removing the benchmark's folder", file=sys.stderr)
        raise SystemExit(130) from None
    finally:
        tempfile.tempdir = previous
        commands.stop()
        shutil.rmtree(bench, ignore_errors=True)


if __name__ == "__main__":
    main()
