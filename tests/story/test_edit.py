"""The picture picker's edit of a story file: one page's `symbol:` written, every other byte kept."""

import difflib
import os

import pytest

from storygen.story.edit import EditRefused, edit_symbol, fingerprint, quoted, set_symbol
from storygen.story.open import read_story

STORY = """\
# yaml-language-server: $schema=../schema/story.schema.json
title: Brushing   # the cover's words
symbol: 'toothbrush'
language: en
intro: Today I brush my teeth.
calm:
  - text: Three slow breaths  # the README's own
  - Squeeze my hands
steps:
  - Get my toothbrush.
  - Brush my teeth
    slowly.
  - text: "Spit the toothpaste"   # spit
    feel: It is minty.
  - text: |
      Rinse my brush
      under the water.

    label: Rinse
  - {text: Dry my face, label: Dry}
  - text: Wash my hands
    steps:
      - Palms
      - text: Backs of my hands
        symbol: hand
conclusion:
  text: Great brushing!
"""


def changes(old: str, new: str) -> list[str]:
    """The lines removed (-) and added (+)."""
    diff = difflib.unified_diff(old.splitlines(keepends=True), new.splitlines(keepends=True), n=0)
    return [line for line in diff if line[:1] in "+-" and line[:3] not in ("+++", "---")]


def test_a_symbol_already_written_is_the_one_line_that_changes():
    edited = edit_symbol(STORY, ("steps", 5, "steps", 1), "sink")
    assert changes(STORY, edited) == ["-        symbol: hand\n", "+        symbol: sink\n"]


def test_an_empty_symbol_is_filled_in():
    text = "title: T\nsteps:\n  - text: A\n    symbol:\n    feel: x\n  - text: B\n    symbol:   # later\n"
    text = edit_symbol(edit_symbol(text, ("steps", 0), "sink"), ("steps", 1), "tap")
    assert (
        text == "title: T\nsteps:\n  - text: A\n    symbol: sink\n    feel: x\n  - text: B\n    symbol: tap   # later\n"
    )


def test_single_quotes_stay_single_quotes():
    assert changes(STORY, edit_symbol(STORY, (), "brush teeth")) == [
        "-symbol: 'toothbrush'\n",
        "+symbol: 'brush teeth'\n",
    ]


@pytest.mark.parametrize(
    ("where", "added"),
    [
        (("steps", 2), "    symbol: sink\n"),  # after its text, comment and all, before `feel:`
        (("steps", 3), "    symbol: sink\n"),  # after a `|` text and its blank line
        (("calm", 0), "    symbol: sink\n"),
        (("conclusion",), "  symbol: sink\n"),
    ],
)
def test_a_page_without_a_symbol_gets_one_line(where, added):
    edited = edit_symbol(STORY, where, "sink")
    assert changes(STORY, edited) == ["+" + added]


def test_the_new_line_goes_right_after_the_text():
    edited = edit_symbol(STORY, ("steps", 2), "sink").splitlines()
    at = edited.index('  - text: "Spit the toothpaste"   # spit')
    assert edited[at + 1 : at + 3] == ["    symbol: sink", "    feel: It is minty."]


def test_a_cover_without_a_symbol_gets_one_after_its_title():
    edited = edit_symbol("title: T  # t\nsteps:\n  - A\n", (), "sink")
    assert edited == "title: T  # t\nsymbol: sink\nsteps:\n  - A\n"


def test_a_file_without_a_last_line_end_gets_one_before_the_new_line():
    assert edit_symbol("title: T\nsteps:\n  - text: A", ("steps", 0), "sink") == (
        "title: T\nsteps:\n  - text: A\n    symbol: sink\n"
    )


def test_a_flow_mapping_gets_the_key_on_its_line():
    edited = edit_symbol(STORY, ("steps", 4), "towel")
    assert changes(STORY, edited) == [
        "-  - {text: Dry my face, label: Dry}\n",
        "+  - {text: Dry my face, symbol: towel, label: Dry}\n",
    ]


@pytest.mark.parametrize(
    ("where", "before", "after"),
    [
        (("steps", 0), ["  - Get my toothbrush.\n"], ["  - text: Get my toothbrush.\n", "    symbol: toothbrush\n"]),
        (("calm", 1), ["  - Squeeze my hands\n"], ["  - text: Squeeze my hands\n", "    symbol: toothbrush\n"]),
        (
            ("steps", 5, "steps", 0),
            ["      - Palms\n"],
            ["      - text: Palms\n", "        symbol: toothbrush\n"],
        ),
        (
            ("intro",),
            ["intro: Today I brush my teeth.\n"],
            ["intro:\n", "  text: Today I brush my teeth.\n", "  symbol: toothbrush\n"],
        ),
        (
            ("steps", 1),  # a text on two lines: its second line indented under `text:`, its words the same
            ["  - Brush my teeth\n", "    slowly.\n"],
            ["  - text: Brush my teeth\n", "      slowly.\n", "    symbol: toothbrush\n"],
        ),
    ],
)
def test_a_page_written_as_a_string_becomes_its_text_and_symbol(where, before, after):
    edited = edit_symbol(STORY, where, "toothbrush")
    assert changes(STORY, edited) == ["-" + line for line in before] + ["+" + line for line in after]


def test_the_edited_story_reads_with_the_new_symbols(tmp_path):
    path = tmp_path / "story.yaml"
    text = STORY
    for where in [("steps", 0), ("steps", 1), ("steps", 4), ("steps", 5, "steps", 0), ("intro",), ("calm", 1)]:
        text = edit_symbol(text, where, "brush teeth")
    path.write_text(edit_symbol(text, ("conclusion",), "none"), encoding="utf-8")
    story = read_story(path)
    named = [story.steps[0], story.steps[1], story.steps[4], story.steps[5].steps[0], story.intro, story.calm[1]]
    assert {page.symbol for page in named} == {"mulberry:brush teeth"}
    assert story.steps[1].text == "Brush my teeth slowly." and story.intro.text == "Today I brush my teeth."
    assert story.conclusion.symbol is None and story.conclusion.text == "Great brushing!"


