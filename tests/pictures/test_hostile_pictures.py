"""Pictures from a shared library: nothing but the drawing or the pixels reaches an output,
only JPEG, PNG and SVG are opened, and a damaged, huge or hostile picture is a clear error."""

from __future__ import annotations

import base64
import io
import re
import struct
import zlib
from pathlib import Path

import pytest
from PIL import EpsImagePlugin, Image, ImageCms, ImageFile, JpegImagePlugin
from pypdf import PdfReader

from storygen.build.stories import build
from storygen.errors import StoryError
from storygen.pictures import images, openmoji, svg
from storygen.story.open import read_story

MAKE, MODEL, GPS_IFD, DESCRIPTION = 0x010F, 0x0110, 0x8825, 0x010E
MARKERS = [
    "COM-MARKER-7f3a",
    "ICC-MARKER-9c2e",
    "XMP-MARKER-41d0",
    "EXIF-MARKER-d2b8",
    "PNG-TEXT-MARKER-5e11",
    "PNG-ICC-MARKER-0b7c",
    "SecretCam",
    "TestPhoneMaker",
    "SCRIPT-MARKER",
    "ONLOAD-MARKER",
    "FOREIGN-MARKER",
    "evil.example",
    "passwd",
    "INKSCAPE-MARKER",
    "COM-ONLY-MARKER-a9",
    "ODD-ICC-MARKER-c3",
    "WRAPPED-COM-MARKER",
]


def icc_profile(description: str, swap_red_blue: bool = False) -> bytes:
    """A standard sRGB profile whose free-text description is `description`; with
    swap_red_blue, a valid profile that says red is blue (so a conversion shows)."""
    data = bytearray(ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes())
    count = int.from_bytes(data[128:132], "big")
    entries = {bytes(data[132 + 12 * i : 136 + 12 * i]): 132 + 12 * i for i in range(count)}
    text = description.encode("utf-16-be")
    tag = b"mluc" + bytes(4) + struct.pack(">II", 1, 12) + b"enUS" + struct.pack(">II", len(text), 28) + text
    data += bytes(-len(data) % 4)
    where = entries[b"desc"]
    data[where + 4 : where + 12] = struct.pack(">II", len(data), len(tag))
    data += tag
    if swap_red_blue:
        red, blue = entries[b"rXYZ"], entries[b"bXYZ"]
        data[red + 4 : red + 12], data[blue + 4 : blue + 12] = data[blue + 4 : blue + 12], data[red + 4 : red + 12]
    data[0:4] = len(data).to_bytes(4, "big")
    data[84:100] = bytes(16)  # no profile id: it would no longer match
    return bytes(data)


def xmp(marker: str) -> bytes:
    return (
        f'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
        f'<rdf:Description xmlns:dc="http://purl.org/dc/elements/1.1/" dc:creator="{marker}"/></rdf:RDF></x:xmpmeta>'
    ).encode()


def photo(size=(900, 600), colour=(200, 120, 60)) -> Image.Image:
    image = Image.linear_gradient("L").resize(size)
    return Image.merge("RGB", [image, image.rotate(90).resize(size), Image.new("L", size, colour[2])])


def marked_jpeg(path: Path) -> None:
    """A JPEG with a comment, a colour profile, XMP and EXIF, each holding a marker."""
    exif = Image.Exif()
    exif[DESCRIPTION] = "EXIF-MARKER-d2b8"
    photo().save(
        path, "JPEG", quality=90, comment=b"COM-MARKER-7f3a", icc_profile=icc_profile("ICC-MARKER-9c2e"), exif=exif
    )
    # XMP goes in by hand as an APP1 segment right after SOI: Pillow only writes it from 11.0.
    segment = b"http://ns.adobe.com/xap/1.0/\0" + xmp("XMP-MARKER-41d0")
    data = path.read_bytes()
    path.write_bytes(data[:2] + b"\xff\xe1" + (len(segment) + 2).to_bytes(2, "big") + segment + data[2:])


