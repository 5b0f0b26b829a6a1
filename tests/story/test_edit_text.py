"""The editor's edit of a story file (issue 28, point 2): one text replaced where it stands, the
file otherwise as the clinician wrote it; a backup of each save, and undo."""

from __future__ import annotations

import difflib
from pathlib import Path

import pytest

from storygen.story.edit import KEPT_BACKUPS, EditRefused, backup_folder, edit_text, fingerprint, set_text, undo
from storygen.story.open import read_story

STORY = """\
# yaml-language-server: $schema=../schema/story.schema.json
# Brushing teeth: written by hand, comments and all.

title: Brushing   # the cover's words
language: en      # the library's language

intro: Today I brush my teeth.

calm:
  - text: 'Three slow breaths'  # the README's own
  - Squeeze my hands

steps:
  # the morning routine
  - Get my toothbrush.
  - text: "Spit the toothpaste"   # spit
    feel: It is minty.
  - text: |
      Rinse my brush
      under the water.

    label: Rinse
  - {text: Dry my face, label: Dry}
  - text: Wash my hands
    steps:
      - Palms       # first
      - text: Backs of my hands

conclusion:
  text: Great brushing!   # the end
"""

# where, the new text, and the lines that change (- old, + new)
EDITS = [
    (
        ("title",),
        "Brushing my teeth",
        ["-title: Brushing   # the cover's words", "+title: Brushing my teeth   # the cover's words"],
    ),
    (("intro",), "Today: teeth!", ["-intro: Today I brush my teeth.", '+intro: "Today: teeth!"']),
    (
        ("calm", 0, "text"),
        "Four breaths",
        ["-  - text: 'Three slow breaths'  # the README's own", "+  - text: 'Four breaths'  # the README's own"],
    ),
    (("calm", 1), "Squeeze a ball", ["-  - Squeeze my hands", "+  - Squeeze a ball"]),
    (("calm", 1), "yes", ["-  - Squeeze my hands", '+  - "yes"']),
    (
        ("steps", 0),
        "Get my brush\nand paste.",
        ["-  - Get my toothbrush.", "+  - |-", "+    Get my brush", "+    and paste."],
    ),
    (
        ("steps", 1, "text"),
        "Spit it out",
        ['-  - text: "Spit the toothpaste"   # spit', '+  - text: "Spit it out"   # spit'],
    ),
    (
        ("steps", 1, "text"),
        "Spit\nit out",
        ['-  - text: "Spit the toothpaste"   # spit', "+  - text: |-   # spit", "+      Spit", "+      it out"],
    ),
    (("steps", 1, "feel"), "It tastes of mint.", ["-    feel: It is minty.", "+    feel: It tastes of mint."]),
    (
        ("steps", 2, "text"),
        "Rinse my brush\nunder the tap.",
        ["-  - text: |", "+  - text: |-", "-      under the water.", "+      under the tap."],
    ),
    (
        ("steps", 2, "text"),
        "Rinse it",
        ["-  - text: |", "-      Rinse my brush", "-      under the water.", "+  - text: Rinse it"],
    ),
    (
        ("steps", 3, "text"),
        "Dry, my face",
        ["-  - {text: Dry my face, label: Dry}", '+  - {text: "Dry, my face", label: Dry}'],
    ),
    (
        ("steps", 4, "steps", 0),
        "Palms together",
        ["-      - Palms       # first", "+      - Palms together       # first"],
    ),
    (("steps", 4, "steps", 1, "text"), "Backs", ["-      - text: Backs of my hands", "+      - text: Backs"]),
    (("conclusion", "text"), "Well done!", ["-  text: Great brushing!   # the end", "+  text: Well done!   # the end"]),
]


def changes(old: str, new: str) -> list[str]:
    diff = difflib.unified_diff(old.splitlines(), new.splitlines(), n=0, lineterm="")
    return [line for line in diff if line[:1] in "+-" and line[:3] not in ("+++", "---")]


@pytest.fixture
def library(tmp_path) -> Path:
    (tmp_path / "storygen.yaml").write_text("name: Test clinic\n", encoding="utf-8")
    (tmp_path / "stories").mkdir()
    (tmp_path / "stories" / "brushing.yaml").write_text(STORY, encoding="utf-8")
    return tmp_path


@pytest.mark.parametrize(("where", "value", "lines"), EDITS, ids=lambda x: None)
def test_each_text_is_the_only_line_that_changes(library, where, value, lines):
    path = library / "stories" / "brushing.yaml"
    set_text(path, where, value, library, seen=fingerprint(STORY))
    edited = path.read_text(encoding="utf-8")
    assert changes(STORY, edited) == lines
    assert edited.startswith("# yaml-language-server: $schema=")
    read_story(path)  # still a valid story


def test_a_value_the_model_refuses_is_not_written(library):
    path = library / "stories" / "brushing.yaml"
    for where, value in [(("title",), ""), (("steps", 0), "   "), (("calm", 1), "")]:
        with pytest.raises(EditRefused) as refused:
            set_text(path, where, value, library, seen=fingerprint(STORY))
        assert str(refused.value)
        assert path.read_text(encoding="utf-8") == STORY
    assert not (library / ".storygen").exists()


def test_the_refusal_says_what_check_says(library, tmp_path):
    path = library / "stories" / "brushing.yaml"
    with pytest.raises(EditRefused) as refused:
        set_text(path, ("title",), "", library)
    broken = library / "stories" / "broken.yaml"
    broken.write_text(STORY.replace("title: Brushing", 'title: ""'), encoding="utf-8")
    from storygen.errors import StoryError

    with pytest.raises(StoryError) as checked:
        read_story(broken)
    assert checked.value.problems[0].message in str(refused.value)


