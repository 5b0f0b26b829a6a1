"""PIC002: a page without a picture is never silent; it names the lines to write, and
`symbol: none` says no picture on purpose."""

import json

import pytest
from click.testing import CliRunner

from storygen.check.engine import check_story
from storygen.cli import main
from storygen.pictures import choice

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
"""


@pytest.fixture
def abstains(monkeypatch):
    """Automatic choice gives no picture (as it will when unsure), ranked() still lists candidates."""
    monkeypatch.setattr(choice, "choose", lambda *args, **options: None)


def warnings(path):
    return [f for f in check_story(path).findings if f.code == "PIC002"]


def test_a_page_without_a_picture_names_three_lines_to_write(write_story, abstains):
    [warning] = warnings(write_story(STORY))
    assert warning.severity == "warning" and (warning.line, warning.col) == (7, 5)  # the page, as written
    assert warning.message == (
        "step 2: no picture: the best fits are `symbol: dry hands`, `symbol: towel`, `symbol: hand`"
    )
    assert "symbol: none" in warning.hint


def test_symbol_none_silences_it(write_story, abstains):
    assert (
        warnings(
            write_story(STORY.replace("  - I dry my hands with a towel.\n", "  - text: I dry.\n    symbol: none\n"))
        )
        == []
    )
    assert (
        warnings(
            write_story(STORY.replace("  - I dry my hands with a towel.\n", "  - text: I dry.\n    symbol: towel\n"))
        )
        == []
    )


def test_a_page_given_a_picture_automatically_has_no_warning(write_story):
    assert warnings(write_story(STORY)) == []


def test_words_that_name_nothing_say_so(write_story):
    [warning] = warnings(write_story(STORY.replace("I dry my hands with a towel.", "Zzq blorp.")))
    assert warning.message == "step 2: no picture: no symbol set has a fitting name for its words"
    assert "storygen symbols WORD" in warning.hint and "symbol: none" in warning.hint


def test_the_cover_and_a_reassuring_page_leave_out_what_frightens(write_story, abstains):
    story = STORY.replace("symbol: none\nkind", "kind").replace(
        "  - I dry my hands with a towel.\n", "  - text: I dry.\n    symbol: none\n"
    )
    story += "calm:\n  - When I feel worried, I hug my teddy.\n"
    found = {f.message for f in warnings(write_story(story))}
    assert found == {
        "cover: no picture: the best fits are `symbol: wash hands`",  # 'hands' means washing them here
        "calm choice 1: no picture: the best fits are `symbol: hug`",  # never the worried face
    }


def test_json_output_has_it_at_the_pages_line(write_story, abstains):
    path = write_story(STORY)
    result = CliRunner().invoke(main, ["check", str(path), "--output-format", "json"])
    found = [f for f in json.loads(result.output) if f["code"] == "PIC002"]
    assert [(f["line"], f["col"], f["severity"]) for f in found] == [(7, 5, "warning")]
