"""A text's own line breaks (YAML `text: |`) stay where the clinician put them: in the printed
story, strip and cards (pdftotext), and on the web page, also once read-aloud has split it into
sentences; `>` folded text stays one paragraph, and the newline `|` ends with adds no empty line."""

from __future__ import annotations

import subprocess

import pytest

from storygen.story.open import read_story
from tests.pages.test_pages import laid_out
from tests.pages.test_presenter import SPEECH

STORY = """\
title: Two lines
intro:
  text: |
    Roses are red.
    Violets are blue.
calm:
  - text: |
      A big
      hug
    symbol: none
  - Three slow breaths
steps:
  - text: |
      I walk to the shop
      with my mum.
    symbol: none
  - text: >
      Folded
      text.
    symbol: none
"""


def pdf_lines(path) -> list[str]:
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    return [line.strip() for line in text.splitlines() if line.strip()]


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    from storygen.build.stories import build

    folder = tmp_path_factory.mktemp("lines")
    (folder / "two.yaml").write_text(STORY, encoding="utf-8")
    [outcome] = build([folder / "two.yaml"], folder / "build", formats=["story", "strip", "cards"], catalog=False)
    assert outcome.problems == [], [str(p) for p in outcome.problems]
    return folder / "build" / "two"


def test_the_story_keeps_its_line_breaks_in_the_model(built):
    story = read_story(built.parent.parent / "two.yaml")
    assert story.intro.text == "Roses are red.\nViolets are blue."  # `|`'s last newline is not kept
    assert story.steps[1].text == "Folded text."


@pytest.mark.parametrize("name", ["two.pdf", "two-strip.pdf", "two-cards.pdf"])
def test_the_printed_page_breaks_the_line_where_the_text_does(built, name):
    lines = pdf_lines(built / name)
    assert "I walk to the shop" in lines and "with my mum." in lines, lines
    assert "Folded text." in lines, lines  # folded: one line
    if name == "two.pdf":
        assert "Roses are red." in lines and "Violets are blue." in lines, lines
        assert "A big" in lines and "hug" in lines, lines  # a calm choice too


def test_the_trailing_newline_of_a_block_adds_no_empty_line():
    from storygen.story.model import Story

    story = Story.model_validate({"title": "T", "intro": "One.\nTwo.\n", "steps": ["Walk."]})
    [text] = [
        box
        for _, found in laid_out(story)
        for classes, box in found
        if type(box).__name__ == "BlockBox" and "intro" in classes and box.element.get("class") == "text"
    ]
    lines = [box for box in text.children if type(box).__name__ == "LineBox"]
    assert len(lines) == 2


def test_the_web_page_keeps_the_line_breaks_also_while_read_aloud(browser, built):
    context = browser.new_context(viewport={"width": 390, "height": 844})
    context.add_init_script(SPEECH)
    tab = context.new_page()
    tab.goto((built / "two.html").as_uri())
    shown = "[...document.querySelectorAll('#intro .text, #step-1 .text, #step-2 .text')].map(e => e.innerText)"
    expected = ["Roses are red.\nViolets are blue.", "I walk to the shop\nwith my mum.", "Folded text."]
    assert tab.evaluate(shown) == expected  # innerText follows the CSS: a collapsed break would be a space
    tab.click("#present")
    tab.keyboard.press("End")  # the intro page, read aloud: its two sentences wrapped in spans
    tab.keyboard.press("Home")
    for _ in range(2):
        tab.keyboard.press("ArrowRight")
    tab.keyboard.press("r")
    tab.wait_for_timeout(200)
    tab.keyboard.press("Escape")
    assert tab.evaluate("document.querySelectorAll('#intro .sentence').length") == 2
    assert tab.evaluate(shown) == expected
    context.close()
