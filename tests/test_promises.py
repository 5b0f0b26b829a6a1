"""Promises the docs make that no other test held storygen to: the size and nesting
limits of a story file, one picture per step, rebuilding after an output or a photo
changes, the clean-up of a failed atomic write, and `check` with a broken storygen.yaml.
"""

from __future__ import annotations

import errno
import os
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from PIL import Image

from storygen.build import output
from storygen.build.output import OutputError, write_atomic
from storygen.build.stories import build
from storygen.cli import main
from storygen.errors import StoryError
from storygen.story import load

STORY = "title: {title}\nsteps:\n  - I go.\n"


def run(library: Path, *args: str):
    """`storygen <args>` in the library folder, as a clinician would type it."""
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(library)
        return CliRunner().invoke(main, list(args))


def assert_one_clean_error(result, line: str) -> None:
    """Exit status 1, the message on a line of its own, no traceback."""
    assert result.exit_code == 1, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert "Traceback" not in result.output and "internal error" not in result.output
    assert any(text.startswith(line) for text in result.output.splitlines()), f"wanted {line!r} in\n{result.output}"


def library_with(tmp_path: Path, name: str, text: str) -> Path:
    (tmp_path / "stories").mkdir()
    (tmp_path / "storygen.yaml").write_text("name: Test clinic\nformats: [story]\n")
    (tmp_path / "stories" / name).write_text(text)
    return tmp_path


# -- a story file's size and nesting limits: a message at the place, never a traceback -------


def too_big(size: int = 600 * 1024) -> tuple[str, tuple[int, int], str]:
    story = STORY.format(title="Big")
    text = story + "#" * (size - len(story) - 1) + "\n"
    return text, (1, 1), f"the file is {size // 1024} KB"


def too_deep() -> tuple[str, tuple[int, int], str]:
    # `tags:` is at depth 1, each `[` one deeper: the first bracket past MAX_DEPTH is refused
    brackets = load.MAX_DEPTH + 3
    text = STORY.format(title="Deep") + "tags: " + "[" * brackets + "]" * brackets + "\n"
    return text, (4, len("tags: ") + load.MAX_DEPTH + 1), "levels deep"


def too_many_nodes() -> tuple[str, tuple[int, int], str]:
    # the root, title and steps count 3; step i (one per line from line 3) is value 4 + i
    steps = load.MAX_NODES + 10
    text = "title: Many\nsteps:\n" + "  - a\n" * steps
    first_over = load.MAX_NODES + 1 - 4
    return text, (3 + first_over, 5), "more than 20,000 values"


LIMITS = {"over 512 KB": too_big, "nested too deep": too_deep, "too many values": too_many_nodes}


@pytest.mark.parametrize("case", LIMITS)
@pytest.mark.parametrize("command", ["check", "build"])
def test_a_story_over_a_limit_is_refused_with_its_position(tmp_path, case, command):
    text, (line, col), message = LIMITS[case]()
    library = library_with(tmp_path, "limit.yaml", text)
    result = run(library, command, "stories", *(["-o", "out", "--jobs", "1"] if command == "build" else []))
    assert_one_clean_error(result, f"stories/limit.yaml:{line}:{col}: ")
    assert message in result.output
    if case == "over 512 KB":
        assert "a story must be at most 512 KB" in result.output
    assert not (library / "out" / "limit").exists()


def test_the_limits_are_the_ones_the_docs_give():
    safety = (Path(__file__).parent.parent / "docs" / "safety.md").read_text()
    assert "at most 512 KB and 20,000 values" in safety  # the threat model's table
    assert (load.MAX_BYTES, load.MAX_NODES) == (512 * 1024, 20_000)


def test_a_story_just_over_512_kb_says_it_is_over(tmp_path):
    text, _, _ = too_big(load.MAX_BYTES + 100)
    (tmp_path / "story.yaml").write_text(text)
    with pytest.raises(StoryError) as caught:
        load.load_source(tmp_path / "story.yaml")
    assert "the file is 512 KB" not in str(caught.value)


