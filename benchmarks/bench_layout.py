"""Benchmark: the story page's layout (issue 26, "twice as fast"), on the example library.

    python benchmarks/bench_layout.py [--repeat 5]
    python benchmarks/bench_layout.py --outputs [--story washing-hands] [--all-languages]

For each example story, alternating in this one process so machine noise hits them alike:

- its story PDF with the flex-box layout storygen used before (`benchmarks/flex/story.css`,
  given to a copy of the library as its own `templates/story.css`: the benchmark's only use of it);
- its story PDF as storygen makes it now;
- every output of the story (story, booklet, web page and handouts) as storygen makes it now.

Times are this process's CPU seconds (a build of one story runs in it alone), so other work
on a shared machine changes them less than the wall clock. The ratios (medians) are what to
compare between runs: the story PDF now against before
(goal: at most 0.5x), and every output against the story PDF now (goal: at most 2x).

With --outputs, each output kind instead, built alone (the story: its PDF and web page; the
booklet: the story's PDF too, imposed), and every output together, as CPU seconds and as
multiples of the story: where the time of "every output" goes.
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
from storygen.pages.formats import FORMATS  # noqa: E402
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
    parser.add_argument("--outputs", action="store_true", help="each output kind's time, built alone")
    parser.add_argument("--story", action="append", help="only this example story (its file name's stem)")
    parser.add_argument("--all-languages", action="store_true", help="each story in every language it has")
    args = parser.parse_args()
    out = Path(tempfile.mkdtemp(prefix="storygen-bench-"))
    previous = tempfile.tempdir
    try:
        (out / "tmp").mkdir()
        tempfile.tempdir = str(out / "tmp")  # WeasyPrint's font copies in this process
        if args.outputs:
            measure_outputs(out, args.repeat, args.story, args.all_languages)
        else:
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


def measure_outputs(out: Path, repeat: int, only: list[str] | None, every_language: bool) -> None:
    """Each output kind the story has, built alone, and all of them together: medians of CPU
    seconds, alternating kinds in each round so machine noise hits them alike."""
    printer = Printer()
    paths = [p for p in sorted((REPO / "stories").glob("*.yaml")) if not only or p.stem in only]
    totals: dict[str, float] = {}
    for path in paths:
        story = read_story(path)
        languages = None if every_language else [story.language]
        kinds = [name for name, fmt in FORMATS.items() if fmt.suits(story)]
        runs = {
            name: partial(build_story, path, out / name, printer, formats=[name], languages=languages)
            for name in [*kinds, "every"]
        }
        runs["every"] = partial(build_story, path, out / "every", printer, languages=languages)
        for name, run in runs.items():
            (out / name).mkdir(exist_ok=True)
            run()  # not timed: fonts and pictures loaded
        times: dict[str, list[float]] = {name: [] for name in runs}
        for _ in range(repeat):
            for name, run in runs.items():
                times[name].append(seconds(run))
        medians = {name: statistics.median(found) for name, found in times.items()}
        story_s = medians["story"]
        handouts = sum(s for name, s in medians.items() if name not in ("story", "booklet", "every"))
        print(f"{path.stem}{' (every language)' if every_language else ''}")
        for name, s in medians.items():
            print(f"  {name:10} {s:7.3f} s {s / story_s:6.2f}x")
        print(f"  {'handouts':10} {handouts:7.3f} s {handouts / story_s:6.2f}x  (strip, cards... built alone, summed)")
        for name, s in medians.items():
            totals[name] = totals.get(name, 0.0) + s
    if len(paths) > 1:
        print("all stories")
        for name, s in totals.items():
            print(f"  {name:10} {s:7.3f} s {s / totals['story']:6.2f}x")


if __name__ == "__main__":
    main()