def commented_jpeg(path: Path) -> None:
    """A JPEG with a comment and nothing else: no colour profile to convert it away."""
    photo().save(path, "JPEG", comment=b"COM-ONLY-MARKER-a9")


def odd_profile_png(path: Path) -> None:
    """A PNG whose colour profile Little CMS cannot read: the profile is dropped, not kept."""
    photo().save(path, "PNG", icc_profile=b"not a profile ODD-ICC-MARKER-c3")


def marked_png(path: Path) -> None:
    from PIL.PngImagePlugin import PngInfo

    info = PngInfo()
    info.add_text("Comment", "PNG-TEXT-MARKER-5e11")
    info.add_itxt("Author", "PNG-TEXT-MARKER-5e11", zip=True)
    photo().convert("RGBA").save(path, "PNG", pnginfo=info, icc_profile=icc_profile("PNG-ICC-MARKER-0b7c"))


def phone_jpeg() -> bytes:
    """A small phone photo: camera make and model, and a GPS position."""
    exif = Image.Exif()
    exif[MAKE], exif[MODEL] = "TestPhoneMaker", "SecretCam 9"
    exif[GPS_IFD] = {1: "N", 2: (51.0, 30.0, 12.5), 3: "W", 4: (0.0, 7.0, 39.0)}
    out = io.BytesIO()
    photo((400, 300)).save(out, "JPEG", exif=exif, comment=b"WRAPPED-COM-MARKER")
    return out.getvalue()


def wrapped_svg() -> str:
    encoded = base64.b64encode(phone_jpeg()).decode()
    encoded = "\n".join(encoded[i : i + 76] for i in range(0, len(encoded), 76))  # as editors wrap it
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" viewBox="0 0 400 300">'
        f'<image width="400" height="300" xlink:href="data:image/jpeg;base64,{encoded}"/></svg>'
    )


HOSTILE_SVG = """<?xml version="1.0"?>
<!-- a comment -->
<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink"
     xmlns:inkscape="http://www.inkscape.org/namespaces/inkscape" inkscape:label="INKSCAPE-MARKER"
     viewBox="0 0 72 72" onload="alert('ONLOAD-MARKER')">
  <style>@import url(https://evil.example/a.css); @import "https://evil.example/b.css";
    .ring { stroke: url(https://evil.example/s.svg#x); fill: url(#shade) }</style>
  <defs><linearGradient id="shade"><stop offset="0" stop-color="#3f51b5"/></linearGradient></defs>
  <script>alert("SCRIPT-MARKER")</script>
  <foreignObject width="72" height="72"><div xmlns="http://www.w3.org/1999/xhtml">FOREIGN-MARKER</div></foreignObject>
  <a href="javascript:alert('SCRIPT-MARKER')"><circle class="ring" cx="36" cy="36" r="30" onclick="ONLOAD-MARKER"/></a>
  <image href="https://evil.example/track.png" width="10" height="10"/>
  <image xlink:href="file:///etc/passwd" width="10" height="10"/>
  <use href="#dot" style="fill: url('https://evil.example/f')"/>
  <circle id="dot" cx="10" cy="10" r="5" fill="url(#shade)"/>
  <set attributeName="href" to="javascript:alert('SCRIPT-MARKER')"/>
</svg>
"""


def story(folder: Path, name: str, pictures: list[str]) -> Path:
    steps = "".join(
        f"  - text: Look {i}.\n    image: {picture}\n    alt: A picture\n" for i, picture in enumerate(pictures)
    )
    path = folder / f"{name}.yaml"
    path.write_text(f"title: {name}\nimage: {pictures[0]}\nsteps:\n{steps}", encoding="utf-8")
    return path


