"""The story's own pages fit their paper (issue 26): a calm page of four choices of up to 7
words with pictures, and a cover with a 120-character title and a picture, in Latin, Greek,
Cyrillic, Arabic and CJK, on A4 and Letter: the story PDF's page count, and no laid-out box
past its page."""

import json
from pathlib import Path

import pytest
from pypdf import PdfReader
from weasyprint import HTML

from storygen.build.stories import build
from storygen.pages.assets import asset_folders
from storygen.pages.pdf import LibraryFetcher
from storygen.pages.render import render_story
from storygen.story.open import read_story
from tests.conftest import classed_boxes

ISSUE_CHOICES = [  # issue 26: spilled onto a second page on A4 and Letter, "Look away" under an empty box
    ("Think of something that makes me happy", "think"),
    ("Ask someone to hold my hand", "hold hands"),
    ("Look away", "none"),
    ("Remember that I'm staying strong and healthy", "strong"),
]
TITLES = {  # 120 characters each
    "en": ("Trying new foods at the table with my family " * 3)[:120],
    "el": ("Δοκιμάζω διαφορετικά φαγητά στο τραπέζι " * 4)[:120],
    "ru": ("Я пробую новую еду за столом с моей семьёй " * 3)[:120],
    "ar": ("أجرب أطعمة جديدة على المائدة مع عائلتي " * 4)[:120],
    "ja": ("家族と一緒に新しい食べ物をためしてみる" * 7)[:120],
}


def photo(path: Path) -> None:
    from PIL import Image

    Image.new("RGB", (1600, 1200), (120, 170, 210)).save(path, quality=85)


@pytest.fixture(scope="module")
def library(tmp_path_factory) -> Path:
    stories = tmp_path_factory.mktemp("fit")
    photo(stories / "plate.jpg")
    calm = "".join(f"  - text: {json.dumps(text)}\n    symbol: {symbol}\n" for text, symbol in ISSUE_CHOICES)
    (stories / "calm.yaml").write_text(f"title: Blood draw\nsteps: [I sit in the chair.]\ncalm:\n{calm}")
    (stories / "greek.yaml").write_text(
        "title: Δοκιμάζω διαφορετικά φαγητά\nlanguage: el\nimage: plate.jpg\nsteps: [{text: Τρώω., symbol: none}]\n",
        encoding="utf-8",
    )
    for language, title in TITLES.items():
        for cover in ("image: plate.jpg", "symbol: apple"):
            name = f"title-{language}-{cover.split(':')[0]}"
            (stories / f"{name}.yaml").write_text(
                f"title: {json.dumps(title, ensure_ascii=False)}\nlanguage: {language}\n{cover}\n"
                "steps: [{text: x, symbol: none}]\n",
                encoding="utf-8",
            )
    return stories


@pytest.fixture(scope="module", params=["a4", "letter"])
def built(request, library, tmp_path_factory):
    out = tmp_path_factory.mktemp(f"out-{request.param}")
    outcomes = list(build([library], out, request.param, formats=["story"], jobs=1, catalog=False))  # 2 s less
    return request.param, {outcome.path.stem: outcome for outcome in outcomes}, out


def pages(out: Path, name: str) -> int:
    return len(PdfReader(out / name / f"{name}.pdf").pages)


def no_fit_warning(outcome) -> bool:
    return not [p for p in outcome.problems if "does not fit" in str(p)]


def test_a_calm_page_of_four_choices_of_up_to_seven_words_fits(built, library):
    paper, outcomes, out = built
    assert no_fit_warning(outcomes["calm"]) and pages(out, "calm") == 3  # cover, calm, step
    assert not overflowing(library / "calm.yaml", paper)


def test_a_choice_without_a_picture_has_its_words_in_the_middle_of_its_box(library):
    boxes = laid_out(library / "calm.yaml", "a4")[1]  # the calm page
    choices = [box for classes, box in classed_boxes(boxes._page_box) if box.element_tag == "li"]
    bare = next(box for box in choices if "no-picture" in (box.element.get("class") or ""))
    words = next(box for classes, box in classed_boxes(bare) if "choice-text" in classes and box is not bare)
    above = words.position_y - bare.content_box_y()
    below = bare.content_box_y() + bare.height - (words.position_y + words.margin_height())
    assert above > 20 and abs(above - below) < 20  # px: not under an empty picture's place


@pytest.mark.parametrize(
    "name", ["greek", *(f"title-{lang}-{kind}" for lang in TITLES for kind in ("image", "symbol"))]
)
def test_a_cover_holds_a_long_title_in_any_script_and_its_picture(built, library, name):
    paper, outcomes, out = built
    assert no_fit_warning(outcomes[name]), outcomes[name].problems
    assert pages(out, name) == 2  # the cover, the step
    assert not overflowing(library / f"{name}.yaml", paper)


def laid_out(path: Path, paper: str):
    story = read_story(path)
    html = render_story(story, "print", paper)
    fetcher = LibraryFetcher(path.parent, asset_folders())
    return HTML(string=html, base_url=path.parent.as_uri() + "/", url_fetcher=fetcher).render().pages


def overflowing(path: Path, paper: str) -> list[str]:
    """Every laid-out box that reaches past its page's edges."""
    found = []
    for number, page in enumerate(laid_out(path, paper)):
        root = page._page_box
        for classes, box in classed_boxes(root):
            if box is root or not hasattr(box, "margin_height"):
                continue
            bottom = box.position_y + box.margin_height()
            right = box.position_x + box.margin_width()
            if bottom > root.margin_height() + 0.5 or right > root.margin_width() + 0.5:
                found.append(f"page {number + 1}: {sorted(classes)} {type(box).__name__}")
    return found
