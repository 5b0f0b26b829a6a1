"""Every built-in symbol prints as a reference rasteriser (librsvg's rsvg-convert) draws it:
zero-radius arcs, which WeasyPrint drew as stray wedges, are printed as the lines they are."""

import shutil
import subprocess
from pathlib import Path

import pytest
from PIL import Image, ImageChops, ImageFilter, ImageStat

from storygen.build import workers
from storygen.pages.assets import Urls, asset_folders
from storygen.pages.pdf import About, Printer
from storygen.pictures import symbols

BROKEN_BEFORE = ["1F9F4", "1F683", "1F69F", "1F5C2", "1F94C", "1F4C7"]  # lotion bottle, railway car...
PIXELS, ACROSS, BATCH = 48, 10, 500  # cells of 48 CSS px (half an inch), 10 by 10 a page, 5 pages a batch
Pair = tuple[Image.Image, Image.Image]  # printed, reference


def every_symbol() -> dict[str, symbols.Symbol]:
    """Each drawing of every built-in set once, by its qualified name (the name that finds it and no other)."""
    every = {symbol for symbol_set in symbols.SETS for symbol in symbols.names(symbol_set).values()}
    drawings = {(symbol.set, symbol.file): symbol for symbol in sorted(every, key=lambda s: s.qualified)}
    return {symbol.qualified: symbol for symbol in drawings.values()}


def draw(batch: tuple[Path, str, dict[str, bytes]], printer: Printer) -> dict[str, Pair]:
    """One batch (in a worker process): printed by storygen in a grid, and each SVG drawn by
    rsvg-convert on a page of its own, keeping its aspect ratio, then centred in a cell."""
    folder, html, svgs = batch
    printed, reference = folder / "printed.pdf", folder / "reference.pdf"
    drawings = [folder / f"{number:03}.svg" for number in range(len(svgs))]
    for drawing, content in zip(drawings, svgs.values(), strict=True):
        drawing.write_bytes(content)
    printed.write_bytes(printer.print(html, folder, folder, asset_folders(), About("symbols")).pdf)
    subprocess.run(["pdftoppm", "-gray", "-r", "96", printed, folder / "printed"], check=True)
    size = ["-a", "-w", str(PIXELS), "-h", str(PIXELS)]
    subprocess.run(["rsvg-convert", "-f", "pdf", *size, "-o", reference, *drawings], check=True)
    subprocess.run(["pdftoppm", "-gray", "-scale-to", str(PIXELS), reference, folder / "reference"], check=True)
    cells = [
        page.crop((x, y, x + PIXELS, y + PIXELS))
        for page in map(Image.open, sorted(folder.glob("printed-*.pgm")))
        for y in range(0, page.height, PIXELS)
        for x in range(0, page.width, PIXELS)
    ]
    references = []
    for drawn in map(Image.open, sorted(folder.glob("reference-*.pgm"))):
        references.append(Image.new("L", (PIXELS, PIXELS), 255))
        references[-1].paste(drawn, ((PIXELS - drawn.width) // 2, (PIXELS - drawn.height) // 2))
    return dict(zip(svgs, zip(cells[: len(svgs)], references, strict=True), strict=True))


@pytest.fixture(scope="session")
def drawn(tmp_path_factory) -> dict[str, Pair]:
    """Every symbol printed by storygen and drawn by rsvg-convert, as grey images, by name."""
    assert shutil.which("rsvg-convert") and shutil.which("pdftoppm"), "CI installs librsvg2-bin and poppler-utils"
    everything, urls, batches = list(every_symbol().items()), Urls("print"), []
    style = f"@page {{ size: {PIXELS * ACROSS}px; margin: 0 }} body {{ margin: 0 }}"
    style += f" img {{ width: {PIXELS}px; height: {PIXELS}px; display: block; float: left }}"
    for start in range(0, len(everything), BATCH):
        chosen = everything[start : start + BATCH]
        cells = "".join(f'<img src="{urls.symbol(name)}">' for name, _ in chosen)
        html = f"<html><head><style>{style}</style></head><body>{cells}</body></html>"
        svgs = {name: symbols.svg(symbol) for name, symbol in chosen}
        batches.append((tmp_path_factory.mktemp("drawn"), html, svgs))
    scratch = str(tmp_path_factory.mktemp("scratch"))
    return {name: pair for batch in workers.run(batches, draw, 2, scratch) for name, pair in batch.items()}


# Measured on all 7,388 drawings (48-pixel cells): they differ by 0.04 (median), 0.7 (99th
# percentile), at most 6.8 (a non-square drawing centred half a pixel apart). With their arcs
# left as they were, the symbols with zero-radius arcs differ by 11 to 45 (12, measured on a
# sample, let the suspension railway's wedge pass).
MOST = 9


def difference(printed: Image.Image, reference: Image.Image) -> float:
    """Mean difference of grey levels (0: the same, 255: opposite), blurred first so that
    edges antialiased a pixel apart count little and a stray shape counts a lot."""
    blur = ImageFilter.GaussianBlur(1.5)
    return ImageStat.Stat(ImageChops.difference(printed.filter(blur), reference.filter(blur))).mean[0]


def test_every_symbol_prints_as_the_reference_draws_it(drawn):
    far = {name: round(apart, 1) for name, pair in drawn.items() if (apart := difference(*pair)) > MOST}
    # Those storygen cannot print right are listed in symbols.MISPRINTED (kept out of automatic
    # choice): none today.
    assert set(far) == symbols.MISPRINTED, f"printed unlike rsvg-convert's drawing: {far}"


def test_the_symbols_that_held_zero_radius_arcs_print_without_wedges(drawn):
    held = [name for name, s in every_symbol().items() if s.set == "openmoji" and Path(s.file).stem in BROKEN_BEFORE]
    assert len(held) == len(BROKEN_BEFORE)
    assert {name: round(difference(*drawn[name]), 1) for name in held if difference(*drawn[name]) > MOST} == {}


def test_only_zero_radius_arcs_become_lines():
    from storygen.pictures.svg import straight_arcs

    assert straight_arcs(b'<path d="M1,1a0,0,0,0,1,3,4z"/>') == b'<path d="M1,1l3,4z"/>'
    assert straight_arcs(b'<path d="M1 1A0 5 0 0 1 3 4Z"/>') == b'<path d="M1 1L3,4Z"/>'
    for kept in (b'<path d="M1,1a2,2,0,0,1,3,4z"/>', b'<path d="M1,1a0,0,0,0,1,3,4 0,0,0,0,1,5,6z"/>'):
        assert straight_arcs(kept) == kept  # a real arc; an implicit repeat (left whole)