def blobs(data: bytes) -> list[bytes]:
    """data, and every base64 data: URL inside it decoded (and those inside those); for a
    JPEG or PNG, also what Pillow reads from it (a PNG's colour profile is compressed)."""
    found = [data, *picture_info(data)]
    for encoded in re.findall(rb"data:[\w/+.-]+(?:;[\w=.-]+)*;base64,([A-Za-z0-9+/=\s]+)", data):
        found += blobs(base64.b64decode(re.sub(rb"\s+", b"", encoded)))
    return found


def picture_info(data: bytes) -> list[bytes]:
    if not data.startswith((b"\xff\xd8", b"\x89PNG")):
        return []
    with Image.open(io.BytesIO(data)) as image:
        return [repr(image.info).encode(), image.info.get("icc_profile") or b"", repr(dict(image.getexif())).encode()]


def pdf_blobs(path: Path) -> list[bytes]:
    """Every stream of the PDF, decoded (an embedded JPEG stays the JPEG it was)."""
    reader, found = PdfReader(path), []
    for number in range(1, int(reader.trailer["/Size"])):
        try:
            target = reader.get_object(number)
        except Exception:
            continue
        if hasattr(target, "get_data"):
            found += blobs(target.get_data())
    return found


def leaked(data: list[bytes]) -> set[str]:
    return {
        marker for marker in MARKERS for blob in data if marker.encode() in blob or marker.encode("utf-16-be") in blob
    }


@pytest.fixture(scope="module")
def hostile_build(tmp_path_factory):
    library = tmp_path_factory.mktemp("library")
    marked_jpeg(library / "marked.jpg")
    marked_png(library / "marked.png")
    commented_jpeg(library / "comment.jpg")
    odd_profile_png(library / "odd.png")
    (library / "wrapped.svg").write_text(wrapped_svg())
    (library / "hostile.svg").write_text(HOSTILE_SVG)
    stories = [
        story(library, "photos", ["marked.jpg", "marked.png", "comment.jpg", "odd.png"]),
        story(library, "drawings", ["wrapped.svg", "hostile.svg"]),
    ]
    outcomes = list(build(stories, library / "build", formats=["story"]))
    return outcomes, library / "build"


def test_the_marked_pictures_hold_every_marker(tmp_path):
    """The test's own premise: the markers are in the library's files."""
    marked_jpeg(tmp_path / "a.jpg"), marked_png(tmp_path / "b.png")
    commented_jpeg(tmp_path / "d.jpg"), odd_profile_png(tmp_path / "e.png")
    (tmp_path / "c.svg").write_text(wrapped_svg())
    files = [p.read_bytes() for p in tmp_path.iterdir()] + [HOSTILE_SVG.encode()]
    assert leaked([blob for content in files for blob in blobs(content)]) == set(MARKERS)


def test_the_build_succeeds(hostile_build):
    outcomes, _ = hostile_build
    assert [o.problems for o in outcomes] == [[], []]


@pytest.mark.parametrize("name", ["photos", "drawings"])
def test_html_holds_nothing_but_the_pictures(hostile_build, name):
    _, out = hostile_build
    html = (out / name / f"{name}.html").read_bytes()
    assert leaked(blobs(html)) == set()
    for forbidden in (b"<script", b"<foreignObject", b"onload=", b"onclick=", b"javascript:", b"@import", b"<set "):
        assert not any(forbidden in blob for blob in blobs(html)[1:]), forbidden


@pytest.mark.parametrize("name", ["photos", "drawings"])
def test_pdf_holds_nothing_but_the_pictures(hostile_build, name):
    _, out = hostile_build
    assert leaked(pdf_blobs(out / name / f"{name}.pdf")) == set()
    pictures = 0
    for page in PdfReader(out / name / f"{name}.pdf").pages:
        for picture in page.images:
            pictures += 1
            assert not leaked([picture.data])
            assert not {"comment", "icc_profile", "exif", "xmp", "XML:com.adobe.xmp"} & set(picture.image.info)
            assert not picture.image.getexif()
    assert pictures >= 1


