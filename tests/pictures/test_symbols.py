"""Built-in pictures: two sets (Mulberry, OpenMoji) in one namespace, names forgiving."""

import pytest

from storygen.pages.render import render
from storygen.pictures import mulberry, openmoji, symbols
from storygen.story.model import Story
from storygen.story.settings import Settings


@pytest.mark.parametrize(
    "name, codepoint",
    [
        ("openmoji:toothbrush", "1FAA5"),
        ("soap", "1F9FC"),
        ("school", "1F3EB"),
        ("bus", "1F68C"),
        ("worried face", "1F61F"),
        ("Worried_Face", "1F61F"),
        (":worried:", "1F61F"),  # alias
        ("thumbs up", "1F44D"),
        ("+1", "1F44D"),
    ],
)
def test_openmoji_names_and_aliases_resolve_to_its_files(name, codepoint):
    found = symbols.find(name, ["openmoji"])
    assert found is not None and found.set == "openmoji" and found.file == f"{codepoint}.svg"
    assert symbols.svg(found).lstrip().startswith(b"<svg")


@pytest.mark.parametrize(
    "name, expected",
    [
        ("brush teeth", "brush teeth"),
        ("brushing teeth", "brush teeth"),
        ("Brush my teeth", "brush teeth"),
        ("brush_teeth", "brush teeth"),
        ("towel", "towel"),
        ("towels", "towel"),
        ("drying my hands", "dry hands"),
        ("washing hands", "wash hands"),
        ("dentist", "dentist 1a"),
        ("toothbrush", "toothbrush"),
        ("haircut", "haircut"),
        ("making", "make"),
        ("squeezing", "squeeze"),
    ],
)
def test_mulberry_shows_actions_and_names_are_forgiving(name, expected):
    found = symbols.find(name)
    assert found is not None and (found.set, found.name) == ("mulberry", expected)
    drawing = symbols.svg(found)
    assert drawing.startswith(b"<svg") and b'overflow="visible"' not in drawing  # never past its box


def test_the_library_order_decides_and_a_prefix_picks_one_set():
    assert symbols.find("toothbrush").set == "mulberry"  # the default order: mulberry first
    assert symbols.find("toothbrush", ["openmoji", "mulberry"]).set == "openmoji"
    assert symbols.find("openmoji:toothbrush").set == "openmoji"
    assert symbols.find("mulberry:toothbrush", ["openmoji"]).set == "mulberry"
    assert symbols.find("mulberry:worried face") is None  # only OpenMoji draws it
    assert symbols.find("woman’s hat") == symbols.find("woman's hat") is not None  # curly or straight
    assert [s.name for s in symbols.SETS] == Settings().symbol_sets == ["mulberry", "openmoji"]


def test_a_thing_comes_before_an_action_of_the_same_name():
    both = [symbols.find("toothbrush"), symbols.find("to brush teeth")]
    assert [s.action for s in both] == [False, True]


def test_forgiving_names_do_not_turn_one_word_into_another():
    assert symbols.find("cape") is None or symbols.find("cape").name != "cap"
    assert symbols.find("caps").name == "cap"


def test_adult_symbols_are_found_only_by_their_exact_name():
    exact = symbols.find("mulberry:penis")
    assert exact is not None and exact.adult
    assert symbols.find("penises") is None  # never by a forgiving match
    assert sum(s.adult for s in mulberry.names().values()) >= 6


def test_unknown_names_get_close_suggestions():
    assert symbols.find("tothbrush") is None
    assert symbols.suggestions("tothbrush")[0] == "toothbrush"
    assert "national park" in symbols.suggestions("natonal park")


def test_search_lists_every_set_the_word_itself_first():
    hits = symbols.search("toothbrush")
    assert [(s.name, s.set) for s in hits][:2] == [("toothbrush", "mulberry"), ("toothbrush", "openmoji")]
    assert all(symbols.find(s.qualified) == s for s in symbols.search("face")[:50])
    assert symbols.search("zzzqqq") == []


def test_search_lists_a_thing_and_a_verb_of_the_same_name_both():
    # mulberry:cut is a bleeding finger, mulberry:to cut a hand with a kitchen knife: a clinician
    # choosing a picture, and one reviewing what is never chosen, must see both
    hits = [s.qualified for s in symbols.search("cut")]
    assert hits[:2] == ["mulberry:cut", "mulberry:to cut"]
    assert {"mulberry:sink", "mulberry:to sink"} <= {s.qualified for s in symbols.search("sink")}
    assert all(symbols.find(s.qualified) == s for s in symbols.search("paint"))


def test_indexes_cover_both_sets():
    assert len({s.file for s in openmoji.names().values()}) > 3500
    assert len({s.file for s in mulberry.names().values()}) > 3400


def credits_of(html: str) -> str:
    return html[html.index('<footer class="credits">') :]


def test_each_document_credits_the_sets_it_uses_and_only_those():
    story = Story.model_validate({"title": "Towel", "steps": [{"text": "I dry my hands.", "symbol": "towel"}]})
    footer = credits_of(render(story, "story", "screen"))
    assert mulberry.CREDIT in footer and "OpenMoji" not in footer
    emoji_only = Settings(symbol_sets=["openmoji", "mulberry"])
    both = Story.model_validate(
        {"title": "Towel", "steps": [{"text": "a", "symbol": "soap"}, {"text": "b", "symbol": "mulberry:towel"}]}
    )
    footer = credits_of(render(both, "story", "screen", settings=emoji_only))
    assert mulberry.CREDIT in footer and openmoji.CREDIT in footer
    plain = Story.model_validate({"title": "Words", "steps": ["No picture here."]})
    footer = credits_of(render(plain, "story", "screen"))
    assert "Mulberry" not in footer and "OpenMoji" not in footer


def test_symbols_by_their_names_in_the_storys_language():
    toothbrush = symbols.find("openmoji:toothbrush")
    assert symbols.find("cepillo de dientes", language="es") == toothbrush
    assert symbols.find("Cepillo_de_dientes", language="es-MX") == toothbrush  # any region, any spelling
    assert symbols.find("칫솔", language="ko") == toothbrush
    assert symbols.find("savon", language="fr") == symbols.find("mulberry:soap")  # Mulberry's French names
    assert symbols.find("cepillo de dientes") is None  # an English story: English names only
    assert symbols.find("towel", language="es").qualified == "mulberry:towel"  # English names still work


def test_a_french_name_mulberry_gives_pictures_of_different_names_finds_none_of_them():
    # translated word by word: 'avion' is its aeroplane and its carpenter's plane, 'noyer' drowning and a walnut
    french = symbols.names_in("mulberry", "fr")
    assert "avion" not in french and "noyer" not in french and french["savon"] == symbols.find("mulberry:soap")
    assert symbols.find("avion", language="fr") == symbols.find("openmoji:airplane")  # OpenMoji's, named by people


def test_a_spanish_story_writes_its_symbols_in_spanish(write_story):
    from storygen.story.open import read_story

    story = read_story(write_story("title: Dientes\nlanguage: es\nsteps:\n  - text: Me lavo.\n    symbol: jabón\n"))
    assert story.steps[0].symbol == "openmoji:soap"


def test_storygen_symbols_finds_names_in_a_language():
    from click.testing import CliRunner

    from storygen.cli import main

    result = CliRunner().invoke(main, ["symbols", "jabón", "--language", "es"])
    assert result.exit_code == 0 and result.output.split()[:2] == ["soap", "openmoji"]
    assert CliRunner().invoke(main, ["symbols", "jabón"]).exit_code != 0  # in English, no such name
