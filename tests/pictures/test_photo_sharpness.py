"""Photos: one with too few pixels for its printed size is a warning naming both sizes, at its
`image:`; the boxes the registry gives are the ones WeasyPrint lays out; GIF and WebP pictures
print their first frame, in the PDF and the web page, and a damaged one is a message."""

import base64
import io
import re
import subprocess
import textwrap

import pytest
from PIL import Image, ImageChops, ImageDraw

from storygen.build.stories import build
from storygen.check.engine import check_story
from storygen.errors import StoryError
from storygen.pages import sharpness
from storygen.pages.formats import FORMATS
from storygen.pages.render import render
from storygen.story.open import open_story
from storygen.story.settings import Settings
from tests.conftest import classed_boxes, pdf_images

MM = 96 / 25.4  # CSS pixels in a millimetre


def picture(path, size, colour="skyblue"):
    path.parent.mkdir(exist_ok=True)
    image = Image.new("RGB", size, colour)
    ImageDraw.Draw(image).ellipse((size[0] // 5, size[1] // 5, size[0] * 4 // 5, size[1] * 4 // 5), fill="orange")
    image.save(path)


def library(tmp_path, story, settings="name: Clinic\n"):
    (tmp_path / "storygen.yaml").write_text(settings, encoding="utf-8")
    (tmp_path / "photos").mkdir(exist_ok=True)
    path = tmp_path / "s.yaml"
    path.write_text(textwrap.dedent(story), encoding="utf-8")
    return path


ONE_PHOTO = """\
title: Washing hands
symbol: wash hands
steps:
  - text: I turn on the tap.
    image: photos/tap.jpg
    alt: Our tap
    symbol: none
  - {text: I use soap., symbol: none}
"""


def blurry(path):
    return [f for f in check_story(path).findings if f.code == "PIC003"]


def test_a_200_pixel_photo_is_a_warning_naming_its_size_and_the_size_it_needs(tmp_path):
    picture(tmp_path / "photos" / "tap.jpg", (200, 200))
    path = library(tmp_path, ONE_PHOTO)
    [finding] = blurry(path)
    assert (finding.line, finding.col) == (5, 12)  # at the `image:` value
    assert finding.message == (
        "step 1: image 'photos/tap.jpg' is 200x200 pixels: it prints 120x120 mm at 42 ppi, "
        "and needs 473x473 pixels (100 ppi; 1418x1418 for the sharpest print)"
    )
    assert "as the phone or camera took it" in finding.hint
    [outcome] = build([path], tmp_path / "build", formats=["story"])  # the build says the same
    [problem] = [p for p in outcome.problems if "pixels" in p.message]
    assert (problem.line, problem.col, problem.message) == (5, 12, finding.message)
    assert str(problem).startswith(f"{path}:5:12: warning: step 1: image 'photos/tap.jpg' is 200x200 pixels")


def test_a_photo_the_cover_shows_counts_the_cover_box(tmp_path):
    """A story with no picture of its own shows its first step's on the cover, 170 x 130 mm."""
    picture(tmp_path / "photos" / "tap.jpg", (200, 200))
    [finding] = blurry(library(tmp_path, ONE_PHOTO.replace("symbol: wash hands", "symbol: none")))
    assert "step 1: image 'photos/tap.jpg' is 200x200 pixels: it prints 130x130 mm at 39 ppi" in finding.message


@pytest.mark.parametrize(("size", "warned"), [((473, 473), False), ((472, 472), True), ((1600, 1200), False)])
def test_a_photo_with_the_pixels_for_100_ppi_gives_none(tmp_path, size, warned):
    picture(tmp_path / "photos" / "tap.jpg", size)
    assert bool(blurry(library(tmp_path, ONE_PHOTO))) == warned


def test_a_photo_turned_by_its_exif_is_measured_upright(tmp_path):
    """A 700x300 photo stored sideways prints 300 wide and 700 tall: 51 mm x 120 mm, enough."""
    path, exif = library(tmp_path, ONE_PHOTO), Image.Exif()
    exif[0x0112] = 6  # rotate 90
    Image.new("RGB", (700, 300), "grey").save(tmp_path / "photos" / "tap.jpg", exif=exif)
    assert blurry(path) == []
    Image.new("RGB", (300, 700), "grey").save(tmp_path / "photos" / "tap.jpg")  # the same, stored upright
    assert blurry(path) == []
    Image.new("RGB", (400, 280), "grey").save(tmp_path / "photos" / "tap.jpg", exif=exif)  # upright: 280x400
    assert "is 280x400 pixels: it prints 84x120 mm at 85 ppi" in blurry(path)[0].message


def test_the_largest_box_across_the_outputs_counts(tmp_path):
    """One card to a page prints a step's photo larger than the story's page does."""
    picture(tmp_path / "photos" / "tap.jpg", (500, 500))
    story = ONE_PHOTO
    assert blurry(library(tmp_path, story, "name: Clinic\nformats: [story]\n")) == []
    [finding] = blurry(library(tmp_path, story, "name: Clinic\nformats: [story, cards]\ncards_per_page: 1\n"))
    assert "it prints 149x149 mm at 85 ppi, and needs 586x586 pixels" in finding.message
    assert blurry(library(tmp_path, story, "name: Clinic\nformats: [guide]\n")) == []  # no photo prints large there


@pytest.mark.parametrize("kind", ["cards", "strip"])
def test_a_photo_on_a_handout_keeps_its_shape(tmp_path, kind):
    """Fitted whole in its square, as the warning reckons it, never stretched to fill it."""
    path = library(tmp_path, ONE_PHOTO)
    Image.new("RGB", (800, 400), "red").save(tmp_path / "photos" / "tap.jpg")
    [outcome] = build([path], tmp_path / "build", formats=[kind])
    [pdf] = outcome.outputs
    subprocess.run(["pdftoppm", "-png", "-r", "50", "-singlefile", str(pdf), str(tmp_path / "page")], check=True)
    with Image.open(tmp_path / "page.png") as page:
        red = page.convert("RGB").point(lambda v: 255 if v > 200 else 0).split()
        only_red = ImageChops.subtract(red[0], ImageChops.add(red[1], red[2]))
        left, top, right, bottom = only_red.getbbox()
    assert 1.9 < (right - left) / (bottom - top) < 2.1  # 2:1, as taken


PLACES = """\
title: Our day
image: photos/a.jpg
alt: Us
calm:
  - {text: Breathe, image: photos/a.jpg, alt: Breathing}
  - {text: Hug, symbol: none}
  - {text: Squeeze, symbol: none}
intro: {text: Today is a day., image: photos/b.jpg, alt: Morning}
steps:
  - text: I get up.
    image: photos/b.jpg
    alt: Bed
  - text: I dress.
    image: photos/a.jpg
    alt: Clothes
    steps: [{text: Socks, symbol: none}, {text: Shoes, symbol: none}]
conclusion: {text: Done., image: photos/b.jpg, alt: Done}
"""


@pytest.mark.parametrize("paper", ["a4", "letter"])
def test_the_registry_boxes_are_the_boxes_weasyprint_lays_out(tmp_path, paper):
    """Each page's photo box, as the warning reckons it, is the box its picture is laid out in."""
    from weasyprint import HTML

    from storygen.pages.assets import asset_folders
    from storygen.pages.pdf import LibraryFetcher

    picture(tmp_path / "photos" / "a.jpg", (400, 300))
    picture(tmp_path / "photos" / "b.jpg", (300, 400))
    opened = open_story(library(tmp_path, PLACES))
    html = render(opened.story, "story", "print", paper, opened.settings, opened.library)
    document = HTML(string=html, url_fetcher=LibraryFetcher(opened.library, asset_folders())).render()
    laid = {}
    for page in document.pages:
        for classes, box in classed_boxes(page._page_box):
            if type(box).__name__.endswith("ReplacedBox") and "photo" in classes:
                place = next(c for c in ("cover-picture", "choice-picture", "main-picture") if c in classes)
                beside = "with-substeps" in classes
                laid.setdefault((place, beside), set()).add((round(box.width / MM, 1), round(box.height / MM, 1)))
    boxes = FORMATS["story"].photo_boxes(FORMATS["story"].sheet(opened.story, paper, Settings()))
    assert laid == {
        ("cover-picture", False): {boxes[()]},
        ("choice-picture", False): {boxes[("calm", 0)]},
        ("main-picture", False): {boxes[("intro",)], boxes[("steps", 0)], boxes[("conclusion",)]},
        ("main-picture", True): {boxes[("steps", 1)]},
    }
    assert boxes[("calm", 0)][1] == 46  # three choices: 46 mm high
    assert boxes[("steps", 1)] == (85, 85)  # sub-steps beside


def test_printed_size_fits_the_photo_inside_its_box():
    assert sharpness.printed_mm((200, 200), [(175, 120)]) == (120, 120)
    assert sharpness.printed_mm((400, 100), [(175, 120)]) == (175, 43.75)
    assert sharpness.printed_mm((400, 100), [(175, 120), (50, 50)]) == (175, 43.75)
    assert sharpness.sharpest((175, 131.25)) == (1600, 1200)  # 300 ppi would be 2067x1551: storygen keeps 1600


# -- GIF and WebP --------------------------------------------------------------------------


def animated_gif(path, size=(600, 600)):
    """Three frames, red, green, blue, each with a white disc: the first one is red."""
    path.parent.mkdir(exist_ok=True)
    frames = []
    for colour in ("red", "green", "blue"):
        frame = Image.new("RGB", size, colour)
        ImageDraw.Draw(frame).ellipse((150, 150, 450, 450), fill="white")
        frames.append(frame)
    frames[0].save(path, "GIF", save_all=True, append_images=frames[1:], duration=200, loop=0)


ANIMATED = """\
title: Trying new foods
symbol: none
steps:
  - text: I look at the food.
    image: photos/look.gif
    alt: A plate
    symbol: none
  - text: I smell the food.
    image: photos/smell.webp
    alt: A nose
    symbol: none
"""


def test_a_gif_and_a_webp_print_their_first_frame_in_the_pdf_and_the_web_page(tmp_path):
    library(tmp_path, ANIMATED)
    animated_gif(tmp_path / "photos" / "look.gif")
    with Image.open(tmp_path / "photos" / "look.gif") as written:
        assert written.n_frames == 3  # the test's GIF is animated
    webp = Image.new("RGB", (640, 480), "yellow")
    ImageDraw.Draw(webp).rectangle((100, 100, 300, 300), fill="purple")
    webp.save(tmp_path / "photos" / "smell.webp", "WEBP", quality=90)
    [outcome] = build([tmp_path / "s.yaml"], tmp_path / "build", formats=["story"])
    assert outcome.outputs and outcome.problems == [], outcome.problems
    shown = pdf_images(tmp_path / "build" / "s" / "s.pdf")
    assert sorted(image.size for image in shown) == [(600, 600), (640, 480)]
    colours = {image.size: image.convert("RGB").getpixel((10, 10)) for image in shown}
    assert colours[(600, 600)][0] > 200 and colours[(600, 600)][1] < 60  # red: the GIF's first frame
    assert colours[(640, 480)][2] < 80 and min(colours[(640, 480)][:2]) > 200  # yellow
    html = (tmp_path / "build" / "s" / "s.html").read_text()
    urls = re.findall(r'<img src="data:(image/[a-z]+);base64,([^"]+)"', html)
    assert [mime for mime, _ in urls] == ["image/png", "image/png", "image/jpeg"]  # the cover shows the first photo
    assert "image/gif" not in html and "image/webp" not in html  # re-encoded: nothing animated
    with Image.open(io.BytesIO(base64.b64decode(urls[0][1]))) as first:
        assert getattr(first, "n_frames", 1) == 1 and first.convert("RGB").getpixel((10, 10))[0] > 200


def test_gif_and_webp_are_own_set_symbols_too(tmp_path):
    (tmp_path / "symbols").mkdir()
    animated_gif(tmp_path / "symbols" / "plate.gif", (200, 200))
    Image.new("RGB", (200, 200), "yellow").save(tmp_path / "symbols" / "nose.webp")
    path = library(
        tmp_path,
        "title: Food\nsteps:\n  - {text: Look., symbol: ours:plate}\n  - {text: Smell., symbol: ours:nose}\n",
        "name: Clinic\nsymbol_sets: [{name: ours, folder: symbols, credit: Our own}, mulberry]\n",
    )
    [outcome] = build([path], tmp_path / "build", formats=["story"])
    assert outcome.outputs and outcome.problems == [], outcome.problems
    assert len(pdf_images(tmp_path / "build" / "s" / "s.pdf")) == 2


def test_a_damaged_gif_is_a_message_not_a_traceback(tmp_path):
    animated_gif(tmp_path / "x.gif")
    library(tmp_path, ANIMATED)
    content = (tmp_path / "x.gif").read_bytes()
    (tmp_path / "photos" / "look.gif").write_bytes(content[:400])  # ends inside the first frame
    Image.new("RGB", (640, 480), "yellow").save(tmp_path / "photos" / "smell.webp")
    with pytest.raises(StoryError) as caught:
        open_story(tmp_path / "s.yaml")
    [problem] = caught.value.problems
    assert str(problem) == (
        f"{tmp_path / 's.yaml'}:5:12: step 1: image 'photos/look.gif' is damaged (the file ends early); export it again"
    )
    (tmp_path / "photos" / "look.gif").write_bytes(b"GIF89a" + bytes(40))  # a header and nothing
    with pytest.raises(
        StoryError, match=re.escape("image 'photos/look.gif' is damaged; export it again as JPEG or PNG")
    ):
        open_story(tmp_path / "s.yaml")
