"""Recorded voices: `audio:` on a page, checked and confined like a picture, carried inside the
web page, played with a button and by read-aloud while presenting."""

from __future__ import annotations

import base64
import io
import math
import re
import struct
import wave

import pytest

from storygen.build.stories import build
from storygen.errors import StoryError, with_hint
from storygen.pages.render import render_story
from storygen.story.open import read_story
from storygen.story.translate import translate
from tests.conftest import pdf_pages_text, wait_until
from tests.pages.test_presenter import SPEECH


def recording(path, seconds=0.5, rate=8000):
    """A short WAV of a soft tone: a stand-in for a parent's voice."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(rate)
        frames = (int(3000 * math.sin(2 * math.pi * 440 * i / rate)) for i in range(int(seconds * rate)))
        out.writeframes(b"".join(struct.pack("<h", frame) for frame in frames))
    return path


STORY = """\
title: Going to the dentist
intro:
  text: Sometimes I go to the dentist.
  audio: audio/intro.wav
steps:
  - text: I sit in the big chair.
    audio: audio/chair.wav
  - I open my mouth.
translations:
  es:
    title: Voy al dentista
    intro: A veces voy al dentista.
    steps: [Me siento en la silla grande., Abro la boca.]
"""


def story_file(tmp_path, text=STORY):
    recording(tmp_path / "audio" / "intro.wav")
    recording(tmp_path / "audio" / "chair.wav")
    path = tmp_path / "dentist.yaml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("written", "message"),
    [
        ("/etc/passwd", "must be a path relative to the story file"),
        ("../outside.wav", "is outside the story's library folder"),
        ("audio/notes.txt", "is not a recording storygen plays; use an MP3, OGG, M4A or WAV file"),
        ("audio/fake.mp3", "is not a MP3 recording (its content is something else)"),
        ("audio/missing.wav", "was not found"),
    ],
)
def test_a_recording_is_checked_and_confined_like_a_picture(tmp_path, written, message):
    library = tmp_path / "library"
    library.mkdir()
    (library / "storygen.yaml").write_text("name: L\n")
    recording(tmp_path / "outside.wav")
    (library / "audio").mkdir()
    (library / "audio" / "notes.txt").write_text("hello")
    (library / "audio" / "fake.mp3").write_text("<html>not audio</html>")
    path = story_file(library, STORY.replace("audio/chair.wav", written))
    with pytest.raises(StoryError) as error:
        read_story(path)
    [problem] = error.value.problems
    assert (
        (problem.line, problem.col) == (7, 12)
        and message in with_hint(problem.message, problem.hint)
        and problem.message.startswith("step 1")
    )


def test_a_translation_never_plays_the_story_language_recording(tmp_path):
    story = read_story(story_file(tmp_path))
    assert story.intro.audio and story.steps[0].audio
    spanish = translate(story, "es")
    assert spanish.intro.audio is None and spanish.steps[0].audio is None


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    folder = tmp_path_factory.mktemp("recorded")
    recording(folder / "audio" / "long.wav", seconds=140, rate=8000)  # 2.2 MB
    path = story_file(
        folder, STORY.replace("  - I open my mouth.\n", "  - text: I open my mouth.\n    audio: audio/long.wav\n")
    )
    [outcome] = build([path], folder / "build", formats=["story"])
    return outcome, folder / "build" / "dentist"


def test_the_web_page_carries_its_recordings_and_a_large_one_is_a_warning(built):
    outcome, out = built
    assert not outcome.failed
    [warning] = [p for p in outcome.problems if p.severity == "warning"]
    assert (warning.line, warning.col) == (9, 12)
    assert "step 2: the recording 'long.wav' is 2.1 MB; the web page carries it inside" in with_hint(
        warning.message, warning.hint
    )
    html = (out / "dentist.html").read_text()
    assert html.count('<audio preload="auto" src="data:audio/wav;base64,') == 3
    assert "Sometimes I go to the dentist." in " ".join(pdf_pages_text(out / "dentist.pdf"))  # paper: no player
    assert "<audio" not in (out / "es" / "dentist.html").read_text()  # the translation: the browser's voice


def test_a_recording_plays_with_its_button_and_when_read_aloud_presents(browser, built):
    _, out = built
    context = browser.new_context()
    context.add_init_script(SPEECH)
    tab = context.new_page()
    tab.goto((out / "dentist.html").as_uri())
    ready = "a => a.readyState >= 1 ? a.duration : new Promise(r => a.addEventListener('loadedmetadata', () => r(a.duration)))"
    assert tab.eval_on_selector("#intro audio", ready) == pytest.approx(0.5, abs=0.05)  # a playable recording
    tab.click("#intro .listen")
    wait_until(tab, "!document.querySelector('#intro audio').paused || document.querySelector('#intro audio').ended")
    tab.click("#present")
    tab.keyboard.press("ArrowRight")  # the introduction
    tab.keyboard.press("r")
    wait_until(tab, "document.getElementById('counter').textContent.startsWith('3 /')", timeout=10_000)
    spoken = [s["text"] for s in tab.evaluate("window.__spoken")]
    assert "Sometimes I go to the dentist." not in spoken  # its recording was played, not the browser's voice
    context.close()


def test_a_changed_recording_builds_the_story_again(tmp_path):
    path = story_file(tmp_path)
    [first] = build([path], tmp_path / "build", formats=["story"])
    [same] = build([path], tmp_path / "build", formats=["story"])
    assert not first.skipped and same.skipped
    recording(tmp_path / "audio" / "chair.wav", seconds=0.8)
    [again] = build([path], tmp_path / "build", formats=["story"])
    assert not again.skipped and not again.failed


# A recording is carried with its sound only (issue 23): every tag a phone or an editor wrote in
# it, with a child's name, an address, a position, a birthday and a picture, is left out.

NAME, STREET, GPS, BIRTHDAY = "Zoe Marsh", "12 Elm Street", "+40.7128-074.0060", "2019-03-04"


def jpeg() -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (8, 8), "orange").save(out, "JPEG")
    return out.getvalue()


def private(data: bytes) -> list[bytes]:
    """The personal data found in data, as any encoding a tag may hold it in."""
    markers = [jpeg(), b"JFIF", base64.b64encode(jpeg())[:40]]
    for text in (NAME, STREET, GPS, BIRTHDAY):
        markers += [text.encode("latin-1"), text.encode("utf-16-le"), text.encode("utf-16-be")]
    return [marker for marker in markers if marker in data]


def carried(tmp_path, name: str, content: bytes) -> bytes:
    """The bytes of a recording as a story's web page carries it."""
    (tmp_path / "audio").mkdir(exist_ok=True)
    (tmp_path / "audio" / name).write_bytes(content)
    path = tmp_path / "story.yaml"
    path.write_text(f"title: T\nsteps:\n  - text: Hello.\n    audio: audio/{name}\n", encoding="utf-8")
    html = render_story(read_story(path), "screen")
    [encoded] = re.findall(r'<audio preload="auto" src="data:audio/[a-z0-9]+;base64,([^"]*)"', html)
    return base64.b64decode(encoded)


