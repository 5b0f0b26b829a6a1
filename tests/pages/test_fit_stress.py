"""Fit under stress: a story at the documented limits in each script (Latin, Cyrillic, Greek,
Arabic, Hebrew, CJK) builds every output it suits; each takes the pages the registry expects
(formats.py) and no laid-out box runs off its page (WeasyPrint's boxes, page by page).

One story per script, each a different kind, so every output kind is made: a task analysis
(data sheet, tracker), a sensory story (kit), a graded ladder (its guide and tracker), social
stories. The limits are story/fields.py's: a 120-character title, 8 calm choices, 12 sub-steps,
500-character texts where the handouts print them (the introduction the guide quotes, the
contact box, a stimulus and its caution), 60-character labels; ten steps, the most a one-sheet
handout (strip, tracker) is laid out for.
"""

from __future__ import annotations

import math
import re
from contextlib import contextmanager
from pathlib import Path

import pytest
import weasyprint
from pypdf import PdfReader

from storygen.build.stories import build
from storygen.pages import pdf
from storygen.pages.formats import FORMATS, story_pages
from storygen.story.fields import MAX_CHOICES, MAX_SUBSTEPS, MAX_TEXT, MAX_TITLE
from storygen.story.open import open_story

pytestmark = pytest.mark.slow

WORDS = {  # everyday words of each script, repeated to each limit
    "de": "Zahnbürste Händewaschen Schwimmbad Kindergarten Wartezimmer ruhig atmen langsam zusammen Geburtstagsfeier",
    "ru": "зубная щётка спокойно дышать медленно вместе парикмахерская поликлиника прогулка детский",
    "el": "οδοντόβουρτσα ήρεμα αναπνέω αργά μαζί κομμωτήριο παιδίατρος βόλτα σχολείο διαφορετικά φαγητά",
    "ar": "فرشاة الأسنان بهدوء أتنفس ببطء معًا الحلاق الطبيب المدرسة الحديقة",
    "he": "מברשת שיניים בשקט נושם לאט ביחד מספרה רופא בית ספר גן",
    "zh": "我慢慢地呼吸然后和妈妈一起去理发店医生会检查我的牙齿我很勇敢",
}
SCRIPTS = {  # script: (language, kind, a graded ladder)
    "Latin": ("de", "task", False),
    "Cyrillic": ("ru", "sensory", False),
    "Greek": ("el", "social", True),
    "Arabic": ("ar", "task", False),
    "Hebrew": ("he", "social", False),
    "CJK": ("zh", "social", True),
}
STEPS, LABEL, CHOICE_WORDS = 10, 60, 4
STORY_PAGES = (
    "a step page at the limits (a 500-character text with its feel and stimulus) takes two pages in "
    "Noto Sans (Cyrillic) and Noto Sans CJK, wider than the Latin font its layout numbers assume"
)
STEP_SPILLS = ("Cyrillic", "CJK")  # strict: a fix is noticed


