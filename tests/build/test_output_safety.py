"""The output folder is the only place a build writes or deletes: hostile manifests, links,
folders storygen did not make, read-only and full disks, concurrent and killed builds."""

from __future__ import annotations

import errno
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from storygen.build import output as output_module
from storygen.build.output import OutputError
from storygen.build.stories import build
from storygen.cli import main
from tests.conftest import REPO

STORY = "title: {title}\nsteps:\n  - text: First step\n    symbol: soap\n  - Second step.\n"


def write_library(root: Path, names: str = "a") -> Path:
    (root / "stories").mkdir(parents=True)
    (root / "storygen.yaml").write_text("name: Test clinic\nformats: [story]\n")
    for name in names:
        (root / "stories" / f"{name}.yaml").write_text(STORY.format(title=f"Story {name}"))
    return root


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    """A library with story a, built once into lib/build (copied by each test)."""
    root = tmp_path_factory.mktemp("built")
    write_library(root / "lib")
    (root / "lib" / "stories" / "ok.svg").write_text(
        "<svg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 10 10'><rect width='10' height='10'/></svg>"
    )
    assert not any(o.failed for o in build([root / "lib" / "stories"], root / "lib" / "build"))
    return root / "lib"


@pytest.fixture
def library(built, tmp_path) -> Path:
    shutil.copytree(built, tmp_path / "lib", symlinks=True)
    return tmp_path / "lib"


def manifest_path(library: Path) -> Path:
    return library / "build" / ".storygen" / "manifest.json"


def edit_manifest(library: Path, change) -> None:
    data = json.loads(manifest_path(library).read_text())
    manifest_path(library).write_text(json.dumps(change(data)) if callable(change) else change)


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def run(library: Path, *options, **kwargs):
    return {o.path.stem: o for o in build([library / "stories"], library / "build", *options, **kwargs)}


# 1. Removing stale outputs: only storygen's own files, in <output>/<id>/.


def _gone(outputs: list[str]) -> dict:
    return {"source": "../stories/gone.yaml", "key": "k", "story": "s", "outputs": outputs}


HOSTILE_REMOVALS = {
    "output climbing out": lambda t: {"gone": _gone(["../../canary.txt", "../../../canary.txt"])},
    "absolute output": lambda t: {"gone": _gone([str(t / "abs" / "canary.txt")])},
    "id '.'": lambda t: {".": _gone(["canary.txt"])},
    "id '..'": lambda t: {"..": _gone(["canary.txt", "lib/canary.txt"])},
    "absolute id": lambda t: {str(t / "abs"): _gone(["canary.txt"])},
    "not storygen's file": lambda t: {"b": _gone(["notes.txt", "b.pdf"])},
    "linked story folder": lambda t: {"c": _gone(["c.pdf", "c.html"])},
}


@pytest.mark.parametrize("case", HOSTILE_REMOVALS)
def test_a_hostile_manifest_deletes_nothing_but_storygen_outputs(library, case):
    tmp = library.parent
    for canary in (
        tmp / "canary.txt",
        library / "canary.txt",
        tmp / "abs" / "canary.txt",
        library / "build" / "canary.txt",
        library / "build" / "b" / "notes.txt",
        tmp / "elsewhere" / "c.pdf",
        tmp / "elsewhere" / "c.html",
    ):
        canary.parent.mkdir(parents=True, exist_ok=True)
        canary.write_text("a file storygen did not write")
    (library / "build" / "c").symlink_to(tmp / "elsewhere", target_is_directory=True)
    (library / "build" / "gone").mkdir()  # so that gone/../.. leads somewhere
    (library / "build" / "b" / "b.pdf").write_text("b's story, built before")
    edit_manifest(library, lambda data: {**data, "stories": {**data["stories"], **HOSTILE_REMOVALS[case](tmp)}})
    before = snapshot(tmp)
    assert not run(library, catalog=False)["a"].failed
    after = snapshot(tmp)  # an entry naming any file not storygen's is dropped whole: nothing goes
    assert all(
        after.get(name) == content for name, content in before.items() if not name.startswith("lib/build/.storygen/")
    )
    assert (tmp / "abs").is_dir() and (library / "build" / "c").is_symlink()


