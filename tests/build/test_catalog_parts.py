"""A long catalog is printed in parts, each kept in the build folder: an edit reprints only the
parts it changed, and the joined PDF is the one a full print makes."""

import shutil
from pathlib import Path

import pytest
from pypdf import PdfReader

import storygen.build.catalog as catalog
from storygen.build.incremental import Entry, Manifest
from storygen.build.output import STATE
from tests.build.test_incremental import structure_by_page

SYMBOLS = ["soap", "toothbrush", "school", "bus", "house", "sun"]


def entry(n: int, title: str | None = None) -> Entry:
    story_id = f"story-{n:02d}"
    about = {
        "title": title or f"Story {n:02d}",
        "kind": "social",
        "tags": [f"tag{n % 3}"],
        "age": "4-8",
        "steps": 10,
        "library": "Test clinic",
        "cover": {"symbol": f"mulberry:{SYMBOLS[n % len(SYMBOLS)]}"},
        "languages": ["en"],
        "titles": {},
    }
    return Entry(
        source=f"../stories/{story_id}.yaml",
        key="k",
        story="s",
        outputs=[f"{story_id}.pdf", f"{story_id}.html"],
        about=about,
    )


@pytest.fixture
def printed(monkeypatch):
    """The catalog in parts of about 4 stories; the HTML of every part printed, in order."""
    monkeypatch.setattr(catalog, "PART", 4)
    pages: list[str] = []
    real = catalog._print

    def spy(html, *args, **kwargs):
        pages.append(html)
        return real(html, *args, **kwargs)

    monkeypatch.setattr(catalog, "_print", spy)
    return pages


def manifest(folder: Path, stories: int) -> Manifest:
    (folder / STATE).mkdir(parents=True, exist_ok=True)
    made = Manifest(folder)
    made.entries = {f"story-{n:02d}": entry(n) for n in range(stories)}
    return made


def write(made: Manifest) -> None:
    (made.output / STATE / "catalog.key").unlink(missing_ok=True)  # the whole catalog's stamp: never skipped here
    catalog.write_catalog(made, made.output)


def shown(pdf: Path) -> tuple[list[str], list[tuple[str, int]]]:
    """Each page's text, and each bookmark's title and page (the heading's, then its children's)."""
    reader = PdfReader(pdf)
    pages = [" ".join(page.extract_text().split()) for page in reader.pages]
    heading, children = reader.outline
    marks = [(item.title, reader.get_destination_page_number(item)) for item in [heading, *children]]
    return pages, marks


def full_print(made: Manifest, folder: Path) -> tuple[list[str], list[tuple[str, int]]]:
    """The catalog of the same stories printed whole, every part, into another build folder."""
    other = manifest(folder, 0)
    other.entries = made.entries
    write(other)
    return shown(folder / "catalog.pdf")


def parts_of(made: Manifest) -> list[list[str]]:
    entries = catalog.catalog_entries(made)
    return [[e["title"] for e in entries[bound]] for bound in catalog.part_bounds(entries)]


def kept_files(made: Manifest) -> list[Path]:
    return sorted((made.output / STATE / "catalog").glob("*.part"))


def test_one_title_changed_reprints_only_the_part_it_is_in(tmp_path, printed):
    made = manifest(tmp_path / "build", 14)
    write(made)
    parts = parts_of(made)
    assert len(parts) > 2 and len(printed) == len(parts) and len(kept_files(made)) == len(parts)
    printed.clear()
    made.entries["story-07"].about["title"] = "Story 07, now in words"  # keeps its place among the titles
    write(made)
    assert len(printed) == 1 and "Story 07, now in words" in printed[0]
    assert [part for part in parts_of(made) if "Story 07, now in words" in part] == [
        [title.replace("Story 07", "Story 07, now in words") for title in part] for part in parts if "Story 07" in part
    ]
    assert len(kept_files(made)) == len(parts)  # the part it replaced is gone
    pages, marks = shown(made.output / "catalog.pdf")
    assert (pages, marks) == full_print(made, tmp_path / "whole")
    assert [page.split()[-1] for page in pages] == [str(n) for n in range(1, len(pages) + 1)]  # numbered on
    assert marks[0] == ("Test clinic", 0) and [title for title, _page in marks[1:]] == [
        e["title"] for e in catalog.catalog_entries(made)
    ]
    assert all(title in pages[page] for title, page in marks)  # each bookmark leads to its story's page
    printed.clear()
    write(made)
    assert printed == []  # nothing changed: every part kept


def test_joined_catalog_stays_one_tagged_pdf(tmp_path, printed):
    made = manifest(tmp_path / "build", 14)
    write(made)
    reader = PdfReader(made.output / "catalog.pdf")
    assert len(reader.pages) == len(parts_of(made)) > 2  # a part a page, each starting its page
    tree = reader.root_object["/StructTreeRoot"].get_object()
    assert [str(k.get_object()["/S"]) for k in tree["/K"]] == ["/Document"]
    assert all(count > 0 for count in structure_by_page(reader))  # every page's tags lead to that page
    assert reader.root_object["/MarkInfo"]["/Marked"] and reader.root_object["/Lang"] == "en"
    assert reader.metadata.title == "Test clinic: catalog"
    text = " ".join(" ".join(page.extract_text().split()) for page in reader.pages)
    assert text.count("14 of 14 stories") == 1 and text.count("Made with storygen") == 1


@pytest.mark.parametrize("change", ["removed", "added"])
def test_a_story_removed_or_added_changes_the_parts_around_it(tmp_path, printed, change):
    made = manifest(tmp_path / "build", 16)
    write(made)
    before = parts_of(made)
    printed.clear()
    if change == "removed":
        del made.entries["story-09"]
    else:
        made.entries["story-09b"] = entry(9, "Story 09b")
    write(made)
    after = parts_of(made)
    assert len(after) > 3 and before[:2] == after[:2] and len(printed) < len(after)  # not every part after it
    assert all(title in printed[0] for title in after[0])  # the first part: it counts the stories
    assert not any(title in html for title in after[1] for html in printed)  # a part before the change: kept
    assert shown(made.output / "catalog.pdf") == full_print(made, tmp_path / "whole")
    assert len(kept_files(made)) == len(after)


def test_a_damaged_or_stale_kept_part_is_printed_again(tmp_path, printed):
    made = manifest(tmp_path / "build", 14)
    write(made)
    whole = shown(made.output / "catalog.pdf")
    files = kept_files(made)
    damaged = bytearray(files[1].read_bytes())
    damaged[-100] ^= 0x20  # one bit, deep in its objects
    files[1].write_bytes(bytes(damaged))
    files[2].write_bytes(files[2].read_bytes()[:-10])  # cut short
    shutil.copy(files[0], files[3])  # another part's content under this part's name
    printed.clear()
    write(made)
    assert len(printed) == 3
    assert shown(made.output / "catalog.pdf") == whole
    assert len(kept_files(made)) == len(files)


def test_a_short_catalog_is_printed_whole_and_keeps_nothing(tmp_path, printed):
    made = manifest(tmp_path / "build", 14)
    write(made)
    assert kept_files(made)
    for story_id in list(made.entries)[2:]:
        del made.entries[story_id]
    write(made)
    assert kept_files(made) == [] and len(catalog.part_bounds(catalog.catalog_entries(made))) == 1
    assert shown(made.output / "catalog.pdf")[1] == [("Test clinic", 0), ("Story 00", 0), ("Story 01", 0)]
