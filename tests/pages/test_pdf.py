"""Rendered facts about the story PDFs and HTML: pages, text, paper, fonts, credits, metadata."""

import re
from pathlib import Path

import pytest
from pypdf import PdfReader

from storygen.pictures.openmoji import CREDIT as OPENMOJI_CREDIT
from storygen.story.open import read_story
from tests.conftest import EXAMPLES, REPO, classed_boxes, pdf_pages_text, pdf_strings

STORIES = sorted(EXAMPLES.glob("*.yaml"))
PAPER_POINTS = {"a4": (595.28, 841.89), "letter": (612.0, 792.0)}


def squash(text: str) -> str:
    return " ".join(text.split())


def expected_pages(story) -> list[str]:
    """The text that must open each page, in order."""
    pages = [story.title]
    pages += ["First, I calm my body"] if story.calm else []
    pages += [story.intro.text] if story.intro else []
    pages += [step.text for step in story.steps]
    pages += [story.conclusion.text] if story.conclusion else []
    return pages


def test_example_library_has_six_stories_of_every_kind():
    kinds = {read_story(path).kind for path in STORIES}
    assert len(STORIES) >= 6 and kinds == {"social", "sensory", "task"}


@pytest.mark.parametrize("paper", ["a4", "letter"])
def test_every_example_builds_with_no_warning(example_build, paper):
    outcomes, _ = example_build[paper]
    assert len(outcomes) == len(STORIES)
    for outcome in outcomes:
        assert outcome.problems == [], f"{outcome.path}: {[str(p) for p in outcome.problems]}"
        story, stem = read_story(outcome.path), outcome.path.stem
        handouts = [
            "booklet",
            "strip",
            "cards",
            *(["datasheet"] if story.kind == "task" else []),
            *(["kit"] if story.kind == "sensory" else []),
            *(["tracker"] if story.kind != "sensory" else []),  # a sensory story's pages are not ticked
            "guide",
        ]
        pdfs = [f"{stem}.pdf", *(f"{stem}-{h}.pdf" for h in handouts)]
        built = [
            p.relative_to(p.parents[1] if p.parent.name in story.translations else p.parent) for p in outcome.outputs
        ]
        languages = ["", *story.translations]  # the story's language, then each translation's folder
        assert [p.as_posix() for p in built] == [
            *(f"{language}/{name}" if language else name for language in languages for name in pdfs),
            *(
                f"{language}/{stem}.html" if language else f"{stem}.html" for language in languages
            ),  # they link to the rest
        ]


@pytest.mark.parametrize("path", STORIES, ids=lambda p: p.stem)
def test_one_page_per_part_with_its_text(example_build, path):
    story = read_story(path)
    _, out = example_build["a4"]
    pages = pdf_pages_text(out / path.stem / f"{path.stem}.pdf")
    wanted = expected_pages(story)
    assert len(pages) == len(wanted)
    for number, (page, text) in enumerate(zip(pages, wanted, strict=False), start=1):
        assert squash(text) in page, f"page {number} should show {text!r}"
    for number, step in enumerate(story.steps):
        page = pages[wanted.index(step.text)]
        assert all(squash(sub.text) in page for sub in step.steps), "sub-steps sit under their step"
        if story.kind == "task":
            assert f"Step {number + 1} of {len(story.steps)}" in page
    assert squash(OPENMOJI_CREDIT) in pages[-1]


@pytest.mark.parametrize("paper", ["a4", "letter"])
def test_paper_size(example_build, paper):
    _, out = example_build[paper]
    for pdf in (out / path.stem / f"{path.stem}.pdf" for path in STORIES):
        for page in PdfReader(pdf).pages:
            assert (float(page.mediabox.width), float(page.mediabox.height)) == pytest.approx(
                PAPER_POINTS[paper], abs=0.5
            )


