"""A clinic's own symbols: a folder of pictures in the library, named by their files, with a
credit line, preferred in the library's order, confined and cleaned like `image:`."""

import base64
import io
import os
import re
import textwrap

import pytest
from PIL import Image
from pypdf import PdfReader

from storygen.errors import StoryError
from storygen.pictures import symbols
from storygen.story.open import read_story
from storygen.story.settings import read_settings, symbol_sets

CREDIT = "Pictograms: Sergio Palao, ARASAAC, CC BY-NC-SA 4.0"
SETTINGS = f"""\
symbol_sets:
  - name: ours
    folder: assets/symbols
    credit: "{CREDIT}"
  - mulberry
  - openmoji
"""
GPS_IFD, MAKE = 0x8825, 0x010F


def picture(path, colour="red"):
    """A PNG, or a JPEG carrying a phone's maker and GPS position (which must never be shown)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    image = Image.new("RGB", (60, 60), colour)
    if path.suffix == ".jpg":
        exif = Image.Exif()
        exif[MAKE], exif[GPS_IFD] = "SecretPhoneMaker", {1: "N", 2: (51.0, 30.0, 12.5)}
        image.save(path, "JPEG", exif=exif)
    else:
        image.save(path)


@pytest.fixture
def library(tmp_path):
    (tmp_path / "storygen.yaml").write_text(SETTINGS)
    picture(tmp_path / "assets" / "symbols" / "towel.png", "blue")
    picture(tmp_path / "assets" / "symbols" / "Hand-Wash.jpg", "green")
    (tmp_path / "assets" / "symbols" / "notes.txt").write_text("not a picture")
    return tmp_path


def story(library, text, name="story"):
    path = library / f"{name}.yaml"
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def test_an_own_set_is_named_by_its_files_and_comes_first_in_order(library):
    sets = symbol_sets(read_settings(library), library)
    assert [s.name for s in sets] == ["ours", "mulberry", "openmoji"]
    assert sorted(symbols.names(sets[0])) == ["hand wash", "towel"]  # notes.txt is no picture
    assert symbols.find("towel", sets).qualified == "ours:towel"  # the library prefers its own
    assert symbols.find("mulberry:towel", sets).set == "mulberry"
    assert symbols.find("hand washing", sets).qualified == "ours:hand wash"  # forgiving names too
    assert symbols.find("ours:toothbrush", sets) is None  # a prefix looks in that set only


def test_the_set_name_defaults_to_the_folder_name(tmp_path):
    (tmp_path / "pics").mkdir()
    (tmp_path / "storygen.yaml").write_text("symbol_sets:\n  - folder: pics\n    credit: Our drawings\n")
    [own] = read_settings(tmp_path).symbol_sets
    assert own.name == "pics"


def test_a_story_uses_own_symbols_by_name_and_qualified(library):
    loaded = read_story(
        story(library, "title: T\nsteps:\n  - text: Dry.\n    symbol: towel\n  - text: x\n    symbol: ours:hand wash\n")
    )
    assert [s.symbol for s in loaded.steps] == ["ours:towel", "ours:hand wash"]


def test_a_misspelt_own_symbol_suggests_own_names(library):
    with pytest.raises(StoryError) as error:
        read_story(story(library, "title: T\nsteps:\n  - text: Dry.\n    symbol: towl\n"))
    assert ":4:13: step 1: there is no symbol named 'towl'; did you mean 'towel'" in str(error.value)


@pytest.mark.parametrize(
    "folder, message",
    [
        ("../elsewhere", "folder '../elsewhere' leads outside the library"),
        ("assets/missing", "folder 'assets/missing' is not a folder of the library"),
        ("/etc", "folder '/etc' must be a path relative to the library"),
    ],
)
def test_a_folder_outside_the_library_or_missing_is_an_error_at_its_line(tmp_path, folder, message):
    (tmp_path.parent / "elsewhere").mkdir(exist_ok=True)
    (tmp_path / "storygen.yaml").write_text(f"symbol_sets:\n  - name: ours\n    folder: {folder}\n    credit: C\n")
    with pytest.raises(StoryError) as error:
        read_settings(tmp_path)
    assert "storygen.yaml:3:13: " in str(error.value)
    assert message in str(error.value)


@pytest.mark.parametrize(
    "entry, message",
    [
        ("  - name: Our Pics\n    folder: a\n    credit: C\n", "'Our Pics' cannot name a symbol set"),
        ("  - name: mulberry\n    folder: a\n    credit: C\n", "'mulberry' cannot name a symbol set"),
        ("  - folder: a\n", "`credit` is missing"),
        ("  - mulbery\n", "'mulbery' is not a valid `symbol_sets`; use one of mulberry, openmoji"),
        ("  - openmoji\n  - openmoji\n", "the symbol set 'openmoji' is listed twice"),
    ],
)
def test_settings_mistakes_are_clear(tmp_path, entry, message):
    (tmp_path / "a").mkdir()
    (tmp_path / "storygen.yaml").write_text("symbol_sets:\n" + entry)
    with pytest.raises(StoryError) as error:
        read_settings(tmp_path)
    assert message in str(error.value)
    assert "Traceback" not in str(error.value) and ".own" not in str(error.value) and "builtin" not in str(error.value)


def test_a_file_that_links_outside_the_library_is_refused_at_the_story(library, tmp_path_factory):
    outside = tmp_path_factory.mktemp("outside") / "secret.png"
    picture(outside)
    os.symlink(outside, library / "assets" / "symbols" / "secret.png")
    with pytest.raises(StoryError) as error:
        read_story(story(library, "title: T\nsteps:\n  - text: Look.\n    symbol: secret\n"))
    assert ":4:13: step 1: image 'secret.png' is outside the story's library folder" in str(error.value)


def test_automatic_choice_prefers_the_own_set_in_order(library):
    loaded = read_story(story(library, "title: T\nsteps:\n  - A soft towel.\n"))
    assert loaded.steps[0].symbol == "ours:towel"


@pytest.fixture
def own_build(library):
    from storygen.build.stories import build

    story(
        library, "title: Drying\nsymbol: towel\nsteps:\n  - text: I wash my hands.\n    symbol: hand wash\n", "drying"
    )
    story(
        library, "title: Brushing\nsteps:\n  - text: I brush my teeth.\n    symbol: mulberry:brush teeth\n", "brushing"
    )
    outcomes = {o.path.stem: o for o in build([library], library / "build", formats=["story"])}
    return library, outcomes


def test_documents_credit_the_own_set_only_when_they_use_it(own_build):
    library, outcomes = own_build
    assert all(not o.failed for o in outcomes.values())
    drying = "".join(page.extract_text() for page in PdfReader(library / "build/drying/drying.pdf").pages)
    brushing = "".join(page.extract_text() for page in PdfReader(library / "build/brushing/brushing.pdf").pages)
    assert "ARASAAC" in " ".join(drying.split()) and "Mulberry" not in drying
    assert "ARASAAC" not in brushing and "Mulberry Symbols" in " ".join(brushing.split())


def test_own_pictures_are_cleaned_like_photos(own_build):
    library, _ = own_build
    printed = [image for page in PdfReader(library / "build/drying/drying.pdf").pages for image in page.images]
    assert printed, "the hand-wash picture is printed"
    for image in printed:
        assert not image.image.getexif() and "exif" not in image.image.info
    html = (library / "build/drying/drying.html").read_text()
    jpegs = re.findall(r'src="data:image/jpeg;base64,([^"]+)"', html)
    assert jpegs, "the hand-wash picture is in the page"
    for encoded in jpegs:
        with Image.open(io.BytesIO(base64.b64decode(encoded))) as image:
            assert not image.getexif()


def test_an_own_symbol_changed_rebuilds_the_story_that_uses_it(own_build):
    from storygen.build.stories import build

    library, outcomes = own_build
    assert library / "assets/symbols/Hand-Wash.jpg" in outcomes["drying"].used
    picture(library / "assets" / "symbols" / "Hand-Wash.jpg", "yellow")
    again = {o.path.stem: o for o in build([library], library / "build", formats=["story"])}
    assert not again["drying"].skipped and again["brushing"].skipped


def test_a_picture_added_to_the_own_set_may_change_choices_so_stories_rebuild(own_build):
    from storygen.build.stories import build

    library, _ = own_build
    picture(library / "assets" / "symbols" / "teeth.png")
    again = list(build([library], library / "build", formats=["story"]))
    assert not any(o.skipped for o in again)


def test_the_catalog_shows_an_own_cover_and_credits_it(own_build):
    library, _ = own_build
    index = (library / "build" / "index.html").read_text()
    assert CREDIT in index
    [cover] = re.findall(r'src="data:image/jpeg;base64,([^"]+)"', index)  # the towel, as a small thumbnail
    with Image.open(io.BytesIO(base64.b64decode(cover))) as image:
        red, _, blue = image.convert("RGB").getpixel((image.width // 2, image.height // 2))
        assert blue > 200 and red < 60


def test_storygen_symbols_lists_the_librarys_own(library, monkeypatch):
    from click.testing import CliRunner

    from storygen.cli import main

    monkeypatch.chdir(library)
    result = CliRunner().invoke(main, ["symbols", "towel"])
    assert result.exit_code == 0
    first = result.output.splitlines()[0].split()
    assert first[:2] == ["towel", "ours"]
