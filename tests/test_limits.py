"""No input makes storygen hang, crash or print garbage: the time budget of each output,
long words on the page, and terminal-safe output from build, check and list."""

from __future__ import annotations

import contextlib
import re
import threading
import time

import pytest
from click.testing import CliRunner

from storygen.build import budget
from storygen.build.budget import OutOfTime, time_budget
from storygen.build.stories import build
from storygen.cli import main
from storygen.errors import Problem, printable

RAW_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def spin(cpu_seconds: float) -> None:
    """Use cpu_seconds of this thread's processor time (however long that takes on a busy machine)."""
    start = time.thread_time()
    while time.thread_time() - start < cpu_seconds:
        pass


# -- printable: one place that makes text safe for a terminal ------------------------------


def test_printable_shows_control_characters_as_escapes():
    assert printable("a\x1b[2Jb\x07c\x9bd\u202ee\x7f") == "a\\x1b[2Jb\\x07c\\x9bd\\u202ee\\x7f"
    assert printable("one\ntwo\tthree\r") == "one\ntwo\tthree\\x0d"
    assert printable("a\nb", keep="") == "a\\x0ab"
    assert printable("Zoë’s café 🦷") == "Zoë’s café 🦷"


def test_a_problem_never_prints_a_control_character(tmp_path):
    problem = Problem(tmp_path / "\x1b]0;owned\x07\n.yaml", 1, 2, "unknown key '\x1b[2J'")
    shown = str(problem)
    assert not RAW_CONTROL.search(shown) and "\n" not in shown
    assert shown.endswith("\\x1b]0;owned\\x07\\x0a.yaml:1:2: unknown key '\\x1b[2J'")


# -- the time budget -------------------------------------------------------------------


def test_a_block_using_more_processor_time_than_its_budget_is_stopped():
    with pytest.raises(OutOfTime) as caught, time_budget(0.05, "strip"):
        spin(30)  # a safety net: stopped long before
    assert str(caught.value) == (
        "strip: used more than 0.05 s of processor time and was stopped; shorten the story or split it"
    )


def test_a_thread_other_than_the_main_one_is_stopped_too():
    """The preview renders in its request threads: the budget watches whichever thread enters it."""
    raised: list[BaseException] = []

    def work():
        try:
            with time_budget(0.05, "the web page"):
                spin(30)
        except BaseException as exc:
            raised.append(exc)

    thread = threading.Thread(target=work)
    thread.start()
    thread.join(timeout=60)  # a safety net
    assert len(raised) == 1 and isinstance(raised[0], OutOfTime)  # raised there, not in the main thread
    assert str(raised[0]).startswith("the web page: used more than 0.05 s of processor time")


def test_a_stop_swallowed_on_the_way_is_given_again():
    """A stop that lands in a __del__ (as WeasyPrint's font configuration has) is lost: the block goes on."""
    with pytest.raises(OutOfTime), time_budget(0.05):
        with contextlib.suppress(OutOfTime):  # swallowed
            spin(30)
        spin(30)  # a safety net: stopped long before


def test_waiting_costs_no_budget():
    """The budget counts processor time, not the clock: a story waiting on a busy machine is not stopped."""
    with time_budget(0.05):
        time.sleep(0.5)  # ten times the budget on the clock, no processor time


def test_a_block_within_its_budget_is_left_alone_and_its_budget_forgotten():
    with time_budget(0.2):
        spin(0.01)
    assert not budget._watchdog.budgets
    spin(0.3)  # a stop left pending would raise here


def test_a_slow_output_is_reported_and_the_next_story_builds(tmp_path, monkeypatch):
    stories = tmp_path / "stories"
    stories.mkdir()
    (stories / "a-long-day.yaml").write_text(
        "title: A long day\nsteps:\n" + "".join(f"  - text: Step {i}.\n    symbol: soap\n" for i in range(100))
    )
    (stories / "b-shop.yaml").write_text("title: Going to the shop\nsteps:\n  - I hold the basket.\n")
    monkeypatch.setattr(budget, "OUTPUT_SECONDS", 0.05)
    outcomes = build([stories], tmp_path / "out", formats=["story"], catalog=False)
    slow = next(outcomes)
    assert [str(p) for p in slow.problems] == [
        f"{stories / 'a-long-day.yaml'}:1:1: story, English (en): used more than 0.05 s of processor time "
        "and was stopped; shorten the story or split it"
    ]
    assert not (tmp_path / "out" / "a-long-day" / "a-long-day.pdf").exists()
    monkeypatch.setattr(budget, "OUTPUT_SECONDS", 60)  # the next story gets a normal budget
    [shop] = list(outcomes)
    assert not shop.failed and (tmp_path / "out" / "b-shop" / "b-shop.pdf").is_file()
    assert not list((tmp_path / "out").rglob("*.tmp"))


