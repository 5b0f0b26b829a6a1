"""Benchmark: `storygen check` on a library of 100 stories (goal: under 1 second).

    python benchmarks/bench_check.py [--stories 100] [--repeat 5]

Copies the example stories into a temporary library until it holds --stories files, half
of them with their `symbol:` lines taken out (so storygen chooses those pictures), then
times the command in a new process (imports included) and check() in a warm one.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--stories", type=int, default=100)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    library = Path(tempfile.mkdtemp(prefix="storygen-check-"))
    try:  # the library goes at the end, also after Ctrl-C or an error
        measure(library, args.stories, args.repeat)
    finally:
        shutil.rmtree(library, ignore_errors=True)


def measure(library: Path, stories: int, repeat: int) -> None:
    examples = sorted((REPO / "stories").glob("*.yaml"))
    for n in range(stories):
        source = examples[n % len(examples)]
        text = source.read_text(encoding="utf-8")
        if n % 2:  # every page's picture chosen automatically
            text = "".join(line for line in text.splitlines(keepends=True) if not line.strip().startswith("symbol:"))
        (library / f"{source.stem}-{n}.yaml").write_text(text, encoding="utf-8")

    def cli():
        subprocess.run([sys.executable, "-m", "storygen", "check", str(library)], check=True, capture_output=True)

    sys.path.insert(0, str(REPO))
    from storygen.check.engine import check

    timings: dict[str, list[float]] = {"`storygen check` (new process)": [], "check() (warm process)": []}
    for _ in range(repeat):
        start = time.perf_counter()
        cli()
        timings["`storygen check` (new process)"].append(time.perf_counter() - start)
        start = time.perf_counter()
        list(check([library]))
        timings["check() (warm process)"].append(time.perf_counter() - start)
    print(f"{stories} stories")
    for name, values in timings.items():
        print(f"  {name:34} {statistics.median(values):.3f} s (median of {repeat})")


if __name__ == "__main__":
    main()