def text(language: str, length: int, start: int = 0) -> str:
    """Words of the language, exactly `length` characters (CJK: letters, no spaces)."""
    words = WORDS[language]
    if language == "zh":
        return (words * (length // len(words) + 2))[start : start + length]
    split = words.split()
    said = " ".join(split[(start + i) % len(split)] for i in range(length))
    return said[:length].rstrip().ljust(length, split[start % len(split)][0])


def words(language: str, count: int, start: int = 0) -> str:
    if language == "zh":
        return text(language, 3 * count, start)
    split = WORDS[language].split()
    return " ".join(split[(start + i) % len(split)] for i in range(count))


def story_yaml(language: str, kind: str, ladder: bool, steps: int = STEPS, pages: bool = True) -> str:
    """The story at the limits (pages: with its introduction and conclusion)."""

    def said(length: int, start: int = 0) -> str:
        return '"' + text(language, length, start) + '"'

    lines = [f"title: {said(MAX_TITLE)}", f"language: {language}", f"kind: {kind}"]
    lines += [f"intro: {said(MAX_TEXT, 1)}"] * pages
    lines += ["calm:", *(f'  - "{words(language, CHOICE_WORDS, i)}"' for i in range(MAX_CHOICES))]
    lines.append("steps:")
    for i in range(steps):
        lines += [f"  - text: {said(120, i)}", f"    label: {said(LABEL, i)}"]
        if kind == "sensory":
            lines.append(f"    stimulus: {{item: {said(MAX_TEXT, i)}, sense: touch, caution: {said(120, i + 1)}}}")
        if ladder:
            lines += [f"    practise: {said(MAX_TITLE, i)}", f"    for: {said(40, i + 2)}"]
        if kind == "task" and i == 1:
            lines += ["    steps:", *(f"      - {said(LABEL, j)}" for j in range(MAX_SUBSTEPS))]
    lines += [f"conclusion: {said(MAX_TEXT, 3)}"] * pages
    if kind == "task":
        lines += ["chaining: backward", "sessions: 10", f"mastery: {said(MAX_TITLE)}"]
    return "\n".join(lines) + "\n"


def library(folder: Path, language: str) -> Path:
    (folder / "stories").mkdir(parents=True)
    contact = text(language, MAX_TEXT // 2) + "\\n" + text(language, MAX_TEXT // 2 - 2, 5)
    (folder / "storygen.yaml").write_text(
        f'clinic: "{text(language, MAX_TITLE)}"\ncontact: "{contact}"\n', encoding="utf-8"
    )
    return folder / "stories"


@contextmanager
def laid_out():
    """Every document printed meanwhile, by output kind: WeasyPrint's laid-out pages."""
    documents: dict[str, weasyprint.Document] = {}

    class Recorded(weasyprint.HTML):
        def render(self, *args, **kwargs):
            document = super().render(*args, **kwargs)
            body = document.pages[0]._page_box.children[0].children[0]  # page > html > body
            documents[re.search(r"format-(\w+)", body.element.get("class"))[1]] = document
            return document

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(pdf, "HTML", Recorded)
        yield documents


def overflowing(document: weasyprint.Document) -> list[str]:
    """Each box drawn beyond its page's edges, as page, element and by how much (mm)."""
    found = []
    for number, page in enumerate(document.pages, start=1):
        for box in boxes(page._page_box):
            if box.width is None or box.height is None:
                continue
            x, y = box.border_box_x(), box.border_box_y()
            right, bottom = x + box.border_width() - page.width, y + box.border_height() - page.height
            if min(x, y) < -1 or max(right, bottom) > 1:  # CSS pixels, a pixel for rounding
                element = getattr(box, "element", None)
                name = f"<{element.tag} class={element.get('class')!r}>" if element is not None else type(box).__name__
                found.append(f"page {number}: {name} {max(right, bottom, -x, -y) * 25.4 / 96:.0f} mm out")
    return found


def boxes(box):
    yield box
    for child in getattr(box, "children", []):
        yield from boxes(child)


def made(folder: Path, story: Path, names: list[str]) -> None:
    [outcome] = build([story], folder / "build", "a4", formats=names, catalog=False)
    assert not outcome.failed, [p.message for p in outcome.problems]


BUILT: dict[str, tuple] = {}


@pytest.fixture(scope="module")
def handouts(tmp_path_factory):
    """Each script's story at the limits with every handout it suits, built once: (opened story,
    {output kind: laid-out document})."""

    def built(script: str) -> tuple:
        if script not in BUILT:
            language, kind, ladder = SCRIPTS[script]
            folder = tmp_path_factory.mktemp(script.lower())
            path = library(folder, language) / f"{script.lower()}.yaml"
            path.write_text(story_yaml(language, kind, ladder), encoding="utf-8")
            opened = open_story(path)
            names = [f.name for f in FORMATS.values() if f.template and f.name != "story" and f.suits(opened.story)]
            with laid_out() as documents:
                made(folder, path, names)
            assert sorted(documents) == sorted(names)
            BUILT[script] = (opened, documents)
        return BUILT[script]

    yield built
    BUILT.clear()


HANDOUTS = [(script, f.name) for script in SCRIPTS for f in FORMATS.values() if f.template and f.name != "story"]
SUITS = {
    "Latin": "task",
    "Cyrillic": "sensory",
    "Greek": "social",
    "Arabic": "task",
    "Hebrew": "social",
    "CJK": "social",
}
STRIP = "a strip of 10 steps with 60-character labels: its tiles grow past the page (layouts.strip_layout)"
DATASHEET = "22 rows (10 steps, 12 sub-steps) of long text: the data sheet is laid out for one page only"
LADDER = (
    "a ladder's steps at the limits (60-character labels, 120-character practise) take more than a page: "
    "pages/guide.py breaks only before the ladder and before the calm ideas"
)
KNOWN = {  # (script, output): why it does not fit yet; strict, so a fix is noticed
    ("Latin", "strip"): STRIP,
    ("Cyrillic", "strip"): STRIP,
    ("CJK", "strip"): STRIP,
    ("Latin", "datasheet"): DATASHEET,
    ("Arabic", "datasheet"): DATASHEET,
    ("Cyrillic", "kit"): "10 stimuli of 500 characters with their cautions: the kit is laid out for one page only",
    ("Greek", "guide"): LADDER,
    ("CJK", "guide"): LADDER,
    ("CJK", "cards"): "a 60-letter CJK label does not fit a card of six beside its picture (layouts.cards_layout)",
}


def cases():
    for script, name in HANDOUTS:
        if SUITS[script] in FORMATS[name].kinds:
            why = KNOWN.get((script, name))
            marks = [pytest.mark.xfail(reason=why, strict=True)] if why else []
            yield pytest.param(script, name, marks=marks, id=f"{script}-{name}")


@pytest.mark.parametrize(("script", "name"), list(cases()))
def test_every_handout_fits_at_the_limits(script, name, handouts):
    opened, documents = handouts(script)
    fmt, document = FORMATS[name], documents[name]
    assert len(document.pages) == fmt.expected_pages(fmt.sheet(opened.story, "a4", opened.settings))
    assert overflowing(document) == []


@pytest.mark.parametrize(
    "script",
    [pytest.param(s, marks=[pytest.mark.xfail(reason=STORY_PAGES, strict=True)] * (s in STEP_SPILLS)) for s in SCRIPTS],
)
def test_the_story_and_its_booklet_fit_at_the_limits(script, tmp_path):
    """The cover (a 120-character title and its picture), the calm page (8 choices) and a step."""
    language, kind, ladder = SCRIPTS[script]
    path = library(tmp_path, language) / f"{script.lower()}.yaml"
    path.write_text(story_yaml(language, kind, ladder, steps=1, pages=False), encoding="utf-8")
    opened = open_story(path)
    with laid_out() as documents:
        made(tmp_path, path, ["story", "booklet"])
    sheet = FORMATS["story"].sheet(opened.story, "a4", opened.settings)
    document, wanted = documents["story"], len(story_pages(opened.story, sheet))  # calm choices: two pages
    assert overflowing(document) == []
    assert len(document.pages) == wanted
    booklet = tmp_path / "build" / path.stem / f"{path.stem}-booklet.pdf"
    assert len(PdfReader(booklet).pages) == 2 * math.ceil(wanted / 4)  # 4 pages a sheet, 2 sides
