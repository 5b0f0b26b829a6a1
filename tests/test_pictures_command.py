"""`storygen pictures STORY`: every page's picture with its exact name, written or chosen (and
why), and the alternatives as `symbol:` lines; `--sheet` the same as a contact sheet."""

import subprocess

import pytest
from click.testing import CliRunner

from storygen.cli import main

STORY = """\
title: Washing my hands
symbol: none
kind: task
steps:
  - text: I wet my hands.
    symbol: mulberry:wet
  - I dry my hands with a towel.
  - text: Zzq blorp.
    symbol: none
  - Zzq flub.
"""


@pytest.fixture
def story(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "storygen.yaml").write_text("{}\n", encoding="utf-8")
    path = tmp_path / "wash.yaml"
    path.write_text(STORY, encoding="utf-8")
    return path


def run(*args):
    return CliRunner().invoke(main, ["pictures", *args])


def test_each_page_its_picture_how_it_came_and_the_alternatives(story):
    result = run("wash.yaml")
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == [
        "wash.yaml:1:8: cover: Washing my hands",
        "  no picture on purpose (symbol: none)",
        "  alternatives:",
        "    symbol: mulberry:wash hands  # the words 'washing hands'",
        "wash.yaml:5:5: step 1: I wet my hands.",
        "  mulberry:wet: written (symbol:)",
        "  alternatives:",
        "    symbol: mulberry:wash hands  # the word 'wet', in the sense its page gives it",
        "    symbol: openmoji:hand  # the word 'hands', too general to show the page alone",
        "wash.yaml:7:5: step 2: I dry my hands with a towel.",
        "  mulberry:dry hands: chosen automatically: the words 'dry hands'",
        "  alternatives:",
        "    symbol: mulberry:towel  # the word 'towel', a thing",
        "    symbol: openmoji:hand  # the word 'hands', too general to show the page alone",
        "    symbol: mulberry:dry  # the word 'dry', an action here, and its picture is a thing",
        "wash.yaml:8:5: step 3: Zzq blorp.",
        "  no picture on purpose (symbol: none)",
        "  alternatives: none",
        "wash.yaml:10:5: step 4: Zzq flub.",
        "  no picture: none fits its words well enough (PIC002)",
        "  alternatives: none",
    ]


def test_what_comes_from_the_story_is_printed_safely(story):
    """Loading refuses control characters in the text; a file name may still hold one."""
    story.rename(story.parent / "wash\x1b]0;owned\x07.yaml")
    result = run("wash\x1b]0;owned\x07.yaml")
    assert result.exit_code == 0, result.output
    assert "\x1b" not in result.output and "wash\\x1b]0;owned\\x07.yaml:7:5: step 2:" in result.output


def test_the_sheet_holds_every_picks_exact_name(story):
    result = run("wash.yaml", "--sheet")
    assert result.exit_code == 0, result.output
    assert result.output == "wrote pictures-wash.pdf: 5 pages, 8 pictures\n"
    text = subprocess.run(["pdftotext", "pictures-wash.pdf", "-"], capture_output=True, text=True, check=True).stdout
    for name in ("mulberry:wet", "mulberry:dry hands", "mulberry:towel", "openmoji:hand", "mulberry:wash hands"):
        assert name in text, name
    assert "Pictures of “Washing my hands”" in text and "written (symbol:)" in text


def test_an_html_sheet(story):
    result = run("wash.yaml", "--sheet", "-o", "wash.html")
    assert result.exit_code == 0, result.output
    page = (story.parent / "wash.html").read_text(encoding="utf-8")
    assert "<code>mulberry:dry hands</code>" in page and "<code>mulberry:wet</code>" in page
    assert page.count('<img src="data:image/svg+xml;base64,') == 8 and "file:" not in page
    assert "chosen automatically: the words &#39;dry hands&#39;" in page and "Zzq flub." in page


@pytest.mark.parametrize(
    "path, message",
    [
        ("nowhere.yaml", "Error: nowhere.yaml:1:1: cannot read the file: No such file or directory"),
        ("bad.yaml", "Error: bad.yaml:1:1: `steps` is missing; add a line `steps: ...`\nbad.yaml:2:7: 'nonsense' is"),
    ],
)
def test_a_bad_story_is_a_message_not_a_traceback(story, path, message):
    (story.parent / "bad.yaml").write_text("title: Bad\nkind: nonsense\n", encoding="utf-8")
    result = run(path)
    assert result.exit_code == 1 and isinstance(result.exception, SystemExit)  # a message, not an exception
    assert result.output.startswith(message) and "Traceback" not in result.output


def test_a_sheet_that_cannot_be_written_is_a_message(story):
    result = run("wash.yaml", "--sheet", "-o", "no/such/folder/wash.html")
    assert result.exit_code == 1 and isinstance(result.exception, SystemExit)
    assert result.output.startswith("Error: cannot write no/such/folder/wash.html: No such file or directory")