def test_only_a_deleted_story_s_own_outputs_go(library):
    (library / "stories" / "b.yaml").write_text(STORY.format(title="Story b"))
    run(library, catalog=False)
    (library / "build" / "b" / "b-notes.pdf").write_text("a clinician's file with a storygen-like name")
    (library / "stories" / "b.yaml").unlink()
    outcomes = run(library, catalog=False)
    assert sorted(p.name for p in outcomes["b"].removed) == ["b.html", "b.pdf"]
    assert sorted(p.name for p in (library / "build" / "b").iterdir()) == ["b-notes.pdf"]


# 2. A manifest of the wrong shape means building again, never a traceback.


def _story_a(change):
    return lambda data: {**data, "stories": {"a": change(dict(data["stories"]["a"]))}}


BAD_MANIFESTS = {
    "not JSON": "{not json",
    "a list": "[1, 2]",
    "deeply nested": "[" * 100_000 + "]" * 100_000,
    "version missing": lambda data: {"stories": data["stories"]},
    "stories a list": lambda data: {**data, "stories": [data["stories"]["a"]]},
    "entry a string": lambda data: {**data, "stories": {"a": "a.pdf"}},
    "outputs a string": _story_a(lambda a: {**a, "outputs": "a.pdf"}),
    "key a number": _story_a(lambda a: {**a, "key": 5}),
    "key missing": _story_a(lambda a: {k: v for k, v in a.items() if k != "key"}),
    "extra key": _story_a(lambda a: {**a, "evil": True}),
    "file stamp wrong": _story_a(lambda a: {**a, "files": {"x": "y"}}),
    "problem wrong": _story_a(lambda a: {**a, "problems": [{"line": "1"}]}),
    "title a number": _story_a(lambda a: {**a, "about": {**a["about"], "title": 5}}),
    "cover wrong": _story_a(lambda a: {**a, "about": {**a["about"], "cover": {"image": ["x"]}}}),
}


@pytest.mark.parametrize("case", BAD_MANIFESTS)
def test_a_manifest_of_the_wrong_shape_means_a_rebuild(library, case):
    edit_manifest(library, BAD_MANIFESTS[case])
    outcomes = run(library, catalog=False)
    assert not outcomes["a"].failed and not outcomes["a"].skipped
    assert run(library, catalog=False)["a"].skipped  # and the manifest is good again
    data = json.loads(manifest_path(library).read_text())
    assert data["version"] == 1 and set(data["stories"]) == {"a"}


# 3. Covers named in the manifest are confined to the story's library.

SECRET_SVG = "<svg xmlns='http://www.w3.org/2000/svg'><text>SECRET-MARKER</text></svg>"


@pytest.mark.parametrize(
    "cover, shown",
    [
        ("../stories/ok.svg", True),  # the library's own picture: shown (the test can tell)
        ("../../secret.svg", False),  # beside the library
        ("/etc/passwd", False),
        ("../../secret.png", False),  # an SVG named .png
        ("../../lib-two/stories/ok.svg", False),  # another folder, even with a picture
    ],
)
def test_covers_in_the_manifest_are_confined_to_the_library(library, cover, shown):
    tmp = library.parent
    (tmp / "secret.svg").write_text(SECRET_SVG)
    (tmp / "secret.png").write_text(SECRET_SVG)
    (tmp / "lib-two" / "stories").mkdir(parents=True)
    (tmp / "lib-two" / "stories" / "ok.svg").write_text(SECRET_SVG)
    edit_manifest(library, _story_a(lambda a: {**a, "about": {**a["about"], "cover": {"image": cover}}}))
    (library / "build" / "index.html").unlink()  # the catalog is written again
    assert run(library)["a"].skipped
    html = (library / "build" / "index.html").read_text()
    assert ('<img class="cover"' in html) is shown
    assert "SECRET-MARKER" not in html


# 4, 5. Folders storygen must not write into: one message, exit 1, nothing written.


def cli_build(library: Path, *args: str):
    return CliRunner().invoke(main, ["build", str(library / "stories"), "--format", "story", *args])


