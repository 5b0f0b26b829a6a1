"""Phone photos: scaled for print, upright, and stripped of GPS and camera data."""

import base64
import functools
import io
import random
import re

import pytest
from PIL import Image, ImageDraw, ImageFilter

from storygen.build.stories import build
from tests.conftest import pdf_images, pdf_strings

ORIENTATION, MAKE, MODEL, GPS_IFD = 0x0112, 0x010F, 0x0110, 0x8825


SIZE = (4000, 3000)


@functools.cache
def light() -> Image.Image:
    """The light across every photo: made once (it takes 0.2 s at this size)."""
    gradient = Image.linear_gradient("L").resize(SIZE)
    return Image.merge("RGB", [gradient.rotate(180), gradient, gradient.transpose(Image.Transpose.FLIP_LEFT_RIGHT)])


@functools.cache
def grain() -> Image.Image:
    """A sensor's noise, made once (0.8 s) and laid over every photo: it is what makes a phone's
    JPEG big (2.2 MB each), and each photo's own shapes keep them ten different pictures."""
    return Image.effect_noise(SIZE, 25).convert("RGB")


def phone_photo(path, seed, orientation=1):
    """A 4000x3000 JPEG with a photo's kind of detail and a phone's EXIF, GPS included."""
    rnd = random.Random(seed)
    image = light().copy()
    draw = ImageDraw.Draw(image)
    for _ in range(40):
        x, y, r = rnd.randrange(SIZE[0]), rnd.randrange(SIZE[1]), rnd.randrange(50, 600)
        draw.ellipse((x - r, y - r, x + r, y + r), fill=tuple(rnd.randrange(256) for _ in range(3)))
    image = Image.blend(image.filter(ImageFilter.BoxBlur(3)), grain(), 0.12)  # box: a third of a Gaussian's time
    exif = Image.Exif()
    exif[MAKE], exif[MODEL], exif[ORIENTATION] = "TestPhoneMaker", "SecretCam 9", orientation
    exif[GPS_IFD] = {1: "N", 2: (51.0, 30.0, 12.5), 3: "W", 4: (0.0, 7.0, 39.0)}
    image.save(path, "JPEG", quality=92, exif=exif)


@pytest.fixture(scope="module")
def photo_build(tmp_path_factory):
    folder = tmp_path_factory.mktemp("photos")
    (folder / "photos").mkdir()
    steps = []
    for i in range(10):
        # Photo 0 is stored sideways with "rotate 90" in EXIF, as phones do.
        phone_photo(folder / "photos" / f"p{i}.jpg", i, orientation=6 if i == 0 else 1)
        steps.append(f"  - text: Photo {i}\n    image: photos/p{i}.jpg\n    alt: Photo {i}\n")
    (folder / "photos.yaml").write_text("title: Our day\nsteps:\n" + "".join(steps), encoding="utf-8")
    [outcome] = build([folder / "photos.yaml"], folder / "build")
    return outcome, folder / "build" / "photos"


def test_ten_phone_photos_make_a_pdf_under_one_megabyte(photo_build):
    outcome, out = photo_build
    assert outcome.problems == []
    assert sum(p.stat().st_size for p in (out.parent.parent / "photos").glob("*.jpg")) > 10_000_000
    assert (out / "photos.pdf").stat().st_size <= 1_000_000


def test_photos_are_printed_at_print_resolution(photo_build):
    _, out = photo_build
    sizes = [image.size for image in pdf_images(out / "photos.pdf")]
    assert len(sizes) == 10  # the cover reuses the first photo
    assert all(1200 >= max(size) >= 600 for size in sizes), sizes  # about 150 dpi at 16 cm


def test_exif_orientation_is_respected(photo_build):
    _, out = photo_build
    shapes = ["portrait" if image.width < image.height else "landscape" for image in pdf_images(out / "photos.pdf")]
    assert shapes.count("portrait") == 1  # the photo stored sideways stands upright


def test_gps_and_camera_exif_never_reach_the_outputs(photo_build):
    _, out = photo_build
    html = (out / "photos.html").read_text()
    held = pdf_strings(out / "photos.pdf")  # every object and stream, inflated: the raw bytes are compressed
    for secret in ("TestPhoneMaker", "SecretCam", "Exif\x00\x00"):
        assert secret not in held
    for image in pdf_images(out / "photos.pdf"):
        assert not image.getexif()
    photos = re.findall(r'src="data:image/jpeg;base64,([^"]+)"', html)
    assert len(photos) == 11  # the cover, then one per step
    for encoded in photos:
        with Image.open(io.BytesIO(base64.b64decode(encoded))) as image:
            assert not image.getexif() and "exif" not in image.info
    with Image.open(io.BytesIO(base64.b64decode(photos[0]))) as image:
        assert image.width < image.height
