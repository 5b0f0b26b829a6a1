"""Benchmark: the example library's build, storygen against raw WeasyPrint per story,
every output kind of a story against its story PDF alone, and a story in Korean and in
Chinese against the same story in English (time and PDF size).

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

from storygen.build.stories import build  # noqa: E402
from storygen.build.story import build_story  # noqa: E402
from storygen.pages.assets import asset_folders  # noqa: E402
from storygen.pages.pdf import LibraryFetcher, Printer  # noqa: E402
from storygen.pages.render import render_story  # noqa: E402
from storygen.story.open import read_story  # noqa: E402
from storygen.story.settings import find_library  # noqa: E402


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
            own = [story.language]  # its translations are timed below
            ours.append(seconds(partial(build_story, path, out / "story", printer, formats=["story"], languages=own)))
            theirs.append(seconds(raw))
        ratio = statistics.median(ours) / statistics.median(theirs)
        ratios.append(ratio)
        print(f"{path.stem:28} {statistics.median(ours):11.3f} {statistics.median(theirs):17.3f} {ratio:6.2f}x")
    print(f"{'median ratio':28} {'':11} {'':17} {statistics.median(ratios):6.2f}x  (goal: at most 1.15x)")
    print()
    print(f"{'story':28} {'story PDF s':>11} {'all kinds s':>12} {'ratio':>6}")
    for path in stories:
        alone, every = [], []
        own = [read_story(path).language]
        for _ in range(repeat):
            alone.append(seconds(partial(build_story, path, out / "alone", printer, formats=["story"], languages=own)))
            every.append(seconds(partial(build_story, path, out / "every", printer, languages=own)))
        ratio = statistics.median(every) / statistics.median(alone)
        print(f"{path.stem:28} {statistics.median(alone):11.3f} {statistics.median(every):12.3f} {ratio:6.2f}x")
    languages(out, printer, repeat)


ZH = {  # washing-hands in Chinese, for the benchmark: the example has Spanish and Korean
    "title": "我洗手",
    "intro": "吃饭前和上完厕所后，我要洗手。",
    "steps": [
        {"text": "打开水龙头。", "feel": "水可能是温的，也可能是凉的。"},
        "把手弄湿。",
        {"text": "在手上抹肥皂。", "feel": "肥皂滑滑的，闻起来很清新。"},
        {
            "text": "我一边数到二十，一边用肥皂搓手。",
            "feel": "泡泡滑滑的、软软的。没关系。",
            "steps": ["搓搓手心。", "搓搓每只手的手背。", "搓搓手指缝。", "搓搓每个大拇指。", "在手心搓搓指尖。"],
        },
        "把肥皂全部冲干净。",
        "关上水龙头。",
        "用纸巾把手擦干。",
        "把纸巾扔进垃圾桶。",
    ],
    "conclusion": "我的手干净了。我洗得真棒！",
    "mastery": "连续3次，每一步都独立完成 (I)",
}


def languages(out: Path, printer: Printer, repeat: int) -> None:
    """The story PDF of washing-hands in English, Korean and Chinese, alternating: time and size."""
    import yaml

    story = yaml.safe_load((REPO / "stories" / "washing-hands.yaml").read_text(encoding="utf-8"))
    story["translations"]["zh"] = ZH
    library = out / "languages"
    (library / "stories").mkdir(parents=True)
    path = library / "stories" / "washing-hands.yaml"
    path.write_text(yaml.safe_dump(story, allow_unicode=True), encoding="utf-8")
    (out / "languages-build").mkdir()
    times: dict[str, list[float]] = {"en": [], "ko": [], "zh": []}
    for _ in range(max(repeat, 5)):
        for language, spent in times.items():
            spent.append(
                seconds(
                    partial(
                        build_story, path, out / "languages-build", printer, formats=["story"], languages=[language]
                    )
                )
            )
    print()
    print(f"{'washing-hands, story PDF':28} {'s (median)':>11} {'/ English':>10} {'PDF size':>10}")
    english = statistics.median(times["en"])
    for language, spent in times.items():
        pdf = out / "languages-build" / "washing-hands" / ("" if language == "en" else language) / "washing-hands.pdf"
        print(
            f"{language:28} {statistics.median(spent):11.3f} {statistics.median(spent) / english:9.2f}x {pdf.stat().st_size / 1024:8.0f} KB"
        )
    print("(goal: Korean and Chinese at most 1.5x English, each PDF well under 1 MB)")


if __name__ == "__main__":
    main()