def assert_one_clean_error(result, message: str) -> None:
    assert result.exit_code == 1, result.output
    assert message in result.output, result.output
    assert "internal error" not in result.output and "Traceback" not in result.output
    assert not isinstance(result.exception, Exception) or isinstance(result.exception, SystemExit)


def test_a_folder_storygen_did_not_make_is_refused(library, tmp_path):
    folder = tmp_path / "documents"
    folder.mkdir()
    (folder / "letter.txt").write_text("mine")
    result = cli_build(library, "-o", str(folder))
    assert_one_clean_error(result, "already holds files that storygen did not write; choose an empty or new folder")
    assert [p.name for p in folder.iterdir()] == ["letter.txt"]


def test_an_empty_or_new_folder_becomes_storygen_s(library, tmp_path):
    (tmp_path / "empty").mkdir()
    for folder in (tmp_path / "empty", tmp_path / "new" / "build"):
        assert cli_build(library, "-o", str(folder)).exit_code == 0
        assert (folder / ".storygen").is_dir() and (folder / "a" / "a.pdf").is_file()
    assert cli_build(library, "-o", str(tmp_path / "empty")).exit_code == 0  # its own folder: built again


def test_the_top_of_the_disk_and_the_home_folder_are_refused(library, tmp_path, monkeypatch):
    real_mkdir = Path.mkdir

    def guarded_mkdir(self, *args, **kwargs):  # should the check break, nothing is written in / all the same
        assert self.parent != Path("/"), f"storygen made {self}"
        return real_mkdir(self, *args, **kwargs)

    monkeypatch.setattr(Path, "mkdir", guarded_mkdir)
    top = set(Path("/").iterdir())
    assert_one_clean_error(cli_build(library, "-o", "/"), "is the top of the disk")
    assert set(Path("/").iterdir()) == top
    home = tmp_path / "home"
    (home / ".storygen").mkdir(parents=True)  # refused even when it looks like storygen's
    monkeypatch.setenv("HOME", str(home))
    assert_one_clean_error(cli_build(library, "-o", str(home)), "is your home folder")
    assert [p.name for p in home.iterdir()] == [".storygen"] and not any((home / ".storygen").iterdir())


def test_a_linked_state_folder_is_refused(library, tmp_path):
    shutil.rmtree(library / "build" / ".storygen")
    (tmp_path / "elsewhere").mkdir()
    (library / "build" / ".storygen").symlink_to(tmp_path / "elsewhere", target_is_directory=True)
    assert_one_clean_error(cli_build(library, "-o", str(library / "build")), "is not storygen's folder")
    assert not any((tmp_path / "elsewhere").iterdir())


def test_a_linked_story_folder_inside_the_output_is_refused(library, tmp_path):
    shutil.rmtree(library / "build" / "a")
    (library / "build" / "other").mkdir()
    (library / "build" / "a").symlink_to(library / "build" / "other", target_is_directory=True)
    result = cli_build(library, "-o", str(library / "build"), "--force")
    assert result.exit_code == 1 and "never writes through a link" in result.output
    assert "internal error" not in result.output and not any((library / "build" / "other").iterdir())


def test_an_output_folder_that_cannot_be_made_is_one_message(library, tmp_path):
    (tmp_path / "file.txt").write_text("a file")
    result = cli_build(library, "-o", str(tmp_path / "file.txt" / "build"))
    assert_one_clean_error(result, "cannot make the output folder")


def test_a_read_only_output_folder_is_one_message(library, tmp_path, monkeypatch):
    real_mkdir = Path.mkdir

    def read_only(self, *args, **kwargs):
        if self.is_relative_to(tmp_path / "out"):
            raise OSError(errno.EROFS, os.strerror(errno.EROFS), str(self))
        return real_mkdir(self, *args, **kwargs)

    monkeypatch.setattr(Path, "mkdir", read_only)
    result = cli_build(library, "-o", str(tmp_path / "out"))
    assert_one_clean_error(result, "Read-only file system")
    assert result.output.count("Read-only") == 1


