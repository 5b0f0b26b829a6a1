"""Benchmark: `storygen check`, in CPU seconds of a new process (imports included).

    python benchmarks/bench_check.py [--stories 100] [--repeat 5]

Issue 25's goals: one story under 0.3 s of CPU; 100 stories that choose all their pictures
within 1.2x of 100 that name theirs. Prints, each the median of --repeat runs:

- one story (stories/washing-hands.yaml), with the cache folder empty (cold: the symbol sets'
  name indexes and the hyphenation patterns built and kept) and filled (warm);
- --stories stories as written (naming their pictures), then with their `symbol:` lines
  taken out (storygen chooses every picture), and the ratio; in new processes (warm cache),
  and in a warm process (check(), imports and indexes already loaded: the choosing alone);
- the wall time of the old measure: half and half, `storygen check` (goal: under 1 second).
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
ONE_STORY = REPO / "stories" / "washing-hands.yaml"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--stories", type=int, default=100)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="storygen-check-"))
    try:  # the folder goes at the end, also after Ctrl-C or an error
        measure(work, args.stories, args.repeat)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def measure(work: Path, stories: int, repeat: int) -> None:
    named, chosen, mixed = (library(work / kind, stories, kind) for kind in ("named", "chosen", "mixed"))
    warm = work / "cache-warm"
    os.environ["STORYGEN_CACHE"] = str(warm)  # never the cache of whoever runs it
    cli(ONE_STORY, warm)  # fills it

    def cold() -> None:
        shutil.rmtree(work / "cache-cold", ignore_errors=True)
        cli(ONE_STORY, work / "cache-cold")

    print(f"CPU of a new process, median of {repeat} (goal: one story under 0.3 s)")
    print(f"  one story, cold cache             {median(repeat, cold, cpu_of):.3f} s")
    print(f"  one story, warm cache             {median(repeat, lambda: cli(ONE_STORY, warm), cpu_of):.3f} s")
    new_named = median(repeat, lambda: cli(named, warm), cpu_of)
    new_chosen = median(repeat, lambda: cli(chosen, warm), cpu_of)
    print(f"  {stories} stories naming their pictures {new_named:.3f} s")
    print(f"  {stories} stories choosing them all     {new_chosen:.3f} s ({new_chosen / new_named:.2f}x; goal: 1.2x)")

    sys.path.insert(0, str(REPO))
    from storygen.check.engine import check

    list(check([named]))  # imports, indexes and dictionaries loaded
    warm_named = median(repeat, lambda: list(check([named])), own_cpu)
    warm_chosen = median(repeat, lambda: list(check([chosen])), own_cpu)
    print(f"check() in a warm process, median of {repeat}")
    print(f"  {stories} stories naming their pictures {warm_named:.3f} s")
    print(f"  {stories} stories choosing them all     {warm_chosen:.3f} s ({warm_chosen / warm_named:.2f}x)")
    start = time.perf_counter()
    cli(mixed, warm)
    print(f"wall time, {stories} stories, half of them choosing: {time.perf_counter() - start:.3f} s (goal: under 1 s)")


def library(folder: Path, stories: int, kind: str) -> Path:
    """--stories copies of the example stories: as written, without their `symbol:` lines
    (every picture chosen), or every other one without them."""
    folder.mkdir()
    examples = sorted((REPO / "stories").glob("*.yaml"))
    for n in range(stories):
        source = examples[n % len(examples)]
        text = source.read_text(encoding="utf-8")
        if kind == "chosen" or (kind == "mixed" and n % 2):
            text = "".join(line for line in text.splitlines(keepends=True) if not line.strip().startswith("symbol:"))
        (folder / f"{source.stem}-{n}.yaml").write_text(text, encoding="utf-8")
    return folder


def cli(path: Path, cache: Path) -> None:
    environment = {**os.environ, "STORYGEN_CACHE": str(cache), "PYTHONPATH": str(REPO)}
    subprocess.run(
        [sys.executable, "-m", "storygen", "check", str(path)], check=True, capture_output=True, env=environment
    )


def cpu_of(run: Callable[[], object]) -> float:
    """CPU seconds (user and system) of the processes run started."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    run()
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime


def own_cpu(run: Callable[[], object]) -> float:
    start = time.process_time()
    run()
    return time.process_time() - start


def median(repeat: int, run: Callable[[], object], clock: Callable[[Callable[[], object]], float]) -> float:
    return statistics.median(clock(run) for _ in range(repeat))


if __name__ == "__main__":
    main()
