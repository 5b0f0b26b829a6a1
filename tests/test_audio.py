"""Recorded voices: `audio:` on a page, checked and confined like a picture, carried inside the
web page, played with a button and by read-aloud while presenting."""

from __future__ import annotations

import math
import struct
import wave

import pytest

from storygen.build import build
from storygen.errors import StoryError
from storygen.load import read_story
from storygen.translate import translate
from tests.conftest import pdf_pages_text, wait_until
from tests.test_presenter import SPEECH


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
        (problem.line, problem.col) == (7, 12) and message in problem.message and problem.message.startswith("step 1")
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
    assert "step 2: the recording 'long.wav' is 2.1 MB; the web page carries it inside" in warning.message
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
