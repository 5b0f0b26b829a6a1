"""Handouts made from the same YAML: booklet, strip, cards, data sheet, kit, tracker, guide."""

import re
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner
from PIL import Image
from pypdf import PdfReader

from storygen.build.stories import build
from storygen.cli import main
from storygen.pages.formats import FORMATS
from storygen.story.open import read_story
from tests.conftest import EXAMPLES, classed_boxes, pdf_pages_text

A4, LETTER = (595.28, 841.89), (612.0, 792.0)
HANDOUTS = ["booklet", "strip", "cards", "datasheet", "kit", "tracker", "guide"]


def squash(text):
    return " ".join(text.split())


def sizes(pdf: Path) -> list[tuple[int, int]]:
    return [(round(float(p.mediabox.width)), round(float(p.mediabox.height))) for p in PdfReader(pdf).pages]


def numbered_story(folder: Path, pages: int, name: str) -> Path:
    """A social story of `pages` pages: cover, steps 'Page 2 here' ..., conclusion."""
    steps = "".join(f"  - Page {n} here.\n" for n in range(2, pages))
    path = folder / f"{name}.yaml"
    path.write_text(f"title: Booklet cover\nsteps:\n{steps}conclusion: Page {pages} here.\n", encoding="utf-8")
    return path


def half_sheets(pdf: Path) -> list[tuple[str, str]]:
    """The text on the left and right half of each imposed sheet (cropped by pdftotext)."""
    sides = []
    for number, (width, height) in enumerate(sizes(pdf), start=1):
        halves = []
        for x in (0, width // 2):
            crop = ["-x", str(x), "-y", "0", "-W", str(width // 2), "-H", str(height)]
            text = subprocess.run(
                ["pdftotext", "-r", "72", "-f", str(number), "-l", str(number), *crop, str(pdf), "-"],
                check=True,
                capture_output=True,
                text=True,
            ).stdout
            halves.append(squash(text))
        sides.append(tuple(halves))
    return sides


def page_of(side: str) -> int | None:
    if not side:
        return None
    if "Page " in side:
        return int(side.split("Page ")[1].split(" ")[0])
    assert "Booklet cover" in side
    return 1


def text_runs(pdf: Path, page: int = 0) -> list[tuple[float, float, str]]:
    """(x, y, text) of each piece of text on a page, in points from its bottom left: where
    things are drawn, whatever order pypdf's text extraction lists them in."""
    runs = []

    def visit(text, cm, tm, font, size):
        if text.strip():
            x, y = tm[4] * cm[0] + tm[5] * cm[2] + cm[4], tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
            runs.append((x, y, squash(text)))

    PdfReader(pdf).pages[page].extract_text(visitor_text=visit)
    return runs


def reading_order(positions: dict) -> list:
    """Names of (x, y) positions as a reader meets them: rows top down, each left to right."""
    return sorted(positions, key=lambda name: (-round(positions[name][1]), positions[name][0]))


def tile_texts(runs, heads: dict) -> dict:
    """The text under each tile's head (its number, or First/Then): a run belongs to the
    nearest row of heads above it, and in that row to the head nearest it across."""
    texts = {name: [] for name in heads}
    for x, y, text in sorted(runs, key=lambda run: (-run[1], run[0])):
        above = {name: head for name, head in heads.items() if head[1] > y + 1}
        if above:
            row = min(round(head[1]) for head in above.values())
            name = min((n for n, head in above.items() if round(head[1]) == row), key=lambda n: abs(above[n][0] - x))
            texts[name].append(text)
    return {name: " ".join(words) for name, words in texts.items()}


def table_rows(runs, columns: list[str], table_end: float) -> list[dict[str, str]]:
    """A table's rows, top down, as {column head: cell text}. A run lies in the column of the
    rightmost head left of it, and in the row whose first cell (one line, vertically
    centred) is nearest in height; only runs between the heads and `table_end` count."""
    heads = {text: (x, y) for x, y, text in runs if text in columns}
    top, left = min(y for _, y in heads.values()), min(x for x, _ in heads.values())
    cells = [
        (max((heads[name][0], name) for name in columns if heads[name][0] <= x + 2)[1], y, text)
        for x, y, text in sorted(runs, key=lambda run: -run[1])
        if table_end < y < top and x >= left - 2
    ]
    starts = [y for column, y, _ in cells if column == columns[0]]
    rows = [dict.fromkeys(columns, "") for _ in starts]
    for column, y, text in cells:
        row = rows[min(range(len(starts)), key=lambda i: abs(starts[i] - y))]
        row[column] = f"{row[column]} {text}".strip()
    return rows


@pytest.mark.parametrize(
    "pages, paper, order",
    [
        (8, "a4", [(8, 1), (2, 7), (6, 3), (4, 5)]),
        (12, "letter", [(12, 1), (2, 11), (10, 3), (4, 9), (8, 5), (6, 7)]),
        (10, "a4", [(None, 1), (2, None), (10, 3), (4, 9), (8, 5), (6, 7)]),  # padded with two blanks
    ],
)
def test_booklet_is_imposed_in_saddle_stitch_order(tmp_path, pages, paper, order):
    path = numbered_story(tmp_path, pages, f"story{pages}")
    [outcome] = build([path], tmp_path / "out", paper, ["booklet"])
    assert outcome.problems == []
    pdf = tmp_path / "out" / path.stem / f"{path.stem}-booklet.pdf"
    sheet = (842, 595) if paper == "a4" else (792, 612)
    assert sizes(pdf) == [sheet] * len(order)  # landscape; half of it is A5 or half-Letter
    assert [(page_of(left), page_of(right)) for left, right in half_sheets(pdf)] == order
    assert [p.name for p in outcome.outputs] == [f"{path.stem}-booklet.pdf"]  # the story itself was not asked for


def test_the_booklet_keeps_the_storys_tags_and_language(example_build):
    """PDF/UA like the story: language, marks and structure tree, each piece of tagged content
    found in the form drawn on its sheet, and no story page left over inside the file."""
    from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject

    _, out = example_build["a4"]
    story_pdf = PdfReader(out / "washing-hands" / "washing-hands.pdf")
    booklet = PdfReader(out / "washing-hands" / "washing-hands-booklet.pdf")
    root = booklet.trailer["/Root"]
    assert root["/Lang"] == story_pdf.trailer["/Root"]["/Lang"] == "en"
    assert root["/MarkInfo"]["/Marked"] and "/Metadata" in root and root["/ViewerPreferences"]["/DisplayDocTitle"]
    sheets = {page.indirect_reference.idnum: page for page in booklet.pages}
    references, elements = [], []

    def walk(node):
        node = node.get_object()
        elements.append(node.get("/S"))
        kids = node.get("/K", [])
        for kid in kids if isinstance(kids, ArrayObject) else [kids]:
            item = kid.get_object() if isinstance(kid, IndirectObject) else kid
            if isinstance(item, DictionaryObject) and item.get("/Type") == "/MCR":
                references.append(item)
            elif isinstance(item, DictionaryObject):
                walk(kid)
            else:
                raise AssertionError(f"a marked-content id without its form: {item}")

    walk(root["/StructTreeRoot"])
    assert "/P" in elements and "/Figure" in elements and len(references) > 20
    parent_keys = set(root["/StructTreeRoot"]["/ParentTree"]["/Nums"][::2])
    for reference in references:
        sheet = sheets[reference.raw_get("/Pg").idnum]  # a page of the booklet, not of the story
        drawn = [x.indirect_reference.idnum for x in sheet["/Resources"]["/XObject"].values()]
        form = reference["/Stm"]
        assert reference.raw_get("/Stm").idnum in drawn and form["/StructParents"] in parent_keys
    objects = (booklet.get_object(number) for number in range(1, booklet.trailer["/Size"]))
    every_page = [obj for obj in objects if isinstance(obj, DictionaryObject) and obj.get("/Type") == "/Page"]
    assert len(every_page) == len(booklet.pages)  # the story's own pages were not copied in


def test_formats_command_lists_every_kind_with_one_line():
    result = CliRunner().invoke(main, ["formats"])
    lines = result.output.splitlines()
    assert result.exit_code == 0 and [line.split()[0] for line in lines] == list(FORMATS)
    assert all(len(line.split(None, 1)[1]) > 20 for line in lines)


def test_format_option_picks_kinds_and_refuses_unknown(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    numbered_story(tmp_path, 4, "four")
    result = CliRunner().invoke(main, ["build", "four.yaml", "--format", "cards, strip", "-o", "out"])
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in (tmp_path / "out" / "four").iterdir()) == ["four-cards.pdf", "four-strip.pdf"]
    result = CliRunner().invoke(main, ["build", "four.yaml", "--format", "bookelt"])
    assert result.exit_code == 2 and "unknown kind 'bookelt' (did you mean 'booklet'?)" in result.output


def test_library_settings_give_the_default_formats_and_paper(tmp_path):
    (tmp_path / "storygen.yaml").write_text("name: Our clinic\nformats: [story, guide]\npaper: letter\n")
    path = numbered_story(tmp_path, 4, "four")
    [outcome] = build([path], tmp_path / "out")
    assert [p.name for p in outcome.outputs] == [
        "four.pdf",
        "four-guide.pdf",
        "four.html",
    ]  # web pages last: they link to the rest
    assert sizes(tmp_path / "out" / "four" / "four-guide.pdf") == [(612, 792)]


def test_bad_library_settings_are_reported_with_position(tmp_path):
    (tmp_path / "storygen.yaml").write_text("name: Our clinic\nformats: [story, bookelt]\n")
    path = numbered_story(tmp_path, 4, "four")
    settings, story = build([path], tmp_path / "out")
    assert "storygen.yaml:2:18: 'bookelt' is not a valid `formats`" in str(settings.problems[0])
    assert "did you mean 'booklet'" in str(settings.problems[0])
    assert story.failed and "fix the library's storygen.yaml" in str(story.problems[0])


def test_kinds_that_do_not_suit_a_story_are_skipped_with_a_note(tmp_path):
    path = numbered_story(tmp_path, 4, "four")
    [outcome] = build([path], tmp_path / "out", formats=["datasheet", "kit", "strip"])
    assert [p.name for p in outcome.outputs] == ["four-strip.pdf"]
    notes = [p.message for p in outcome.problems if p.severity == "note"]
    assert notes == [
        "datasheet is for task stories; not made for this social story",
        "kit is for sensory stories; not made for this social story",
    ]


@pytest.mark.parametrize("paper", ["a4", "letter"])
def test_every_kind_on_both_papers_in_its_orientation(example_build, paper):
    _, out = example_build[paper]
    portrait = A4 if paper == "a4" else LETTER
    portrait = (round(portrait[0]), round(portrait[1]))
    landscape = portrait[::-1]
    for story_path in EXAMPLES.glob("*.yaml"):
        story, stem = read_story(story_path), story_path.stem
        expected = {
            "booklet": landscape,
            "strip": landscape,
            "tracker": landscape,
            "cards": portrait,
            "guide": portrait,
            "kit": portrait,
            "datasheet": landscape if story.sessions > 8 else portrait,
        }
        for kind, size in expected.items():
            pdf = out / stem / f"{stem}-{kind}.pdf"
            if FORMATS[kind].suits(story):
                assert set(sizes(pdf)) == {size}, (stem, kind)
            else:
                assert not pdf.exists()


def test_one_page_handouts_are_one_page_and_cards_six_to_a_page(example_build):
    _, out = example_build["a4"]
    for story_path in EXAMPLES.glob("*.yaml"):
        story, stem = read_story(story_path), story_path.stem
        for kind in ("strip", "tracker", "guide", "datasheet", "kit"):
            if FORMATS[kind].suits(story):
                assert len(PdfReader(out / stem / f"{stem}-{kind}.pdf").pages) == 1, (stem, kind)
        assert len(PdfReader(out / stem / f"{stem}-cards.pdf").pages) == -(-len(story.steps) // 6)


def blank_margin_mm(pdf: Path) -> float:
    """The smallest distance (mm) from any page edge to anything printed, from a 50 dpi raster."""
    prefix = pdf.with_suffix("")
    subprocess.run(["pdftoppm", "-png", "-r", "50", str(pdf), str(prefix)], check=True)
    smallest = 1000.0
    for png in sorted(pdf.parent.glob(f"{prefix.name}-*.png")):
        image = Image.open(png).convert("L").point(lambda v: 255 if v > 245 else 0)
        left, top, right, bottom = Image.eval(image, lambda v: 255 - v).getbbox()
        gaps = (left, top, image.width - right, image.height - bottom)
        smallest = min(smallest, min(gaps) * 25.4 / 50)
        png.unlink()
    return smallest


@pytest.mark.parametrize("paper", ["a4", "letter"])
def test_margins_are_safe_for_home_printers(example_build, paper):
    _, out = example_build[paper]
    for kind in ("strip", "cards", "datasheet", "tracker", "guide"):
        assert blank_margin_mm(out / "washing-hands" / f"washing-hands-{kind}.pdf") >= 10, kind
    assert blank_margin_mm(out / "a-day-at-the-park" / "a-day-at-the-park-kit.pdf") >= 10
    assert blank_margin_mm(out / "washing-hands" / "washing-hands.pdf") >= 10


def test_strip_shows_every_step_numbered_in_reading_order(example_build):
    _, out = example_build["a4"]
    story = read_story(EXAMPLES / "going-to-the-dentist.yaml")
    runs = text_runs(out / "going-to-the-dentist" / "going-to-the-dentist-strip.pdf")
    numbers = {int(text): (x, y) for x, y, text in runs if text.isdigit()}  # in each tile's corner
    steps = list(range(1, len(story.steps) + 1))
    assert reading_order(numbers) == steps
    tiles = tile_texts([run for run in runs if not run[2].isdigit()], numbers)
    for n, step in zip(steps, story.steps, strict=False):
        assert squash(step.label or step.text) in tiles[n], f"tile {n} shows {tiles[n]!r}"


def test_two_steps_make_a_first_then_board(tmp_path):
    path = tmp_path / "shoes.yaml"
    path.write_text(
        "title: Shoes then park\nsteps:\n  - text: Put on my shoes\n    symbol: running shoe\n"
        "  - text: Go to the park\n    symbol: national park\n"
    )
    [outcome] = build([path], tmp_path / "out", formats=["strip"])
    assert outcome.problems == []
    runs = text_runs(tmp_path / "out" / "shoes" / "shoes-strip.pdf")
    heads = {text: (x, y) for x, y, text in runs if text in ("First", "Then")}
    assert reading_order(heads) == ["First", "Then"]
    tiles = tile_texts([run for run in runs if run[2] not in heads], heads)
    assert tiles["First"].startswith("Put on my shoes") and tiles["Then"].startswith("Go to the park")


@pytest.mark.parametrize("per_page, pages", [(1, 3), (4, 1), (12, 1)])
def test_cards_per_page(tmp_path, per_page, pages):
    path = tmp_path / "cards.yaml"
    steps = "".join(f"  - text: Card number {n}\n    symbol: soap\n" for n in range(1, 4))
    path.write_text(f"title: Cards\ncards_per_page: {per_page}\nsteps:\n{steps}")
    [outcome] = build([path], tmp_path / "out", formats=["cards"])
    assert outcome.problems == []
    texts = pdf_pages_text(tmp_path / "out" / "cards" / "cards-cards.pdf")
    assert len(texts) == pages
    joined = " ".join(texts)
    assert [joined.index(f"Card number {n}") for n in (1, 2, 3)] == sorted(
        joined.index(f"Card number {n}") for n in (1, 2, 3)
    )


def test_cards_per_page_must_be_1_to_12(write_story):
    from storygen.errors import StoryError

    with pytest.raises(StoryError, match=r":2:17: `cards_per_page` input should be less than or equal to 12"):
        read_story(write_story("title: x\ncards_per_page: 13\nsteps: [a]\n"))


def test_datasheet_rows_legend_and_target(example_build):
    _, out = example_build["a4"]
    [text] = pdf_pages_text(out / "washing-hands" / "washing-hands-datasheet.pdf")
    story = read_story(EXAMPLES / "washing-hands.yaml")
    labels = []
    for i, step in enumerate(story.steps, start=1):
        labels.append(f"{i} {step.text}")
        labels += [f"{i}.{j} {sub.text}" for j, sub in enumerate(step.steps, start=1)]
    positions = [text.index(label) for label in labels]
    assert positions == sorted(positions)
    assert f"{len(story.steps)} {story.steps[-1].text} TARGET" in text  # backward chaining: the last step
    for legend in ("I = independent", "G = gestural prompt", "FP = full physical prompt", "NR = no response"):
        assert legend in text
    assert "Chaining: backward chaining" in text and f"Mastery: {story.mastery}" in text
    assert "Learner:" in text and "Goal:" in text and "Clinician:" in text and "% independent" in text
    assert " ".join(str(n) for n in range(1, story.sessions + 1)) in text


def test_datasheet_is_portrait_for_few_sessions_and_marks_forward_target(tmp_path):
    path = tmp_path / "shoes.yaml"
    path.write_text(
        "title: Shoes\nkind: task\nchaining: forward\nsessions: 6\nprompts: [I, V, FP]\n"
        "steps:\n  - Sit down\n  - Shoe on\n  - Velcro\n"
    )
    [outcome] = build([path], tmp_path / "out", formats=["datasheet"])
    assert outcome.problems == []
    pdf = tmp_path / "out" / "shoes" / "shoes-datasheet.pdf"
    assert sizes(pdf) == [(595, 842)]
    [text] = pdf_pages_text(pdf)
    assert "1 Sit down TARGET" in text and "2 Shoe on TARGET" not in text
    assert "V = verbal prompt" in text and "G = gestural" not in text and "NR = no response" in text


def test_kit_lists_every_stimulus_with_page_and_sense(example_build):
    _, out = example_build["a4"]
    runs = text_runs(out / "a-day-at-the-park" / "a-day-at-the-park-kit.pdf")
    story = read_story(EXAMPLES / "a-day-at-the-park.yaml")
    story_pages = pdf_pages_text(out / "a-day-at-the-park" / "a-day-at-the-park.pdf")
    pages = [
        next(n for n, page_text in enumerate(story_pages, start=1) if squash(step.text) in page_text)
        for step in story.steps
    ]
    [(_, table_end, senses_line)] = [run for run in runs if run[2].startswith("This story reaches")]
    rows = table_rows(runs, ["Page", "What to offer", "Sense"], table_end)
    assert [row["Page"] for row in rows] == [str(page) for page in pages]
    for row, step in zip(rows, story.steps, strict=False):
        assert row["What to offer"] == squash(step.stimulus.item)
        assert row["Sense"].startswith(step.stimulus.sense.capitalize())
    senses = {step.stimulus.sense for step in story.steps}
    assert f"This story reaches {len(senses)} senses" in senses_line


def test_tracker_has_a_box_per_step_and_a_sticker(example_build):
    _, out = example_build["a4"]
    [text] = pdf_pages_text(out / "brushing-teeth" / "brushing-teeth-tracker.pdf")
    text = re.sub(r"(?<=\w)- (?=\w)", "", text)  # a header's word hyphenated at a line's end, joined
    story = read_story(EXAMPLES / "brushing-teeth.yaml")
    for n, step in enumerate(story.steps, start=1):
        assert squash(f"{n} {step.label or step.text}") in text
    assert "Sticker!" in text and "7. ______" in text


def test_guide_has_purpose_use_calm_strategies_and_contact(tmp_path):
    (tmp_path / "storygen.yaml").write_text("clinic: Sunny Days OT\ncontact: |\n  Sam Lee, OT\n  555 0100\n")
    path = tmp_path / "worry.yaml"
    path.write_text(
        "title: Worry\ncalm:\n  - text: A big squeeze hug\n    symbol: people hugging\n"
        "  - Bounce on my ball\nsteps: [I feel worried.]\n"
    )
    [outcome] = build([path], tmp_path / "out", formats=["guide"])
    assert outcome.problems == []
    [text] = pdf_pages_text(tmp_path / "out" / "worry" / "worry-guide.pdf")
    assert "This is a social story" in text and "when your child is calm" in text
    assert "Praise small wins" in text and "A big squeeze hug" in text and "Bounce on my ball" in text
    assert "Sunny Days OT Sam Lee, OT 555 0100" in text


def test_a_strip_that_cannot_fit_warns_and_names_the_step(tmp_path):
    words = "and then we go on a very long walk around the whole big park " * 6
    steps = "".join(f"  - text: Step {n} {words}\n    symbol: soap\n" for n in range(1, 9))
    path = tmp_path / "long.yaml"
    path.write_text(f"title: Long\nsteps:\n{steps}")
    [outcome] = build([path], tmp_path / "out", formats=["strip"])
    [warning] = outcome.problems
    assert warning.severity == "warning" and "strip: does not fit on 1 page" in warning.message
    assert warning.message.split(": step ")[1].split(" ")[0].isdigit() and warning.line > 2


def test_every_handout_credits_openmoji(example_build):
    _, out = example_build["a4"]
    for pdf in (out / "washing-hands").glob("*.pdf"):
        assert "All emojis designed by OpenMoji" in " ".join(pdf_pages_text(pdf)), pdf.name


def test_a_long_title_and_no_pictures_still_fit(tmp_path):
    path = tmp_path / "plain.yaml"
    path.write_text(
        "title: A very long title for a story about going to the big supermarket on a busy Saturday morning\n"
        "steps:\n  - We walk to the shop.\n  - I hold the basket.\n  - I put the apples in the basket.\n"
    )
    [outcome] = build([path], tmp_path / "out", formats=["strip", "cards", "tracker", "guide"])
    assert outcome.problems == []
    assert all(len(PdfReader(p).pages) == 1 for p in outcome.outputs)


def guide_html(yaml_text: str, settings=None) -> str:
    import yaml

    from storygen.pages.render import render
    from storygen.story.model import Story
    from storygen.story.settings import Settings

    return render(Story.model_validate(yaml.safe_load(yaml_text)), "guide", "screen", settings=settings or Settings())


def test_a_sensory_guide_says_how_to_offer_each_thing_and_watch_the_response():
    sensory = guide_html("title: Beach\nkind: sensory\nsteps:\n  - text: Waves.\n    stimulus: a rain stick\n")
    social = guide_html("title: Dentist\nsteps: [I sit in the chair.]\n")
    assert "Watch how your child responds" in sensory and "stop offering it" in sensory
    assert "the day before" not in sensory and "small-wins chart" not in sensory
    assert "the day before" in social and "Watch how your child responds" not in social


def test_the_guide_says_mastery_in_a_familys_words():
    html = guide_html(
        "title: Coat\nkind: task\nchaining: backward\nmastery: 3 sessions in a row, every step I\nsteps: [a]\n"
    )
    assert "three times in a row, every step on their own" in html
    assert "sessions" not in html.split("<article")[1]


def test_a_sensory_story_gets_no_small_wins_tracker_by_default():
    from storygen.story.model import Story

    sensory = Story.model_validate({"title": "Beach", "kind": "sensory", "steps": ["Waves."]})
    assert not FORMATS["tracker"].suits(sensory) and FORMATS["kit"].suits(sensory)
    assert FORMATS["tracker"].suits(sensory.model_copy(update={"kind": "task"}))


def test_the_kit_prints_each_caution_beside_its_stimulus():
    from storygen.pages.render import render
    from storygen.story.model import Story

    story = Story.model_validate(
        {
            "title": "Kitchen",
            "kind": "sensory",
            "steps": [
                {"text": "Smell.", "stimulus": {"item": "a peanut butter jar", "caution": "nuts: check for allergies"}},
                {"text": "Feel.", "stimulus": {"item": "warm dough"}},
            ],
        }
    )
    html = render(story, "kit", "screen")
    row = html.split("a peanut butter jar")[1].split("</tr>")[0]
    assert "Take care:</strong> nuts: check for allergies" in row
    assert html.count("Take care:") == 1


def test_a_guide_never_prints_the_starter_text_and_the_build_warns(tmp_path):
    from click.testing import CliRunner

    from storygen.cli import main
    from storygen.story.settings import STARTER_TEXT, Settings

    starter = Settings(clinic=STARTER_TEXT["clinic"], contact=STARTER_TEXT["contact"])
    html = guide_html("title: Dentist\nsteps: [I sit in the chair.]\n", starter)
    assert "Your clinic" not in html and "Questions? Ask us" not in html  # the empty block is left out
    filled = guide_html("title: Dentist\nsteps: [I sit in the chair.]\n", Settings(clinic="Sunny Days OT"))
    assert "Questions? Ask us" in filled and "Sunny Days OT" in filled

    runner = CliRunner()
    assert runner.invoke(main, ["init", str(tmp_path / "lib")]).exit_code == 0
    library = tmp_path / "lib"
    story = next((library / "stories").glob("*.yaml"))
    result = runner.invoke(main, ["build", str(story), "-o", str(library / "build"), "--format", "guide"])
    assert result.exit_code == 0, result.output
    warnings = [line for line in result.output.splitlines() if "starter text" in line]
    assert len(warnings) == 2 and all("storygen.yaml:" in line and ": warning: " in line for line in warnings)
    assert "1 built" in result.output


LADDER = """\
title: Going back to school
steps:
  - text: I walk past the school gate with Mum.
    label: Walk past the gate
    for: one week
  - text: I stand at the school gate.
    practise: until it feels easy
  - text: I visit the school library.
    for: for two weeks
    practise: until my worry is 3 or less
  - I go to my class for one lesson.
"""


def test_a_graded_ladder_says_how_long_each_step_is_practised():
    import yaml

    from storygen.pages.render import render
    from storygen.story.model import Story

    ladder = Story.model_validate(yaml.safe_load(LADDER))
    assert ladder.ladder and ladder.steps[0].practise_for == "one week"
    story = render(ladder, "story", "screen")
    assert "I practise this step for one week." in story
    assert "I practise this step for two weeks, until my worry is 3 or less." in story  # not "for for"
    guide = render(ladder, "guide", "screen")
    assert "Stay on a step until it is easy" in guide and "the day before" not in guide
    assert "Walk past the gate: practise it for one week." in guide
    tracker = render(ladder, "tracker", "screen")
    assert '<th scope="col">Date</th>' in tracker and "Circle 0 (not at all) to 10 (the most)" in tracker
    assert tracker.count('<td class="worry-scale">') == 7 and "<span>10</span>" in tracker

    plain = Story.model_validate({"title": "Dentist", "steps": ["I sit in the chair."]})
    assert not plain.ladder
    body = lambda html: html.split("<body")[1]  # noqa: E731 (the page, not its styles)
    assert "Circle 0" not in body(render(plain, "tracker", "screen"))
    assert "ladder" not in body(render(plain, "guide", "screen"))


def test_a_misspelt_for_gets_a_suggestion(write_story):
    from storygen.errors import StoryError
    from storygen.story.open import read_story

    with pytest.raises(StoryError) as error:
        read_story(write_story("title: T\nsteps:\n  - text: I walk past the gate.\n    fro: one week\n"))
    assert "unknown key 'fro' (did you mean 'for'?)" in str(error.value)


def test_a_long_title_wraps_whole_and_narrow_headers_hyphenate_by_language(tmp_path):
    """A handout's head never cuts a title with an ellipsis; the tracker's narrow headers break a
    long word with a hyphen of the story's language, never in the middle without one."""
    title = "L'exercice d'incendie à l'école, quand la sonnerie retentit très fort dans le couloir"
    labels = ["toothpaste on toothbrush", "toothbrush wet", *(f"brush part {n}" for n in range(3, 11))]
    steps = "".join(f"  - text: I do step {n}.\n    label: {label}\n" for n, label in enumerate(labels, 1))
    story = tmp_path / "drill.yaml"
    story.write_text(f'title: "{title}"\nkind: task\nsteps:\n{steps}', encoding="utf-8")
    [outcome] = build([story], tmp_path / "build", "a4", formats=["strip", "tracker"], catalog=False)
    assert not outcome.problems, [p.message for p in outcome.problems]
    for name in ("strip", "tracker"):
        [page] = pdf_pages_text(tmp_path / "build" / "drill" / f"drill-{name}.pdf")
        assert title in page, name
    # laid out: every line of the title within the head's title box (not drawn on, clipped)
    head = [box for classes, box in classed_boxes(laid_out(read_story(story), "strip")) if box.element_tag == "h1"]
    right = head[0].content_box_x() + head[0].width
    lines = [line for _classes, line in classed_boxes(head[0]) if type(line).__name__ == "LineBox"]
    assert len(lines) > 1 and all(line.position_x + line.width <= right + 0.5 for line in lines)
    tracker = subprocess.run(
        ["pdftotext", "-raw", str(tmp_path / "build" / "drill" / "drill-tracker.pdf"), "-"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    assert "tooth-\nbrush" in tracker  # an ASCII hyphen (handouts.css): Atkinson Hyperlegible has no U+2010
    assert not re.search(r"toothbru\n|toothpas\n", tracker)


def laid_out(story, name: str):
    """An output's first page, laid out by WeasyPrint: its boxes."""
    from weasyprint import HTML

    from storygen.pages.assets import asset_folders
    from storygen.pages.pdf import LibraryFetcher
    from storygen.pages.render import render

    fetcher = LibraryFetcher(asset_folders()[0], asset_folders())
    return HTML(string=render(story, name), url_fetcher=fetcher).render().pages[0]._page_box
