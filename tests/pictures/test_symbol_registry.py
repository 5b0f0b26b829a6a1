"""Adding a built-in symbol set is one entry of symbols.BUILT_IN (its SymbolSet, in a module of
its own like mulberry.py): a set added there, here at test time, is known to the settings, found
by name in a story, drawn into its pages and credited, with nothing else told its name."""

import base64
import pickle

import pytest

from storygen.build.catalog import credits
from storygen.build.story import about
from storygen.errors import StoryError
from storygen.pages.render import render
from storygen.pictures import symbols
from storygen.pictures.sets import Symbol, SymbolSet
from storygen.story.open import read_story
from storygen.story.settings import read_settings, symbol_sets

DRAWING = b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><circle cx="5" cy="5" r="4"/></svg>'
CREDIT = "Frogs drawn for the tests, CC0 1.0"


@pytest.fixture
def frogs(monkeypatch):
    """A built-in set of one picture, 'frog' (OpenMoji and Mulberry have one too), added as one entry."""
    frog = Symbol("frogs", "frog", "frog.svg")
    entry = SymbolSet("frogs", CREDIT, "CC0 1.0", load=lambda _: {"frog": frog}, draw=lambda _: DRAWING)
    monkeypatch.setitem(symbols.BUILT_IN, "frogs", entry)
    return entry


def library(tmp_path, settings):
    (tmp_path / "storygen.yaml").write_text(settings)
    (tmp_path / "story.yaml").write_text("title: Frogs\nsteps:\n  - text: I see a frog.\n    symbol: frog\n")
    return tmp_path


def test_each_built_in_set_credits_its_licence():
    assert [(s.name, s.licence) for s in symbols.SETS] == [("mulberry", "CC BY-SA 4.0"), ("openmoji", "CC BY-SA 4.0")]
    assert all(s.licence in s.credit for s in symbols.SETS)
    assert [pickle.loads(pickle.dumps(s)) for s in symbols.SETS] == list(symbols.SETS)  # to worker processes


def test_the_settings_know_a_set_added_to_the_registry(frogs, tmp_path):
    settings = read_settings(library(tmp_path, "symbol_sets:\n  - frogs\n  - mulberry\n"))
    assert symbol_sets(settings, tmp_path) == (frogs, symbols.BUILT_IN["mulberry"])
    assert frogs in symbols.SETS  # the default order is the registry's


def test_an_own_set_cannot_take_its_name_and_the_messages_name_it(frogs, tmp_path):
    (tmp_path / "pics").mkdir()
    with pytest.raises(StoryError) as taken:
        read_settings(library(tmp_path, "symbol_sets:\n  - name: frogs\n    folder: pics\n    credit: x\n"))
    assert "not mulberry, openmoji, frogs or none" in str(taken.value)
    with pytest.raises(StoryError) as unknown:
        read_settings(library(tmp_path, "symbol_sets:\n  - frog\n"))
    assert "use one of mulberry, openmoji, frogs (did you mean 'frogs'?)" in str(unknown.value)


def test_a_story_finds_it_by_name_draws_and_credits_it(frogs, tmp_path):
    folder = library(tmp_path, "symbol_sets:\n  - frogs\n  - mulberry\n")
    story = read_story(folder / "story.yaml")
    assert story.steps[0].symbol == "frogs:frog"  # the library prefers it to Mulberry's frog
    for target in ("screen", "print"):
        html = render(story, "story", target, settings=read_settings(folder), library=folder)
        assert base64.b64encode(DRAWING).decode() in html  # drawn from its entry, as a data: URL
        footer = html[html.index('<footer class="credits">') :]
        assert CREDIT in footer and "Mulberry" not in footer  # the cover is its frog too
    assert about(story, symbol_sets(read_settings(folder), folder))["cover"] == {"symbol": "frogs:frog"}
    assert credits([{"symbol_set": "frogs", "credit": None}]) == [CREDIT]  # the catalog's
    assert symbols.search("frog", symbol_sets(read_settings(folder), folder))[0].set == "frogs"  # storygen symbols


def test_its_name_before_a_colon_picks_it_in_the_default_order(frogs, tmp_path):
    folder = library(tmp_path, "name: Frogs\n")
    (folder / "story.yaml").write_text("title: Frogs\nsteps:\n  - text: I see a frog.\n    symbol: frogs:frog\n")
    assert read_story(folder / "story.yaml").steps[0].symbol == "frogs:frog"
    assert symbols.find("frog").set == "mulberry"  # added last, it comes last
