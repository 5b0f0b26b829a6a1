"""A library's branding (storygen.yaml's `branding:`): its logo and footer line on every page of
every PDF, in the page's margins (so no page count changes), and nothing when it is not set; a
logo that is not a picture of the library is an error at its line."""

from __future__ import annotations

import base64
import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner
from PIL import Image, ImageDraw
from pypdf import PdfReader

from storygen.cli import main
from storygen.errors import StoryError
from storygen.pages import paper
from storygen.pages.formats import FORMATS
from storygen.pages.render import render
from storygen.story.open import open_story
from storygen.story.settings import read_settings
from tests.conftest import EXAMPLES, FULL_STORY, classed_boxes

FOOTER = "Sunny Days OT · 555 0100 · sunnydays.example"
LOGO = (600, 180)  # pixels: a wide logo, found in a PDF by its shape
MM = 96 / 25.4  # CSS pixels in a millimetre
MIA = Path(__file__).resolve().parents[1] / "fixtures" / "profiles" / "mia"


def draw_logo(path: Path, size: tuple[int, int] = LOGO) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    logo = Image.new("RGB", size, "white")
    ImageDraw.Draw(logo).ellipse((10, 10, size[1] - 10, size[1] - 10), fill=(240, 170, 30))
    logo.save(path)


def library(folder: Path, branding: str = "") -> Path:
    """A task story (story, booklet, strip, cards, data sheet, tracker, guide), a sensory one (its
    kit) and Mia's profile with her sessions (her progress report), with these settings."""
    folder.mkdir(parents=True)
    (folder / "washing-hands.yaml").write_text(FULL_STORY, encoding="utf-8")
    shutil.copy(EXAMPLES / "a-day-at-the-park.yaml", folder)
    shutil.copy(EXAMPLES / "brushing-teeth.yaml", folder)
    shutil.copytree(MIA, folder / "profiles" / "mia")
    draw_logo(folder / "assets" / "logo.png")
    (folder / "storygen.yaml").write_text(f"name: Sunny Days\nclinic: Sunny Days OT\n{branding}", encoding="utf-8")
    return folder


BRANDING = f"branding:\n  logo: assets/logo.png\n  footer: {FOOTER}\n"


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """Every output of the stories and the progress report, with branding and without: {branded: [pdf]}."""
    found = {}
    for branded in (True, False):
        folder = library(tmp_path_factory.mktemp("branding") / "lib", BRANDING if branded else "")
        for story, kinds in (
            ("washing-hands", "story,booklet,strip,cards,datasheet,tracker,guide"),
            ("a-day-at-the-park", "kit"),
        ):
            options = ["-q", "-j", "1", "--format", kinds, "-o", str(folder / "build"), str(folder / f"{story}.yaml")]
            result = CliRunner().invoke(main, ["build", *options])
            assert result.exit_code == 0, result.output
        result = CliRunner().invoke(main, ["progress", str(folder / "profiles" / "mia")])
        assert result.exit_code == 0, result.output
        outputs = [pdf for pdf in (folder / "build").rglob("*.pdf") if pdf.name != "catalog.pdf"]  # the clinic's own
        found[branded] = sorted(outputs) + sorted((folder / "profiles" / "mia" / "build").rglob("*progress.pdf"))
    return found


def pages_text(pdf: Path) -> list[str]:
    """Each page's text, by one pdftotext for the whole PDF (it ends every page with a form feed)."""
    text = subprocess.run(["pdftotext", str(pdf), "-"], check=True, capture_output=True, text=True).stdout
    return [" ".join(page.split()) for page in text.split("\f")[:-1]]


def logos(page) -> int:
    """Pictures on a PDF page with the logo's shape (WeasyPrint resamples it to its printed size)."""
    ratio = LOGO[0] / LOGO[1]
    return sum(abs(image.image.width / image.image.height - ratio) < 0.05 for image in page.images)


