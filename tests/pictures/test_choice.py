"""Automatic pictures: a page without `symbol:` or `image:` gets the symbol that fits its words."""

import pytest

from storygen.pictures import choice, symbols
from storygen.story.open import read_story


def picked(*texts, **options):
    found = choice.choose(list(texts), **options)
    return found and found.qualified


@pytest.mark.parametrize(
    "text, expected",
    [
        ("I dry my hands with a towel.", "mulberry:dry hands"),  # the action, over the thing
        ("I brush my teeth in the morning and before bed.", "mulberry:brush teeth"),
        ("Brush my top teeth with small circles.", "mulberry:brush teeth"),  # a word skipped between
        ("Put soap on my hands.", "mulberry:wash hands"),  # 'put' is too general to draw; soapy hands: washing
        ("A bright light shines on my mouth.", "openmoji:light bulb"),  # a light that shines; mulberry:light is scales
        ("The sun shines bright and yellow.", "mulberry:sun"),  # shines is shine, not shin
        ("Wet my hands.", "mulberry:wash hands"),  # a first word is the action: washing, not a wet T-shirt
        ("The dentist wears gloves. The dentist is kind.", "mulberry:dentist 1a"),  # said twice
        ("I paint a picture.", "mulberry:to paint"),  # an action's place: the verb, not the paint pot
        ("The paint is wet.", "mulberry:paint"),  # a thing's place
    ],
)
def test_the_best_fitting_symbol_for_a_sentence(text, expected):
    assert picked(text) == expected


def test_a_qualified_name_finds_its_own_symbol_and_no_other():
    verb, pot = symbols.find("mulberry:to paint"), symbols.find("mulberry:paint")
    assert verb.action and not pot.action
    assert (verb.qualified, pot.qualified) == ("mulberry:to paint", "mulberry:paint")
    every = {symbol for symbol_set in symbols.SETS for symbol in symbols.names(symbol_set).values()}
    assert all(symbols.find(symbol.qualified) == symbol for symbol in every)


def test_the_set_order_decides_between_sets():
    assert picked("A toothbrush.") == "mulberry:toothbrush"
    assert picked("A toothbrush.", order=("openmoji", "mulberry")) == "openmoji:toothbrush"
    assert picked("A toothbrush.", order=("openmoji",)) == "openmoji:toothbrush"


def test_the_picture_before_is_not_repeated_when_another_fits():
    assert picked("I dry my hands with a towel.", avoid="mulberry:dry hands") == "mulberry:towel"
    assert picked("A towel.", avoid="mulberry:towel") == "mulberry:towel"  # nothing else fits


def test_a_conclusion_that_praises_gets_a_star():
    assert picked("My hands are clean. I did a great job!", conclusion=True) == "mulberry:star"
    assert picked("My hands are clean. I did a great job!") != "mulberry:star"  # a step is not a conclusion


def test_never_adult_or_unprintable(monkeypatch):
    assert symbols.find("mulberry:penis").adult
    assert picked("The penis.") is None
    monkeypatch.setattr(symbols, "MISPRINTED", frozenset({"mulberry:towel"}))
    assert picked("A towel.") is None or picked("A towel.") != "mulberry:towel"


def test_words_that_name_nothing_get_no_picture():
    assert picked("It is so.") is None
    assert picked("Zzzq blorp.") is None


def ranked(*texts, **options):
    return [(c.symbol.qualified, c.why) for c in choice.ranked(list(texts), **options)]


def test_ranked_lists_every_candidate_best_first_with_why():
    assert ranked("I dry my hands with a towel.") == [
        ("mulberry:dry hands", "the words 'dry hands'"),
        ("mulberry:towel", "the word 'towel', a thing"),
        ("openmoji:hand", "the word 'hands', too general to show the page alone"),  # ranked, never chosen
        ("mulberry:dry", "the word 'dry', an action here, and its picture is a thing"),  # a dry T-shirt
    ]
    assert ranked("Brush my top teeth.")[0] == ("mulberry:brush teeth", "the words 'brush … teeth'")
    assert ranked("Great job!", conclusion=True)[0] == ("mulberry:star", "a praising conclusion: a star")
    assert ranked("A towel.", avoid="mulberry:towel") == [
        ("mulberry:towel", "the word 'towel', a thing; the picture of the page before")
    ]
    assert ranked("Me lavo los dientes.", language="es") == [("openmoji:tooth", "the word 'dientes', a thing")]
    assert ranked("Hola.", language="sq") == []  # no set has names in Albanian
    assert ranked("A light shines on my face.")[0] == (
        "openmoji:light bulb",
        "the word 'light', in the sense its page gives it",
    )