@pytest.mark.parametrize(
    ("name", "written"),
    [
        ("brush teeth", "brush teeth"),
        ("yes", '"yes"'),
        ("No", '"No"'),
        ("on", '"on"'),
        ("null", '"null"'),
        ("a: b", '"a: b"'),
        ("one #1", '"one #1"'),
        ("mulberry:to paint", '"mulberry:to paint"'),
        ("1 o'clock", '"1 o\'clock"'),
        ('say "hi"', '"say \\"hi\\""'),
        ("café", "café"),
    ],
)
def test_a_name_is_quoted_when_yaml_would_read_it_otherwise(name, written):
    assert quoted(name) == written
    edited = edit_symbol("title: T\nsteps:\n  - text: A\n", ("steps", 0), name)
    assert edited == f"title: T\nsteps:\n  - text: A\n    symbol: {written}\n"


def test_crlf_and_a_byte_order_mark_are_kept(tmp_path):
    path = tmp_path / "story.yaml"
    path.write_bytes(b"\xef\xbb\xbftitle: T\r\nsteps:\r\n  - text: A  # a\r\n  - B\r\n")
    set_symbol(path, ("steps", 1), "sink", tmp_path)
    set_symbol(path, ("steps", 0), "tap", tmp_path)
    assert path.read_bytes() == (
        b"\xef\xbb\xbftitle: T\r\nsteps:\r\n  - text: A  # a\r\n    symbol: tap\r\n  - text: B\r\n    symbol: sink\r\n"
    )


def test_the_file_is_written_in_place_keeping_its_mode(tmp_path):
    path = tmp_path / "story.yaml"
    path.write_text(STORY, encoding="utf-8")
    os.chmod(path, 0o640)
    set_symbol(path, ("steps", 2), "sink", tmp_path, seen=fingerprint(STORY))
    assert changes(STORY, path.read_text(encoding="utf-8")) == ["+    symbol: sink\n"]
    assert os.stat(path).st_mode & 0o777 == 0o640
    assert [p.name for p in tmp_path.iterdir()] == ["story.yaml"]  # no temporary file left


def refused(path, *args, **kwargs) -> str:
    before = path.read_bytes() if path.exists() else None
    with pytest.raises(EditRefused) as caught:
        set_symbol(path, *args, **kwargs)
    assert (path.read_bytes() if path.exists() else None) == before  # nothing written
    return str(caught.value)


def test_a_file_changed_since_it_was_shown_is_refused(tmp_path):
    path = tmp_path / "story.yaml"
    path.write_text(STORY, encoding="utf-8")
    seen = fingerprint(STORY.replace("Brushing", "Flossing"))
    assert "changed since this page was shown" in refused(path, ("steps", 2), "sink", tmp_path, seen=seen)


def test_a_file_outside_the_library_or_a_link_is_refused(tmp_path):
    library, outside = tmp_path / "library", tmp_path / "outside.yaml"
    library.mkdir()
    outside.write_text(STORY, encoding="utf-8")
    assert "not inside the library" in refused(outside, ("steps", 2), "sink", library)
    (library / "link.yaml").symlink_to(outside)
    assert "is a link" in refused(library / "link.yaml", ("steps", 2), "sink", library)
    assert outside.read_text(encoding="utf-8") == STORY


@pytest.mark.parametrize(
    ("where", "name", "why"),
    [
        (("steps", 99), "sink", "not in the story now"),
        (("tags",), "sink", "not written as text"),
        (("steps", 2), "two\nlines", "one line"),
        (("steps", 2), "x" * 81, "at most 80"),
    ],
)
def test_what_cannot_be_written_exactly_is_refused(tmp_path, where, name, why):
    path = tmp_path / "story.yaml"
    path.write_text(STORY.replace("language: en", "language: en\ntags: [a, b]"), encoding="utf-8")
    assert why in refused(path, where, name, tmp_path)


def test_a_page_with_a_photo_is_not_given_a_symbol_too(tmp_path):
    path = tmp_path / "story.yaml"
    path.write_text("title: T\nsteps:\n  - text: A\n    image: a.png\n", encoding="utf-8")
    assert "shows a photo" in refused(path, ("steps", 0), "sink", tmp_path)


def test_an_edit_that_would_change_anything_else_is_refused(tmp_path):
    """A `|2` text moved under `text:` would read differently: refused, not written wrong."""
    path = tmp_path / "story.yaml"
    path.write_text("title: T\nsteps:\n  - |2\n      A\n", encoding="utf-8")
    assert "by hand" in refused(path, ("steps", 0), "sink", tmp_path)


def test_an_edit_waits_for_another_and_gives_up_without_writing(tmp_path, monkeypatch):
    from storygen import files
    from storygen.story import edit

    path = tmp_path / "story.yaml"
    path.write_text(STORY, encoding="utf-8")
    monkeypatch.setattr(edit, "LOCK_WAIT", 0.2)
    other = files.hold(edit.Path(edit.tempfile.gettempdir()) / f"storygen-edit-{os.getuid()}.lock", 1)
    try:
        assert "being changed by another storygen" in refused(path, ("steps", 2), "sink", tmp_path)
    finally:
        os.close(other)
    set_symbol(path, ("steps", 2), "sink", tmp_path)  # let go: the edit is made
    assert changes(STORY, path.read_text(encoding="utf-8")) == ["+    symbol: sink\n"]
