"""Shared fixtures: stories to write, and PDFs rendered once per test session."""

from __future__ import annotations

import gc
import os
import shutil
import tempfile
import textwrap
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
EXAMPLES = REPO / "stories"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"

MINIMAL_STORY = """\
title: Going to the shop
steps:
  - We walk to the shop.
  - I hold the basket.
"""

FULL_STORY = """\
title: Washing my hands
kind: task
symbol: soap
intro: Washing my hands keeps germs away.
calm:
  - text: A big squeeze hug
    symbol: people hugging
  - Three slow breaths
steps:
  - text: I turn on the water.
    symbol: potable water
    feel: The water may feel cold. That is okay.
  - text: I wash with soap.
    symbol: soap
    alt: A bar of soap
    steps:
      - Palms
      - text: Backs of my hands
        symbol: raised back of hand
  - text: I dry my hands.
    symbol: roll of paper
conclusion:
  text: My hands are clean!
  symbol: star-struck
tags: [hygiene, self-care]
age: 4-8
language: en-GB
author: Sam the OT
license: CC BY 4.0
chaining: backward
prompts: [I, G, V, PP, FP]
sessions: 12
mastery: 3 sessions in a row, every step I
"""


@pytest.fixture
def write_story(tmp_path):
    """Write YAML text to tmp_path/<name>.yaml and return its path."""

    def write(text: str, name: str = "story") -> Path:
        path = tmp_path / f"{name}.yaml"
        path.write_text(textwrap.dedent(text), encoding="utf-8")
        return path

    return write


WHOLE_LIBRARY = {"example_build", "drawn"}  # fixtures that build the example library or draw every symbol


@pytest.hookimpl(tryfirst=True)  # the order is set before pytest-xdist hands tests out
def pytest_collection_modifyitems(items):
    """Mark slow the tests that build the whole example library or draw every symbol; and run first
    the tests that share a fixture made once for their module or the session (a library's build,
    the hostile corpus's build and check, a wheel), each module's in its order. With -n, xdist hands
    the first tests out in long runs of consecutive ones and the last ones two at a time, so a
    module near the end was split between the workers and each made its shared fixture (the
    hostile corpus, 18 s, twice). Now those come early, and the last are tests with nothing to share."""
    for item in items:
        if WHOLE_LIBRARY & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.slow)
    items.sort(key=lambda item: not shares_a_fixture(item))  # sort is stable


def shares_a_fixture(item) -> bool:
    """Whether the test uses a module- or session-scoped fixture of these tests, directly or through
    another fixture (pytest's own are left out: every tmp_path uses the session's tmp_path_factory;
    so is the browser: each worker starts its own, in a second)."""
    info = getattr(item, "_fixtureinfo", None)
    for name, definitions in info.name2fixturedefs.items() if info else ():
        fixture = definitions[-1] if definitions else None
        if fixture and fixture.baseid and name != "browser" and fixture.scope in ("module", "session"):
            return True
    return False


def pytest_configure(config):
    """storygen's cache folder (the sets' name indexes kept on disk), one for the run, set before
    any test module copies the environment: the tests never write into the home of whoever runs
    them, nor read what it holds. xdist's workers inherit the controller's."""
    if not hasattr(config, "workerinput"):
        config.storygen_cache = tempfile.mkdtemp(prefix="storygen-test-cache-")
        os.environ["STORYGEN_CACHE"] = config.storygen_cache


def pytest_collection_finish(session):
    """Every test module is imported and every test collected: those objects live until the end,
    so the garbage collector is told to leave them be (gc.freeze). A build collects garbage after
    each story (build/workers.py: WeasyPrint's documents hold cycles), and each collection went
    through all of them: 0.15 s a story in a test process (0.05 s frozen), 35 s of 182 stories in
    one process that ran tests/pages and tests/build. Garbage the tests make is collected as before."""
    gc.collect()
    gc.freeze()


def pytest_unconfigure(config):
    if getattr(config, "storygen_cache", None):
        shutil.rmtree(config.storygen_cache, ignore_errors=True)


@pytest.fixture(scope="session")
def printer():
    from storygen.pages.pdf import Printer

    return Printer()