@pytest.mark.parametrize("jobs, where", [("1", "write"), ("2", "write"), ("1", "print")])
def test_a_full_disk_stops_the_build_with_one_message(tmp_path, monkeypatch, jobs, where):
    from storygen.pages.pdf import Printer

    library = write_library(tmp_path / "lib", "abc")
    out = tmp_path / "out"
    real_replace = os.replace

    def full(*args, **kwargs):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    def replace(source, target, *args, **kwargs):
        return (full if Path(target).is_relative_to(out) else real_replace)(source, target, *args, **kwargs)

    if where == "write":
        monkeypatch.setattr(os, "replace", replace)
    else:  # WeasyPrint copies fonts to the scratch folder
        monkeypatch.setattr(Printer, "print", full)
    result = cli_build(library, "-o", str(out), "--jobs", jobs)
    assert_one_clean_error(result, "No space left on device")
    assert result.output.count("No space left") == 1
    assert not [p for p in out.rglob("*") if p.name.endswith(".tmp") or p.name.startswith("tmp-")]


# 6. Two builds into one folder: one after the other, neither loses the other's stories.


def storygen(*args: str, **kwargs) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "storygen", *args],
        cwd=REPO,
        text=True,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        **kwargs,
    )


def test_two_builds_at_once_keep_each_other_s_stories(tmp_path):
    one, two = write_library(tmp_path / "one", "ab"), write_library(tmp_path / "two", "cd")
    out = tmp_path / "out"
    builds = [storygen("build", str(lib / "stories"), "-o", str(out), "-j", "1") for lib in (one, two)]
    results = [b.communicate(timeout=120) for b in builds]
    assert [b.returncode for b in builds] == [0, 0], results
    stories = json.loads((out / ".storygen" / "manifest.json").read_text())["stories"]
    assert set(stories) == {"a", "b", "c", "d"}
    html = (out / "index.html").read_text()
    assert all(f'href="{name}/{name}.pdf"' in html for name in "abcd")


def test_a_second_build_waits_for_the_first(library, capfd):
    import fcntl

    handle = os.open(library / "build" / ".storygen" / "lock", os.O_RDWR)
    fcntl.flock(handle, fcntl.LOCK_EX)  # another build is running
    threading.Timer(0.6, os.close, [handle]).start()
    start = time.monotonic()
    assert not run(library, "a4", ["story"], force=True, catalog=False)["a"].failed
    assert time.monotonic() - start > 0.5
    assert f"waiting for another build of {library / 'build'}..." in capfd.readouterr().err


def test_a_build_stops_when_the_other_takes_too_long(library, monkeypatch):
    import fcntl

    monkeypatch.setattr(output_module, "LOCK_WAIT", 0.3)
    handle = os.open(library / "build" / ".storygen" / "lock", os.O_RDWR)
    try:
        fcntl.flock(handle, fcntl.LOCK_EX)
        with pytest.raises(OutputError, match=r"another build of .* is still running"):
            run(library)
    finally:
        os.close(handle)


# 7. A killed build leaves nothing that the next build does not clean.


