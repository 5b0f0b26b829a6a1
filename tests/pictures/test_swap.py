"""A checked file swapped for a link (issue 23 item 9): a library file is read through the
descriptor that was checked, so a picture, a recording or a template swapped in a loop between
a real file and a link to a file outside never brings the outside file into a web page. The
swapping runs in another process: a thread would swap only when the GIL lets it."""

from __future__ import annotations

import base64
import os
import re
import subprocess
import sys

import pytest

from storygen.errors import StoryError
from storygen.pages.render import render
from storygen.story.open import read_story
from tests.pictures.test_audio import recording

SECRET = "c0ffee"  # the outside file's colour: what must never reach the page
DRAWING = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 72 72"><rect width="72" height="72" fill="#{}"/></svg>'
RENDERS = 50


SWAP = """
import os, sys, time
path, real, outside, stop = sys.argv[1:]
spare, swaps, deadline = path + ".swap", 0, time.monotonic() + 60
print("swapping", flush=True)
while not os.path.exists(stop) and time.monotonic() < deadline:
    os.symlink(outside, spare)
    os.replace(spare, path)
    time.sleep(0.0001)  # a link a good part of the time, and the real file longer: some renders succeed
    os.link(real, spare)  # the real file back (a rename onto its own hard link would do nothing)
    os.replace(spare, path)
    time.sleep(0.0003)
    swaps += 1
print(swaps)
"""


def swapped_renders(library, story, path, real, outside) -> tuple[int, list[str]]:
    """(how many renders failed, the pages made) while another process swaps path between the
    real file and a link to outside in a tight loop, as someone sharing the library could."""
    stop, failed, pages = library.parent / "stop", 0, []
    swapper = subprocess.Popen(
        [sys.executable, "-c", SWAP, path, real, outside, stop], stdout=subprocess.PIPE, text=True
    )
    try:
        assert swapper.stdout and swapper.stdout.readline() == "swapping\n"  # under way
        for _ in range(RENDERS):
            try:
                pages.append(render(story, "story", "screen", library=library))
            except StoryError:
                failed += 1  # the swap was seen: refused, with a message
    finally:
        stop.touch()
        swaps = int(swapper.communicate(timeout=60)[0] or 0)  # the loop stops at the stop file, or in 60 s
    assert swaps >= 10  # it did swap while rendering
    return failed, pages


def carried(page: str) -> str:
    """The page and every file it carries, decoded."""
    files = re.findall(r"data:[a-z/+0-9-]+;base64,([A-Za-z0-9+/=]+)", page)
    return page + "".join(base64.b64decode(f).decode("latin-1") for f in files)


@pytest.fixture
def library(tmp_path):
    library, outside = tmp_path / "library", tmp_path / "outside"
    (library / "assets").mkdir(parents=True), outside.mkdir()
    (library / "storygen.yaml").write_text("name: Clinic\n")
    (library / "assets" / ".real.svg").write_text(DRAWING.format("00aa00"))
    os.link(library / "assets" / ".real.svg", library / "assets" / "sink.svg")
    (outside / "secret.svg").write_text(DRAWING.format(SECRET))
    recording(library / "assets" / ".real.wav")
    os.link(library / "assets" / ".real.wav", library / "assets" / "voice.wav")
    (outside / "secret.wav").write_bytes((library / "assets" / ".real.wav").read_bytes() + SECRET.encode())
    (library / "story.yaml").write_text(
        "title: Washing\nsteps:\n  - text: I wash my hands.\n    image: assets/sink.svg\n    audio: assets/voice.wav\n"
    )
    return library


@pytest.mark.parametrize("name", ["sink.svg", "voice.wav"])
def test_a_library_file_swapped_for_a_link_outside_never_reaches_the_page(library, name):
    story = read_story(library / "story.yaml")
    path = library / "assets" / name
    outside = library.parent / "outside" / ("secret.svg" if name.endswith("svg") else "secret.wav")
    real = path.with_name(".real" + path.suffix)
    failed, pages = swapped_renders(library, story, path, real, outside)
    assert sum(SECRET in carried(page) for page in pages) == 0
    assert pages and failed < RENDERS  # some renders succeeded: the test is not empty
    assert all("00aa00" in carried(page) for page in pages)  # and those carry the library's own


def test_a_template_swapped_for_a_link_outside_never_reaches_the_page(library):
    from storygen.pages.render import _environment

    templates, outside = library / "templates", library.parent / "outside"
    templates.mkdir()
    (templates / ".real.css").write_text(".kind-name { color: #00aa00; }\n")
    os.link(templates / ".real.css", templates / "custom.css")
    (outside / "secret.css").write_text(f".kind-name {{ color: #{SECRET}; }}\n")
    _environment.cache_clear()
    story = read_story(library / "story.yaml")
    failed, pages = swapped_renders(
        library, story, templates / "custom.css", templates / ".real.css", outside / "secret.css"
    )
    assert sum(SECRET in page for page in pages) == 0
    assert pages and failed < RENDERS