def embedded_fonts(pdf: Path) -> set[str]:
    """Names of the fonts embedded in a PDF, including those inside form XObjects (booklets)."""
    fonts = set()

    def walk(resources):
        for font in resources.get("/Font", {}).values():
            font = font.get_object()
            descendant = font["/DescendantFonts"][0].get_object() if "/DescendantFonts" in font else font
            descriptor = descendant["/FontDescriptor"].get_object()
            if any(key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3")):
                fonts.add(str(font["/BaseFont"]).split("+")[-1])
        for xobject in resources.get("/XObject", {}).values():
            xobject = xobject.get_object()
            if xobject.get("/Subtype") == "/Form" and "/Resources" in xobject:
                walk(xobject["/Resources"].get_object())

    for page in PdfReader(pdf).pages:
        walk(page["/Resources"].get_object())
    return fonts


def test_atkinson_hyperlegible_is_embedded(example_build):
    _, out = example_build["a4"]
    for pdf in out.glob("*/*.pdf"):
        fonts = embedded_fonts(pdf)
        assert fonts and all(name.startswith("Atkinson-Hyperlegible") for name in fonts), fonts


def laid_out_boxes(story_path: Path):
    """(page number, CSS classes of the box and its ancestors, box) for every laid-out box."""
    from weasyprint import HTML

    from storygen.pages.assets import asset_folders
    from storygen.pages.pdf import LibraryFetcher
    from storygen.pages.render import render_story

    story = read_story(story_path)
    fetcher = LibraryFetcher(story_path.parent, asset_folders())
    document = HTML(string=render_story(story), url_fetcher=fetcher).render()

    for number, page in enumerate(document.pages):
        for classes, box in classed_boxes(page._page_box):
            yield number, classes, box


def test_step_text_and_pictures_are_large_enough():
    """On every step page: step text at least 24 pt, the step's picture at least 8 cm."""
    from weasyprint.formatting_structure import boxes

    px_per_cm, px_per_pt = 96 / 2.54, 96 / 72
    text_sizes, pictures = {}, {}
    for number, classes, box in laid_out_boxes(EXAMPLES / "washing-hands.yaml"):
        if isinstance(box, boxes.TextBox) and box.text.strip() and classes & {"text", "substep-text"}:
            text_sizes.setdefault(number, []).append(box.style["font_size"] / px_per_pt)
        if isinstance(box, boxes.ReplacedBox) and "main-picture" in classes:
            pictures[number] = min(box.width, box.height) / px_per_cm
    story = read_story(EXAMPLES / "washing-hands.yaml")
    first_step = len(expected_pages(story)) - len(story.steps) - 1
    for number in range(first_step, first_step + len(story.steps)):
        assert min(text_sizes[number]) >= 24, f"page {number + 1}"
        assert pictures[number] >= 8, f"page {number + 1}"


def test_pdf_is_tagged_and_metadata_is_clean(example_build):
    _, out = example_build["a4"]
    pdf = out / "going-to-the-dentist" / "going-to-the-dentist.pdf"
    reader = PdfReader(pdf)
    assert reader.metadata.title == read_story(EXAMPLES / "going-to-the-dentist.yaml").title
    assert reader.metadata.author is None
    assert "/StructTreeRoot" in reader.trailer["/Root"]  # tagged for screen readers
    assert reader.trailer["/Root"]["/Lang"] == "en"
    for printed in (pdf, pdf.with_name(f"{pdf.stem}-booklet.pdf"), out / "catalog.pdf"):  # each way a PDF is made
        strings = pdf_strings(printed)  # links, metadata, XMP, fonts, embedded files and text, decoded
        for private in (str(out), str(REPO), "file://"):  # where the clinic keeps its files
            assert private not in strings, (printed.name, private)


def test_html_is_self_contained_and_readable_on_a_phone(example_build):
    _, out = example_build["a4"]
    for html_file in out.glob("*/*.html"):
        html = html_file.read_text(encoding="utf-8")
        assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in html
        urls = re.findall(r'(?:src|href)="([^"]+)"', html) + re.findall(r'url\("([^"]+)"\)', html)
        linked = [url for url in urls if not url.startswith("data:")]  # its printouts and languages, beside it
        assert len(linked) < len(urls) and all(url.endswith((".pdf", ".html")) and ":" not in url for url in linked)
        assert all((html_file.parent / url).resolve().is_file() for url in linked), linked
        assert "file:" not in html and "@media screen" in html
        assert '<button id="present"' in html and "html.presenting" in html  # one page at a time, for telehealth
        story = read_story(EXAMPLES / f"{html_file.stem}.yaml")
        assert len(re.findall(r'<section[^>]* class="page[ "]', html)) == len(expected_pages(story))


def test_credits_and_present_button_are_separate_blocks(tmp_path):
    """A library that replaces the credits keeps the Present button, and the other way round."""
    from storygen.pages.render import _environment, render

    story = read_story(EXAMPLES / "washing-hands.yaml")
    assert "From our clinic" not in render(story, "story", "screen", library=tmp_path)  # no templates/ yet
    (tmp_path / "templates").mkdir()
    own = tmp_path / "templates" / "story.html"
    own.write_text(
        '{% extends "builtin/story.html" %}'
        '{% block credits %}<footer class="credits">From our clinic</footer>{% endblock %}'
    )
    html = render(story, "story", "screen", library=tmp_path)  # the folder made since is found
    assert "From our clinic" in html and "Made with storygen" not in html
    assert '<button id="present"' in html and "html.presenting" in html
    own.write_text('{% extends "builtin/story.html" %}{% block present %}{% endblock %}')
    _environment.cache_clear()  # the library's templates changed within the second
    html = render(story, "story", "screen", library=tmp_path)
    assert "Made with storygen" in html and '<button id="present"' not in html
    assert html.index("</main>") < html.index('<footer class="credits">')  # after the last page, its own landmark