def test_the_catalog_holds_nothing_but_the_pictures(hostile_build):
    _, out = hostile_build
    index = (out / "index.html").read_bytes()
    assert len(blobs(index)) >= 3  # the photo's thumbnail and the SVG cover, at least
    assert leaked(blobs(index)) == set()
    assert leaked(pdf_blobs(out / "catalog.pdf")) == set()


def test_a_photo_is_converted_to_srgb_by_its_colour_profile(tmp_path):
    out = io.BytesIO()
    Image.new("RGB", (40, 40), (200, 100, 50)).save(out, "PNG", icc_profile=icc_profile("swapped", swap_red_blue=True))
    content, _mime = images.clean_raster(out.getvalue())
    with Image.open(io.BytesIO(content)) as cleaned:
        red, _green, blue = cleaned.getpixel((20, 20))
        assert "icc_profile" not in cleaned.info
    assert blue > 180 and red < 70  # the profile said the red channel is blue


def test_the_wrapped_phone_photo_is_kept_cleaned(hostile_build):
    _, out = hostile_build
    html = (out / "drawings" / "drawings.html").read_bytes()
    photos = [blob for blob in blobs(html) if blob.startswith(b"\xff\xd8")]
    assert photos, "the phone photo inside the SVG is still shown"
    for content in photos:
        with Image.open(io.BytesIO(content)) as image:
            assert image.size == (400, 300) and not image.getexif() and "exif" not in image.info


def test_an_svg_drawing_keeps_its_own_links_and_gradients():
    cleaned = svg.clean_svg(HOSTILE_SVG.encode(), images.clean_raster).decode()
    assert (
        'href="#dot"' in cleaned and 'fill="url(#shade)"' in cleaned and "url(#shade)" in cleaned.split("</style>")[0]
    )
    assert '<circle class="ring" cx="36" cy="36" r="30"' in cleaned


def test_openmoji_drawings_are_unchanged_by_cleaning():
    """Cleaning keeps a drawing with nothing to remove element for element, attribute for attribute."""
    import xml.etree.ElementTree as ET

    def shape(content: bytes):
        return [
            (
                e.tag.rsplit("}", 1)[-1],
                {k.rsplit("}", 1)[-1]: v for k, v in e.attrib.items() if not k.startswith("{http://sodipodi")},
                (e.text or "").strip(),
                (e.tail or "").strip(),
            )
            for e in ET.fromstring(content).iter()
        ]

    sample = sorted(openmoji.svg_folder().glob("*.svg"))[::25]
    assert len(sample) > 100
    for path in sample:
        assert shape(svg.clean_svg(path.read_bytes(), images.clean_raster)) == shape(path.read_bytes()), path.name


# --- pictures storygen refuses, each with its message --------------------------------


