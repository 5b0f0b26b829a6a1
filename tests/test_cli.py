"""The storygen command, through click's CliRunner."""

import subprocess
import sys

import pytest
from click.testing import CliRunner
from pypdf import PdfReader

from storygen.cli import main
from tests.conftest import MINIMAL_STORY


@pytest.fixture
def library(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "stories").mkdir()
    (tmp_path / "stories" / "shop.yaml").write_text(MINIMAL_STORY)
    return tmp_path


def run(*args):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def test_build_defaults_to_stories_into_build(library):
    result = run("build")
    assert result.exit_code == 0, result.output
    assert (library / "build" / "shop" / "shop.pdf").is_file()
    assert (library / "build" / "shop" / "shop.html").is_file()
    assert (
        "built stories/shop.yaml -> build/shop/: shop.pdf, shop-booklet.pdf, shop-strip.pdf, shop-cards.pdf, shop-tracker.pdf, shop-guide.pdf, shop.html"
        in result.output
    )
    assert "1 built, 0 failed" in result.output


def test_build_reports_every_error_and_still_builds_the_rest(library):
    (library / "stories" / "broken.yaml").write_text(
        "title: Broken\nkind: socal\nsteps:\n  - text: a\n    symbl: soap\n"
    )
    (library / "stories" / "bad-yaml.yaml").write_text("title: [unclosed\nsteps: []\n")
    result = run("build", "-o", "out")
    assert result.exit_code == 1
    assert "stories/broken.yaml:2:7: 'socal' is not a valid `kind`" in result.output
    assert "stories/broken.yaml:5:5: step 1: unknown key 'symbl' (did you mean 'symbol'?)" in result.output
    assert "stories/bad-yaml.yaml:2:6: YAML syntax error" in result.output and "is not closed" in result.output
    assert "Traceback" not in result.output
    assert (library / "out" / "shop" / "shop.pdf").is_file()
    assert not (library / "out" / "broken").exists()
    assert "1 built, 2 failed" in result.output


def test_build_given_files_and_letter_paper(library):
    result = run("build", "stories/shop.yaml", "--paper", "letter", "-o", "letter")
    assert result.exit_code == 0, result.output
    page = PdfReader(library / "letter" / "shop" / "shop.pdf").pages[0]
    assert (round(float(page.mediabox.width)), round(float(page.mediabox.height))) == (612, 792)


def test_build_with_nothing_to_build_fails_clearly(library):
    result = run("build", "missing-folder")
    assert result.exit_code == 1
    assert "missing-folder:1:1: no such file or folder" in result.output


def test_unknown_paper_is_refused(library):
    result = run("build", "--paper", "a5")
    assert result.exit_code == 2 and "'a5' is not one of 'a4', 'letter'" in result.output


def test_symbols_lists_matches():
    result = run("symbols", "tooth")
    assert result.exit_code == 0
    lines = [line.split() for line in result.output.splitlines()]
    assert lines[:2] == [["tooth", "mulberry", "noun"], ["tooth", "openmoji"]]
    brushing = [line.split() for line in run("symbols", "brushing").output.splitlines()]
    assert ["brush", "teeth", "mulberry", "verb"] in brushing  # found by the word's plain form
    adult = run("symbols", "mulberry:penis").output
    assert "rated adult: never chosen automatically" in adult
    cut = [line.split() for line in run("symbols", "cut").output.splitlines()]
    assert cut[:2] == [["cut", "mulberry", "noun"], ["to", "cut", "mulberry", "verb"]]  # both, as symbol: names them


def test_symbols_finds_nothing_for_unknown_words():
    result = run("symbols", "tothbrush")
    assert result.exit_code == 1
    assert "no symbol name contains 'tothbrush'" in result.output and "toothbrush" in result.output


def test_help_and_symbols_do_not_import_weasyprint():
    code = (
        "import sys; from click.testing import CliRunner; from storygen.cli import main; "
        "CliRunner().invoke(main, ['symbols', 'bus']); CliRunner().invoke(main, ['--help']); "
        "print('weasyprint' in sys.modules)"
    )
    assert (
        subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip()
        == "False"
    )


def test_symbols_sheet_shows_each_match_with_its_name_and_credit(tmp_path, monkeypatch):
    from pypdf import PdfReader

    monkeypatch.chdir(tmp_path)
    result = run("symbols", "towel", "--sheet")
    assert result.exit_code == 0, result.output
    assert result.output.strip() == "wrote symbols-towel.pdf: 6 pictures"
    reader = PdfReader(tmp_path / "symbols-towel.pdf")
    text = " ".join(page.extract_text() for page in reader.pages)
    for name in ("towel", "tea towel", "beach towel", "paper towel"):
        assert name in text
    assert "Mulberry Symbols, Steve Lee, CC BY-SA 4.0" in text and "OpenMoji" not in text
    # a picture WeasyPrint cannot draw would be a logged warning, which fails this test (conftest)
    assert run("symbols", "towel", "--sheet", "-o", "towel.html").exit_code == 0
    assert (tmp_path / "towel.html").read_text().count('<img src="data:image/svg+xml;base64,') == 6
    html = run("symbols", "openmoji:toothbrush", "--sheet", "-o", "brush.html")
    assert html.exit_code == 0, html.output
    page = (tmp_path / "brush.html").read_text()
    assert "<code>openmoji:toothbrush</code>" in page  # the prefix: mulberry would win without it
    assert 'src="data:image/svg+xml;base64,' in page and "file:" not in page
