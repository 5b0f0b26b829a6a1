"""The output kinds' registry (formats.py): everything about a kind comes from its entry, a
new kind needs only an entry and a template, and the page anchors are a checked contract."""

import re
import subprocess
import sys
import typing

from click.testing import CliRunner
from pypdf import PdfReader

from storygen import library
from storygen.build import catalog, output
from storygen.build.stories import build
from storygen.cli import main
from storygen.errors import with_hint
from storygen.pages import layouts
from storygen.pages.formats import FORMATS
from storygen.pages.render import render
from storygen.story import fields, settings
from storygen.story.open import read_story
from tests.conftest import MINIMAL_STORY, pdf_pages_text


def test_every_list_of_kinds_comes_from_the_registry():
    names = tuple(FORMATS)
    assert names == fields.OUTPUT_KINDS  # every name a library may ask for has its entry, in order
    assert typing.get_args(settings.Settings.model_fields["formats"].annotation) == (fields.OutputKind,)
    assert settings.Settings().formats == list(names)
    settings_line = next(
        line
        for line in library.SETTINGS.format(name="x", formats=", ".join(names)).splitlines()
        if line.startswith("formats:")
    )
    assert settings_line.startswith(f"formats: [{', '.join(names)}]")
    result = CliRunner().invoke(main, ["formats"])
    assert [line.split()[0] for line in result.output.splitlines()] == list(names)
    labels = catalog.output_labels("x")
    assert labels["x.pdf"] == FORMATS["story"].label and labels["x.html"] == FORMATS["story"].screen
    assert {labels[FORMATS[name].file_name("x")] for name in names} == {fmt.label for fmt in FORMATS.values()}
    assert output.output_names("x") == set(labels)


SCHEDULE_KIND = """
import sys, typing
import storygen.story.fields as fields
# A new kind's name, as adding it to story/fields.py's OutputKind does, before settings reads it:
fields.OutputKind = typing.Literal[(*fields.OUTPUT_KINDS, "schedule")]
fields.OUTPUT_KINDS = typing.get_args(fields.OutputKind)
from storygen.pages.formats import FORMATS, Format, landscape, one_sheet
from storygen.pages.layouts import handout_page

def schedule_layout(sheet):
    width, height = sheet.content_mm()
    return {**handout_page(sheet), "slot_h": round((height - 30) / max(sheet.steps, 4), 1)}

FORMATS["schedule"] = Format(
    "schedule", "Visual schedule", "The steps as a visual schedule, one row each, to tick off as they are done.",
    "schedule.html", landscape=landscape, layout=schedule_layout, pages=one_sheet)

from storygen.cli import main
main(sys.argv[1:])
"""

SCHEDULE_TEMPLATE = """\
{% extends "base.html" %}
{% from "macros.html" import anchor, figure with context %}
{% block title %}{{ story.title }}: schedule{% endblock %}
{% block style %}{% include "handouts.css" %}
.slot { height: {{ layout.slot_h }}mm; border-bottom: 1pt solid; font-size: 18pt; }
{% endblock %}
{% block body %}
<h1>My schedule: {{ story.title }}</h1>
{% for step in story.steps %}
<div class="slot" {{ anchor("step", loop.index) }}>{{ loop.index }}. {{ step.label or step.text }}</div>
{% endfor %}
{% endblock %}
"""


def test_a_new_kind_is_an_entry_a_template_and_its_css(tmp_path):
    """A throwaway kind (its name, its entry, registered before storygen loads, and a library
    template) is accepted in storygen.yaml, built, checked for fit, listed and labelled in the catalog."""
    lib = tmp_path / "lib"
    (lib / "templates").mkdir(parents=True)
    (lib / "storygen.yaml").write_text("name: Test clinic\nformats: [schedule]\n")
    (lib / "templates" / "schedule.html").write_text(SCHEDULE_TEMPLATE)
    (lib / "shop.yaml").write_text(MINIMAL_STORY)
    run = [sys.executable, "-c", SCHEDULE_KIND]
    built = subprocess.run([*run, "build", str(lib), "-o", str(tmp_path / "out")], capture_output=True, text=True)
    assert built.returncode == 0 and "warning" not in built.stdout + built.stderr, built.stdout + built.stderr
    pdf = tmp_path / "out" / "shop" / "shop-schedule.pdf"
    [page] = PdfReader(pdf).pages
    assert (round(float(page.mediabox.width)), round(float(page.mediabox.height))) == (842, 595)  # its orientation
    assert "My schedule: Going to the shop 1. We walk to the shop. 2. I hold the basket." in pdf_pages_text(pdf)[0]
    assert (
        '<a href="shop/shop-schedule.pdf" hreflang="en">Visual schedule</a>'
        in (tmp_path / "out" / "index.html").read_text()
    )
    listed = subprocess.run([*run, "formats"], capture_output=True, text=True, check=True).stdout
    assert "schedule   The steps as a visual schedule" in listed


def test_a_kind_without_the_anchors_it_promises_is_caught(tmp_path):
    """The same template without anchor(): the build says so instead of passing silently."""
    lib = tmp_path / "lib"
    (lib / "templates").mkdir(parents=True)
    (lib / "storygen.yaml").write_text("name: Test clinic\nformats: [schedule]\n")
    (lib / "templates" / "schedule.html").write_text(SCHEDULE_TEMPLATE.replace(' {{ anchor("step", loop.index) }}', ""))
    (lib / "shop.yaml").write_text(MINIMAL_STORY)
    built = subprocess.run(
        [sys.executable, "-c", SCHEDULE_KIND, "build", str(lib), "-o", str(tmp_path / "out")],
        capture_output=True,
        text=True,
    )
    assert 'templates/schedule.html has no page anchors (id="step-1", id="step-2")' in built.stderr