def id3v2(*frames: tuple[bytes, bytes]) -> bytes:
    body = b"".join(name + struct.pack(">I", len(data)) + b"\0\0" + data for name, data in frames)
    size = len(body) + 64  # some padding, as editors leave
    return b"ID3\x03\0\0" + bytes([size >> 21 & 127, size >> 14 & 127, size >> 7 & 127, size & 127]) + body + bytes(64)


def mpeg_frames(count: int = 4) -> bytes:
    """MPEG-1 Layer III frames at 128 kbit/s, 44.1 kHz: 417 bytes each, a payload told apart by its number."""
    return b"".join(b"\xff\xfb\x90\x64" + bytes([number + 1]) * 413 for number in range(count))


def test_an_mp3_is_carried_without_its_id3_ape_and_lyrics_tags(tmp_path):
    tags = id3v2(
        (b"TPE1", b"\0" + NAME.encode()),
        (b"TXXX", b"\0address\0" + STREET.encode()),
        (b"TXXX", b"\x01" + "\ufeffplace\0".encode("utf-16-le") + GPS.encode("utf-16-le")),
        (b"TYER", b"\0" + BIRTHDAY.encode()),
        (b"APIC", b"\0image/jpeg\0\x03\0" + jpeg()),
    )
    item = struct.pack("<II", len(STREET), 0) + b"Address\0" + STREET.encode()
    ape = [
        b"APETAGEX" + struct.pack("<IIII", 2000, len(item) + 32, 1, flags) + bytes(8)
        for flags in (0xA0000000, 0x80000000)
    ]
    lyrics = b"LYRICSBEGININD00002" + b"10" + f"LYR{len(NAME):05d}{NAME}".encode()
    lyrics += f"{len(lyrics):06d}".encode() + b"LYRICS200"
    enhanced = b"TAG+" + NAME.encode().ljust(60, b"\0") + bytes(120) + b"\0" + bytes(30) + b"000:00000:00"[:12]
    v1 = b"TAG" + NAME.encode().ljust(30, b"\0") + bytes(30) + STREET.encode().ljust(30, b"\0") + b"2019"
    v1 += GPS.encode().ljust(30, b"\0") + b"\x0c"
    assert len(enhanced) == 227 and len(v1) == 128
    sound = carried(tmp_path, "voice.mp3", tags + mpeg_frames() + ape[0] + item + ape[1] + lyrics + enhanced + v1)
    assert private(sound) == [] and sound == mpeg_frames()  # every frame, byte for byte, and nothing else


