"""Benchmark: the catalog of a generated library, printed whole, then after one title changed.

    python benchmarks/bench_catalog.py [--stories 1000]

Reports, from one run: the catalog (index.html and catalog.pdf) written with no part kept (a
first build), then again after one story's title changed (goal: under 3 s for 1,000 stories,
its part reprinted and joined to the kept ones), after a title changed so that the story moves
to another part, and after a story was added. The library's build manifest is generated (its
entries as a build of the benchmark library writes them: title, tags, a symbol cover, two
outputs), so the catalog alone is measured. WeasyPrint and the symbols' names are loaded first,
as a build has them by the time it writes the catalog. Everything is made in one temporary
folder, removed at the end.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from bench_library import SYMBOLS  # noqa: E402

from storygen.build import catalog  # noqa: E402
from storygen.build.incremental import Entry, Manifest  # noqa: E402
from storygen.build.output import STATE, prepare  # noqa: E402


def entry(n: int, title: str | None = None) -> Entry:
    story_id = f"story-{n:04d}"
    about = {
        "title": title or f"Story number {n}",
        "kind": "social",
        "tags": [f"tag{n % 7}"],
        "age": "4-8",
        "steps": 10,
        "library": "Benchmark library",
        "cover": {"symbol": f"mulberry:{SYMBOLS[n % len(SYMBOLS)]}"},
        "languages": ["en"],
        "titles": {},
    }
    return Entry(
        source=f"../stories/{story_id}.yaml",
        key="k",
        story="s",
        outputs=[f"{story_id}.pdf", f"{story_id}.html"],
        about=about,
    )


def timed(manifest: Manifest) -> tuple[float, int]:
    """(seconds, parts printed) of writing the catalog (its whole-catalog stamp removed first)."""
    (manifest.output / STATE / "catalog.key").unlink(missing_ok=True)
    printed, real = [0], catalog._print

    def counting(*args, **kwargs):
        printed[0] += 1
        return real(*args, **kwargs)

    catalog._print = counting
    try:
        start = time.perf_counter()
        catalog.write_catalog(manifest, manifest.output)
        return time.perf_counter() - start, printed[0]
    finally:
        catalog._print = real


def measure(folder: Path, stories: int) -> None:
    output = folder / "build"
    prepare(output)
    manifest = Manifest(output)
    manifest.entries = {f"story-{n:04d}": entry(n) for n in range(stories)}
    import weasyprint  # noqa: F401  (loaded, as in a build)

    catalog.catalog_entries(manifest)  # the symbols' names loaded
    parts = len(catalog.part_bounds(catalog.catalog_entries(manifest)))
    full, full_printed = timed(manifest)
    half = stories // 2
    manifest.entries[f"story-{half:04d}"] = entry(half, f"Story number {half}, with its title edited")
    edited, edited_printed = timed(manifest)
    manifest.entries[f"story-{half:04d}"] = entry(half, "A story that moved to the start")
    moved, moved_printed = timed(manifest)
    manifest.entries[f"story-{stories:04d}"] = entry(stories, f"Story number {half}, a new one")
    added, added_printed = timed(manifest)
    nothing, _ = timed(manifest)
    print(f"catalog of {stories} stories in {parts} parts (PART = {catalog.PART})")
    print("| measure | result | parts printed | goal |\n|---|---|---|---|")
    print(f"| catalog written, no part kept | {full:.2f} s | {full_printed} | |")
    for what, seconds, printed, goal in [
        ("one title changed (its place kept)", edited, edited_printed, "under 3 s"),
        ("one title changed (moved to another part)", moved, moved_printed, ""),
        ("one story added", added, added_printed, ""),
        ("nothing changed (the stamp removed)", nothing, 0, ""),
    ]:
        print(f"| {what} | {seconds:.2f} s ({seconds / full:.3f}x) | {printed} | {goal} |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--stories", type=int, default=1000)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="storygen-bench-catalog-"))
    previous, tempfile.tempdir = tempfile.tempdir, str(folder)  # WeasyPrint's font copies
    try:
        measure(folder, args.stories)
    finally:
        tempfile.tempdir = previous
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
