"""Benchmark: a generated library of 100 stories of 10 steps, built as a clinic would.

    python benchmarks/bench_library.py [--stories 100] [--formats story] [--flat 500]

Reports, from one run: `--jobs 2` against `--jobs 1` (goal at most 0.6x); a rebuild
with nothing changed (goal under 0.5 s and at most 0.05x the full build); storygen
against raw WeasyPrint on the same HTML (goal at most 1.15x); peak memory. With --flat
N it also builds N stories while sampling memory, to show the curve stays flat.
"""

from __future__ import annotations

import argparse
import resource
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

SYMBOLS = ["soap", "toothbrush", "school", "bus", "house", "backpack", "red apple", "sun", "bird", "basketball",
           "waving hand", "thumbs up", "droplet", "star", "bed", "books", "automobile", "dog face", "cat face", "deciduous tree"]


def make_library(folder: Path, stories: int, formats: str) -> Path:
    (folder / "stories").mkdir(parents=True)
    (folder / "storygen.yaml").write_text(f"name: Benchmark library\nformats: [{formats}]\n")
    for n in range(stories):
        steps = "".join(f"  - text: Step {s + 1} of story {n}. I do the next small thing.\n"
                        f"    symbol: {SYMBOLS[(n + s) % len(SYMBOLS)]}\n" for s in range(10))
        (folder / "stories" / f"story-{n:03d}.yaml").write_text(
            f"title: Story number {n}\nintro: This is story {n}.\nsteps:\n{steps}conclusion: I did it!\n"
            f"tags: [tag{n % 7}]\nage: 4-8\n")
    return folder


def run_build(library: Path, output: str, *options: str) -> float:
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "storygen", "build", "-q", "-o", output, *options],
                   cwd=library, check=True, capture_output=True)
    return time.perf_counter() - start


def rss_of_tree(pid: int) -> int:
    """Resident memory (kB) of a process and its children, from /proc."""
    total = 0
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            fields = dict(line.split(":", 1) for line in status.read_text().splitlines() if ":" in line)
        except OSError:
            continue
        if int(fields.get("Pid", 0)) == pid or int(fields.get("PPid", "0").strip() or 0) == pid:
            total += int(fields.get("VmRSS", "0 kB").split()[0])
    return total


def flat_memory(stories: int, formats: str) -> list[int]:
    """Total memory of a --jobs 2 build of `stories` stories, sampled every 0.25 s (MB)."""
    with tempfile.TemporaryDirectory() as folder:
        library = make_library(Path(folder), stories, formats)
        process = subprocess.Popen([sys.executable, "-m", "storygen", "build", "-q", "-j", "2"], cwd=library,
                                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        samples: list[int] = []

        def sample():
            while process.poll() is None:
                samples.append(rss_of_tree(process.pid) // 1024)
                time.sleep(0.25)

        watcher = threading.Thread(target=sample)
        watcher.start()
        process.wait()
        watcher.join()
        return samples


def raw_ratio(library: Path, sample: int) -> float:
    """storygen's story build against raw WeasyPrint on the same HTML, alternating (median ratio)."""
    from weasyprint import HTML

    from storygen.build import build_story
    from storygen.load import find_library, read_story
    from storygen.pdf import LibraryFetcher, Printer
    from storygen.render import asset_folders, render_story

    printer, ratios = Printer(), []
    with tempfile.TemporaryDirectory() as out:
        for path in sorted((library / "stories").glob("*.yaml"))[:sample]:
            html = render_story(read_story(path))
            fetcher = LibraryFetcher(find_library(path), asset_folders())
            ours, theirs = [], []
            for _ in range(3):
                start = time.perf_counter()
                build_story(path, Path(out), printer, formats=["story"])
                ours.append(time.perf_counter() - start)
                start = time.perf_counter()
                HTML(string=html, base_url=path.parent.as_uri() + "/", url_fetcher=fetcher).write_pdf()
                theirs.append(time.perf_counter() - start)
            ratios.append(statistics.median(ours) / statistics.median(theirs))
    return statistics.median(ratios)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--stories", type=int, default=100)
    parser.add_argument("--formats", default="story", help="comma-separated kinds for the library's settings")
    parser.add_argument("--flat", type=int, default=0, help="also sample memory over a build of this many stories")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        library = make_library(Path(folder), args.stories, args.formats)
        serial = run_build(library, "build-1", "-j", "1")
        parallel = run_build(library, "build-2", "-j", "2")
        noop = statistics.median(run_build(library, "build-2", "-j", "2") for _ in range(3))
        peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss // 1024
        ratio = raw_ratio(library, 10)
    print(f"{args.stories} stories of 10 steps, kinds: {args.formats}")
    print("| measure | result | goal |\n|---|---|---|")
    print(f"| full build, --jobs 1 | {serial:.1f} s | |")
    print(f"| full build, --jobs 2 | {parallel:.1f} s ({parallel / serial:.2f}x) | at most 0.6x |")
    print(f"| rebuild, nothing changed | {noop:.2f} s ({noop / parallel:.3f}x the full --jobs 2 build) | under 0.5 s, at most 0.05x |")
    print(f"| story build / raw WeasyPrint, same HTML (median of 10) | {ratio:.2f}x | at most 1.15x |")
    print(f"| peak memory of one process | {peak} MB | |")
    if args.flat:
        samples = flat_memory(args.flat, args.formats)
        quarter = max(1, len(samples) // 4)
        print(f"| memory over a {args.flat}-story --jobs 2 build (all processes) | "
              f"first quarter peak {max(samples[:quarter])} MB, last quarter peak {max(samples[-quarter:])} MB | flat |")


if __name__ == "__main__":
    main()