OVERFLOWING = """\
title: Anchors
steps:
  - A short step.
  - text: A step with more sub-steps than a page can hold, so that it spills over.
    steps: [Put the towel back on the hook, Put the towel back on the hook, Put the towel back on the hook,
            Put the towel back on the hook, Put the towel back on the hook, Put the towel back on the hook,
            Put the towel back on the hook, Put the towel back on the hook, Put the towel back on the hook,
            Put the towel back on the hook, Put the towel back on the hook, Put the towel back on the hook]
  - Another short step.
"""
NO_STEP_IDS = """\
{% extends "builtin/story.html" %}
{% block steps %}{% for step in story.steps %}
<section class="page step"><p class="text">{{ step.text }}</p>
{% for sub in step.steps %}<p class="text" style="margin-top: 10mm">{{ sub.text }}</p>{% endfor %}</section>
{% endfor %}{% endblock %}
"""


def test_a_library_template_without_page_anchors_gets_one_warning_not_a_wrong_one(tmp_path):
    plain, own = tmp_path / "plain", tmp_path / "own"
    for folder in (plain, own):
        folder.mkdir()
        (folder / "anchors.yaml").write_text(OVERFLOWING)
    [outcome] = build([plain / "anchors.yaml"], tmp_path / "built", formats=["story"])
    assert [with_hint(p.message, p.hint) for p in outcome.problems if p.severity == "warning"] == [
        "step 2 does not fit on one page (it takes 2); shorten the text, or use fewer sub-steps or choices"
    ]
    (own / "templates").mkdir()
    (own / "templates" / "story.html").write_text(NO_STEP_IDS)  # the same story, its steps without ids
    [outcome] = build([own / "anchors.yaml"], tmp_path / "out", formats=["story"])
    assert outcome.pages > 4  # step 2 still spills over
    [warning] = outcome.problems
    assert warning.severity == "warning" and with_hint(warning.message, warning.hint).startswith(
        'templates/story.html has no page anchors (id="step-1", id="step-2"...): storygen cannot tell which page '
        "does not fit; use the anchor() macro"
    )


def test_handout_anchors_are_checked_too(tmp_path):
    (tmp_path / "templates").mkdir()
    strip = (formats_template("strip.html")).replace(' {{ anchor("step", loop.index) }}', "")
    (tmp_path / "templates" / "strip.html").write_text(strip)
    (tmp_path / "shop.yaml").write_text(MINIMAL_STORY)
    [outcome] = build([tmp_path / "shop.yaml"], tmp_path / "out", formats=["strip", "guide"])
    [warning] = outcome.problems  # one, for the strip: the guide has no parts to anchor
    assert warning.message.startswith('templates/strip.html has no page anchors (id="step-1", id="step-2"): ')


def formats_template(name: str) -> str:
    from storygen.pages.assets import templates_folder

    return (templates_folder() / name).read_text(encoding="utf-8")


def test_templates_mark_their_parts_with_the_anchor_macro_only():
    """No template writes an anchor by hand: the macro is the one place the ids are spelled."""
    for name in ("story.html", "cards.html", "strip.html", "kit.html", "tracker.html", "datasheet.html"):
        text = formats_template(name)
        assert "anchor(" in text, name
        assert not re.search(r'id="(step-|(cover|calm|intro|conclusion)")', text), name


def css_mm(html: str, selector: str, prop: str = "width") -> float:
    rule = re.search(re.escape(selector) + r"\s*\{[^}]*?" + prop + r":\s*([\d.]+)mm", html)
    assert rule, (selector, prop)
    return float(rule.group(1))


def test_layout_numbers_reach_the_css_from_one_place(tmp_path, monkeypatch):
    """Page margins and column widths in the CSS are the numbers layouts.py computes with:
    change them there and the page still adds up."""
    monkeypatch.setattr(layouts, "MARGIN_MM", 15.5)
    monkeypatch.setattr(layouts, "FOOTER_MM", 25.5)
    path = tmp_path / "shop.yaml"
    path.write_text(MINIMAL_STORY)
    story = read_story(path)
    for name in ("strip", "cards", "tracker", "kit", "guide"):
        html = render(story, name, "print", "a4")
        assert "@page { margin: 15.5mm 15.5mm 25.5mm;" in html, name
    assert "@page cards { margin-top: 21.5mm;" in render(story, "cards", "print", "a4")
    monkeypatch.setattr(layouts, "STORY_SIDE_MM", 17.5)
    assert "margin: 15.0mm 17.5mm 18.0mm;" in render(story, "story", "print", "a4")  # the story's page too
    tracker = render(story, "tracker", "print", "a4")
    columns = css_mm(tracker, "col.try") + css_mm(tracker, "col.sticker") + 2 * css_mm(tracker, ".tracker col.step")
    assert abs(columns - (297 - 2 * 15.5)) < 0.05  # the columns fill the landscape page inside its margins
    for sessions, size, step_col in ((12, "A4 landscape", 85), (6, "A4;", 75)):
        path.write_text(f"title: T\nkind: task\nsessions: {sessions}\nsteps: [a, b]\n")
        sheet = render(read_story(path), "datasheet", "print", "a4")
        assert f"size: {size}" in sheet and css_mm(sheet, "col.step") == step_col  # wider on a wider page
