"""Benchmark: the story page's layout (issue 26, "twice as fast"), on the example library.

    python benchmarks/bench_layout.py [--repeat 5]

For each example story, alternating in this one process so machine noise hits them alike:

- its story PDF with the flex-box layout storygen used before (`benchmarks/flex/story.css`,
  given to a copy of the library as its own `templates/story.css`: the benchmark's only use of it);
- its story PDF as storygen makes it now;
- every output of the story (story, booklet, web page and handouts) as storygen makes it now.

Times are this process's CPU seconds (a build of one story runs in it alone), so other work
on a shared machine changes them less than the wall clock. The ratios (medians) are what to
compare between runs: the story PDF now against before
(goal: at most 0.5x), and every output against the story PDF now (goal: at most 2x).
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import time
from functools import partial
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from storygen.build.story import build_story  # noqa: E402
from storygen.pages.pdf import Printer  # noqa: E402
from storygen.story.open import read_story  # noqa: E402

FLEX_CSS = Path(__file__).resolve().parent / "flex" / "story.css"


def seconds(action) -> float:
    """CPU seconds of this process: other work on the machine slows its wall clock, not these."""
    start = time.process_time()
    action()
    return time.process_time() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    out = Path(tempfile.mkdtemp(prefix="storygen-bench-"))
    previous = tempfile.tempdir
    try:
        (out / "tmp").mkdir()
        tempfile.tempdir = str(out / "tmp")  # WeasyPrint's font copies in this process
        measure(out, args.repeat)
    finally:
        tempfile.tempdir = previous
        shutil.rmtree(out, ignore_errors=True)


def measure(out: Path, repeat: int) -> None:
    flex = out / "flex-library"
    shutil.copytree(REPO / "stories", flex)
    (flex / "templates").mkdir(exist_ok=True)
    shutil.copy(FLEX_CSS, flex / "templates" / "story.css")
    for folder in ("flex", "now", "every"):  # build_story writes every time: it does not skip
        (out / folder).mkdir()
    printer = Printer()
    print(f"{'story':24} {'flex s':>7} {'now s':>7} {'now/flex':>9} {'every s':>8} {'every/now':>10}")
    speedups, shares = [], []
    for path in sorted((REPO / "stories").glob("*.yaml")):
        own = [read_story(path).language]  # its translations are timed by bench_build.py
        runs = {
            "flex": partial(build_story, flex / path.name, out / "flex", printer, formats=["story"], languages=own),
            "now": partial(build_story, path, out / "now", printer, formats=["story"], languages=own),
            "every": partial(build_story, path, out / "every", printer, languages=own),
        }
        for run in runs.values():  # a first run of each, not timed: fonts and pictures loaded
            run()
        times: dict[str, list[float]] = {name: [] for name in runs}
        for _ in range(repeat):
            for name, run in runs.items():
                times[name].append(seconds(run))
        before, now, every = (statistics.median(times[name]) for name in runs)
        speedups.append(now / before)
        shares.append(every / now)
        print(f"{path.stem:24} {before:7.3f} {now:7.3f} {now / before:8.2f}x {every:8.3f} {every / now:9.2f}x")
    print(
        f"{'median':24} {'':7} {'':7} {statistics.median(speedups):8.2f}x {'':8} {statistics.median(shares):9.2f}x"
        "  (goals: at most 0.5x; at most 2x)"
    )


if __name__ == "__main__":
    main()