def test_every_page_of_every_output_has_the_logo_and_the_footer_and_as_many_pages(built):
    names = [pdf.name for pdf in built[True]]
    assert names == [pdf.name for pdf in built[False]]
    made = {name.removesuffix(".pdf").rsplit("-", 1)[-1] for name in names}
    assert {"booklet", "strip", "cards", "datasheet", "kit", "tracker", "guide", "progress"} <= made
    assert "washing-hands.pdf" in names  # the story itself
    for branded, plain in zip(built[True], built[False], strict=True):
        with_pages, without_pages = PdfReader(branded).pages, PdfReader(plain).pages
        assert len(with_pages) == len(without_pages), f"{branded.name}: branding changed the page count"
        texts = pages_text(branded)
        found = [(text.count(FOOTER), logos(page)) for text, page in zip(texts, with_pages, strict=True)]
        if branded.name.endswith("-booklet.pdf"):  # each story page once, two to a side, blank ones added
            story = branded.with_name(branded.name.replace("-booklet", ""))
            assert sum(footers for footers, _ in found) == len(PdfReader(story).pages), branded.name
            assert all(footers == pictures for footers, pictures in found), branded.name
        else:
            assert found == [(1, 1)] * len(with_pages), f"{branded.name}: (footers, logos) of each page"


def test_without_branding_nothing_is_added(built, tmp_path):
    for pdf in built[False]:
        for text, page in zip(pages_text(pdf), PdfReader(pdf).pages, strict=True):
            assert FOOTER not in text and not logos(page)
    story = open_story(library(tmp_path / "lib") / "washing-hands.yaml")
    for name in FORMATS:
        if FORMATS[name].template and FORMATS[name].suits(story.story):
            html = render(story.story, name, "print", "a4", story.settings, story.library)
            assert "brand" not in html, name


def test_the_web_page_has_no_branding(tmp_path):
    story = open_story(library(tmp_path / "lib", BRANDING) / "washing-hands.yaml")
    html = render(story.story, "story", "screen", "a4", story.settings, story.library)
    assert FOOTER not in html and "brand-logo" not in html


def margins(pdf_html: str, folder: Path):
    """Each printed page: its page box, and (at-keyword of its margin box, classes, box) of every box
    in its margins."""
    from weasyprint import HTML
    from weasyprint.formatting_structure import boxes

    from storygen.pages.assets import asset_folders
    from storygen.pages.pdf import LibraryFetcher

    document = HTML(string=pdf_html, url_fetcher=LibraryFetcher(folder, asset_folders())).render()
    for page in document.pages:
        found = [
            (margin.at_keyword, classes, box)
            for margin in page._page_box.children
            if isinstance(margin, boxes.MarginBox)
            for classes, box in classed_boxes(margin)
        ]
        yield page._page_box, found


LONG_FOOTERS = [
    "Sunny Days Paediatric Occupational Therapy, 12 Harbour Road, Portsmouth · 023 9200 0100 · sunny.example"[:100],
    "阳光儿童作业治疗中心 · 上海市浦东新区世纪大道一百号 · 电话 021 5555 0100 · sunny.example",
]


