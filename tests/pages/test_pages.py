"""The story's pages use the paper: each page's content sits in its middle, on A4 and
Letter; the calm page can follow the introduction; a tick box is never covered."""

import textwrap

import pytest

from storygen.pages.formats import story_pages
from storygen.pages.render import render
from storygen.story.open import read_story
from tests.conftest import EXAMPLES, classed_boxes

MM = 96 / 25.4  # CSS pixels in a millimetre


def laid_out(story, paper="a4"):
    """Each page of the printed story: the page box, and (classes, box) of every box on it."""
    from weasyprint import HTML

    from storygen.pages.assets import asset_folders
    from storygen.pages.pdf import LibraryFetcher

    html = render(story, "story", "print", paper)
    document = HTML(string=html, url_fetcher=LibraryFetcher(EXAMPLES, asset_folders())).render()

    return [(page._page_box, list(classed_boxes(page._page_box))) for page in document.pages]


@pytest.fixture(scope="module", params=["a4", "letter"])
def washing_hands_pages(request):
    story = read_story(EXAMPLES / "washing-hands.yaml")
    return story, laid_out(story, request.param)


def test_each_plain_step_page_is_balanced_on_the_paper(washing_hands_pages):
    from weasyprint.formatting_structure import boxes

    story, pages = washing_hands_pages
    names = story_pages(story)
    for number, (page_box, found) in enumerate(pages):
        step = names[number].removeprefix("step-")
        if not step.isdigit() or story.steps[int(step) - 1].steps:  # a step page without sub-steps
            continue
        ink = [
            box for classes, box in found if "page" in classes and isinstance(box, (boxes.TextBox, boxes.ReplacedBox))
        ]
        top = min(box.position_y for box in ink) - page_box.content_box_y()
        bottom = page_box.content_box_y() + page_box.height - max(box.position_y + box.height for box in ink)
        assert abs(top - bottom) < 12 * MM, f"page {number + 1}: {top / MM:.0f} mm above, {bottom / MM:.0f} mm below"
        assert top > 20 * MM, f"page {number + 1} starts at the top of the paper"


def story_with_calm(write_story, calm_first="true"):
    return read_story(
        write_story(
            textwrap.dedent(
                f"""\
                title: Worry
                calm_first: {calm_first}
                intro: Sometimes I feel worried.
                calm:
                  - text: A big hug
                    symbol: people hugging
                  - text: Sit with my weighted lap pad
                    symbol: none
                steps:
                  - I take a slow breath.
                """
            )
        )
    )


def test_calm_first_false_puts_the_introduction_before_the_calm_page(write_story):
    assert story_pages(story_with_calm(write_story))[1:3] == ["calm", "intro"]
    story = story_with_calm(write_story, "false")
    assert story_pages(story)[1:3] == ["intro", "calm"]
    html = render(story, "story", "print")
    assert html.index('id="intro"') < html.index('id="calm"')
    assert html.count('id="intro"') == 1


def test_the_calm_page_says_first_only_when_it_comes_first(write_story):
    """After the introduction the calm page follows on from it: it is not "First", and the
    introduction is not left hanging before a new start."""
    first = render(story_with_calm(write_story), "story", "print")
    assert ">First, I calm my body</h2>" in first and "I can choose one:" in first
    story = story_with_calm(write_story, "false")
    after = render(story, "story", "print")
    assert "First" not in after
    assert ">Then I calm my body</h2>" in after and "I can choose one:" in after
    spanish = render(story.model_copy(update={"language": "es"}), "story", "print")
    assert ">Luego calmo mi cuerpo</h2>" in spanish and "Primero" not in spanish


def test_the_family_guide_says_when_to_calm_the_body_as_the_story_does(write_story):
    first = render(story_with_calm(write_story), "guide", "print")
    assert ">First, calm the body</h2>" in first and "Before the story or the task, offer" in first
    after = render(story_with_calm(write_story, "false"), "guide", "print")
    assert ">Then, calm the body</h2>" in after and "After the story's first page, offer" in after
    assert "First, calm the body" not in after and "Before the story or the task" not in after


def test_a_plain_text_calm_choice_does_not_cover_its_tick_box(write_story):
    story = story_with_calm(write_story)
    [(_, found)] = [page for page in laid_out(story) if any("calm" in classes for classes, _ in page[1])]

    def own(name):  # the boxes of the elements with this class, not of what is inside them
        return [box for _, box in found if box.element is not None and box.element.get("class") == name]

    ticks = [box for box in own("tick") if box.element_tag == "span"]
    words = [box for box in own("choice-text") if type(box).__name__ == "BlockBox"]
    assert len(ticks) == len(words) == 2
    for tick, text in zip(ticks, words, strict=True):
        assert text.position_y >= tick.position_y + tick.height, "the words start below the tick box"
