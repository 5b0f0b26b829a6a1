"""A story in any language builds (issue 23 item 11): where no symbol set has names in its
language, automatic choice abstains with one warning at its `language:`, and `symbol:` finds
the English names as always."""

import re

import pytest
from babel.localedata import locale_identifiers
from click.testing import CliRunner

from storygen import i18n
from storygen.cli import main
from storygen.errors import StoryError
from storygen.pictures import choice, symbols
from storygen.story.load import load_source
from storygen.story.open import read_story, validate
from storygen.story.parts import picture_language_warnings
from storygen.story.settings import Settings

ALBANIAN = "title: Marrja e gjakut\nlanguage: sq\nsteps:\n  - Infermierja më merr gjak nga krahu.\n"
# Valid tags Babel has no locale data for, or few stories are written in: Kabuverdianu,
# Haitian Creole, a private-use language, an orthography variant, a script.
ODD_TAGS = ["kea", "ht", "sq", "el", "zh-Hant", "qaa", "und", "en-GB-oxendict", "de-CH-1996", "sgn-BE-FR"]


def every_tag() -> list[str]:
    """Every locale Babel knows, as a BCP 47 tag (sr_Latn_BA is sr-Latn-BA), and the odd ones."""
    return sorted({identifier.replace("_", "-") for identifier in locale_identifiers()} | set(ODD_TAGS))


def test_every_language_loads_and_gets_pictures_where_it_can(tmp_path):
    """~1,150 tags: each story loads, its named picture is found by its English name, its
    unnamed page is illustrated or left without a picture, and a warning says so only then."""
    settings, path = Settings(), tmp_path / "story.yaml"
    (tmp_path / "storygen.yaml").write_text("name: Test\n")
    failures = []
    for tag in every_tag():
        path.write_text(
            f"title: Taxi\nlanguage: {tag}\nsymbol: none\nsteps:\n  - text: Taxi\n    symbol: toothbrush\n  - Taxi.\n"
        )
        try:
            source = load_source(path)
            story = validate(source, tmp_path, settings)
            warned = picture_language_warnings(story, source, symbols.SETS)
            choice.choose(["Taxi."], language=tag)
            i18n.translations(tag), i18n.language_name(tag, "en")  # the words printed around it
        except Exception as error:  # every failure listed at once, not just the first
            failures.append(f"{tag}: {error!r}")
            continue
        named = symbols.named_in(tag)
        if story.steps[0].symbol != "mulberry:toothbrush" or bool(warned) == named:
            failures.append(f"{tag}: {story.steps[0].symbol}, warned {warned}, named in it: {named}")
        if not named and story.steps[1].symbol is not None:
            failures.append(f"{tag}: chose {story.steps[1].symbol} in a language no set has names in")
    assert not failures, "\n".join(failures)


@pytest.mark.parametrize("tag", ["x-klingon", "i-klingon", "klingon-", "e"])
def test_a_tag_that_is_not_one_is_a_clear_error(write_story, tag):
    with pytest.raises(StoryError, match=r"language '.*' should be a language code like en, en-GB or es") as error:
        read_story(write_story(f"title: T\nlanguage: {tag}\nsteps:\n  - A step.\n"))
    assert error.value.problems[0].line == 2


def test_the_sets_names_are_known_by_language():
    assert symbols.named_in("en-GB") and symbols.named_in("es-MX") and symbols.named_in("ZH-Hant")
    assert not symbols.named_in("sq") and not symbols.named_in("kea") and not symbols.named_in("vi")
    assert symbols.named_in("fr", ("mulberry",)) and not symbols.named_in("es", ("mulberry",))
    assert symbols.names_in("openmoji", "sq") == {} and symbols.names_in("mulberry", "sq") == {}
    assert symbols.find("toothbrush", language="sq").qualified == "mulberry:toothbrush"
    assert symbols.search("toothbrush", language="el")  # `storygen symbols WORD --language el`


def test_automatic_choice_abstains_in_a_language_without_names():
    assert choice.choose(["Furça e dhëmbëve."], language="sq") is None
    assert choice.choose(["toothbrush"], language="sq") is None  # English words in Albanian text: noise
    assert choice.choose(["toothbrush"], language="en").qualified == "mulberry:toothbrush"


def test_an_albanian_story_warns_once_at_its_language(write_story):
    path = write_story(ALBANIAN)
    source, story = load_source(path), read_story(path)
    assert story.symbol is None and story.steps[0].symbol is None
    [warning] = picture_language_warnings(story, source, symbols.SETS)
    assert (warning.line, warning.col, warning.severity) == (2, 11, "warning")
    assert "pictures are not chosen automatically in 'sq' (Albanian)" in warning.message
    assert "the cover and 1 page have no picture" in warning.message and "`symbol:`" in warning.hint


def test_no_warning_when_every_page_names_its_picture(write_story):
    path = write_story("title: T\nlanguage: el\nsymbol: nurse\nsteps:\n  - text: Α.\n    symbol: none\n")
    story = read_story(path)
    assert story.symbol == "mulberry:nurse 1a"
    assert picture_language_warnings(story, load_source(path), symbols.SETS) == []


def test_a_library_whose_sets_lack_the_language_warns_too(tmp_path):
    """Spanish names are OpenMoji's: a library of Mulberry alone has none, as for Albanian."""
    (tmp_path / "storygen.yaml").write_text("name: T\nsymbol_sets: [mulberry]\n")
    (tmp_path / "s.yaml").write_text("title: Dientes\nlanguage: es\nsteps:\n  - Tomo el cepillo de dientes.\n")
    story = read_story(tmp_path / "s.yaml")
    [warning] = picture_language_warnings(story, load_source(tmp_path / "s.yaml"), ("mulberry",))
    assert "in 'es' (Spanish)" in warning.message


def test_an_albanian_story_builds(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "marrja-e-gjakut.yaml").write_text(ALBANIAN, encoding="utf-8")
    result = CliRunner().invoke(main, ["build", "marrja-e-gjakut.yaml", "-o", "out"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert "internal error" not in result.output
    assert re.search(r"marrja-e-gjakut.yaml:2:11: warning: pictures are not chosen automatically", result.output)
    assert (tmp_path / "out" / "marrja-e-gjakut" / "marrja-e-gjakut.pdf").stat().st_size > 0
    html = (tmp_path / "out" / "marrja-e-gjakut" / "marrja-e-gjakut.html").read_text(encoding="utf-8")
    assert 'lang="sq"' in html and "Marrja e gjakut" in html