@pytest.mark.parametrize("paper_name", ["a4", "letter"])
@pytest.mark.parametrize("footer", LONG_FOOTERS)
def test_the_logo_and_footer_stay_in_the_margins_inside_the_printable_edge(tmp_path, paper_name, footer):
    """The longest footer (two lines in CJK) and the logo never reach into a page's content, nor nearer
    the paper's edge than a home printer prints; the page number and the credits stay above the footer."""
    from weasyprint.formatting_structure import boxes

    folder = library(tmp_path / "lib", f"branding:\n  logo: assets/logo.png\n  footer: {footer}\n")
    opened = open_story(folder / "washing-hands.yaml")
    for name in ("story", "guide", "cards", "tracker"):
        html = render(opened.story, name, "print", paper_name, opened.settings, opened.library)
        logo_h = FORMATS[name].layout(FORMATS[name].sheet(opened.story, paper_name, opened.settings))["logo_h"]
        for number, (page, found) in enumerate(margins(html, folder), start=1):
            where = f"{name} on {paper_name}, page {number}"
            content_top, content_bottom = page.content_box_y(), page.content_box_y() + page.height
            edge = paper.PRINTABLE_EDGE_MM * MM
            [logo] = [
                box for _, classes, box in found if "brand-logo" in classes and isinstance(box, boxes.ReplacedBox)
            ]
            assert logo.height == pytest.approx(logo_h * MM, abs=0.5)
            assert edge - 0.01 <= logo.position_y and logo.position_y + logo.height <= content_top - 1 * MM, where
            words = [(classes, box) for _, classes, box in found if isinstance(box, boxes.LineBox)]
            footer_lines = [box for classes, box in words if "brand-footer" in classes]
            assert footer_lines, where
            paper_h = page.margin_height()
            assert max(line.position_y + line.height for line in footer_lines) <= paper_h - edge + 0.5, where
            footer_top = min(line.position_y for line in footer_lines)
            others = [box for classes, box in words if "brand-footer" not in classes and box.position_y > content_top]
            for line in others:  # the page number and credits: in the bottom margin, above the footer
                assert content_bottom <= line.position_y and line.position_y + line.height <= footer_top + 0.5, where
            assert footer_top >= content_bottom, where


def problem(folder: Path) -> str:
    with pytest.raises(StoryError) as raised:
        read_settings(folder)
    [found] = raised.value.problems
    return str(found)


def test_a_logo_outside_the_library_or_missing_is_an_error_at_its_line(tmp_path):
    folder = library(tmp_path / "lib", "branding:\n  footer: Sunny\n  logo: ../outside.png\n")
    draw_logo(tmp_path / "outside.png")
    assert problem(folder).endswith(
        "storygen.yaml:5:9: branding: logo '../outside.png' is outside the story's library folder; copy the "
        "picture into the library (for example an `assets/` folder) and point to it there"
    )
    (folder / "assets" / "link.png").symlink_to(tmp_path / "outside.png")
    (folder / "storygen.yaml").write_text("branding:\n  logo: assets/link.png\n", encoding="utf-8")
    assert "storygen.yaml:2:9: branding: logo 'assets/link.png' is outside the story's library" in problem(folder)
    (folder / "storygen.yaml").write_text("branding:\n  logo: assets/logo.jpg\n", encoding="utf-8")
    assert problem(folder).endswith(
        "storygen.yaml:2:9: branding: logo 'assets/logo.jpg' was not found; "
        "the logo's path is relative to the library, like assets/logo.png"
    )
    (folder / "storygen.yaml").write_text("branding:\n  logo: /etc/logo.png\n", encoding="utf-8")
    assert "storygen.yaml:2:9: logo '/etc/logo.png' must be a path relative to the library" in problem(folder)
    (folder / "assets" / "notes.txt").write_text("not a picture")
    (folder / "storygen.yaml").write_text("branding:\n  logo: assets/notes.txt\n", encoding="utf-8")
    assert (
        "storygen.yaml:2:9: branding: logo 'assets/notes.txt' is not a JPEG, PNG, GIF, WebP or SVG picture"
        in problem(folder)
    )


def test_the_footer_is_one_line_and_branding_keys_are_checked(tmp_path):
    folder = library(tmp_path / "lib", "branding:\n  footer: |\n    Sunny Days\n    555 0100\n")
    assert "storygen.yaml:4:11: the footer is one line of text" in problem(folder)
    (folder / "storygen.yaml").write_text("branding:\n  logo: assets/logo.png\n  header: Sunny\n", encoding="utf-8")
    assert "storygen.yaml:3:3:" in problem(folder) and "header" in problem(folder)
    (folder / "storygen.yaml").write_text(f"branding:\n  footer: {'x' * 101}\n", encoding="utf-8")
    assert "storygen.yaml:2:11:" in problem(folder)


