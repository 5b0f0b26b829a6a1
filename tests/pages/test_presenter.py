"""The telehealth presenter in the story's web page, driven in real Chromium (Debian's
`chromium`, through Playwright's executable_path): full screen, one page at a time, every
key a presentation clicker sends, the counter, the calm page and back."""

from __future__ import annotations

import pytest

from storygen.pages.render import render
from storygen.story.model import Story
from storygen.story.open import read_story
from tests.conftest import EXAMPLES, wait_until


@pytest.fixture(scope="module")
def story_page(tmp_path_factory):
    """getting-a-haircut as its web page: cover, calm, introduction, 7 steps, conclusion."""
    story = read_story(EXAMPLES / "getting-a-haircut.yaml")
    assert story.calm and story.intro and story.conclusion
    path = tmp_path_factory.mktemp("screen") / "getting-a-haircut.html"
    path.write_text(render(story, "story", "screen"), encoding="utf-8")
    return path, 1 + 1 + 1 + len(story.steps) + 1


@pytest.fixture
def page(browser, story_page):
    path, _ = story_page
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    tab = context.new_page()
    tab.goto(path.as_uri())
    yield tab
    context.close()


def state(tab) -> dict:
    return tab.evaluate(
        """() => ({
        presenting: document.documentElement.classList.contains("presenting"),
        current: [...document.querySelectorAll("main .page")].findIndex(p => p.getAttribute("aria-current") === "page"),
        counter: document.getElementById("counter").textContent,
        shown: [...document.querySelectorAll("main .page")].filter(p => p.getClientRects().length > 0).length,
        fullscreen: document.fullscreenElement !== null,
        scrolls: document.scrollingElement.scrollHeight > document.scrollingElement.clientHeight,
        button: document.getElementById("present").getClientRects().length > 0,
    })"""
    )


def test_present_fills_the_screen_with_one_page_and_a_counter(page, story_page):
    _, pages = story_page
    assert state(page)["button"] and not state(page)["presenting"]
    page.click("#present")
    now = state(page)
    assert now["presenting"] and now["fullscreen"] and now["current"] == 0 and now["shown"] == 1
    assert now["counter"] == f"1 / {pages}"
    assert not now["button"] and not now["scrolls"]  # no other control, no scrollbar on the shared screen


@pytest.mark.parametrize("key", ["Space", "ArrowRight", "ArrowDown", "PageDown", "Enter"])
def test_every_forward_key_turns_one_page(page, key):
    page.click("#present")
    page.keyboard.press(key)
    page.keyboard.press(key)
    now = state(page)
    assert now["presenting"] and now["current"] == 2 and now["counter"].startswith("3 / ")


@pytest.mark.parametrize("key", ["ArrowLeft", "ArrowUp", "PageUp", "Backspace"])
def test_every_back_key_turns_back_one_page(page, story_page, key):
    _, pages = story_page
    page.click("#present")
    page.keyboard.press("End")
    page.keyboard.press(key)
    now = state(page)
    assert now["presenting"] and now["current"] == pages - 2 and now["counter"] == f"{pages - 1} / {pages}"


def test_home_and_end_and_the_edges(page, story_page):
    _, pages = story_page
    page.click("#present")
    page.keyboard.press("End")
    assert state(page)["counter"] == f"{pages} / {pages}"
    page.keyboard.press("ArrowRight")  # past the last page: stays on it
    assert state(page)["current"] == pages - 1
    page.keyboard.press("Home")
    page.keyboard.press("ArrowLeft")
    assert state(page)["current"] == 0 and state(page)["presenting"]


def test_c_shows_the_calm_page_and_goes_back(page):
    page.click("#present")
    for _ in range(5):
        page.keyboard.press("ArrowRight")
    page.keyboard.press("c")
    calm = page.evaluate("document.querySelector('[aria-current=page]').id")
    assert calm == "calm"
    page.keyboard.press("C")
    assert state(page)["current"] == 5


def test_escape_leaves_presenting_and_full_screen(page):
    page.click("#present")
    page.keyboard.press("ArrowRight")
    page.keyboard.press("Escape")
    wait_until(page, "!document.documentElement.classList.contains('presenting')")
    now = state(page)
    assert not now["presenting"] and not now["fullscreen"] and now["button"] and now["current"] == -1


