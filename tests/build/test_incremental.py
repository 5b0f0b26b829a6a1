"""Incremental and parallel builds: what rebuilds after which change, stale outputs, catalog."""

import json
import os
import re
import shutil
import tempfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from PIL import Image

from storygen.build.stories import build
from storygen.cli import main
from tests.conftest import REPO, pdf_pages_text


def story_text(title: str, image: str | None = None) -> str:
    picture = f"    image: {image}\n    alt: A photo\n" if image else "    symbol: soap\n"
    return f"title: {title}\ntags: [{title.split()[0].lower()}, home]\nage: 4-8\nsteps:\n  - text: First step\n{picture}  - Second step.\n"


def make_library(root: Path) -> Path:
    """A library of three stories (one with a photo), not built yet."""
    (root / "stories").mkdir(parents=True)
    (root / "storygen.yaml").write_text("name: Test clinic\nformats: [story, strip]\n")
    Image.new("RGB", (800, 600), "blue").save(root / "stories" / "sink.png")  # enough pixels for its page
    for name, title, image in [("a", "Apples today", None), ("b", "Bus ride", "sink.png"), ("c", "Clean hands", None)]:
        (root / "stories" / f"{name}.yaml").write_text(story_text(title, image))
    return root


@pytest.fixture
def library(tmp_path):
    """The library of three stories, never built."""
    return make_library(tmp_path / "lib")


@pytest.fixture(scope="module")
def first_build(tmp_path_factory):
    """The library after its first build, made once for the module (a build takes seconds)."""
    root = make_library(tmp_path_factory.mktemp("first") / "lib")
    assert rendered(rebuild(root)) == {"a", "b", "c"}
    return root


@pytest.fixture
def built(first_build, tmp_path):
    """A copy of the library as its first build left it, for a test to change and build again. What
    tells a build a story is up to date travels with the copy: the manifest's paths are relative
    to the output folder, and copytree keeps each file's size, time and content."""
    return Path(shutil.copytree(first_build, tmp_path / "lib", symlinks=True))


def rebuild(root: Path, **options) -> dict[str, object]:
    return {o.path.stem: o for o in build([root / "stories"], root / "build", **options)}


def rendered(outcomes) -> set[str]:
    return {name for name, o in outcomes.items() if not o.skipped and not o.removed and not o.failed}


def test_nothing_changed_renders_nothing(library):
    assert rendered(rebuild(library)) == {"a", "b", "c"}
    before = {p: p.stat().st_mtime_ns for p in (library / "build").rglob("*.pdf")}
    again = rebuild(library)
    assert rendered(again) == set() and all(o.skipped for o in again.values())
    assert {p: p.stat().st_mtime_ns for p in (library / "build").rglob("*.pdf")} == before
    assert [p.name for p in again["a"].outputs] == [
        "a.pdf",
        "a-strip.pdf",
        "a.html",
    ]  # the web page last: it links to them


def test_a_changed_story_rebuilds_alone(built):
    library = built
    os.utime(library / "stories" / "c.yaml")  # touched, same content: still up to date
    (library / "stories" / "a.yaml").write_text(story_text("Apples tomorrow"))
    assert rendered(rebuild(library)) == {"a"}


def test_a_changed_photo_rebuilds_only_the_story_using_it(built):
    library = built
    Image.new("RGB", (800, 600), "red").save(library / "stories" / "sink.png")
    assert rendered(rebuild(library)) == {"b"}


def test_settings_templates_options_and_force_rebuild_all(built):
    library = built
    (library / "storygen.yaml").write_text("name: Test clinic\nformats: [story, strip, guide]\n")
    assert rendered(rebuild(library)) == {"a", "b", "c"}
    (library / "templates").mkdir()
    (library / "templates" / "story.css").write_text((REPO / "templates" / "story.css").read_text())
    assert rendered(rebuild(library)) == {"a", "b", "c"}
    assert rendered(rebuild(library, paper="letter")) == {"a", "b", "c"}
    assert rendered(rebuild(library, paper="letter")) == set()
    assert rendered(rebuild(library, paper="letter", force=True)) == {"a", "b", "c"}


def test_a_deleted_story_has_its_outputs_removed(built):
    library = built
    (library / "build" / "c" / "notes.txt").write_text("a clinician's own file")
    (library / "stories" / "c.yaml").unlink()
    outcomes = rebuild(library)
    assert sorted(p.name for p in outcomes["c"].removed) == ["c-strip.pdf", "c.html", "c.pdf"]
    assert sorted(p.name for p in (library / "build" / "c").iterdir()) == ["notes.txt"]  # only storygen's files go
    assert "c" not in json.loads((library / "build" / ".storygen" / "manifest.json").read_text())["stories"]


