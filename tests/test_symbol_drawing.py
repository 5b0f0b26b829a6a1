"""Built-in symbols print as a reference rasteriser (librsvg's rsvg-convert) draws them:
zero-radius arcs, which WeasyPrint drew as stray wedges, are printed as the lines they are."""

import shutil
import subprocess
from pathlib import Path

import pytest
from PIL import Image, ImageChops, ImageFilter, ImageStat

from storygen import symbols
from storygen.pdf import Printer
from storygen.render import Urls, asset_folders

BROKEN_BEFORE = ["1F9F4", "1F683", "1F69F", "1F5C2", "1F94C"]  # lotion bottle, railway car...
SIDE_MM, DPI = 40, 30
PIXELS = round(SIDE_MM / 25.4 * DPI)


def sample() -> list[symbols.Symbol]:
    """The symbols known to have held zero-radius arcs, and every 150th of each set."""
    openmoji = {s.file: s for s in symbols.openmoji().values()}
    chosen = [openmoji[f"{code}.svg"] for code in BROKEN_BEFORE]
    for every in (
        sorted(openmoji.values(), key=lambda s: s.file),
        sorted(set(symbols.mulberry().values()), key=lambda s: s.file),
    ):
        chosen += every[::150]
    return list(dict.fromkeys(chosen))


@pytest.fixture(scope="session")
def drawn(tmp_path_factory):
    """Each sampled symbol printed by storygen (a page each) and drawn by rsvg-convert, as PNGs."""
    assert shutil.which("rsvg-convert") and shutil.which("pdftoppm"), "CI installs librsvg2-bin and poppler-utils"
    folder, chosen, urls = tmp_path_factory.mktemp("drawn"), sample(), Urls("print")
    pages = "".join(f'<div class="page"><img src="{urls.symbol(s.qualified)}"></div>' for s in chosen)
    style = f"@page {{ size: {SIDE_MM}mm {SIDE_MM}mm; margin: 0 }} body {{ margin: 0 }} .page {{ break-after: page }}"
    style += f" img {{ width: {SIDE_MM}mm; height: {SIDE_MM}mm; display: block }}"
    html = f"<html><head><style>{style}</style></head><body>{pages}</body></html>"
    (folder / "printed.pdf").write_bytes(Printer().print(html, folder, folder, asset_folders()).pdf)
    subprocess.run(["pdftoppm", "-png", "-r", str(DPI), "printed.pdf", "page"], cwd=folder, check=True)
    printed = sorted(folder.glob("page-*.png"))
    assert len(printed) == len(chosen)
    pairs = {}
    for symbol, page in zip(chosen, printed, strict=True):
        original = folder / f"{symbol.set}-{Path(symbol.file).stem}.svg"
        original.write_bytes(symbols.svg(symbol))
        reference = original.with_suffix(".png")
        size = ["-w", str(PIXELS), "-h", str(PIXELS), "-b", "white"]
        subprocess.run(["rsvg-convert", *size, "-o", str(reference), str(original)], check=True)
        pairs[symbol] = (Image.open(page).convert("L").resize((PIXELS, PIXELS)), Image.open(reference).convert("L"))
    return pairs


# Measured: sampled symbols differ by at most 9.5 (edges drawn a pixel apart); the five with
# zero-radius arcs differed by 16 to 46 before they were straightened.
MOST = 12


def difference(printed: Image.Image, reference: Image.Image) -> float:
    """Mean difference of grey levels (0: the same, 255: opposite), blurred first so that
    edges antialiased a pixel apart count little and a stray shape counts a lot."""
    blur = ImageFilter.GaussianBlur(1.5)
    return ImageStat.Stat(ImageChops.difference(printed.filter(blur), reference.filter(blur))).mean[0]


def test_every_sampled_symbol_prints_as_the_reference_draws_it(drawn):
    far = {s.qualified: round(difference(*pair), 1) for s, pair in drawn.items() if difference(*pair) > MOST}
    assert far == {}, "printed unlike rsvg-convert's drawing"


def test_the_symbols_that_held_zero_radius_arcs_print_without_wedges(drawn):
    for symbol, (printed, reference) in drawn.items():
        if Path(symbol.file).stem in BROKEN_BEFORE:
            assert difference(printed, reference) < MOST, symbol.qualified


def test_only_zero_radius_arcs_become_lines():
    from storygen.svg import straight_arcs

    assert straight_arcs(b'<path d="M1,1a0,0,0,0,1,3,4z"/>') == b'<path d="M1,1l3,4z"/>'
    assert straight_arcs(b'<path d="M1 1A0 5 0 0 1 3 4Z"/>') == b'<path d="M1 1L3,4Z"/>'
    for kept in (b'<path d="M1,1a2,2,0,0,1,3,4z"/>', b'<path d="M1,1a0,0,0,0,1,3,4 0,0,0,0,1,5,6z"/>'):
        assert straight_arcs(kept) == kept  # a real arc; an implicit repeat (left whole)