def test_a_killed_build_is_cleaned_by_the_next(tmp_path):
    library = write_library(tmp_path / "lib", "abcdefgh")
    out, system_temp = tmp_path / "out", tmp_path / "system-temp"
    system_temp.mkdir()
    command = [
        sys.executable,
        "-m",
        "storygen",
        "build",
        str(library / "stories"),
        "-o",
        str(out),
        "-j",
        "1",
        "--format",
        "story",
    ]
    environment = {**os.environ, "TMPDIR": str(system_temp)}  # the system's temporary folder, watched
    killed = subprocess.Popen(command, cwd=REPO, env=environment, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while not (out / "a").is_dir() and time.monotonic() < deadline:  # first story written: mid-build
        time.sleep(0.05)
    killed.send_signal(signal.SIGKILL)
    killed.wait()
    assert [p.name for p in (out / ".storygen").iterdir() if p.name.startswith("tmp-")]  # left behind
    leftovers = [
        out / "a" / ".a.pdf.abcd1234.tmp",
        out / ".index.html.zz_z9999.tmp",
        out / ".storygen" / ".manifest.json.q1w2e3r4.tmp",
        out / ".storygen" / "tmp-1" / "font.ttf",
    ]
    kept = [out / "a" / ".notes.txt.abcd1234.tmp", out / "a" / "mine.tmp"]  # not storygen's names
    for path in leftovers + kept:
        path.parent.mkdir(exist_ok=True)
        path.write_text("left")
    result = subprocess.run(command, cwd=REPO, env=environment, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert not [p for p in (out / ".storygen").iterdir() if p.name.startswith("tmp-")]
    assert not any(p.exists() for p in leftovers) and all(p.exists() for p in kept)
    assert not [p for p in out.rglob("*.tmp") if p not in kept]
    assert list(system_temp.iterdir()) == []  # WeasyPrint's font copies stayed in the output folder


def test_a_build_leaves_nothing_in_the_system_temporary_folder(tmp_path, monkeypatch):
    library = write_library(tmp_path / "lib", "ab")
    system_temp = tmp_path / "system-temp"
    system_temp.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(system_temp))
    outcomes = list(build([library / "stories"], tmp_path / "out", jobs=2))
    assert not any(o.failed for o in outcomes)
    assert list(system_temp.iterdir()) == []
    assert {p.name for p in (tmp_path / "out" / ".storygen").iterdir()} == {"catalog.key", "lock", "manifest.json"}


# 8. A story file that became unreadable after it was built.


def test_a_story_that_became_unreadable_is_one_message(library, monkeypatch):
    (library / "stories" / "b.yaml").write_text(STORY.format(title="Story b"))
    run(library, catalog=False)
    unreadable = (library / "stories" / "a.yaml").resolve()
    real_open, real_read_bytes = open, Path.read_bytes

    def refuse(path) -> None:  # as chmod 000 would, for a user who is not root
        if Path(path).resolve() == unreadable:
            raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), str(path))

    def guarded_open(path, *args, **kwargs):
        refuse(path)
        return real_open(path, *args, **kwargs)

    def guarded_read_bytes(self):
        refuse(self)
        return real_read_bytes(self)

    monkeypatch.setattr("storygen.build.incremental.open", guarded_open, raising=False)
    monkeypatch.setattr(Path, "read_bytes", guarded_read_bytes)
    outcomes = run(library, catalog=False)
    assert outcomes["a"].failed and [p.message for p in outcomes["a"].problems] == [
        "cannot read the file: Permission denied"
    ]
    assert outcomes["b"].skipped and not outcomes["b"].failed
    monkeypatch.undo()
    assert not run(library, catalog=False)["a"].failed  # readable again: built again


def test_the_output_rule_names_only_storygen_s_files():
    names = output_module.output_names("dentist")
    assert {"dentist.pdf", "dentist.html", "dentist-booklet.pdf", "dentist-cards.pdf"} <= names
    assert all(re.fullmatch(r"dentist(-[a-z]+)?\.(pdf|html)", name) for name in names)


# 9. Fingerprints read nothing outside the library, whatever the manifest or a link names.


def test_a_manifest_naming_a_file_outside_the_library_reads_it_not(library, tmp_path, monkeypatch):
    from storygen.build import incremental

    (tmp_path / "huge.bin").write_bytes(b"x" * 1000)
    relative = os.path.relpath(tmp_path / "huge.bin", library / "build")
    edit_manifest(library, _story_a(lambda a: {**a, "files": {relative: [1, 1, "0" * 64]}}))
    hashed = []
    real_hash = incremental.file_hash
    monkeypatch.setattr(incremental, "file_hash", lambda path: hashed.append(Path(path)) or real_hash(path))
    outcomes = run(library, catalog=False)
    assert not outcomes["a"].skipped and not outcomes["a"].failed  # built again, not trusted
    assert tmp_path / "huge.bin" not in hashed


def test_a_library_template_linking_outside_is_not_read_for_the_fingerprint(library, tmp_path, monkeypatch):
    from storygen.build import incremental

    (tmp_path / "elsewhere.css").write_text("SECRET")
    (library / "templates").mkdir()
    (library / "templates" / "custom.css").symlink_to(tmp_path / "elsewhere.css")
    read = []
    real_content = incremental._content
    monkeypatch.setattr(incremental, "_content", lambda path: read.append(Path(path)) or real_content(path))
    first = incremental.shared_key(library, "a4", ["story"])
    (tmp_path / "elsewhere.css").write_text("CHANGED")
    assert read == [library / "storygen.yaml"] and incremental.shared_key(library, "a4", ["story"]) == first