def test_a_stopped_output_is_named_with_its_language(tmp_path, monkeypatch):
    story = tmp_path / "park.yaml"
    story.write_text(
        "title: The park\nsteps: [I go on the swing., I go home.]\n"
        "translations:\n  es:\n    title: El parque\n    steps: [Me subo al columpio., Me voy a casa.]\n"
    )
    monkeypatch.setattr(budget, "OUTPUT_SECONDS", 0.01)
    [outcome] = build([story], tmp_path / "out", formats=["cards"], languages=["es"], catalog=False)
    assert [p.message for p in outcome.problems] == [
        "cards, español (es): used more than 0.01 s of processor time and was stopped; shorten the story or split it"
    ]


# -- a 300-character word wraps on the page, with a warning ---------------------------------

LONG_WORD = "".join("abcdefghij"[i % 10] for i in range(300))


@pytest.fixture(scope="module")
def long_word_build(tmp_path_factory):
    folder = tmp_path_factory.mktemp("long-word")
    path = folder / "long-word.yaml"
    path.write_text(
        f"title: A long word\nsteps:\n  - text: I say {LONG_WORD} out loud.\n    symbol: none\n  - I stop.\n"
    )
    [outcome] = build([path], folder / "out", formats=["story"], catalog=False)
    return path, outcome, folder / "out" / "long-word" / "long-word.pdf"


def test_a_long_word_is_warned_about_at_its_position(long_word_build):
    path, outcome, _ = long_word_build
    warnings = [str(p) for p in outcome.problems if "characters, more than 30" in p.message]
    assert warnings == [
        f"{path}:3:17: warning: the word '{LONG_WORD[:30]}…' has 300 characters, more than 30; "
        "it is broken across lines to fit the page; shorten it, or break it up with spaces or hyphens"
    ]


def test_a_long_word_wraps_within_the_page(long_word_build):
    from pypdf import PdfReader

    from storygen.pages.formats import story_pages
    from storygen.story.open import read_story

    path, outcome, pdf = long_word_build
    assert not outcome.failed
    pages = PdfReader(pdf).pages
    assert len(pages) == len(story_pages(read_story(path)))  # one page a step: the word did not spill over
    lines = [line.strip() for page in pages for line in page.extract_text().splitlines()]
    pieces = [
        line
        for line in lines
        if re.fullmatch(r"[a-j]+", line.removeprefix("I say ").removesuffix(" out loud.")) and len(line) > 5
    ]
    assert len(pieces) > 3, lines  # the word is broken over several lines...
    assert all(len(piece) < 40 for piece in pieces)  # ...each of which fits the page's width
    joined = "".join(p.removeprefix("I say ").removesuffix(" out loud.") for p in pieces)
    assert joined == LONG_WORD


def test_check_warns_about_a_long_word_at_its_position(tmp_path):
    from storygen.check.engine import check_story

    path = tmp_path / "long.yaml"
    path.write_text(f"title: Long\nsteps:\n  - text: Hello\n    feel: It feels {LONG_WORD[:31]}.\n")
    [finding] = [f for f in check_story(path).findings if f.code == "GEN004"]
    assert (finding.line, finding.col, finding.severity) == (4, 20, "warning")
    assert "has 31 characters, more than 30" in finding.message


# -- build, check and list print no control character, whatever the story or its file name ------

HOSTILE_FILES = {
    "\x1b[2J\x07\x9b.yaml": "title: Hello\nsteps:\n  - I say hello.\n",  # a file NAME with escapes
    "osc.yaml": 'title: "Hello \\e]0;owned\\a"\nsteps:\n  - "\\x1b[2J I wave."\n',
    "raw.yaml": "title: Hello \x1b]0;owned\x07\nsteps:\n  - I wave \x9b2J \u202eolleh.\n",
}


@pytest.fixture(scope="module")
def hostile_library(tmp_path_factory):
    folder = tmp_path_factory.mktemp("hostile-names")
    (folder / "stories").mkdir()
    for name, text in HOSTILE_FILES.items():
        (folder / "stories" / name).write_text(text, encoding="utf-8")
    return folder


@pytest.mark.parametrize(
    "command", [["build", "--jobs", "1", "-o", "out"], ["check"], ["check", "--output-format", "github"], ["list"]]
)
def test_no_output_holds_a_control_character(hostile_library, monkeypatch, command):
    monkeypatch.chdir(hostile_library)
    result = CliRunner().invoke(main, [command[0], "stories", *command[1:]])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert "\\x1b[2J\\x07\\x9b" in result.output  # the file name is shown, escaped
    for forbidden in ("\x1b", "\x07", "\x9b", "\u202e"):
        assert forbidden not in result.output
    if command[0] != "list":
        assert "control character (U+001B ESC)" in result.output