def test_an_svg_logo_is_cleaned_like_every_library_picture(tmp_path):
    folder = library(tmp_path / "lib", "branding:\n  logo: assets/logo.svg\n")
    (folder / "assets" / "logo.svg").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 300 90"><script>alert(1)</script>'
        '<circle cx="45" cy="45" r="40" fill="#f0aa1e"/></svg>',
        encoding="utf-8",
    )
    opened = open_story(folder / "washing-hands.yaml")
    html = render(opened.story, "guide", "print", "a4", opened.settings, opened.library, inline=True)
    src = html.split('class="brand-logo"><img src="', 1)[1].split('"', 1)[0]
    assert src.startswith("data:image/svg+xml;base64,")
    drawing = base64.b64decode(src.split(",", 1)[1]).decode()
    assert "<circle" in drawing and "script" not in drawing and "alert" not in drawing


# -- the manual: the settings example, the margins and the blocks a custom.css can style -----------

MANUAL = Path(__file__).resolve().parents[2] / "docs" / "library.md"


def margins_table() -> str:
    """The manual's table of each output's margins, from paper.py (mm)."""
    handout = (paper.MARGIN_MM, paper.MARGIN_MM, paper.FOOTER_MM)
    rows = [
        ("story (and booklet)", (paper.STORY_MARGINS_MM[0], paper.STORY_SIDE_MM, paper.STORY_MARGINS_MM[1])),
        ("strip, data sheet, sensory kit, tracker, guide, progress report", handout),
        ("cards", (paper.MARGIN_MM + paper.RUNNING_HEAD_MM, paper.MARGIN_MM, paper.FOOTER_MM)),
    ]
    lines = ["| output | top | left and right | bottom | logo height |", "|---|---|---|---|---|"]
    for name, (top, side, bottom) in rows:
        logo = paper.logo_height(paper.STORY_MARGINS_MM[0] if name.startswith("story") else paper.MARGIN_MM)
        lines.append(f"| {name} | {top:g} | {side:g} | {bottom:g} | {logo:g} |")
    return "\n".join(lines)


def test_the_manuals_margins_are_paper_pys():
    assert margins_table() in MANUAL.read_text(encoding="utf-8"), "copy margins_table() into docs/library.md"


def test_every_block_the_manual_names_is_in_the_templates():
    import re

    text = MANUAL.read_text(encoding="utf-8")
    table = text.split("The blocks it can style:", 1)[1].split("For example", 1)[0]
    named = set(re.findall(r"`\.([a-z-]+)", table))
    assert len(named) > 30
    templates = Path(__file__).resolve().parents[2] / "templates"
    markup = " ".join(path.read_text(encoding="utf-8") for path in templates.glob("*.*"))
    written = {word for value in re.findall(r'class="([^"]*)"', markup) for word in re.findall(r"[a-z-]+", value)}
    written |= set(re.findall(r'"([a-z-]+)"', markup))  # a class a macro is given: text_page(page, "intro")
    styled = set(re.findall(r"\.([a-z][a-z-]*)", markup))
    assert named <= written & styled, f"named in the manual but not in the templates: {named - (written & styled)}"


def test_the_manuals_settings_example_is_read():
    import yaml

    from storygen.story.settings import Settings

    text = MANUAL.read_text(encoding="utf-8")
    example = text.split("## Library settings", 1)[1].split("```yaml\n", 1)[1].split("```", 1)[0]
    settings = Settings.model_validate(yaml.safe_load(example))
    assert settings.branding and settings.branding.logo == Path("assets/logo.png") and settings.branding.footer


def test_a_changed_logo_rebuilds_every_story(tmp_path):
    from storygen.build.stories import build

    folder = library(tmp_path / "lib", "formats: [strip]\n" + BRANDING)

    def rendered() -> set[str]:
        stories = [folder / "washing-hands.yaml", folder / "brushing-teeth.yaml"]
        return {o.path.stem for o in build(stories, folder / "build") if not (o.skipped or o.failed or o.removed)}

    assert rendered() == {"washing-hands", "brushing-teeth"}
    assert rendered() == set()
    draw_logo(folder / "assets" / "logo.png", (300, 90))  # the same name, another picture
    assert rendered() == {"washing-hands", "brushing-teeth"}
