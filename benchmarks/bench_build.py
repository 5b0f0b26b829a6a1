"""Benchmark: the example library's build, storygen against raw WeasyPrint per story, and
every output kind of a story against its story PDF alone.

    python benchmarks/bench_build.py [--repeat 3]

Both sides run in this one process, alternating, so machine noise hits them alike;
the ratio (storygen / raw WeasyPrint, medians) is what to compare between runs. Every
library build goes into a new folder (a second build into the same one would only find
everything up to date); everything is made in one temporary folder, removed at the end.
"""

from __future__ import annotations

import argparse
import itertools
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from functools import partial
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from weasyprint import HTML  # noqa: E402

from storygen.build import build, build_story  # noqa: E402
from storygen.load import find_library, read_story  # noqa: E402
from storygen.pdf import LibraryFetcher, Printer  # noqa: E402
from storygen.render import asset_folders, render_story  # noqa: E402


def seconds(action) -> float:
    start = time.perf_counter()
    action()
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=3)
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
    stories = sorted((REPO / "stories").glob("*.yaml"))
    fresh = (out / f"build-{n}" for n in itertools.count())  # a new, empty output folder each time
    env = {**os.environ, "TMPDIR": str(out / "tmp")}

    cli = statistics.median(
        seconds(
            lambda: subprocess.run(
                [sys.executable, "-m", "storygen", "build", "-o", str(next(fresh))],
                cwd=REPO,
                env=env,
                check=True,
                capture_output=True,
            )
        )
        for _ in range(repeat)
    )
    in_process = statistics.median(seconds(lambda: list(build([REPO / "stories"], next(fresh)))) for _ in range(repeat))

    print(f"example library: {len(stories)} stories")
    print(f"  `storygen build` (new process, imports included): {cli:.2f} s")
    print(f"  build() in a warm process, one job:               {in_process:.2f} s")
    print()
    print(f"{'story':28} {'storygen s':>11} {'raw WeasyPrint s':>17} {'ratio':>6}")
    printer, ratios = Printer(), []
    for folder in ("story", "alone", "every"):  # build_story writes every time: it does not skip
        (out / folder).mkdir()
    for path in stories:
        story, library = read_story(path), find_library(path)
        html = render_story(story, "print")
        raw = HTML(
            string=html, base_url=path.parent.as_uri() + "/", url_fetcher=LibraryFetcher(library, asset_folders())
        ).write_pdf

        ours, theirs = [], []
        for _ in range(repeat):
            ours.append(seconds(partial(build_story, path, out / "story", printer, formats=["story"])))
            theirs.append(seconds(raw))
        ratio = statistics.median(ours) / statistics.median(theirs)
        ratios.append(ratio)
        print(f"{path.stem:28} {statistics.median(ours):11.3f} {statistics.median(theirs):17.3f} {ratio:6.2f}x")
    print(f"{'median ratio':28} {'':11} {'':17} {statistics.median(ratios):6.2f}x  (goal: at most 1.15x)")
    print()
    print(f"{'story':28} {'story PDF s':>11} {'all kinds s':>12} {'ratio':>6}")
    for path in stories:
        alone, every = [], []
        for _ in range(repeat):
            alone.append(seconds(partial(build_story, path, out / "alone", printer, formats=["story"])))
            every.append(seconds(partial(build_story, path, out / "every", printer)))
        ratio = statistics.median(every) / statistics.median(alone)
        print(f"{path.stem:28} {statistics.median(alone):11.3f} {statistics.median(every):12.3f} {ratio:6.2f}x")


if __name__ == "__main__":
    main()
