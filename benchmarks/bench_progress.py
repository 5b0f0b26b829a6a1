"""Benchmark: a progress report of 200 sessions of a 20-step task story (goal: under 2 s).

    python benchmarks/bench_progress.py [--repeat 5] [--sessions 200] [--steps 20]

Times, in one process: reading the session file, the report's numbers (progress.py), its HTML
for print and for screen, and the PDF (WeasyPrint, warm: one Printer as in a build), medians of
--repeat; then `storygen progress` as a clinician runs it, a new process each time (Python,
imports and all). Everything is made in a temporary library, removed at the end.
"""

from __future__ import annotations

import argparse
import datetime
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from storygen.pages.assets import asset_folders  # noqa: E402
from storygen.pages.pdf import About, Printer  # noqa: E402
from storygen.progress.mastery import report  # noqa: E402
from storygen.progress.report import render_progress  # noqa: E402
from storygen.progress.sessions import header, read_sessions  # noqa: E402
from storygen.story.open import read_story  # noqa: E402

CODES = ["FP", "PP", "M", "V", "G", "I"]  # from the most help to none


def story_text(steps: int) -> str:
    lines = "".join(f"  - Step {n} of getting dressed, done a little better each day.\n" for n in range(1, steps + 1))
    return (
        "title: Getting dressed\nkind: task\nchaining: forward\nmastery: {sessions: 3, independent: 100%}\n"
        f"steps:\n{lines}"
    )


def sessions_text(steps: int, count: int) -> str:
    """count sessions, each step's help fading over time (with noise), from FP towards I."""
    rows = [",".join(header_for(steps))]
    start = datetime.date(2025, 1, 6)
    pick = random.Random(1)
    for n in range(count):
        learnt = n / count
        codes = [CODES[min(5, max(0, round(5 * learnt + pick.uniform(-1.5, 1.5))))] for _ in range(steps)]
        rows.append(",".join([(start + datetime.timedelta(days=2 * n)).isoformat(), *codes, ""]))
    return "\n".join(rows) + "\n"


def header_for(steps: int) -> list[str]:
    return ["date", *map(str, range(1, steps + 1)), "notes"]


def timed(action, *args):
    """(seconds taken, result) of action(*args)."""
    start = time.perf_counter()
    result = action(*args)
    return time.perf_counter() - start, result


def seconds(action) -> float:
    start = time.perf_counter()
    action()
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--sessions", type=int, default=200)
    parser.add_argument("--steps", type=int, default=20)
    args = parser.parse_args()
    library = Path(tempfile.mkdtemp(prefix="storygen-bench-progress-"))
    try:
        (library / "storygen.yaml").write_text("name: Bench\n", encoding="utf-8")
        (library / "stories").mkdir()
        path = library / "stories" / "dressing.yaml"
        path.write_text(story_text(args.steps), encoding="utf-8")
        profile = library / "profiles" / "sam"
        (profile / "data").mkdir(parents=True)
        (profile / "profile.yaml").write_text("name: Sam\npronouns: he\n", encoding="utf-8")
        data = profile / "data" / "dressing.csv"
        data.write_text(sessions_text(args.steps, args.sessions), encoding="utf-8")
        story = read_story(path)
        assert header(story) == header_for(args.steps)
        printer, parts = Printer(), {"read": [], "numbers": [], "html": [], "pdf": [], "total": []}
        for _ in range(args.repeat + 1):  # the first round warms the printer's fonts: not counted
            t, recorded = timed(read_sessions, data, story)
            n, found = timed(report, story, recorded)
            h, html = timed(render_progress, story, found, "print")
            h += timed(render_progress, story, found, "screen")[0]
            p, _ = timed(printer.print, html, path.parent, library, asset_folders())
            for name, value in zip(parts, (t, n, h, p, t + n + h + p), strict=True):
                parts[name].append(value)
        pages = printer.print(html, path.parent, library, asset_folders(), About("progress")).pages
        print(
            f"{args.sessions} sessions of a {args.steps}-step story: a {pages}-page report (medians of {args.repeat})"
        )
        for name, values in parts.items():
            print(f"  {name:<8} {statistics.median(values[1:]) * 1000:7.0f} ms")
        command = [sys.executable, "-m", "storygen", "progress", str(profile)]
        runs = [seconds(lambda: subprocess.run(command, check=True, capture_output=True)) for _ in range(3)]
        data.write_text(sessions_text(args.steps, 1), encoding="utf-8")  # the same command's fixed cost
        once = [seconds(lambda: subprocess.run(command, check=True, capture_output=True)) for _ in range(3)]
        print(
            f"  storygen progress, a new process each time: {statistics.median(runs):.2f} s; "
            f"with 1 session: {statistics.median(once):.2f} s (medians of 3)"
        )
    finally:
        shutil.rmtree(library, ignore_errors=True)


if __name__ == "__main__":
    main()
