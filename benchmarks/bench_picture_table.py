"""Benchmark: storygen's automatic pictures scored on the labelled page table (issue 25, item 6).

    python benchmarks/bench_picture_table.py [--verbose] [--split tune|held-out|all]

Each row of benchmarks/pictures/pages_*.yaml becomes a one-page story in a scratch library, in
the row's language and with its text as a page of the row's role (an introduction, a step, a calm
choice or the conclusion); the cover and the one step a story needs besides say `symbol: none`.
The story is opened as every command opens it (story.open.open_story), so the picture is the one
the pipeline gives that page. A pick is compared with the row's labels by its picture (set and
file), so any of an OpenMoji picture's names counts. Printed for tune, held-out and all rows,
and per language:

- acceptable: the share of picks that are in the row's acceptable list;
- wrong: pages whose pick is not acceptable, as a share of all pages;
- frightening: picks in the row's frightening list, in the never-frightening list
  (storygen/data/frightening.yaml), or a negative feeling on a conclusion or calm choice;
- abstentions: pages given no picture; silent: those that `storygen check` says nothing about
  (no warning whose code is in NO_PICTURE_CODES).

--verbose lists every wrong or frightening pick (of the rows of --split only: tune by default,
so that nothing is tuned on the held-out rows) and every silent page.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from collections import Counter
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from storygen.check.engine import review  # noqa: E402
from storygen.errors import Severity  # noqa: E402
from storygen.pictures import symbols  # noqa: E402
from storygen.story.open import Opened, open_story  # noqa: E402
from storygen.story.settings import read_settings  # noqa: E402

TABLES = sorted((REPO / "benchmarks" / "pictures").glob("pages_*.yaml"))
# The rule codes of `storygen check`'s warning that a page has no picture (issue 25, item 3).
NO_PICTURE_CODES: frozenset[str] = frozenset({"PIC002"})
ROLE_AT = {"intro": ("intro",), "step": ("steps", 0), "calm": ("calm", 0), "conclusion": ("conclusion",)}
FILLER = {"en": "We go.", "es": "Vamos.", "fr": "On y va."}  # the step a story needs, without a picture
Picture = tuple[str, str]  # a symbol's identity: its set and file (an OpenMoji picture has several names)


def identity(name: str) -> Picture:
    """A label's picture; a name this version of its set lacks (an older OpenMoji, on the floors'
    run) is a picture no pick can be, so it stands for none. Typos: benchmarks/pictures/check_names.py."""
    found = symbols.find(name)
    return (found.set, found.file) if found is not None else ("", name)


def never_frightening() -> dict[Picture, str]:
    """The never-frightening list by picture, each with its category (empty before it exists)."""
    try:
        from storygen.pictures import frightening
    except ImportError:
        return {}
    return {(s.set, s.file): category for s, category in frightening.listed().items()}


def story_for(row: dict) -> dict:
    """A story whose only page without a chosen picture is the row's text, in the row's role."""
    page = {"text": row["text"]}
    filler = {"text": FILLER[row["language"]], "symbol": "none"}
    story = {"title": "Bench", "symbol": "none", "kind": "social", "language": row["language"], "steps": [filler]}
    if row["role"] == "step":
        story["steps"] = [page]
    else:
        story[row["role"]] = [page] if row["role"] == "calm" else page
    return story


def warned(opened: Opened) -> bool:
    """Whether check warns that a page has no picture: the story's only such page is the row's."""
    findings = review(opened)
    return any(f.code in NO_PICTURE_CODES and f.severity == Severity.WARNING for f in findings)


def part_at(story, loc: tuple):
    for key in loc:
        story = story[key] if isinstance(key, int) else getattr(story, key)
    return story


def score(row: dict, folder: Path, number: int, listed: dict[Picture, str]) -> dict:
    """The row's pick (a qualified name or None) and what it counts as."""
    path = folder / f"row{number}.yaml"
    path.write_text(yaml.safe_dump(story_for(row), allow_unicode=True, sort_keys=False), encoding="utf-8")
    opened = open_story(path, library=folder)
    picked = part_at(opened.story, ROLE_AT[row["role"]]).symbol
    if picked is None:
        return {"pick": None, "silent": not warned(opened)}
    found = identity(picked)
    reassuring = row["role"] in ("calm", "conclusion")
    scared = {identity(name) for name in row.get("frightening") or []}
    return {
        "pick": picked,
        "acceptable": found in {identity(name) for name in row.get("acceptable") or []},
        "frightening": found in scared or (found in listed and (listed[found] != "negative feeling" or reassuring)),
    }


def tally(results: list[dict]) -> str:
    count = Counter()
    for result in results:
        count["pages"] += 1
        if result["pick"] is None:
            count["abstentions"] += 1
            count["silent"] += result["silent"]
        else:
            count["picks"] += 1
            count["acceptable"] += result["acceptable"]
            count["wrong"] += not result["acceptable"]
            count["frightening"] += result["frightening"]
    pages, picks = count["pages"], count["picks"]
    return (
        f"{pages:4d} pages {picks:4d} picks  acceptable {count['acceptable'] / max(picks, 1):4.0%} of picks"
        f"  wrong {count['wrong'] / max(pages, 1):4.0%} of pages ({count['wrong']})"
        f"  frightening {count['frightening']:2d}  abstentions {count['abstentions']:3d}  silent {count['silent']:3d}"
    )


def run() -> list[tuple[dict, dict]]:
    """Every row of the tables with what its pick counts as (score)."""
    rows = [row for table in TABLES for row in yaml.safe_load(table.read_text(encoding="utf-8"))]
    listed = never_frightening()
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        (folder / "storygen.yaml").write_text("{}\n", encoding="utf-8")
        read_settings(folder)  # a bad scratch library fails here, before any row
        return [(row, score(row, folder, number, listed)) for number, row in enumerate(rows)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--verbose", action="store_true", help="list every wrong or frightening pick")
    parser.add_argument("--split", choices=("tune", "held-out", "all"), default="tune", help="whose picks to list")
    args = parser.parse_args()
    scored = run()
    for split in ("tune", "held-out", "all"):
        chosen = [(row, result) for row, result in scored if split in ("all", row["split"])]
        print(f"{split:8s} all {tally([result for _, result in chosen])}")
        for language in sorted({row["language"] for row, _ in chosen}):
            print(f"{'':8s} {language:3s} {tally([result for row, result in chosen if row['language'] == language])}")
    if args.verbose:
        for row, result in scored:
            if args.split in ("all", row["split"]):
                listing(row, result)


def listing(row: dict, result: dict) -> None:
    where = f"{row['split']:8s} {row['language']} {row['role']:10s} {row['text']!r}"
    if result["pick"] is None:
        print(f"SILENT  {where}" if result["silent"] else f"WARNED  {where}")
    elif result["frightening"]:
        print(f"FRIGHT  {where} -> {result['pick']}")
    elif not result["acceptable"]:
        print(f"WRONG   {where} -> {result['pick']}")


if __name__ == "__main__":
    main()