def test_a_failed_story_is_tried_again_and_warnings_are_repeated(built):
    library = built
    (library / "stories" / "bad.yaml").write_text("title: Bad\nsteps: [a]\nkind: socal\n")
    long_steps = "".join(
        f"  - text: Step {n} " + "and a very long walk around the whole big park " * 6 + "\n" for n in range(8)
    )
    (library / "stories" / "long.yaml").write_text(f"title: Long walk\nsteps:\n{long_steps}")
    first = rebuild(library)
    assert first["bad"].failed and any(p.severity == "warning" for p in first["long"].problems)
    second = rebuild(library)
    assert second["bad"].failed and not second["bad"].skipped
    assert second["long"].skipped and [str(p) for p in second["long"].problems] == [
        str(p) for p in first["long"].problems
    ]


def test_parallel_build_makes_the_same_files_and_leaves_no_temporary_folders(library, tmp_path, monkeypatch):
    system_temp = tmp_path / "system-temp"  # the system's temporary folder, for this test alone
    system_temp.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(system_temp))
    outcomes = rebuild(library, jobs=2)
    assert rendered(outcomes) == {"a", "b", "c"}
    assert list(system_temp.iterdir()) == []
    assert not [p for p in (library / "build").rglob("*") if p.name.startswith("tmp-") or p.suffix == ".tmp"]
    for name in "abc":
        assert len(pdf_pages_text(library / "build" / name / f"{name}.pdf")) == 3  # cover and two steps


def test_catalog_lists_and_links_every_story_with_filters(built):
    library = built
    html = (library / "build" / "index.html").read_text()
    for name, title in [("a", "Apples today"), ("b", "Bus ride"), ("c", "Clean hands")]:
        assert f'<h2 lang="en">{title}</h2>' in html
        for output in (f"{name}/{name}.pdf", f"{name}/{name}.html", f"{name}/{name}-strip.pdf"):
            assert f'href="{output}"' in html and (library / "build" / output).is_file()
    assert '<input type="search" id="search"' in html
    assert re.search(r'<select id="kind">.*<option value="social">Social story</option>', html, re.S)
    tags = re.search(r'<select id="tag">(.*?)</select>', html, re.S).group(1)
    assert re.findall(r'<option value="([^"]+)">', tags) == ["apples", "bus", "clean", "home"]
    assert 'data-kind="social" data-tags="apples|home"' in html
    assert "<h1>Test clinic</h1>" in html and "ages 4-8" in html
    assert not re.search(r'(src|href)="(https?:|//)', html)  # works from disk: no network, no CDN
    text = " ".join(pdf_pages_text(library / "build" / "catalog.pdf"))
    assert all(title in text for title in ("Apples today", "Bus ride", "Clean hands"))
    rebuild(library, paper="letter")
    from pypdf import PdfReader

    page = PdfReader(library / "build" / "catalog.pdf").pages[0]
    assert (round(float(page.mediabox.width)), round(float(page.mediabox.height))) == (612, 792)


def test_catalog_is_rewritten_only_when_something_changed(built):
    library = built
    index = library / "build" / "index.html"
    stamp = index.stat().st_mtime_ns
    rebuild(library)
    assert index.stat().st_mtime_ns == stamp
    (library / "stories" / "a.yaml").write_text(story_text("Apples again"))
    rebuild(library)
    assert "Apples again" in index.read_text()


def test_catalog_pdf_is_printed_again_only_when_what_it_shows_changed(built):
    library = built
    pdf, index = library / "build" / "catalog.pdf", library / "build" / "index.html"
    printed, written = pdf.stat().st_mtime_ns, index.stat().st_mtime_ns
    (library / "stories" / "a.yaml").write_text(story_text("Apples today").replace("First step", "A new first step"))
    assert rendered(rebuild(library)) == {"a"}
    assert (pdf.stat().st_mtime_ns, index.stat().st_mtime_ns) == (printed, written)  # no step text in the catalog
    (library / "stories" / "a.yaml").write_text(story_text("Apples and pears"))
    rebuild(library)
    assert pdf.stat().st_mtime_ns != printed and "Apples and pears" in " ".join(pdf_pages_text(pdf))
    pdf.unlink()
    (library / "stories" / "c.yaml").write_text(story_text("Clean hands").replace("First", "Then"))
    rebuild(library)
    assert "Apples and pears" in " ".join(pdf_pages_text(pdf))  # gone: printed again


