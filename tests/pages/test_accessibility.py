"""axe-core (bundled by axe-playwright-python) finds no serious or critical violation in the
story's web page, the presenter, a right-to-left story and the catalog, in real Chromium."""

from __future__ import annotations

import pytest

from storygen.build.stories import build
from storygen.pages.render import render
from storygen.story.open import read_story
from storygen.story.translate import translate
from tests.conftest import EXAMPLES


def serious(tab) -> list[str]:
    from axe_playwright_python.sync_playwright import Axe

    found = Axe().run(tab).response["violations"]
    return [f"{v['id']}: {v['help']} ({len(v['nodes'])})" for v in found if v["impact"] in ("serious", "critical")]


def opened(browser, path, size=(1280, 800)):
    context = browser.new_context(viewport={"width": size[0], "height": size[1]})
    tab = context.new_page()
    tab.goto(path.as_uri())
    return context, tab


@pytest.fixture(scope="module")
def pages(tmp_path_factory):
    folder = tmp_path_factory.mktemp("a11y")
    haircut = read_story(EXAMPLES / "getting-a-haircut.yaml")
    washing = read_story(EXAMPLES / "washing-hands.yaml")
    written = {}
    for name, story in (("haircut", haircut), ("washing", washing), ("korean", translate(washing, "ko"))):
        written[name] = folder / f"{name}.html"
        written[name].write_text(render(story, "story", "screen"), encoding="utf-8")
    return written


@pytest.mark.parametrize("name", ["haircut", "washing", "korean"])
def test_the_story_page_has_no_serious_violation(browser, pages, name):
    context, tab = opened(browser, pages[name])
    assert serious(tab) == []
    context.close()


def test_the_presenter_has_no_serious_violation(browser, pages):
    context, tab = opened(browser, pages["haircut"], (1920, 1080))
    tab.click("#present")
    tab.keyboard.press("ArrowRight")  # the calm page: choices and tick boxes
    assert serious(tab) == []
    context.close()


def test_the_catalog_has_no_serious_violation(browser, tmp_path):
    for name in ("washing-hands", "getting-a-haircut"):
        (tmp_path / f"{name}.yaml").write_text(
            (EXAMPLES / f"{name}.yaml").read_text(encoding="utf-8"), encoding="utf-8"
        )
    outcomes = list(build([tmp_path], tmp_path / "build", formats=["story"]))
    assert not any(o.failed for o in outcomes)
    context, tab = opened(browser, tmp_path / "build" / "index.html")
    assert serious(tab) == []
    context.close()


def test_the_check_finds_a_serious_violation(browser, tmp_path):
    """The check sees what it should: an image without alt text is a critical violation."""
    page = tmp_path / "bad.html"
    page.write_text('<!DOCTYPE html><html lang="en"><title>x</title><img src="data:,"><button></button></html>')
    context, tab = opened(browser, page)
    assert any(v.startswith(("image-alt", "button-name")) for v in serious(tab))
    context.close()
