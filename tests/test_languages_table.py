"""Every fact about a language is a row of languages.py (issue 24, item 6): what the pages,
automatic pictures, readability and the build do for a language follows its row, and a tag
with no row builds with the defaults."""

import ast
import dataclasses
from pathlib import Path

import pytest

from storygen import i18n, languages
from storygen.build.letters import missing_letters
from storygen.check import readability
from storygen.check.engine import RULES, check_story
from storygen.errors import with_hint
from storygen.languages import LANGUAGES, SCRIPTS, Language, Script
from storygen.pages.assets import Urls
from storygen.pages.render import render
from storygen.pictures import choice
from storygen.story.load import load_source
from storygen.story.model import Story

MADE_UP = "qaa"  # a private-use language tag: no row, until a test gives it one
ARABIC_FONT_FACE = '@font-face { font-family: "Noto Sans Arabic"; src: url('


def story_in(language: str, text: str = "I wave.") -> Story:
    return Story.model_validate({"title": "T", "language": language, "steps": [text]})


def with_row(monkeypatch, tag: str, **facts) -> None:
    """The table with tag's row given these facts (the rest as its row has them)."""
    monkeypatch.setitem(LANGUAGES, tag, dataclasses.replace(languages.of(tag), **facts))


def test_a_tag_with_no_row_keeps_the_defaults():
    for tag in (MADE_UP, "sq", "sw-KE", "und"):
        assert languages.of(tag) == languages.DEFAULT
        assert (languages.direction(tag), languages.bundled_font(tag)) == ("ltr", None)
    html = render(story_in(MADE_UP), "story")
    assert 'dir="ltr"' in html and ARABIC_FONT_FACE not in html


def test_a_row_makes_a_made_up_language_right_to_left_in_arabic_letters(monkeypatch):
    monkeypatch.setitem(LANGUAGES, MADE_UP, Language("rtl", "ARABIC"))
    assert i18n.direction(f"{MADE_UP}-Latn") == "rtl"
    html = render(story_in(MADE_UP, "أغسل يدي."), "story")
    assert 'dir="rtl"' in html and ARABIC_FONT_FACE in html  # its script's bundled font, loaded


@pytest.mark.parametrize(("tag", "font"), [("fa", "Arabic"), ("ur-PK", "Arabic"), ("ar", "Arabic"), ("he", None)])
def test_a_language_written_in_arabic_letters_gets_the_bundled_arabic_font(tag, font):
    fonts = Urls("print").fonts("en", tag)
    assert fonts.get("Arabic") is not None if font else "Arabic" not in fonts
    assert {"Regular", "Bold", "Italic"} <= set(fonts)


def test_the_missing_font_error_names_the_package_the_scripts_table_gives(monkeypatch, write_story):
    source = load_source(write_story("title: T\nsteps:\n  - 가나 다.\n"))
    monkeypatch.setitem(SCRIPTS, "HANGUL", Script("Hangul letters", "fonts-made-up"))
    [problem] = missing_letters(source, list("가나다"))
    assert "(Hangul letters); install fonts-made-up," in with_hint(problem.message, problem.hint)


def test_chinese_is_read_without_spaces_by_its_row(monkeypatch):
    found = choice.choose(["我用牙刷刷牙。"], language="zh")
    assert found is not None and found.qualified == "openmoji:toothbrush"  # the name inside the sentence
    with_row(monkeypatch, "zh", spaceless=False)
    assert choice.choose(["我用牙刷刷牙。"], language="zh") is None  # read as one long word, it names nothing


def test_an_ending_in_the_row_is_left_off_to_find_a_name(monkeypatch):
    found = choice.choose(["칫솔을 들어요."], language="ko")
    assert found is not None and found.qualified == "openmoji:toothbrush"  # 칫솔 + the particle 을
    with_row(monkeypatch, "ko", endings=())
    assert choice.choose(["칫솔을 들어요."], language="ko") is None


def test_words_written_without_spaces_count_a_word_for_every_two_letters():
    assert readability.word_count("我用牙刷刷牙。") == 3
    assert readability.word_count("ひらがな and カタカナ") == 5
    assert readability.word_count("간호사가 내 팔에") == 3  # Korean has spaces: words as written


def test_korean_keeps_its_words_whole_because_its_row_says_so(monkeypatch):
    korean = story_in("ko-KR", "간호사가 와요.")
    assert "간\u2060호\u2060사\u2060가" in render(korean, "story", "print")
    assert "\u2060" not in render(korean, "story", "screen")  # browsers keep words by the CSS
    with_row(monkeypatch, "ko", keep_words=False)
    assert "\u2060" not in render(korean, "story", "print")
    with_row(monkeypatch, MADE_UP, keep_words=True)
    assert "간\u2060호" in render(story_in(MADE_UP, "간호사가 와요."), "story", "print")


@pytest.fixture
def fresh_hyphenators():
    readability._hyphenator.cache_clear()
    yield
    readability._hyphenator.cache_clear()


def test_syllables_are_counted_with_the_rows_pyphen_dictionary(monkeypatch, fresh_hyphenators):
    sentences = ["Me lavo las manos con jabón todos los días."]
    spanish = readability.fernandez_huerta(sentences)
    readability._hyphenator.cache_clear()
    with_row(monkeypatch, "es", hyphenation="en_US")
    assert readability.fernandez_huerta(sentences) != spanish


def test_the_reading_level_formula_is_the_rows(monkeypatch, write_story):
    hard = "Ocasionalmente la profesional examina minuciosamente la cavidad bucal utilizando instrumentación especializada."
    story = write_story(f"title: El dentista\nlanguage: es-MX\nage: 4-6\nsteps:\n  - {hard}\n")

    def reading_level() -> str:
        [finding] = [f for f in check_story(story).findings if f.code == "GEN002"]
        return finding.message

    assert "(Fernández-Huerta)" in reading_level()
    with_row(monkeypatch, "es", reading_level="flesch-kincaid")
    assert "(Flesch-Kincaid)" in reading_level()
    assert RULES["GEN002"].languages == ("en", "es")  # the rows with a formula, when the rule was registered


def test_every_catalog_shipped_is_a_language_with_a_row():
    first = {"en", "es", "fr", "de", "pt", "ar", "zh", "ko", "vi"}
    eleven = {"zh_Hant", "ru", "uk", "pl", "it", "ja", "hi", "tl", "ht", "el", "so"}  # issue 27
    assert set(i18n.SHIPPED) == first | eleven  # read from storygen/locale
    assert {i18n.base(name.replace("_", "-")) for name in i18n.SHIPPED} <= set(LANGUAGES)


def test_every_row_names_a_known_direction_and_a_script_by_its_unicode_name():
    for tag, facts in LANGUAGES.items():
        assert tag == tag.lower() and "-" not in tag and facts.direction in ("ltr", "rtl")
        assert facts.script is None or facts.script.isupper()


def test_the_table_imports_nothing_of_storygen():
    """The ground floor: every wing may ask it, so it asks none."""
    tree = ast.parse(Path(languages.__file__).read_text(encoding="utf-8"))
    modules = [alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names]
    modules += [node.module or "." for node in ast.walk(tree) if isinstance(node, ast.ImportFrom) and node.level]
    modules += [node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom) and not node.level]
    assert "re" in modules and not [name for name in modules if name == "." or name.startswith(("storygen", "."))]