def at_the_limits() -> dict[str, str]:
    story = STORY.format(title="Just right")
    brackets = load.MAX_DEPTH
    return {
        "512 KB": story + "#" * (load.MAX_BYTES - len(story) - 1) + "\n",
        "nested as deep as allowed": story + "tags: " + "[" * brackets + "]" * brackets + "\n",
        "as many values as allowed": "title: Many\nsteps:\n" + "  - a\n" * (load.MAX_NODES - 3),
    }


@pytest.mark.parametrize("case", at_the_limits())
def test_a_story_at_a_limit_loads(tmp_path, case):
    path = tmp_path / "story.yaml"
    path.write_text(at_the_limits()[case])
    assert load.load_source(path).data["title"]  # the limits refuse only what is past them


# -- one picture per step ------------------------------------------------------------------


@pytest.mark.parametrize("command", ["check", "build"])
def test_symbol_and_image_on_one_step_is_an_error_at_the_step(tmp_path, command):
    library = library_with(
        tmp_path,
        "wash.yaml",
        "title: Washing\nsteps:\n  - I turn on the tap.\n"
        "  - text: I wash.\n    symbol: soap\n    image: sink.png\n"
        "    alt: Our sink\n",
    )
    Image.new("RGB", (60, 40), "blue").save(library / "stories" / "sink.png")
    result = run(library, command, "stories", *(["-o", "out", "--jobs", "1"] if command == "build" else []))
    assert_one_clean_error(result, "stories/wash.yaml:4:5: ")
    assert "step 2: give either `symbol` or `image`, not both" in result.output


# -- a deleted output, a changed or deleted photo: that story is built again, no other ----


@pytest.fixture(scope="module")
def built_library(tmp_path_factory):
    """Stories a (a symbol) and b (a photo), built once with story and cards."""
    root = tmp_path_factory.mktemp("built") / "lib"
    (root / "stories").mkdir(parents=True)
    (root / "storygen.yaml").write_text("name: Test clinic\nformats: [story, cards]\n")
    Image.new("RGB", (60, 40), "blue").save(root / "stories" / "sink.png", compress_level=0)
    (root / "stories" / "a.yaml").write_text(
        "title: Apples\nsteps:\n  - text: I eat.\n    symbol: red apple\n  - I stop.\n"
    )
    (root / "stories" / "b.yaml").write_text(
        "title: Bath\nsteps:\n  - text: I wash.\n    image: sink.png\n    alt: Our sink\n  - I dry.\n"
    )
    assert not any(o.failed or o.skipped for o in build([root / "stories"], root / "build", jobs=1))
    return root


@pytest.fixture
def library(built_library, tmp_path):
    """A copy of the built library, times kept: nothing in it needs building."""
    root = tmp_path / "lib"
    shutil.copytree(built_library, root)
    return root


def rebuild(root: Path) -> dict[str, object]:
    return {o.path.stem: o for o in build([root / "stories"], root / "build", jobs=1)}


def test_the_copy_is_up_to_date(library):
    assert all(o.skipped and not o.failed for o in rebuild(library).values())


@pytest.mark.parametrize("name", ["a-cards.pdf", "a.html"])
def test_a_deleted_output_rebuilds_its_story_alone(library, name):
    (library / "build" / "a" / name).unlink()
    kept = (library / "build" / "b" / "b-cards.pdf").stat().st_mtime_ns
    outcomes = rebuild(library)
    assert not outcomes["a"].skipped and not outcomes["a"].failed
    assert (library / "build" / "a" / name).is_file()
    assert outcomes["b"].skipped and (library / "build" / "b" / "b-cards.pdf").stat().st_mtime_ns == kept


def test_a_touched_photo_with_the_same_content_rebuilds_nothing(library):
    os.utime(library / "stories" / "sink.png", ns=(1, 1))
    assert all(o.skipped for o in rebuild(library).values())


