"""What WeasyPrint warns about while printing is reported at the story's line that caused it."""

import pytest

from storygen.build.letters import missing_letters
from storygen.build.stories import build
from storygen.build.story import printing_warning
from storygen.errors import with_hint
from storygen.story.load import load_source

STORY = "title: Glyphs\nsteps:\n  - text: I see \ue000 here.\n  - text: Look.\n    image: pics/bad.svg\n"


def test_letters_no_font_has_are_one_error_per_field_naming_its_words(write_story):
    source = load_source(write_story("title: 피 검사\nsteps:\n  - 간호사가 내 팔에 밴드를 감을 거예요.\n  - I wave.\n"))
    letters = [letter for letter in "피검사간호사가내팔에밴드를감을거예요" if letter != " "]
    problems = missing_letters(source, letters)  # WeasyPrint warns once per letter: 18 warnings
    assert [(p.line, p.col, p.severity) for p in problems] == [(1, 8, "error"), (3, 5, "error")]
    assert with_hint(problems[1].message, problems[1].hint) == (
        "step 1: no font has '간호사가 내 팔에 …' (Hangul); install fonts-noto-cjk, or the output would print boxes"
    )


@pytest.mark.weasyprint_warnings  # a letter no font has (Private Use Area): what the build folds into one error
def test_an_output_that_would_print_boxes_is_not_written_and_the_rest_build(tmp_path):
    (tmp_path / "boxes.yaml").write_text("title: Om\nsteps:\n  - text: I see \ue000 here.\n    symbol: none\n")
    (tmp_path / "fine.yaml").write_text("title: Fine\nsteps:\n  - I wave.\n")
    outcomes = {o.path.stem: o for o in build([tmp_path], tmp_path / "out", formats=["story", "strip"], catalog=False)}
    boxes = outcomes["boxes"]
    assert boxes.failed and boxes.outputs == []
    [problem] = boxes.problems  # the story and the strip both hold it: said once
    assert (problem.line, problem.col) == (3, 11) and "(Unknown)" in problem.message
    assert not (tmp_path / "out" / "boxes" / "boxes.pdf").exists()
    assert not outcomes["fine"].failed and len(outcomes["fine"].outputs) == 3


def test_a_picture_that_failed_names_its_image_line(write_story):
    path = write_story(STORY)
    source = load_source(path)
    url = (path.parent / "pics" / "bad.svg").as_uri()
    problem = printing_warning(source, "cards: ", f"Failed to load image at '{url}': ")
    assert (problem.line, problem.col) == (5, 12)
    assert (
        with_hint(problem.message, problem.hint)
        == "cards: the picture 'bad.svg' could not be drawn; open it in a picture editor and save it again"
    )


def test_any_other_warning_is_kept_at_the_top(write_story):
    problem = printing_warning(load_source(write_story(STORY)), "", "Ignored `colour: red` at 3:1, unknown property.")
    assert (problem.line, problem.col) == (
        1,
        1,
    ) and problem.message == "WeasyPrint: Ignored `colour: red` at 3:1, unknown property."
