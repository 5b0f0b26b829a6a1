"""Every command the docs show is run, so that they cannot go stale: each fenced line of
README.md and docs/*.md that starts with `storygen ` (or `$ storygen `) runs on a copy of the
example library, as a clinician would type it, and must exit as the docs say: 0, or the
status a `# exits N` comment gives. A fenced block is one session: its lines run in order,
a `cd` inside it holds until its end. A `usage: storygen ...` synopsis may name only options
its command has, and any other line of a shell block must be listed in NOT_RUN with why.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import signal
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest

from tests.conftest import EXAMPLES, REPO

PAGES = [REPO / "README.md", *sorted((REPO / "docs").glob("*.md"))]
MIA = REPO / "tests" / "fixtures" / "profiles" / "mia"
FENCE = re.compile(r"^```(\w*)\n(.*?)^```", re.MULTILINE | re.DOTALL)
SHELL = {"sh", "shell", "bash", "console"}
ANSWERS = "\n" * 200  # Enter at every question: `storygen record` keeps the last session's code for each step

# The lines of shell blocks that are not run here, and why.
NOT_RUN = {
    "python3 -m venv .venv && . .venv/bin/activate && pip install . && storygen build": (
        "installs storygen in a new virtual environment (these tests run in one already); the example "
        "library's whole build is the example_build fixture of tests/conftest.py"
    ),
    "python3 -m venv .venv && . .venv/bin/activate && pip install -e '.[test]' && python -m pytest -q -n auto": (
        "the test command itself, which .ci/run runs"
    ),
    'pip install "git+https://example.org/your-team/storygen.git@v0.1.0"': "a team's own repository: an example address",
}


def fenced(page: Path) -> list[tuple[str, list[str]]]:
    """Each fenced block of a page: its language and its lines."""
    return [(match[1], match[2].splitlines()) for match in FENCE.finditer(page.read_text(encoding="utf-8"))]


def is_command(line: str) -> bool:
    return line.removeprefix("$ ").startswith("storygen ")


def sessions(page: Path) -> list[list[str]]:
    """The commands (and `cd`s) of each block of a page that has any, in order."""
    found = []
    for language, lines in fenced(page):
        steps = [
            line.removeprefix("$ ")
            for line in lines
            if is_command(line) or (language in SHELL and line.startswith("cd "))
        ]
        if any(map(is_command, steps)):
            found.append(steps)
    return found


def usages(page: Path) -> list[str]:
    """The `usage: storygen ...` synopses of a page, each joined with its indented continuation lines."""
    found: list[str] = []
    for _, lines in fenced(page):
        continued = False
        for line in lines:
            if line.startswith("usage: storygen "):
                found.append(line)
            elif continued and line.startswith(" "):
                found[-1] += " " + line.strip()
            continued = line.startswith("usage: storygen ") or (continued and line.startswith(" "))
    return found


def library(root: Path, page: Path) -> Path:
    """A copy of the example library. The README runs in the repository as it is (its stories/);
    the manual's pages speak of a clinic's library, with its storygen.yaml and a child's profile."""
    shutil.copytree(EXAMPLES, root / "stories")
    if page.name != "README.md":
        (root / "storygen.yaml").write_text("name: Example clinic\n", encoding="utf-8")
        (root / ".gitignore").write_text("build/\nprofiles/\n", encoding="utf-8")
        shutil.copytree(MIA, root / "profiles" / "mia")
    return root


def storygen(*args: str) -> list[str]:
    return [sys.executable, "-m", "storygen", *args]


ENV = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(REPO), os.environ.get("PYTHONPATH")]))}


def expected_status(line: str) -> int:
    """0, or what the line's comment says: `storygen check --strict   # exits 1: ...`."""
    said = re.search(r"#.*\bexits (\d+)", line)
    return int(said[1]) if said else 0


def serve(args: list[str], folder: Path) -> None:
    """`storygen serve` runs until Ctrl+C: it is started, its first page asked for, then stopped
    as a person would. On any free port unless the docs name one, so that runs at once do not collide."""
    args = args if "--port" in args else [*args, "--port", "0"]
    process = subprocess.Popen(
        storygen("serve", *args), cwd=folder, env=ENV, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    try:
        said = process.stdout.readline() if process.stdout else ""  # Previewing ... at http://127.0.0.1:PORT/
        address = re.search(r"http://\S+/", said)
        assert address, said
        with urllib.request.urlopen(address[0], timeout=60) as response:
            assert response.status == 200
    finally:
        process.send_signal(signal.SIGINT)
        status = process.wait(timeout=60)
    assert status == 0, said


def run(line: str, folder: Path) -> Path:
    """Run one line of the docs in folder; return the folder the next line runs in."""
    words = shlex.split(line, comments=True)
    if words[0] == "cd":
        return folder / words[1]
    if words[1] == "serve":
        serve(words[2:], folder)
        return folder
    done = subprocess.run(
        storygen(*words[1:]), cwd=folder, env=ENV, input=ANSWERS, capture_output=True, text=True, timeout=1800
    )
    assert done.returncode == expected_status(line), f"{line}\n{done.stdout}\n{done.stderr}"
    return folder


def builds(page: Path) -> bool:
    return any(line.startswith("storygen build") for steps in sessions(page) for line in steps)


RUN = [
    pytest.param(page, id=page.name, marks=[pytest.mark.slow] if builds(page) else [])
    for page in PAGES
    if sessions(page)
]


@pytest.mark.parametrize("page", RUN)
def test_every_command_of_a_page_runs(page, tmp_path):
    root = library(tmp_path / "library", page)
    for steps in sessions(page):
        folder = root
        for line in steps:
            folder = run(line, folder)


@pytest.mark.parametrize("page", PAGES, ids=lambda page: page.name)
def test_every_shell_line_is_run_or_listed(page):
    """A command the docs show that the tests would not run fails here: write it as a
    `storygen ...` line with real values, or add it to NOT_RUN with the reason."""
    shell = [line for language, lines in fenced(page) if language in SHELL for line in lines]
    left = [line for line in shell if line.strip() and not is_command(line) and not line.startswith("cd ")]
    assert [line for line in left if line not in NOT_RUN] == []


@pytest.mark.parametrize("page", [page for page in PAGES if usages(page)], ids=lambda page: page.name)
def test_a_synopsis_names_only_options_its_command_has(page):
    for usage in usages(page):
        command = usage.split()[2]
        helped = subprocess.run(storygen(command, "--help"), env=ENV, capture_output=True, text=True, check=True)
        for option in re.findall(r"(?<![\w-])(--?[a-z][\w-]*)", usage):
            assert re.search(rf"(?<![\w-]){option}\b", helped.stdout), f"{usage}: `storygen {command}` has no {option}"


def test_the_extraction_finds_the_commands_and_their_exit_status():
    """A fence misread would find no command, and a `# exits N` misread would pass unseen."""
    assert len(RUN) >= 8
    profiles = sessions(REPO / "docs" / "profiles.md")[0]
    assert [expected_status(line) for line in profiles] == [0, 1]
