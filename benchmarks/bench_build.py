"""Benchmark: the example library's build, storygen against raw WeasyPrint per story, and
every output kind of a story against its story PDF alone.

    python benchmarks/bench_build.py [--repeat 3]

Both sides run in this one process, alternating, so machine noise hits them alike;
the ratio (storygen / raw WeasyPrint, medians) is what to compare between runs.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
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
    stories = sorted((REPO / "stories").glob("*.yaml"))
    out = Path(tempfile.mkdtemp(prefix="storygen-bench-"))

    cli = statistics.median(seconds(lambda: subprocess.run(
        [sys.executable, "-m", "storygen", "build", "-o", str(out / "cli")], cwd=REPO,
        check=True, capture_output=True)) for _ in range(args.repeat))
    in_process = statistics.median(seconds(lambda: list(build([REPO / "stories"], out / "lib")))
                                   for _ in range(args.repeat))

    print(f"example library: {len(stories)} stories")
    print(f"  `storygen build` (new process, imports included): {cli:.2f} s")
    print(f"  build() in a warm process:                        {in_process:.2f} s")
    print()
    print(f"{'story':28} {'storygen s':>11} {'raw WeasyPrint s':>17} {'ratio':>6}")
    printer, ratios = Printer(), []
    for path in stories:
        story, library = read_story(path), find_library(path)
        html = render_story(story, "print")
        fetcher = LibraryFetcher(library, asset_folders())

        def raw():
            HTML(string=html, base_url=path.parent.as_uri() + "/", url_fetcher=fetcher).write_pdf()

        ours, theirs = [], []
        for _ in range(args.repeat):
            ours.append(seconds(lambda: build_story(path, out / "story", printer, formats=["story"])))
            theirs.append(seconds(raw))
        ratio = statistics.median(ours) / statistics.median(theirs)
        ratios.append(ratio)
        print(f"{path.stem:28} {statistics.median(ours):11.3f} {statistics.median(theirs):17.3f} {ratio:6.2f}x")
    print(f"{'median ratio':28} {'':11} {'':17} {statistics.median(ratios):6.2f}x  (goal: at most 1.15x)")
    print()
    print(f"{'story':28} {'story PDF s':>11} {'all kinds s':>12} {'ratio':>6}")
    for path in stories:
        alone, every = [], []
        for _ in range(args.repeat):
            alone.append(seconds(lambda: build_story(path, out / "alone", printer, formats=["story"])))
            every.append(seconds(lambda: build_story(path, out / "every", printer)))
        ratio = statistics.median(every) / statistics.median(alone)
        print(f"{path.stem:28} {statistics.median(alone):11.3f} {statistics.median(every):12.3f} {ratio:6.2f}x")


if __name__ == "__main__":
    main()