def test_a_wav_is_carried_with_its_format_and_sound_chunks_only(tmp_path):
    plain = recording(tmp_path / "plain.wav").read_bytes()
    fmt, data = plain[12:36], plain[36:]
    assert fmt[:4] == b"fmt " and data[:4] == b"data"

    def chunk(name: bytes, body: bytes) -> bytes:
        return name + struct.pack("<I", len(body)) + body + b"\0" * (len(body) % 2)

    info = (
        b"INFO"
        + chunk(b"INAM", NAME.encode() + b"\0")
        + chunk(b"ICMT", STREET.encode())
        + chunk(b"ICRD", BIRTHDAY.encode())
    )
    chunks = [
        chunk(b"bext", NAME.encode().ljust(256, b"\0") + BIRTHDAY.encode()),
        fmt,
        chunk(b"LIST", info),
        data,
        chunk(b"id3 ", id3v2((b"APIC", b"\0image/jpeg\0\x03\0" + jpeg()))),
        chunk(b"iXML", f"<BWFXML><LOCATION>{GPS}</LOCATION></BWFXML>".encode()),
    ]
    body = b"WAVE" + b"".join(chunks)
    sound = carried(tmp_path, "voice.wav", b"RIFF" + struct.pack("<I", len(body)) + body)
    assert (
        private(sound) == [] and sound == b"RIFF" + struct.pack("<I", 4 + len(fmt) + len(data)) + b"WAVE" + fmt + data
    )
    with wave.open(io.BytesIO(sound)) as carried_wav, wave.open(str(tmp_path / "plain.wav")) as original:
        assert carried_wav.getparams() == original.getparams()
        assert carried_wav.readframes(carried_wav.getnframes()) == original.readframes(original.getnframes())


def slow_ogg_crc(data: bytes) -> int:
    """Ogg's CRC-32 bit by bit, as the specification writes it."""
    crc = 0
    for byte in data:
        crc ^= byte << 24
        for _ in range(8):
            crc = (crc << 1 ^ 0x04C11DB7 if crc & 0x80000000 else crc << 1) & 0xFFFFFFFF
    return crc


def ogg_page(flags: int, granule: int, number: int, lacing: bytes, body: bytes, serial: int = 7) -> bytes:
    head = b"OggS\0" + struct.pack("<BqIIIB", flags, granule, serial, number, 0, len(lacing)) + lacing
    return head[:22] + struct.pack("<I", slow_ogg_crc(head + body)) + head[26:] + body