def test_a_replaced_photo_of_the_same_size_rebuilds_its_story_alone(library):
    photo = library / "stories" / "sink.png"
    size = photo.stat().st_size
    Image.new("RGB", (60, 40), "red").save(photo, compress_level=0)
    assert photo.stat().st_size == size  # only the content tells them apart
    outcomes = rebuild(library)
    assert not outcomes["b"].skipped and not outcomes["b"].failed
    assert outcomes["a"].skipped


def test_a_deleted_photo_rebuilds_its_story_which_says_so(library):
    (library / "stories" / "sink.png").unlink()
    outcomes = rebuild(library)
    assert outcomes["a"].skipped
    assert not outcomes["b"].skipped and outcomes["b"].failed
    assert any("sink.png" in str(p) for p in outcomes["b"].problems), outcomes["b"].problems
    Image.new("RGB", (60, 40), "green").save(library / "stories" / "sink.png")
    again = rebuild(library)
    assert not again["b"].skipped and not again["b"].failed and again["a"].skipped


# -- a failed atomic write leaves the old file and no temporary file ------------------------


def raise_oserror(code: int):
    def fail(*args, **kwargs):
        raise OSError(code, os.strerror(code))

    return fail


def interrupt(*args, **kwargs):
    raise KeyboardInterrupt


class FailingStream:
    """A file whose writes fail halfway, like a disk filling up."""

    def __init__(self, real):
        self.real = real

    def write(self, content):
        self.real.write(content[:10])
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.real.close()


WRITE_FAILURES = {
    "rename fails": ("replace", raise_oserror(errno.EIO), StoryError, "cannot write this file: Input/output error"),
    "rename, disk full": ("replace", raise_oserror(errno.ENOSPC), OutputError, "No space left on device"),
    "write, disk full": ("fdopen", None, OutputError, "No space left on device"),
    "Ctrl-C before the rename": ("chmod", interrupt, KeyboardInterrupt, ""),
}


@pytest.mark.parametrize("case", WRITE_FAILURES)
def test_a_failed_atomic_write_is_reported_and_cleaned_up(tmp_path, monkeypatch, case):
    name, replacement, error, message = WRITE_FAILURES[case]
    target = tmp_path / "a.pdf"
    target.write_bytes(b"the last good build")
    if name == "fdopen":
        real = os.fdopen
        replacement = lambda *args, **kwargs: FailingStream(real(*args, **kwargs))  # noqa: E731
    monkeypatch.setattr(output.os, name, replacement)
    with pytest.raises(error) as caught:
        write_atomic(target, b"the new build, which never arrives")
    assert message in str(caught.value)
    if error is StoryError:
        assert caught.value.problems[0].path == target
    assert [p.name for p in tmp_path.iterdir()] == ["a.pdf"]  # no .a.pdf.*.tmp left
    assert target.read_bytes() == b"the last good build"


# -- `storygen check` with a broken storygen.yaml -------------------------------------------

BROKEN_SETTINGS = {
    "YAML syntax error": ("name: Our clinic\nformats: [story\n", "storygen.yaml:3:1: ERR001 YAML syntax error"),
    "unknown key": ("name: Our clinic\ncolour: red\n", "storygen.yaml:2:1: ERR001 unknown key 'colour'"),
    "wrong value": ("name: Our clinic\npaper: a5\n", "storygen.yaml:2:8: ERR001 "),
    "not key: value lines": ("- name\n", "storygen.yaml:1:1: ERR001 "),
}


@pytest.mark.parametrize("case", BROKEN_SETTINGS)
def test_check_with_a_broken_storygen_yaml_names_it(tmp_path, case):
    settings, line = BROKEN_SETTINGS[case]
    library = library_with(
        tmp_path, "a.yaml", STORY.format(title="A trip") + "intro: We go out.\nconclusion: We did it!\n"
    )
    (library / "storygen.yaml").write_text(settings)
    for args in (["check"], ["check", "stories/a.yaml"]):
        result = run(library, *args)
        assert_one_clean_error(result, line)
        blamed = [line for line in result.output.splitlines() if "stories/a.yaml" in line and " PIC00" not in line]
        assert blamed == []  # the story itself is fine (what is said of its pictures aside): only the settings