def structure_by_page(reader) -> list[int]:
    """For each page, how many structure elements the parent tree gives it; 0 is a broken link."""
    tree = reader.root_object["/StructTreeRoot"].get_object()
    numbers = tree["/ParentTree"].get_object()["/Nums"]
    parents = {int(key): elements.get_object() for key, elements in zip(numbers[::2], numbers[1::2], strict=True)}
    counts = []
    for page in reader.pages:
        elements = [e.get_object() for e in parents.get(int(page["/StructParents"]), [])]
        counts.append(sum(e.raw_get("/Pg").idnum == page.indirect_reference.idnum for e in elements))
    return counts


def test_a_long_catalog_is_printed_in_parts_and_joined_into_one_tagged_pdf(library, monkeypatch):
    from pypdf import PdfReader

    import storygen.build.catalog

    monkeypatch.setattr(storygen.build.catalog, "PART", 1)  # a part per story: three parts joined
    for name in ("d", "e", "f", "g", "h"):
        (library / "stories" / f"{name}.yaml").write_text(story_text(f"Story {name}"))
    rebuild(library)
    reader = PdfReader(library / "build" / "catalog.pdf")
    pages = [" ".join(page.extract_text().split()) for page in reader.pages]
    assert len(pages) == 8  # one part a page: each part starts a page
    text = " ".join(pages)
    titles = ["Apples today", "Bus ride", "Clean hands", "Story d", "Story e", "Story f", "Story g", "Story h"]
    assert [text.index(title) for title in titles] == sorted(text.index(title) for title in titles)
    assert (
        text.count("Test clinic") == 1 and text.count("8 of 8 stories") == 1 and text.count("Made with storygen") == 1
    )
    assert [page.split()[-1] for page in pages] == [str(n) for n in range(1, 9)]  # numbered on
    tree = reader.root_object["/StructTreeRoot"].get_object()
    assert [str(k.get_object()["/S"]) for k in tree["/K"]] == ["/Document"]
    assert all(count > 0 for count in structure_by_page(reader))  # every page's tags lead to that page
    assert reader.root_object["/MarkInfo"]["/Marked"] and reader.root_object["/Lang"] == "en"
    assert [item.title for item in reader.outline[1]] == titles and reader.outline[0].title == "Test clinic"


def test_cli_plain_lines_quiet_and_summary(library, monkeypatch):
    monkeypatch.chdir(library)
    result = CliRunner().invoke(main, ["build", "--jobs", "2"])
    assert result.exit_code == 0, result.output
    assert "\r" not in result.output  # no progress bar when not on a terminal
    assert sum(line.startswith("built stories/") for line in result.output.splitlines()) == 3
    assert result.output.splitlines()[-1] == "3 built, 0 failed"
    result = CliRunner().invoke(main, ["build", "-q"])
    assert result.output.splitlines() == ["0 built, 3 up to date, 0 failed"]
    (library / "stories" / "b.yaml").unlink()
    result = CliRunner().invoke(main, ["build", "--force"])
    assert "3 built" not in result.output and "2 built, 0 failed, 1 removed" in result.output


def test_progress_bar_draws_and_clears_on_a_terminal(capsys):
    from storygen.build.report import Progress

    progress = Progress(4, enabled=True)
    progress.advance()
    progress.clear()
    out = capsys.readouterr().out
    assert "\r[" + "." * 30 + "] 0/4 stories" in out and "\r[" + "#" * 7 + "." * 23 + "] 1/4 stories" in out
    assert out.endswith("stories\r")  # then erases the line (click drops the escape code off a terminal)
    quiet = Progress(4, enabled=False)
    quiet.advance()
    assert capsys.readouterr().out == ""


def test_catalog_shows_photo_covers_and_the_manifest_keeps_no_local_paths(library):
    (library / "stories" / "b.yaml").write_text(
        story_text("Bus ride", "sink.png").replace("title:", "image: sink.png\nalt: Our sink\ntitle:")
    )
    rebuild(library)
    html = (library / "build" / "index.html").read_text()
    assert re.search(r'<img class="cover" src="data:image/(jpeg|png);base64,[^"]+" alt="Bus ride">', html)
    assert str(library) not in (library / "build" / ".storygen" / "manifest.json").read_text()


def test_a_partial_build_keeps_the_other_outputs_listed(built):
    library = built
    rebuild(library, formats=["cards"])
    html = (library / "build" / "index.html").read_text()
    assert 'href="a/a-cards.pdf"' in html and 'href="a/a.pdf"' in html and 'href="a/a-strip.pdf"' in html