def ogg_pages(data: bytes) -> list[tuple[int, int, int, bytes, bytes]]:
    """(flags, granule, number, lacing, body) of each page, its checksum checked."""
    pages, at = [], 0
    while at < len(data):
        assert data[at : at + 5] == b"OggS\0"
        flags, granule, serial, number, crc, count = struct.unpack("<BqIIIB", data[at + 5 : at + 27])
        lacing = data[at + 27 : at + 27 + count]
        end = at + 27 + count + sum(lacing)
        assert serial == 7 and slow_ogg_crc(data[at : at + 22] + bytes(4) + data[at + 26 : end]) == crc
        pages.append((flags, granule, number, lacing, data[at + 27 + count : end]))
        at = end
    return pages


def packets_of(pages) -> list[bytes]:
    packets, current = [], b""
    for _, _, _, lacing, body in pages:
        at = 0
        for size in lacing:
            current, at = current + body[at : at + size], at + size
            if size < 255:
                packets, current = [*packets, current], b""
    return packets


def lacing_of(packet: bytes) -> bytes:
    return bytes([255] * (len(packet) // 255) + [len(packet) % 255])


@pytest.mark.parametrize("codec", ["vorbis", "opus"])
def test_an_ogg_is_carried_with_an_empty_comment_header(tmp_path, codec):
    picture = base64.b64encode(
        struct.pack(">II", 3, 10) + b"image/jpeg" + bytes(24) + struct.pack(">I", len(jpeg())) + jpeg()
    )
    comments = [
        f"ARTIST={NAME}".encode(),
        f"LOCATION={STREET}".encode(),
        f"GPS={GPS}".encode(),
        f"DATE={BIRTHDAY}".encode(),
    ]
    comments += [b"METADATA_BLOCK_PICTURE=" + picture, b"PADDING=" + b"x" * 70_000]  # the comments run over two pages
    listed = b"".join(struct.pack("<I", len(c)) + c for c in comments)
    if codec == "vorbis":
        headers = [
            b"\x01vorbis" + bytes(23),
            b"\x03vorbis" + struct.pack("<I", 4) + b"Xiph" + struct.pack("<I", len(comments)) + listed + b"\x01",
            b"\x05vorbis" + b"setup" * 100,
        ]
    else:
        headers = [
            b"OpusHead\x01\x01" + bytes(9),
            b"OpusTags" + struct.pack("<I", 4) + b"libx" + struct.pack("<I", len(comments)) + listed,
        ]
    lacing = b"".join(map(lacing_of, headers[1:]))
    rest = b"".join(headers[1:])
    pages = [ogg_page(2, 0, 0, lacing_of(headers[0]), headers[0])]
    pages += [
        ogg_page(0, -1, 1, lacing[:255], rest[: sum(lacing[:255])]),
        ogg_page(1, 0, 2, lacing[255:], rest[sum(lacing[:255]) :]),
    ]
    sounds = [bytes([n + 1]) * 300 for n in range(3)]
    pages += [ogg_page(4 if n == 2 else 0, 960 * (n + 1), 3 + n, lacing_of(s), s) for n, s in enumerate(sounds)]
    carried_pages = ogg_pages(
        sound := carried(tmp_path, f"voice.{'ogg' if codec == 'vorbis' else 'oga'}", b"".join(pages))
    )
    assert private(sound) == [] and b"PADDING" not in sound
    assert [page[2] for page in carried_pages] == list(range(len(carried_pages)))  # numbered again, from 0
    assert carried_pages[0][0] == 2 and carried_pages[-1][0] == 4  # beginning and end of the stream
    empty = b"\x03vorbis" + bytes(8) + b"\x01" if codec == "vorbis" else b"OpusTags" + bytes(8)
    assert packets_of(carried_pages) == [headers[0], empty, *headers[2:], *sounds]
    assert [(p[1], p[4]) for p in carried_pages[-3:]] == [(960 * (n + 1), s) for n, s in enumerate(sounds)]


def atom(name: bytes, *children: bytes) -> bytes:
    body = b"".join(children)
    return struct.pack(">I", 8 + len(body)) + name + body


def atom_tree(data: bytes, at: int = 0, end: int | None = None) -> list[tuple[bytes, int, int]]:
    """(name, start, size) of every atom, the sizes of each container's atoms checked to add up."""
    end, found = len(data) if end is None else end, []
    while at < end:
        size, name = struct.unpack(">I4s", data[at : at + 8])
        assert 8 <= size <= end - at
        found.append((name, at, size))
        if name in (b"moov", b"trak", b"mdia", b"minf", b"stbl"):
            found += atom_tree(data, at + 8, at + size)
        at += size
    assert at == end
    return found


def test_an_m4a_is_carried_with_its_tag_atoms_blanked_in_place(tmp_path):
    def text(value: str) -> bytes:
        return atom(b"data", struct.pack(">II", 1, 0) + value.encode())

    tags = atom(
        b"meta",
        bytes(4),
        atom(b"hdlr", bytes(25)),
        atom(b"ilst", atom(b"\xa9nam", text(NAME)), atom(b"covr", atom(b"data", struct.pack(">II", 13, 0) + jpeg()))),
    )
    user = atom(b"udta", atom(b"\xa9xyz", struct.pack(">HH", len(GPS), 0) + GPS.encode()), tags)
    xmp = atom(
        b"uuid",
        bytes.fromhex("be7acfcb97a942e89c71999491e3afac") + f"<x:xmpmeta>{STREET} {BIRTHDAY}</x:xmpmeta>".encode(),
    )
    sound = b"\x21\x10\x05" * 100
    ftyp = atom(b"ftyp", b"M4A \0\0\0\0M4A mp42isom")

    def moov(offset: int) -> bytes:
        stbl = atom(b"stbl", atom(b"stsd", bytes(8)), atom(b"stco", struct.pack(">III", 0, 1, offset)))
        trak = atom(
            b"trak",
            atom(b"tkhd", bytes(84)),
            atom(b"mdia", atom(b"mdhd", bytes(24)), atom(b"minf", stbl)),
            atom(b"udta", text(NAME)),
        )
        return atom(b"moov", atom(b"mvhd", bytes(100)), trak, user)

    head = ftyp + xmp + moov(0) + atom(b"meta", bytes(4), atom(b"ilst", atom(b"\xa9day", text(BIRTHDAY))))
    offset = len(head) + 8
    original = ftyp + xmp + moov(offset) + head[len(ftyp + xmp + moov(0)) :] + atom(b"mdat", sound)
    kept = carried(tmp_path, "voice.m4a", original)
    assert private(kept) == [] and len(kept) == len(original)
    tree = atom_tree(kept)
    names = [name for name, _, _ in tree]
    assert b"udta" not in names and b"meta" not in names and b"uuid" not in names and names.count(b"free") == 4
    assert [(n, a, s) for n, a, s in atom_tree(original) if n not in (b"udta", b"meta", b"uuid")] == [
        (n, a, s) for n, a, s in tree if n != b"free"
    ]  # every other atom where it was, as large
    assert struct.unpack(">I", kept[kept.index(b"stco") + 12 : kept.index(b"stco") + 16])[0] == offset
    assert kept[offset : offset + len(sound)] == sound  # the chunk offset still finds the sound


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        (
            "broken.mp3",
            b"ID3\x03\0\0\0\0\0\x10" + bytes(16) + b"<html>",
            "is a damaged MP3 recording (it holds no MPEG audio frames)",
        ),
        ("broken.wav", b"RIFF\xff\0\0\0WAVEfmt \x10\0\0\0" + bytes(8), "is a damaged WAV recording"),
        ("broken.ogg", b"OggS\0\x02" + bytes(30), "is a damaged OGG recording"),
        ("broken.m4a", b"\0\0\0\x10ftypM4A \0\0\0\0\xff\xff\xff\xffmoov", "is a damaged M4A recording"),
    ],
)
def test_a_recording_whose_tags_cannot_be_taken_out_is_refused(tmp_path, name, content, message):
    with pytest.raises(StoryError) as error:
        carried(tmp_path, name, content)
    [problem] = error.value.problems
    assert message in problem.message and "export it again" in problem.hint and (problem.line, problem.col) == (4, 12)
