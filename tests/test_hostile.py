"""The hostile corpus: story files someone may send, each with the message it must give.

Every `tests/hostile/stories/<case>.yaml` starts with `# expect: <message>`. The whole
corpus is built and checked once, as a clinic would (`storygen build`, `storygen check`,
`storygen list` in a library folder): each case gives its message, no case gives a
traceback or reaches the terminal with a control character, and nothing is written
outside the output folder.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from storygen.cli import main

CORPUS = Path(__file__).parent / "hostile" / "stories"
CASES = sorted(CORPUS.glob("*.yaml"))
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def expected(case: Path) -> str:
    first = case.read_bytes().split(b"\n", 1)[0].decode("utf-8")
    assert first.startswith("# expect: "), f"{case.name}: the first line must be '# expect: <message>'"
    return first.removeprefix("# expect: ")


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def corpus_run(tmp_path_factory):
    """The corpus as a library, built, checked and listed once through the command line."""
    root = tmp_path_factory.mktemp("hostile")
    library = root / "library"
    shutil.copytree(CORPUS.parent, library)
    (library / "storygen.yaml").write_text("name: Hostile corpus\n")
    before = snapshot(library)
    runner = CliRunner()
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(library)
        results = {
            command: runner.invoke(main, [command, "stories", *extra])
            for command, extra in (("build", ["--jobs", "1", "-o", "out"]), ("check", []), ("list", []))
        }
    return results, before, snapshot(library), sorted(p.name for p in root.iterdir())


def test_the_corpus_is_not_empty():
    assert len(CASES) >= 5


@pytest.mark.weasyprint_warnings
@pytest.mark.parametrize("case", CASES, ids=lambda p: p.stem)
def test_each_case_gives_its_message(corpus_run, case):
    results, _, _, _ = corpus_run
    build = results["build"]
    lines = [line for line in build.output.splitlines() if f"{case.name}:" in line or f"/{case.stem}" in line]
    assert any(expected(case) in line for line in lines), f"{case.name}: wanted {expected(case)!r} in\n" + "\n".join(
        lines
    )


@pytest.mark.weasyprint_warnings
@pytest.mark.parametrize("command", ["build", "check", "list"])
def test_no_command_prints_a_traceback_or_a_control_character(corpus_run, command):
    result = corpus_run[0][command]
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert "Traceback" not in result.output and "internal error" not in result.output
    assert not CONTROL.findall(result.output.replace("\n", "").replace("\t", ""))


@pytest.mark.weasyprint_warnings
def test_nothing_outside_the_output_folder_changes(corpus_run):
    _, before, after, beside = corpus_run
    changed = {
        name for name in set(before) | set(after) if not name.startswith("out/") and before.get(name) != after.get(name)
    }
    assert changed == set() and beside == ["library"]
