"""Benchmark: `storygen serve`, from a story saved to its page updated in the browser.

    python benchmarks/bench_serve.py [--repeat 10]

A 12-page story (cover, introduction, nine steps with pictures, conclusion) is served from a
temporary library and shown in Chromium (Debian's, through Playwright); each round saves the
story with a new title and times until the story's frame shows it, in the print version and in
the web page. The preview's own rendering time (load, validate, render, check: no PDF) is
reported beside it, so the share of the watcher and the browser can be read off. Medians.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from storygen.serve import start  # noqa: E402

SYMBOLS = ["soap", "toothbrush", "towel", "shoe", "apple", "bus", "house", "book", "bed"]


def story(title: str) -> str:
    steps = "".join(
        f"  - text: Now I use the {name} ({n} of 9).\n    symbol: {name}\n" for n, name in enumerate(SYMBOLS, 1)
    )
    return (
        f"title: {title}\nkind: task\nsymbol: star\nintro: Today I practise nine small steps.\n"
        f"steps:\n{steps}conclusion: I did every step. Well done!\n"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=10)
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    library = Path(tempfile.mkdtemp(prefix="storygen-bench-serve-"))
    try:
        (library / "storygen.yaml").write_text("name: Bench\n", encoding="utf-8")
        (library / "stories").mkdir()
        path = library / "stories" / "twelve.yaml"
        path.write_text(story("Twelve pages 0"), encoding="utf-8")
        running = start([library / "stories"], port=0)
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=shutil.which("chromium") or "/usr/bin/chromium")
            tab = browser.new_page(viewport={"width": 1400, "height": 900})
            for view in ("print", "web"):
                tab.goto(f"{running.url}story/twelve?view={view}")
                frame = tab.frame_locator("#story")
                frame.locator(".page").first.wait_for()
                pages = frame.locator(".page").count()
                saves, renders = [], []
                for n in range(1, args.repeat + 1):
                    title = f"Twelve pages {view} {n}"
                    time.sleep(0.3)  # one save at a time, as a person saves
                    start_at = time.perf_counter()
                    path.write_text(story(title), encoding="utf-8")
                    frame.locator("h1", has_text=title).wait_for(timeout=10_000)
                    saves.append(time.perf_counter() - start_at)
                    renders.append(running.library.preview("twelve", view).seconds)
                print(
                    f"{view:>5}: {pages} pages; save to updated page {statistics.median(saves) * 1000:.0f} ms "
                    f"(median of {len(saves)}, slowest {max(saves) * 1000:.0f} ms); of it, the preview's "
                    f"rendering {statistics.median(renders) * 1000:.0f} ms"
                )
            browser.close()
        running.stop()
    finally:
        shutil.rmtree(library, ignore_errors=True)


if __name__ == "__main__":
    main()