@pytest.fixture(scope="session")
def example_build(tmp_path_factory):
    """The example library built once, on A4 and on Letter: {paper: (outcomes, folder)}."""
    from storygen.build.stories import build

    results = {}
    for paper in ("a4", "letter"):
        out = tmp_path_factory.mktemp(f"build-{paper}")
        results[paper] = (list(build([EXAMPLES], out, paper)), out)
    return results


@pytest.fixture(scope="session")
def full_build(tmp_path_factory):
    """FULL_STORY built once: (outcome, pdf path)."""
    from storygen.build.stories import build

    folder = tmp_path_factory.mktemp("full")
    (folder / "washing-hands.yaml").write_text(FULL_STORY, encoding="utf-8")
    [outcome] = build([folder / "washing-hands.yaml"], folder / "build")
    return outcome, folder / "build" / "washing-hands" / "washing-hands.pdf"


def pdf_pages_text(path: Path) -> list[str]:
    from pypdf import PdfReader

    return [" ".join(page.extract_text().split()) for page in PdfReader(path).pages]


def pdf_images(path: Path) -> list:
    """Every distinct image in the PDF (WeasyPrint shares one resource dictionary)."""
    from pypdf import PdfReader

    found = {}
    for page in PdfReader(path).pages:
        for image in page.images:
            found.setdefault(image.data, image.image)
    return list(found.values())


@pytest.fixture(autouse=True)
def fail_on_weasyprint_warnings(request):
    """A rendering test fails when WeasyPrint logs a warning it was not expecting."""
    import logging

    records: list[logging.LogRecord] = []

    class Collect(logging.Handler):
        def emit(self, record):
            records.append(record)

    logger, handler = logging.getLogger("weasyprint"), Collect(logging.WARNING)
    logger.addHandler(handler)
    yield
    logger.removeHandler(handler)
    if not request.node.get_closest_marker("weasyprint_warnings"):
        assert not records, "WeasyPrint warned: " + "; ".join(r.getMessage() for r in records)


def pdf_strings(path: Path) -> str:
    """Everything a PDF holds, decoded, to search for what must not be in it: every object
    (annotations and their link URIs, document info, font names, file names) and every
    stream inflated (page content, XMP metadata, fonts, embedded files), plus each page's
    text (drawn as glyph numbers, so mapped back by pypdf). The raw bytes are compressed."""
    from pypdf import PdfReader
    from pypdf.generic import IndirectObject, StreamObject

    reader = PdfReader(path)
    numbers = [(number, generation) for generation, objects in reader.xref.items() for number in objects]
    numbers += [(number, 0) for number in reader.xref_objStm]  # objects packed in object streams
    parts = []
    for number, generation in numbers:
        obj = IndirectObject(number, generation, reader).get_object()
        parts.append(str(obj))
        if isinstance(obj, StreamObject):
            parts.append(obj.get_data().decode("latin-1"))
    parts += [page.extract_text() for page in reader.pages]
    return "\n".join(parts)


def classed_boxes(box, classes=frozenset()):
    """(CSS classes of the box and its ancestors, box) for a laid-out WeasyPrint box and every
    box inside it: how layout tests find a page's parts."""
    element = getattr(box, "element", None)
    classes = classes | set(((element.get("class") or "") if element is not None else "").split())
    yield classes, box
    for child in getattr(box, "children", []):
        yield from classed_boxes(child, classes)


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium, driven by Playwright through its executable_path (no browser download)."""
    if not os.path.exists(CHROMIUM):
        if os.environ.get("CI"):  # CI installs it (.ci/run): a missing browser is a failure there
            pytest.fail(f"no Chromium at {CHROMIUM}: apt-get install chromium")
        pytest.skip("Chromium is not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM)
        yield chromium
        chromium.close()


@pytest.fixture
def tab(browser, preview):
    """A browser tab, wide enough for the preview's side panel, beside the module's `preview`."""
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    page = context.new_page()
    yield page
    context.close()


def wait_until(page, expression: str, timeout: float = 10_000) -> None:
    """Wait until a JavaScript expression is true in page. Playwright's wait_for_function evaluates
    its predicate with eval, which storygen's pages forbid (their policy runs only storygen's own
    scripts): this asks through evaluate, which the policy does not stop, every 50 ms."""
    for _ in range(int(timeout / 50)):
        if page.evaluate(expression):
            return
        page.wait_for_timeout(50)
    raise AssertionError(f"still not true after {timeout / 1000:g} s: {expression}")
