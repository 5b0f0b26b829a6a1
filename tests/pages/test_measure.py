"""pages/measure.py: lines a text takes in a column, in the story's font, as WeasyPrint breaks them."""

from storygen.pages import measure


def test_words_move_whole_to_the_next_line():
    assert measure.lines("Hug", 46.6, 24) == 1
    assert measure.lines("Slow breaths", 46.6, 24) == 2  # both do not fit 46.6 mm at 24 pt
    assert measure.lines("Slow breaths", 80, 24) == 1


def test_a_line_break_of_its_own_and_a_word_wider_than_the_column():
    assert measure.lines("Hug\nBall", 80, 24) == 2
    assert measure.lines("Hug\n\nBall", 80, 24) == 3  # an empty line is a line
    assert measure.lines("Zip" * 12, 46.6, 24) == 4  # 17.4 ems, broken across lines of 5.5


def test_letters_the_font_lacks_count_by_their_width():
    assert measure.ems("一二三") == 3.0 and measure.ems("abc") < 2
    assert measure.lines("一二三四五六七八九十", 46.6, 24) == 2  # CJK breaks anywhere: 10 ems in 5.5 a line