def test_a_click_on_the_right_goes_on_and_on_the_left_goes_back(page):
    page.click("#present")
    page.mouse.click(1100, 400)
    page.mouse.click(1100, 400)
    assert state(page)["current"] == 2
    page.mouse.click(100, 300)
    assert state(page)["current"] == 1
    page.click(".presenter .next")  # the large buttons, for touch screens
    assert state(page)["current"] == 2 and state(page)["presenting"]


def test_a_right_to_left_story_goes_on_to_the_left(browser, tmp_path):
    story = Story.model_validate({"title": "قصة", "language": "ar", "steps": ["واحد", "اثنان", "ثلاثة"]})
    path = tmp_path / "ar.html"
    path.write_text(render(story, "story", "screen"), encoding="utf-8")
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    tab = context.new_page()
    tab.goto(path.as_uri())
    tab.click("#present")
    tab.mouse.click(100, 400)  # the left half: on, in a language read right to left
    assert state(tab)["current"] == 1
    context.close()


@pytest.mark.parametrize("size", [(1920, 1080), (1280, 720), (390, 844)], ids=["screen", "laptop", "phone"])
def test_every_page_fits_a_shared_screen_and_a_phone(browser, tmp_path, size):
    """Each page on screen fits without scrolling or being cut, its words large; a screenshot
    of a step with sub-steps (the fullest page) is kept to look at."""
    story = read_story(EXAMPLES / "washing-hands.yaml")
    path = tmp_path / "washing-hands.html"
    path.write_text(render(story, "story", "screen"), encoding="utf-8")
    context = browser.new_context(viewport={"width": size[0], "height": size[1]})
    tab = context.new_page()
    tab.goto(path.as_uri())
    tab.click("#present")
    fits = []
    for _ in range(len(story.steps) + 3):
        fits.append(
            tab.evaluate(
                """() => { const p = document.querySelector("[aria-current=page]"); const t = p.querySelector(".text, h1");
                return {id: p.id, fits: p.scrollHeight <= p.clientHeight + 1 && p.getBoundingClientRect().bottom <= innerHeight + 1,
                        font: parseFloat(getComputedStyle(t).fontSize)}; }"""
            )
        )
        if fits[-1]["id"] == "step-4":
            tab.screenshot(path=str(tmp_path / f"presenter-{size[0]}x{size[1]}.png"))
        tab.keyboard.press("ArrowRight")
    assert [f["id"] for f in fits if not f["fits"]] == []  # nothing cut off
    assert min(f["font"] for f in fits) >= 22  # large enough to read on a video call
    assert (tmp_path / f"presenter-{size[0]}x{size[1]}.png").stat().st_size > 10_000
    context.close()


# The browser's voice, recorded instead of spoken: each utterance's words and language, and
# which sentence was highlighted as it began; it "finishes" at once.
SPEECH = """
window.__spoken = [];
Object.defineProperty(window, "speechSynthesis", {configurable: true, value: {
  speak(utterance) {
    const lit = document.querySelector(".sentence.speaking");
    window.__spoken.push({text: utterance.text, lang: utterance.lang, lit: lit && lit.textContent});
    if (window.__spoken.length < 80) setTimeout(() => utterance.onend && utterance.onend(), 5);
  },
  cancel() {},
}});
"""


@pytest.fixture
def listening(browser, story_page):
    path, _ = story_page
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    context.add_init_script(SPEECH)
    tab = context.new_page()
    tab.goto(path.as_uri())
    yield tab
    context.close()


def spoken(tab) -> list[dict]:
    return tab.evaluate("window.__spoken")


def test_read_aloud_reads_the_page_in_the_story_language_highlighting_each_sentence(listening):
    listening.click("#read-aloud")
    wait_until(listening, "document.getElementById('read-aloud').getAttribute('aria-pressed') === 'false'")
    said = spoken(listening)
    assert said[0]["text"] == "Getting a Haircut" and all(s["lang"] == "en" for s in said)
    assert all(s["lit"] == s["text"] for s in said)  # the sentence being read is the one highlighted
    assert listening.evaluate("document.querySelectorAll('.sentence.speaking').length") == 0  # done: none lit