def png_header(width: int, height: int) -> bytes:
    """A PNG that claims to be width x height: a header and a few bytes of pixels."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(b"\0" * 64))
        + chunk(b"IEND", b"")
    )


def truncated(kind: str) -> bytes:
    out = io.BytesIO()
    photo().save(out, kind)
    return out.getvalue()[: len(out.getvalue()) // 2]


def other_format(kind: str) -> bytes:
    out = io.BytesIO()
    photo((60, 40)).save(out, kind)
    return out.getvalue()


EPS = b"%!PS-Adobe-3.0 EPSF-3.0\n%%BoundingBox: 0 0 10 10\nnewpath 0 0 moveto 10 10 lineto stroke\nshowpage\n%%EOF\n"
PICTURE_CASES = {
    "eps-named-png": ("x.png", EPS, "is not a JPEG, PNG, GIF or WebP picture; export it again as JPEG or PNG"),
    "eps-named-jpg": ("x.jpg", EPS, "is not a JPEG, PNG, GIF or WebP picture; export it again as JPEG or PNG"),
    "truncated-gif": ("x.gif", truncated("GIF"), "image 'x.gif' is damaged (the file ends early); export it again"),
    "gif-header-only": ("x.gif", b"GIF89a" + bytes(40), "image 'x.gif' is damaged; export it again as JPEG or PNG"),
    "truncated-webp": ("x.webp", truncated("WEBP"), "image 'x.webp' is damaged; export it again as JPEG or PNG"),
    "tiff-named-jpg": ("x.jpg", other_format("TIFF"), "is not a JPEG, PNG, GIF or WebP picture"),
    "bmp-named-png": ("x.png", other_format("BMP"), "is not a JPEG, PNG, GIF or WebP picture"),
    "text-named-png": ("x.png", b"not a picture", "is not a JPEG, PNG, GIF or WebP picture"),
    "truncated-jpeg": ("x.jpg", truncated("JPEG"), "image 'x.jpg' is damaged (the file ends early); export it again"),
    "truncated-png": ("x.png", truncated("PNG"), "image 'x.png' is damaged (the file ends early); export it again"),
    "png-over-the-limit": (
        "x.png",
        png_header(8000, 6000),
        "is 8000x6000 pixels, too large; resize it to at most 40 megapixels",
    ),
    "png-bomb": ("x.png", png_header(100_000, 100_000), "too large; resize it to at most 40 megapixels"),
    "svg-doctype": (
        "x.svg",
        b'<!DOCTYPE svg><svg xmlns="http://www.w3.org/2000/svg"/>',
        "has a DOCTYPE or ENTITY declaration",
    ),
    "svg-billion-laughs": (
        "x.svg",
        b'<?xml version="1.0"?><!DOCTYPE l [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">'
        b'<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;">]><svg xmlns="http://www.w3.org/2000/svg"><text>&c;</text></svg>',
        "has a DOCTYPE or ENTITY declaration",
    ),
    "svg-external-entity": (
        "x.svg",
        b'<!DOCTYPE svg [<!ENTITY s SYSTEM "file:///etc/passwd">]>'
        b'<svg xmlns="http://www.w3.org/2000/svg"><text>&s;</text></svg>',
        "has a DOCTYPE or ENTITY declaration",
    ),
    "svg-broken": (
        "x.svg",
        b'<svg xmlns="http://www.w3.org/2000/svg"><g></svg>',
        "cannot be read as an SVG picture (line 1)",
    ),
    "svg-not-svg": ("x.svg", b"<html><body>hi</body></html>", "is not an SVG picture"),
    "svg-wrapping-eps": (
        "x.svg",
        b'<svg xmlns="http://www.w3.org/2000/svg"><image href="data:image/png;base64,'
        + base64.b64encode(EPS)
        + b'"/></svg>',
        "holds a picture that cannot be read as a picture",
    ),
}


@pytest.mark.parametrize("case", PICTURE_CASES)
def test_a_hostile_picture_gives_its_message(tmp_path, monkeypatch, case):
    name, content, expected = PICTURE_CASES[case]
    (tmp_path / name).write_bytes(content)
    opened_eps = []
    monkeypatch.setattr(EpsImagePlugin.EpsImageFile, "_open", lambda self: opened_eps.append(self))
    monkeypatch.setattr(EpsImagePlugin, "has_ghostscript", lambda: opened_eps.append("gs") or False)
    with pytest.raises(StoryError) as caught:
        read_story(story(tmp_path, "story", [name]))
    message = str(caught.value.problems[0])
    assert f"story.yaml:2:8: image '{name}' " in message and expected in message, message
    assert opened_eps == []  # Pillow never even tried EPS, let alone Ghostscript


def test_a_picture_over_the_limit_is_refused_from_its_header(tmp_path, monkeypatch):
    (tmp_path / "x.png").write_bytes(png_header(8000, 6000))
    monkeypatch.setattr(ImageFile.ImageFile, "load", lambda self: pytest.fail("the pixels were decoded"))
    with pytest.raises(images.PictureError, match="too large"):
        images.check_photo(tmp_path / "x.png")
    with pytest.raises(images.PictureError, match="too large"):
        images.clean_picture(tmp_path / "x.png")
    assert Image.MAX_IMAGE_PIXELS == images.MAX_MEGAPIXELS * 1_000_000


def test_a_large_jpeg_is_decoded_reduced(tmp_path, monkeypatch):
    Image.new("RGB", (7000, 5000), (90, 140, 200)).save(tmp_path / "big.jpg", quality=50)
    decoded, load = [], JpegImagePlugin.JpegImageFile.load

    def record(self):
        decoded.append(self.size)
        return load(self)

    monkeypatch.setattr(JpegImagePlugin.JpegImageFile, "load", record)
    content, _mime = images.clean_picture(tmp_path / "big.jpg")
    assert decoded and max(decoded[0]) == 3500  # half size: about twice the 1600 pixels kept
    with Image.open(io.BytesIO(content)) as cleaned:
        assert cleaned.size == (1600, 1143)


@pytest.mark.parametrize(
    "written",
    [
        "file:///etc/passwd",
        "http://example.com/a.png",
        "https://example.com/a.png",
        "C:\\\\photos\\\\x.png",
        "C:/photos/x.png",
        "~/x.png",
        "/etc/passwd",
        "data:image/png;base64,AAAA",
        "\\\\\\\\server\\\\x.png",
    ],
)
def test_image_urls_and_absolute_paths_are_refused_as_written(tmp_path, written):
    path = tmp_path / "story.yaml"
    path.write_text(f'title: T\nsteps:\n  - text: Look.\n    image: "{written}"\n', encoding="utf-8")
    with pytest.raises(StoryError) as caught:
        read_story(path)
    [problem] = caught.value.problems
    shown = written.replace("\\\\", "\\")
    assert f"image '{shown}' must be a path relative to the story file" in str(problem)


def test_a_relative_name_with_a_colon_is_a_path(tmp_path):
    photo((20, 20)).save(tmp_path / "at 10:30.png")
    assert read_story(story(tmp_path, "story", ['"at 10:30.png"'])).steps[0].image == tmp_path / "at 10:30.png"


@pytest.mark.weasyprint_warnings
def test_pictures_in_data_urls_of_a_library_style_sheet_are_cleaned_too(tmp_path):
    """A library's custom.css can hold pictures as data: URLs: the printer cleans them like files."""
    marked_jpeg(tmp_path / "marked.jpg")
    jpeg = base64.b64encode((tmp_path / "marked.jpg").read_bytes()).decode()
    bmp = base64.b64encode(other_format("BMP")).decode()
    (tmp_path / "templates").mkdir()
    (tmp_path / "storygen.yaml").write_text("name: Clinic\n")
    (tmp_path / "templates" / "custom.css").write_text(
        f".cover {{ background: url(data:image/jpeg;base64,{jpeg}); }}\n"
        f".step {{ background: url(data:image/bmp;base64,{bmp}); }}\n"
    )
    (tmp_path / "s.yaml").write_text("title: Styled\nsteps: [One]\n")
    [outcome] = build([tmp_path / "s.yaml"], tmp_path / "build", formats=["story"])
    pdf = tmp_path / "build" / "s" / "s.pdf"
    reader = PdfReader(pdf)
    objects = [reader.get_object(n) for n in range(1, int(reader.trailer["/Size"]))]
    assert sum(getattr(o, "get", lambda _: None)("/Subtype") == "/Image" for o in objects) == 1  # the JPEG is drawn...
    assert leaked(pdf_blobs(pdf)) == set()  # ...without its comment, profile, XMP or EXIF
    assert any("not image/bmp" in p.message for p in outcome.problems)  # and no BMP reaches Pillow