def test_a_file_changed_since_shown_is_not_overwritten(library):
    path = library / "stories" / "brushing.yaml"
    path.write_text(STORY.replace("Great", "Good"), encoding="utf-8")
    with pytest.raises(EditRefused, match="changed since"):
        set_text(path, ("title",), "New", library, seen=fingerprint(STORY))
    assert path.read_text(encoding="utf-8") == STORY.replace("Great", "Good")


def test_each_save_keeps_a_backup_and_undo_puts_them_back(library):
    path = library / "stories" / "brushing.yaml"
    set_text(path, ("title",), "One", library)
    one = path.read_text(encoding="utf-8")
    set_text(path, ("title",), "Two", library, seen=fingerprint(one))
    folder = library / ".storygen" / "backups" / "brushing"
    assert [p.read_text(encoding="utf-8") for p in sorted(folder.iterdir())] == [STORY, one]
    two = path.read_text(encoding="utf-8")
    undo(path, library, seen=fingerprint(two))
    assert path.read_text(encoding="utf-8") == one
    undo(path, library, seen=fingerprint(one))
    assert path.read_text(encoding="utf-8") == STORY
    with pytest.raises(EditRefused, match="nothing to undo"):
        undo(path, library)


def test_two_stories_of_one_name_keep_their_own_backups(library):
    path, other = library / "stories" / "brushing.yaml", library / "more" / "brushing.yaml"
    other.parent.mkdir()
    other.write_text(STORY.replace("Brushing", "Other"), encoding="utf-8")
    set_text(path, ("title",), "One", library)
    set_text(other, ("title",), "Two", library)
    undo(path, library)
    assert path.read_text(encoding="utf-8") == STORY
    with pytest.raises(EditRefused, match="nothing to undo"):
        undo(path, library)


def test_backups_are_not_stories(library):
    from storygen.story.settings import find_stories

    set_text(library / "stories" / "brushing.yaml", ("title",), "One", library)
    assert list(find_stories([library])) == [library / "stories" / "brushing.yaml"]


def test_undo_is_refused_when_the_file_changed_since_shown(library):
    path = library / "stories" / "brushing.yaml"
    set_text(path, ("title",), "One", library)
    with pytest.raises(EditRefused, match="changed since"):
        undo(path, library, seen=fingerprint(STORY))
    assert "title: One" in path.read_text(encoding="utf-8")


def test_the_last_twenty_backups_are_kept(library):
    path = library / "stories" / "brushing.yaml"
    for number in range(KEPT_BACKUPS + 5):
        set_text(path, ("title",), f"Title {number}", library)
    kept = sorted(backup_folder(path, library).iterdir())
    assert len(kept) == KEPT_BACKUPS
    assert "title: Title 23" in kept[-1].read_text(encoding="utf-8")
    assert "title: Title 4 " in kept[0].read_text(encoding="utf-8")


def test_backups_are_never_written_through_a_link(library, tmp_path_factory):
    elsewhere = tmp_path_factory.mktemp("elsewhere")
    (library / ".storygen").symlink_to(elsewhere)
    path = library / "stories" / "brushing.yaml"
    with pytest.raises(EditRefused, match="not a folder"):
        set_text(path, ("title",), "New", library)
    assert path.read_text(encoding="utf-8") == STORY
    assert list(elsewhere.iterdir()) == []


def test_a_story_that_is_a_link_is_not_edited(library):
    link = library / "stories" / "linked.yaml"
    link.symlink_to(library / "stories" / "brushing.yaml")
    with pytest.raises(EditRefused, match="link"):
        set_text(link, ("title",), "New", library)


def test_only_texts_are_edited():
    with pytest.raises(EditRefused):
        edit_text(STORY, ("steps",), "x")
    with pytest.raises(EditRefused):
        edit_text(STORY, ("steps", 9), "x")


# Steps moved, removed and added: each step's lines move whole, comments and all.

STEP_CHANGES = [
    (("steps", 0), "down", ["-  - Get my toothbrush.", "+  - Get my toothbrush."]),
    (("steps", 4, "steps", 0), "down", ["+      - text: Backs of my hands", "-      - text: Backs of my hands"]),
    (("steps", 3), "remove", ["-  - {text: Dry my face, label: Dry}"]),
    (("steps", 2), "add", ["+  - A new step"]),
]


@pytest.mark.parametrize(("where", "action", "lines"), STEP_CHANGES, ids=lambda x: None)
def test_a_step_moves_whole(library, where, action, lines):
    from storygen.story.edit_steps import change_steps

    path = library / "stories" / "brushing.yaml"
    change_steps(path, where, action, library, text="A new step", seen=fingerprint(STORY))
    assert changes(STORY, path.read_text(encoding="utf-8")) == lines
    story = read_story(path)
    if action == "down" and len(where) == 2:
        assert story.steps[1].text == "Get my toothbrush."
        assert story.steps[1].text == "Get my toothbrush."
    undo(path, library)
    assert path.read_text(encoding="utf-8") == STORY


def test_the_first_step_does_not_move_up_and_the_last_step_stays(library, tmp_path):
    from storygen.story.edit_steps import change_steps

    path = library / "stories" / "brushing.yaml"
    with pytest.raises(EditRefused, match="first step"):
        change_steps(path, ("steps", 0), "up", library)
    one = tmp_path / "stories" / "one.yaml"
    one.write_text("title: One\nsteps:\n  - Only this\n", encoding="utf-8")
    with pytest.raises(EditRefused):
        change_steps(one, ("steps", 0), "remove", library)  # a story has steps: check says so
    assert one.read_text(encoding="utf-8") == "title: One\nsteps:\n  - Only this\n"