def test_read_aloud_while_presenting_reads_every_page_in_turn(listening, story_page):
    _, pages = story_page
    listening.click("#present")
    listening.keyboard.press("r")
    wait_until(listening, f"document.getElementById('counter').textContent === '{pages} / {pages}'")
    said = [s["text"] for s in spoken(listening)]
    assert said[0] == "Getting a Haircut" and "First, I calm my body" in said
    assert said.index("First, I calm my body") < said.index("I can choose one:")
    steps = [s for s in said if s.startswith("I sit in the big chair")]
    assert steps  # the steps' pages were read, in order, after the calm page
    assert state(listening)["presenting"]
    pressed = "document.getElementById('read-aloud').getAttribute('aria-pressed')"
    wait_until(listening, f"{pressed} === 'false'")  # the last page read: reading stops by itself
    listening.keyboard.press("Home")
    listening.keyboard.press("r")
    assert listening.evaluate(pressed) == "true"
    listening.keyboard.press("r")  # R stops reading at any time
    assert listening.evaluate(pressed) == "false"


def test_read_aloud_speaks_the_translation_language(browser, tmp_path):
    story = Story.model_validate(
        {"title": "Me lavo las manos", "language": "es", "steps": ["Abro el agua. Me mojo las manos."]}
    )
    path = tmp_path / "es.html"
    path.write_text(render(story, "story", "screen"), encoding="utf-8")
    context = browser.new_context()
    context.add_init_script(SPEECH)
    tab = context.new_page()
    tab.goto(path.as_uri())
    assert tab.inner_text("#read-aloud") == "Leer en voz alta"
    tab.click("#present")
    tab.keyboard.press("End")
    tab.keyboard.press("R")
    wait_until(tab, "window.__spoken.length >= 2")
    assert [(s["text"], s["lang"]) for s in spoken(tab)[:2]] == [("Abro el agua.", "es"), ("Me mojo las manos.", "es")]
    context.close()


@pytest.mark.parametrize("language", ["ar", "en"])
def test_on_a_phone_the_buttons_cover_no_heading(browser, tmp_path, language):
    """On a phone's narrow column the controls sit above the first page, in a bar of their own:
    neither button covers the kind of story ("قصة اجتماعية") or the title, right to left or left
    to right, nor any page once scrolled to."""
    titles = {
        "ar": ("قص الشعر", ["أجلس على الكرسي الكبير.", "يقص الحلاق شعري."]),
        "en": ("Haircut", ["I sit.", "I wait."]),
    }
    title, steps = titles[language]
    story = Story.model_validate({"title": title, "language": language, "steps": steps * 5})  # long enough to scroll
    path = tmp_path / f"{language}.html"
    path.write_text(render(story, "story", "screen"), encoding="utf-8")
    context = browser.new_context(viewport={"width": 390, "height": 844})
    tab = context.new_page()
    tab.goto(path.as_uri())
    boxes = tab.evaluate(
        """() => Object.fromEntries(["#read-aloud", "#present", ".kind-name", "h1"].map(s => {
        const r = document.querySelector(s).getBoundingClientRect(); return [s, [r.left, r.top, r.right, r.bottom]]; }))"""
    )

    def meet(a, b):
        return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]

    assert tab.inner_text(".kind-name") == ("قصة اجتماعية" if language == "ar" else "A social story")
    for button in ("#read-aloud", "#present"):
        assert boxes[button][2] - boxes[button][0] > 40  # shown
        for heading in (".kind-name", "h1"):
            assert not meet(boxes[button], boxes[heading]), (button, heading, boxes)
    tab.evaluate("document.fonts.ready.then(() => document.getElementById('step-3').scrollIntoView())")
    assert tab.evaluate("window.scrollY") > 0
    step = tab.evaluate("document.getElementById('step-3').getBoundingClientRect().top")
    bar = tab.evaluate("document.querySelector('.screen-controls').getBoundingClientRect().bottom")
    assert step >= bar  # a page scrolled to starts below the bar
    tab.screenshot(path=str(tmp_path / f"phone-{language}.png"))
    context.close()
