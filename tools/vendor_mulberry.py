"""Make storygen/data/mulberry-symbols-3.6.1.zip from the Mulberry Symbols release archive.

    python tools/vendor_mulberry.py ../shared/symbolsets/mulberry-symbols-3.6.1.tar.xz

The source: the Mulberry Symbols 3.6.1 (github.com/mulberrysymbols/mulberry-symbols, commit
9cbab9f400c5de44e2bc58839cca07294aadb086), 3,436 SVG pictograms for AAC users by Steve Lee,
CC BY-SA 4.0. The zip holds each SVG (white space between tags removed, nothing else
changed) under its English file name, the name index (symbol-info.csv) and the licence;
storygen reads single members from it at run time, so nothing is unpacked on disk.
"""

import re
import sys
import tarfile
import zipfile
from pathlib import Path

TARGET = Path(__file__).parent.parent / "storygen" / "data" / "mulberry-symbols-3.6.1.zip"


def main(archive: str) -> None:
    TARGET.parent.mkdir(exist_ok=True)
    kept = {}
    with tarfile.open(archive) as tar:  # in archive order: an xz stream cannot seek back
        for member in tar:
            name = member.name.removeprefix("./")
            if member.isfile() and name.startswith("EN/") and name.endswith(".svg"):
                kept[name] = re.sub(rb">\s+<", b"><", tar.extractfile(member).read()).strip()
            elif member.isfile() and name in ("LICENSE.txt", "scripts/data/symbol-info.csv"):
                kept[Path(name).name] = tar.extractfile(member).read()
    with zipfile.ZipFile(TARGET, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as out:
        for name in sorted(kept):
            out.writestr(zipfile.ZipInfo(name, (2018, 1, 1, 0, 0, 0)), kept[name], zipfile.ZIP_DEFLATED, 9)
    print(f"{TARGET}: {TARGET.stat().st_size // 1024} KB")


if __name__ == "__main__":
    main(sys.argv[1])
