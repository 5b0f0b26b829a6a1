"""Check the labelled page tables: every symbol named exists, every row is well formed.

    python benchmarks/pictures/check_names.py [TABLE.yaml ...]   (default: every pages_*.yaml here)

A name is `set:name` as `storygen symbols` prints it; a Mulberry verb whose name is also a
noun's is written `mulberry:to NAME` (the name that finds that picture and no other).
Exits 1 and lists every problem when any name is unknown or any field is wrong.
"""

from __future__ import annotations

import sys
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent.parent))

from storygen.pictures import symbols  # noqa: E402

DOMAINS = {"daily-living", "medical-dental", "school", "feelings-calming", "community", "telehealth", "sensory"}
ROLES = {"intro", "step", "calm", "conclusion"}
SPLITS = {"tune", "held-out"}
# Which rows a table holds out, fixed when it was written: every third row, and in
# pages_en_more.yaml each row whose number ends in 3, 6 or 9 (60 of its 200).
HELD_OUT = {"pages_en_more.yaml": lambda number: number % 10 in (3, 6, 9)}


def held_out(path: Path, number: int) -> bool:
    return HELD_OUT.get(path.name, lambda n: n % 3 == 0)(number)


def known(name: str) -> bool:
    set_of, _, key = name.partition(":")
    return set_of in symbols.BUILT_IN and key in symbols.names(set_of)


def problems(path: Path) -> list[str]:
    rows = yaml.safe_load(path.read_text(encoding="utf-8"))
    found = []
    for number, row in enumerate(rows, start=1):
        where = f"{path.name} row {number} ({row.get('text', '')!r})"
        if row.get("domain") not in DOMAINS or row.get("role") not in ROLES:
            found.append(f"{where}: domain or role not one of the list")
        if row.get("split") != (split := "held-out" if held_out(path, number) else "tune"):
            found.append(f"{where}: split should be {split}")
        if not isinstance(row.get("ambiguous"), bool):
            found.append(f"{where}: ambiguous is not true or false")
        for field in ("acceptable", "frightening"):
            found += [f"{where}: unknown {field} symbol {name!r}" for name in row.get(field) or [] if not known(name)]
        if both := set(row.get("acceptable") or []) & set(row.get("frightening") or []):
            found.append(f"{where}: both acceptable and frightening: {sorted(both)}")
    return found


def main(paths: list[str]) -> int:
    tables = [Path(p) for p in paths] or sorted(HERE.glob("pages_*.yaml"))
    found = [problem for table in tables for problem in problems(table)]
    print("\n".join(found) or f"all names known in {', '.join(t.name for t in tables)}")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
