"""Small wins over time: session records (CSV in a child's profile), `storygen record`, the
mastery rule, the chain's target, and the progress report (`storygen progress`, build --profile)."""

from __future__ import annotations

import datetime
import shutil
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from pypdf import PdfReader

from storygen.cli import main
from storygen.errors import StoryError
from storygen.progress.mastery import report
from storygen.progress.sessions import Session, appended, header, read_sessions, step_columns
from storygen.story.model import MasteryRule, Story
from storygen.story.open import read_story
from tests.conftest import EXAMPLES, REPO

MIA = REPO / "tests" / "fixtures" / "profiles" / "mia"
TASK = """\
title: Putting on my coat
kind: task
chaining: forward
prompts: [I, V, PP, FP]
mastery: {sessions: 2, independent: 100%}
steps:
  - I take my coat from the hook.
  - text: I put my arms in.
    steps: [Left arm, Right arm]
  - I zip it up.
"""
LADDER = """\
title: Going back to school
steps:
  - text: I walk past the school gate.
    for: one week
  - text: I stand at the school gate.
    practise: until it feels easy
  - I visit the school library.
"""


def story(text: str = TASK, **changes) -> Story:
    data = yaml.safe_load(text)
    data.update(changes)
    return Story.model_validate(data)


def csv(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "data.csv"
    path.write_text(text, encoding="utf-8")
    return path


def problems(path: Path, told: Story) -> list[str]:
    with pytest.raises(StoryError) as raised:
        read_sessions(path, told)
    return [str(p).split(":", 1)[1] for p in raised.value.problems]  # line:col: message


# -- the file ------------------------------------------------------------------------------


def test_the_columns_are_the_data_sheets_numbers():
    assert step_columns(story()) == [
        ("1", "I take my coat from the hook."),
        ("2.1", "Left arm"),
        ("2.2", "Right arm"),
        ("3", "I zip it up."),
    ]
    assert header(story()) == ["date", "1", "2.1", "2.2", "3", "notes"]
    assert header(story(LADDER)) == ["date", "step", "worry", "notes"]


def test_a_file_is_read_as_sessions(tmp_path):
    path = csv(tmp_path, 'date,1,2.1,2.2,3,notes\n2026-11-02,pp,FP,,V,"tired, but tried"\n\n2026-11-04,I,V,V,I,\n')
    first, second = read_sessions(path, story())
    assert first.date == datetime.date(2026, 11, 2) and first.codes == {"1": "PP", "2.1": "FP", "3": "V"}
    assert first.notes == "tired, but tried" and second.codes["1"] == "I"
    assert read_sessions(tmp_path / "none.csv", story()) == []


def test_a_file_in_another_column_order_without_some_steps_is_read(tmp_path):
    """A spreadsheet may have moved columns, and a step added to the story later has none."""
    path = csv(tmp_path, "Date,3,1\n2026-11-02,I,V\n")
    [session] = read_sessions(path, story())
    assert session.codes == {"3": "I", "1": "V"}


def test_errors_are_at_their_line_and_column_with_a_way_to_fix_them(tmp_path):
    path = csv(
        tmp_path, "date,1,2.1,2.2,4,notes\n2026-11-02,PPP,I,I,,\n2026-13-01,I,I,I,I,\n2026-11-05,I,I,I,I,x,extra\n"
    )
    found = problems(path, story())
    assert found == [
        "1:16: the story has no step `4`; the story's steps are 1, 2.1, 2.2, 3",
        "2:12: step 1: 'PPP' is not one of the story's prompt codes (did you mean 'PP'?); write one of "
        "I, V, PP, FP, NR, or leave it empty when the step was not tried",
        "3:1: '2026-13-01' is not a date; write dates as year-month-day, like 2026-11-02",
        "4:22: this row has 7 cells, the header 6",
    ]


def test_a_header_without_a_date_is_one_error_not_one_a_row(tmp_path):
    path = csv(tmp_path, "day,1,3\n2026-11-02,I,V\n2026-11-04,I,I\n")
    assert problems(path, story()) == ["1:1: the first column must be `date`; the header is: date,1,2.1,2.2,3,notes"]


def test_a_ladders_tries_and_their_errors(tmp_path):
    path = csv(tmp_path, "date,step,worry,notes\n2026-11-02,1,8,\n2026-11-09,2,,stood there\n")
    first, second = read_sessions(path, story(LADDER))
    assert (first.step, first.worry, second.step, second.worry) == (1, 8, 2, None)
    path = csv(tmp_path, "date,step,worry\n2026-11-02,4,11\n")
    assert problems(path, story(LADDER)) == [
        "2:12: `step` is '4'; write a whole number from 1 to 3",
        "2:14: `worry` is '11'; write a whole number from 0 to 10",
    ]


def test_appending_keeps_every_byte_of_the_file(tmp_path):
    old = 'date,3,1,notes\r\n2026-11-02,I,V,"a note, with ""quotes"""\r\n'
    path = csv(tmp_path, old)
    added = appended(path, story(), Session(datetime.date(2026, 11, 4), {"1": "I", "3": "V"}, "ok"))
    assert added == (old + "2026-11-04,V,I,ok\n").encode()
    assert appended(tmp_path / "new.csv", story(), Session(datetime.date(2026, 11, 4), {"2.1": "PP"})) == (
        b"date,1,2.1,2.2,3,notes\n2026-11-04,,PP,,,\n"
    )


# -- the mastery rule ----------------------------------------------------------------------


def test_a_mastery_rule_is_read_and_checked():
    assert story().mastery == MasteryRule(sessions=2, independent=100)
    assert story(mastery={"sessions": 3, "step": "V"}).mastery.step == "V"
    for wrong, said in [
        ({"sessions": 2, "independent": "80%", "step": "I"}, "one measure"),
        ({"sessions": 2, "independent": "lots"}, "not a percentage"),
        ({"sessions": 2, "step": "M"}, "not one of the story's prompt codes"),
    ]:
        with pytest.raises(ValueError, match=said):
            story(mastery=wrong)


def test_a_rule_in_words_prints_as_before_and_is_reported_as_not_testable(tmp_path):
    from storygen.check.engine import check_story

    path = tmp_path / "coat.yaml"
    path.write_text(TASK.replace("mastery: {sessions: 2, independent: 100%}", "mastery: 3 sessions in a row"))
    assert report(read_story(path), []).testable is False
    [finding] = [f for f in check_story(path).findings if f.code == "TSK006"]
    assert "cannot tell when it is met" in finding.message and finding.line == 5
    path.write_text(TASK)
    assert not [f for f in check_story(path).findings if f.code == "TSK006"]


def test_the_data_sheet_says_the_rule_in_words():
    from storygen.pages.render import render

    assert "every step independent, 2 sessions in a row" in render(story(), "datasheet")
    assert "80% of the steps independent, 1 session in a row" in render(
        story(mastery={"sessions": 1, "independent": "80%"}), "datasheet"
    )


# -- the report ----------------------------------------------------------------------------


def day(n: int) -> datetime.date:
    return datetime.date(2026, 11, n)


def test_independent_steps_and_the_date_mastery_was_met():
    sessions = [
        Session(day(1), {"1": "V", "2.1": "PP"}),
        Session(day(2), {"1": "I", "2.1": "I", "2.2": "I", "3": "I"}),
        Session(day(3), {"1": "I", "2.1": "I", "2.2": "V", "3": "I"}),  # the run is broken
        Session(day(4), {"1": "I", "2.1": "I", "2.2": "I", "3": "I"}),
        Session(day(5), {"1": "I", "2.1": "I", "2.2": "I", "3": "I"}),
        Session(day(6), {"1": "I", "2.1": "I", "2.2": "I", "3": "I"}),
    ]
    found = report(story(), sessions)
    assert found.independent == [0, 100, 75, 100, 100, 100]
    assert found.testable and found.mastered == day(5)
    assert report(story(), sessions[:4]).mastered is None
    by_code = report(story(mastery={"sessions": 2, "step": "V"}), sessions)  # V or more independent
    assert by_code.mastered == day(3)


def test_a_forward_chains_target_moves_past_steps_already_learnt():
    sessions = [
        Session(day(1), {"1": "PP"}),
        Session(day(2), {"1": "I", "2.2": "I"}),
        Session(day(3), {"1": "I", "2.1": "V", "2.2": "I"}),  # 1 learnt; 2.1 next (2.2 is not next)
        Session(day(4), {"1": "I", "2.1": "I", "2.2": "I", "3": "I"}),
        Session(day(5), {"1": "I", "2.1": "I", "2.2": "I", "3": "I"}),  # 2.1 learnt, and 2.2 and 3 with it
    ]
    found = report(story(), sessions)
    assert found.targets == ["1", "1", "1", "2.1", "2.1"]
    assert [(m.date, m.came_from, m.to) for m in found.moves] == [(day(3), "1", "2.1"), (day(5), "2.1", None)]
    assert found.target is None


def test_the_worked_example_backward_chain_over_twelve_sessions():
    """Mia's tooth brushing (docs/progress.md's worked example): the target moves back from step 8."""
    told = read_story(EXAMPLES / "brushing-teeth.yaml")
    found = report(told, read_sessions(MIA / "data" / "brushing-teeth.csv", told))
    assert told.chaining == "backward" and len(found.sessions) == 12
    assert [(m.date.isoformat(), m.came_from, m.to) for m in found.moves] == [
        ("2026-11-06", "8", "7"),
        ("2026-11-13", "7", "6"),
        ("2026-11-18", "6", "4.3"),
        ("2026-11-27", "4.3", None),
    ]
    assert found.mastered == datetime.date(2026, 11, 27)
    assert round(found.independent[0]) == 0 and found.independent[-1] == 100


def test_small_wins_are_steps_now_done_alone_that_were_not_at_the_start():
    sessions = [Session(day(1), {"1": "PP", "3": "I"}), Session(day(2), {"1": "I", "3": "I", "2.1": "I"})]
    assert report(story(), sessions).wins == ["1"]  # 3 was alone from the start; 2.1 tried once


# -- storygen record -----------------------------------------------------------------------


@pytest.fixture
def library(tmp_path) -> Path:
    (tmp_path / "storygen.yaml").write_text("name: Test clinic\n", encoding="utf-8")
    (tmp_path / ".gitignore").write_text("/profiles/\n", encoding="utf-8")
    (tmp_path / "stories").mkdir()
    (tmp_path / "stories" / "coat.yaml").write_text(TASK, encoding="utf-8")
    (tmp_path / "stories" / "school.yaml").write_text(LADDER, encoding="utf-8")
    shutil.copy(EXAMPLES / "when-i-feel-worried.yaml", tmp_path / "stories" / "worried.yaml")
    shutil.copytree(MIA, tmp_path / "profiles" / "mia", ignore=shutil.ignore_patterns("data"))
    return tmp_path


def record(library: Path, story_id: str, typed: str, *options: str):
    return CliRunner().invoke(main, ["record", str(library / "profiles" / "mia"), story_id, *options], input=typed)


def test_record_asks_step_by_step_and_appends_one_row(library):
    data = library / "profiles" / "mia" / "data" / "coat.csv"
    result = record(library, "coat", "pp\nV\nXX\nFP\n-\nfirst go\n", "--date", "2026-11-02")
    assert result.exit_code == 0, result.output
    assert "1 I take my coat from the hook." in result.output and "'XX' is not a code" in result.output
    assert data.read_text() == "date,1,2.1,2.2,3,notes\n2026-11-02,PP,V,FP,,first go\n"
    assert oct(data.stat().st_mode & 0o777) == "0o600"  # a child's data: the owner's only
    before = data.read_bytes()
    result = record(library, "coat", "I\n\n\n\n\n", "--date", "2026-11-04")  # Enter keeps the last codes
    assert result.exit_code == 0, result.output
    assert data.read_bytes() == before + b"2026-11-04,I,V,FP,,\n"
    assert "1 of 4 steps independent" in result.output


def test_record_a_ladders_try(library):
    result = record(library, "school", "2\n4\n\n", "--date", "2026-11-09")
    assert result.exit_code == 0, result.output
    assert (
        library / "profiles" / "mia" / "data" / "school.csv"
    ).read_text() == "date,step,worry,notes\n2026-11-09,2,4,\n"


def test_record_refuses_what_it_cannot_record_and_writes_nothing(library):
    data = library / "profiles" / "mia" / "data"
    assert "sessions are recorded for task analyses and ladders" in record(library, "worried", "").output
    result = record(library, "cot", "")
    assert result.exit_code == 1 and "the library has no story 'cot' (did you mean 'coat'?)" in result.output
    assert "is not a date" in record(library, "coat", "", "--date", "26/11/2026").output
    data.mkdir()
    (data / "coat.csv").write_text("date,1\n2026-11-02,Q\n")
    result = record(library, "coat", "I\nI\nI\nI\n\n")
    assert result.exit_code == 1 and "coat.csv:2:12: step 1: 'Q' is not one of" in result.output
    assert (data / "coat.csv").read_text() == "date,1\n2026-11-02,Q\n"


# -- the report, printed -------------------------------------------------------------------


@pytest.fixture(scope="module")
def reported(tmp_path_factory):
    """The example library with Mia's profile and her twelve sessions: `storygen progress`."""
    root = tmp_path_factory.mktemp("progress")
    shutil.copytree(EXAMPLES, root / "stories")
    (root / "storygen.yaml").write_text("name: Example clinic\n", encoding="utf-8")
    shutil.copytree(MIA, root / "profiles" / "mia")
    result = CliRunner().invoke(main, ["progress", str(root / "profiles" / "mia")])
    assert result.exit_code == 0, result.output
    return root, root / "profiles" / "mia" / "build" / "brushing-teeth"


def test_progress_writes_the_report_into_the_childs_build_only(reported):
    root, folder = reported
    assert sorted(p.name for p in folder.iterdir()) == ["brushing-teeth-progress.html", "brushing-teeth-progress.pdf"]
    assert not (root / "build").exists()


def test_the_report_has_the_chart_the_grid_the_target_and_the_small_wins(reported):
    _, folder = reported
    pdf = PdfReader(folder / "brushing-teeth-progress.pdf")
    pages = [" ".join(page.extract_text().split()) for page in pdf.pages]
    assert len(pages) == 2  # the grid follows the chart on the first page: no page two-thirds blank
    assert "12 sessions, Nov 2, 2026 to Nov 27, 2026" in pages[0]
    assert "every step independent, 2 sessions in a row: met on Nov 27, 2026." in pages[0]
    assert "Nov 18, 2026: step 6 learnt; the target moved to step 4.3." in pages[0]
    assert "Steps done independently, per session (%)" in pages[0]
    assert "Each step, sessions 1 to 12" in pages[0] and "4.3 Brush the teeth on the other side." in pages[0]
    assert "brushed on her own and showed us!" in pages[0]
    assert "Small wins" in pages[1] and "Put my toothbrush away." in pages[1]
    assert "the whole task learnt!" in pages[1]
    assert "Mia" not in (pdf.metadata.title or "")  # no child's name in metadata


def test_the_chart_is_drawn_not_pasted_as_a_picture(reported):
    _, folder = reported
    page = PdfReader(folder / "brushing-teeth-progress.pdf").pages[0]
    kinds = {str(x.get_object()["/Subtype"]) for x in page["/Resources"]["/XObject"].values()}
    assert kinds == {"/Form"}  # vector drawing (SVG), no raster image


def test_the_web_page_gives_the_chart_a_text_alternative(reported):
    _, folder = reported
    page = (folder / "brushing-teeth-progress.html").read_text()
    assert 'alt="Steps done independently, per session (%). Nov 2, 2026: 0%; Nov 4, 2026: 8%;' in page
    assert "data:image/svg+xml;base64," in page and "file:" not in page


def test_a_build_with_the_profile_includes_progress_and_the_shared_build_never(reported, tmp_path):
    root, _ = reported
    shared = CliRunner().invoke(
        main, ["build", str(root / "stories"), "-o", str(tmp_path / "shared"), "--format", "story", "-q"]
    )
    assert shared.exit_code == 0, shared.output
    assert not list((tmp_path / "shared").rglob("*progress*"))
    child = CliRunner().invoke(
        main,
        [
            "build",
            str(root / "stories" / "brushing-teeth.yaml"),
            "--profile",
            str(root / "profiles" / "mia"),
            "--format",
            "story",
            "-q",
        ],
    )
    assert child.exit_code == 0, child.output
    built = root / "profiles" / "mia" / "build" / "brushing-teeth"
    assert {p.name for p in built.iterdir()} >= {"brushing-teeth.pdf", "brushing-teeth-progress.pdf"}


def test_a_new_session_rebuilds_the_childs_report(reported):
    root, _ = reported
    command = ["build", str(root / "stories" / "washing-hands.yaml"), "--profile", str(root / "profiles" / "mia")]
    CliRunner().invoke(main, [*command, "--format", "story"])
    again = CliRunner().invoke(main, [*command, "--format", "story"])
    assert "1 up to date" in again.output
    data = root / "profiles" / "mia" / "data" / "washing-hands.csv"
    data.write_text("date,1\n2026-11-30,I\n", encoding="utf-8")  # her first session of another story
    after = CliRunner().invoke(main, [*command, "--format", "story"])
    assert "1 built" in after.output, after.output
    assert (root / "profiles" / "mia" / "build" / "washing-hands" / "washing-hands-progress.pdf").is_file()


def test_a_ladders_report_shows_the_step_reached_and_the_worry():
    from storygen.progress.report import render_progress

    told = story(LADDER)
    tries = [Session(day(1), step=1, worry=8), Session(day(8), step=2, worry=5), Session(day(15), step=2, worry=3)]
    page = render_progress(told, report(told, tries), "screen")
    assert "Step reached, per try" in page and "Worry, 0 to 10, per try" in page
    assert "At the first try: step 1. The furthest so far: step 2." in page
    assert "Worry at the first try: 8 out of 10. At the latest: 3 out of 10." in page
    assert "I stand at the school gate." in page


def test_the_report_is_in_the_familys_language():
    from storygen import i18n
    from storygen.progress.report import render_progress

    told = story(language="es")
    page = render_progress(told, report(told, [Session(day(1), {"1": "V"}), Session(day(2), {"1": "I"})]), "screen")
    words = i18n.translations("es")
    for message in ("Small wins", "What your child now does on their own, that needed help at the start:"):
        assert words.gettext(message) != message and words.gettext(message) in page and message not in page
    assert "2 nov 2026" in page  # the date as Spanish writes it


def test_record_shows_the_steps_told_about_the_child(library):
    (library / "stories" / "hat.yaml").write_text(
        "title: $name puts on a hat\nkind: task\ndefaults: {name: Sam}\nsteps:\n  - $name takes the hat.\n  - $They {puts|put} it on.\n"
    )
    result = record(library, "hat", "I\nV\n\n", "--date", "2026-11-02")
    assert result.exit_code == 0, result.output
    assert "1 Mia takes the hat." in result.output and "2 She puts it on." in result.output


# -- records at once, a disk that cannot take one, notes a spreadsheet would run ---------------


def _record_at_once(library: Path, n: int, start) -> int:
    start.wait()  # every process reaches the file at once
    return record(library, "coat", f"I\nV\nPP\nFP\nsession {n}\n", "--date", f"2026-12-{n:02d}").exit_code


def test_twenty_records_at_once_add_twenty_rows(library):
    import multiprocessing

    if "fork" not in multiprocessing.get_all_start_methods():
        pytest.skip("the records are run in forked processes")
    context = multiprocessing.get_context("fork")
    with context.Manager() as manager, context.Pool(20) as pool:
        start = manager.Barrier(20)
        codes = pool.starmap(_record_at_once, [(library, n, start) for n in range(1, 21)])
    assert codes == [0] * 20  # and without the lock, some of the rows were lost
    file = library / "profiles" / "mia" / "data" / "coat.csv"
    sessions = read_sessions(file, story())
    assert sorted(s.notes for s in sessions) == sorted(f"session {n}" for n in range(1, 21))
    assert all(s.codes == {"1": "I", "2.1": "V", "2.2": "PP", "3": "FP"} for s in sessions)
    assert oct((library / "profiles" / "mia" / ".lock").stat().st_mode & 0o777) == "0o600"


def test_a_session_that_cannot_be_saved_is_printed_to_paste(library, monkeypatch):
    import errno

    from storygen import files

    file = library / "profiles" / "mia" / "data" / "coat.csv"
    assert record(library, "coat", "I\nI\nI\nI\n\n", "--date", "2026-12-06").exit_code == 0
    before = file.read_bytes()

    def full(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(files, "replace", full)
    result = record(library, "coat", "I\nV\nPP\nFP\nfirst go\n", "--date", "2026-12-07")
    assert result.exit_code == 1 and isinstance(result.exception, SystemExit)
    assert (
        "coat.csv:3:1: the session was not saved: No space left on device; fix that, or paste this line "
        "at the end of the file yourself:\n2026-12-07,I,V,PP,FP,first go\n" in result.output
    )
    assert " -o" not in result.output and file.read_bytes() == before  # record has no -o


def test_a_first_session_that_cannot_be_saved_is_printed_with_its_header(library):
    (library / "profiles" / "mia" / ".lock").mkdir()  # the lock cannot be opened: a real OSError
    result = record(library, "school", "2\n4\nat the gate\n", "--date", "2026-12-07")
    assert result.exit_code == 1 and isinstance(result.exception, SystemExit)
    assert (
        "school.csv:2:1: the session was not saved: Is a directory; fix that, or paste these lines into this "
        "new file yourself:\ndate,step,worry,notes\n2026-12-07,2,4,at the gate\n" in result.output
    )
    assert not (library / "profiles" / "mia" / "data" / "school.csv").exists()


def test_a_note_a_spreadsheet_would_run_is_written_as_text_and_read_back_as_typed(library):
    file = library / "profiles" / "mia" / "data" / "coat.csv"
    typed = ['=HYPERLINK("http://x.example","see")', "+1 prompt", "-2 steps", "@home", "plain, 'quoted'"]
    for n, note in enumerate(typed, start=1):
        assert record(library, "coat", f"I\nI\nI\nI\n{note}\n", "--date", f"2026-12-0{n}").exit_code == 0
    rows = file.read_text().splitlines()[1:]
    assert rows[0] == '2026-12-01,I,I,I,I,"\'=HYPERLINK(""http://x.example"",""see"")"'
    assert [row.split(",", 5)[5] for row in rows[1:]] == ["'+1 prompt", "'-2 steps", "'@home", "\"plain, 'quoted'\""]
    assert [s.notes for s in read_sessions(file, story())] == typed


def test_a_file_broken_while_the_session_was_typed_keeps_it_to_paste(library):
    from storygen.progress.sessions import add_session

    mia = library / "profiles" / "mia"
    (mia / "data").mkdir()
    (mia / "data" / "coat.csv").write_text("date,1,notes\n2026-12-01,Q,\n")  # a spreadsheet's mistake
    with pytest.raises(StoryError) as raised:
        add_session(mia, "coat", story(), Session(day(2), {"1": "I"}, "=1+1"))
    wrong, kept = map(str, raised.value.problems)
    assert "coat.csv:2:12: step 1: 'Q' is not one of" in wrong
    assert kept.endswith(
        "coat.csv:3:1: the session was not saved: see above; fix that, or paste this line "
        "at the end of the file yourself:\n2026-11-02,I,'=1+1"
    )
    assert (mia / "data" / "coat.csv").read_text() == "date,1,notes\n2026-12-01,Q,\n"