@pytest.mark.parametrize(
    "text, options",
    [
        ("I dry my hands with a towel.", {"avoid": "mulberry:dry hands"}),
        ("When I feel worried, I can hug my teddy.", {}),  # reassures: the worried face is ranked, not chosen
        ("I feel worried.", {"calm": True}),  # nothing allowed: None
        ("Great job!", {"conclusion": True}),
        ("Me lavo los dientes.", {"language": "es"}),
    ],
)
def test_choose_is_the_first_allowed_of_ranked(text, options):
    calming = options.get("calm") or options.get("conclusion") or choice.reassures([text])
    candidates = choice.ranked([text], **options)
    first = next((c.symbol for c in candidates if c.sure and choice.allowed(c.symbol, calming)), None)
    assert choice.choose([text], **options) == first


def test_ranked_keeps_what_choose_may_not_pick():
    assert ranked("I feel worried. I can hug my teddy.")[0] == (
        "openmoji:worried",
        "the word 'worried', a feeling",
    )
    assert picked("I feel worried. I can hug my teddy.") == "mulberry:hug"
    # in what sets off what the page does, the feeling is ranked after it: never its picture
    assert ranked("When I feel worried, I can hug my teddy.")[:2] == [
        ("mulberry:hug", "the word 'hug', an action"),
        ("openmoji:worried", "the word 'worried', in what sets it off"),
    ]


STORY = """\
title: Washing my hands
symbol: soap
intro: I wash my hands before I eat.
steps:
  - I dry my hands with a towel.
  - I dry my hands with a towel.
  - text: Put the towel back.
    symbol: none
  - text: Rub my hands.
    symbol: rub
  - text: A photo of our sink.
    image: sink.png
conclusion: I did a great job!
"""


@pytest.fixture
def chosen(write_story, tmp_path):
    from PIL import Image

    Image.new("RGB", (20, 20), "white").save(tmp_path / "sink.png")
    return read_story(write_story(STORY))


def test_loading_chooses_a_picture_for_each_page_without_one(chosen):
    assert chosen.symbol == "mulberry:soap"  # written: qualified with its set
    assert chosen.intro.symbol == "mulberry:wash hands"
    assert [s.symbol for s in chosen.steps[:2]] == ["mulberry:dry hands", "mulberry:towel"]  # not twice in a row
    assert chosen.steps[2].symbol is None  # symbol: none
    assert chosen.steps[3].symbol == "mulberry:rub"
    assert chosen.steps[4].symbol is None and chosen.steps[4].image.name == "sink.png"
    assert chosen.conclusion.symbol == "mulberry:star"


def test_symbol_none_with_an_image_is_allowed(write_story, tmp_path):
    from PIL import Image

    Image.new("RGB", (20, 20), "white").save(tmp_path / "sink.png")
    story = read_story(write_story("title: T\nsteps:\n  - text: Our sink.\n    symbol: none\n    image: sink.png\n"))
    assert story.steps[0].symbol is None and story.steps[0].image.name == "sink.png"


@pytest.mark.parametrize(
    ("language", "text", "symbol"),
    [
        ("es", "Me cepillo los dientes con el cepillo de dientes.", "openmoji:toothbrush"),
        ("es", "Me lavo las manos con jabón.", "openmoji:soap"),
        ("es-MX", "Subo al autobús.", "openmoji:bus"),
        ("ko", "칫솔을 들어요.", "openmoji:toothbrush"),  # the particle 을 left off
        ("ko", "비누로 손을 씻어요.", "openmoji:soap"),
        ("zh", "我用牙刷刷牙。", "openmoji:toothbrush"),  # no spaces: the name inside the sentence
        ("fr", "Je me lave les mains avec du savon.", "mulberry:soap"),  # Mulberry's French names
        ("es", "Hola.", None),
    ],
)
def test_a_story_in_another_language_gets_pictures_by_the_names_in_it(language, text, symbol):
    assert picked(text, language=language) == symbol


def test_a_spanish_story_without_symbols_is_illustrated(tmp_path):
    (tmp_path / "dientes.yaml").write_text(
        "title: Me cepillo los dientes\nlanguage: es\nsteps:\n  - Tomo el cepillo de dientes.\n  - Me siento en la silla.\n",
        encoding="utf-8",
    )
    story = read_story(tmp_path / "dientes.yaml")
    assert [step.symbol for step in story.steps] == ["openmoji:toothbrush", "openmoji:chair"]
