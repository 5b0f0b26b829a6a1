"""What WeasyPrint warns about while printing is reported at the story's line that caused it."""

from storygen.build import printing_warning
from storygen.load import load_source

STORY = "title: Glyphs\nsteps:\n  - text: I see \u0f00 here.\n  - text: Look.\n    image: pics/bad.svg\n"


def test_a_missing_letter_names_the_text_that_holds_it(write_story):
    source = load_source(write_story(STORY))
    problem = printing_warning(
        source, "", '.notdef glyph rendered for Unicode string unsupported by fonts: "\u0f00" (U+0F00)'
    )
    assert (problem.line, problem.col, problem.severity) == (3, 11, "warning")
    assert problem.message.startswith('no font here has a letter for "\u0f00" (U+0F00), so it prints as an empty box')


def test_a_picture_that_failed_names_its_image_line(write_story):
    path = write_story(STORY)
    source = load_source(path)
    url = (path.parent / "pics" / "bad.svg").as_uri()
    problem = printing_warning(source, "cards: ", f"Failed to load image at '{url}': ")
    assert (problem.line, problem.col) == (5, 12)
    assert (
        problem.message
        == "cards: the picture 'bad.svg' could not be drawn; open it in a picture editor and save it again"
    )


def test_any_other_warning_is_kept_at_the_top(write_story):
    problem = printing_warning(load_source(write_story(STORY)), "", "Ignored `colour: red` at 3:1, unknown property.")
    assert (problem.line, problem.col) == (
        1,
        1,
    ) and problem.message == "WeasyPrint: Ignored `colour: red` at 3:1, unknown property."
