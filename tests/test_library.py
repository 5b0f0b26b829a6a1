"""A library in a repo: init, new, list, template overrides."""

import json
import re

import pytest
import yaml
from click.testing import CliRunner

from storygen.build.stories import build
from storygen.check.engine import check_story
from storygen.cli import main
from storygen.errors import Severity
from storygen.story.model import story_schema
from tests.conftest import REPO, pdf_pages_text


def run(*args):
    return CliRunner().invoke(main, list(args))


@pytest.fixture
def library(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = run("init", "clinic-stories")
    assert result.exit_code == 0, result.output
    monkeypatch.chdir(tmp_path / "clinic-stories")
    return tmp_path / "clinic-stories"


def test_init_makes_a_library(library):
    for path in (
        "storygen.yaml",
        ".gitignore",
        ".pre-commit-config.yaml",
        ".github/workflows/stories.yml",
        "assets/README.md",
        "templates/README.md",
        "schema/story.schema.json",
        "stories/my-first-story.yaml",
    ):
        assert (library / path).is_file(), path
    settings = yaml.safe_load((library / "storygen.yaml").read_text())
    assert settings["name"] == "Clinic stories" and "clinic" in settings and "contact" in settings
    assert {"build/", "profiles/"} <= set((library / ".gitignore").read_text().split())
    hook = yaml.safe_load((library / ".pre-commit-config.yaml").read_text())["repos"][0]["hooks"][0]
    assert hook["entry"].startswith("storygen check")
    workflow = (library / ".github/workflows/stories.yml").read_text()
    assert "storygen check" in workflow and "storygen build" in workflow and "upload-artifact" in workflow
    assert json.loads((library / "schema/story.schema.json").read_text()) == story_schema()
    assert check_story(library / "stories" / "my-first-story.yaml").findings == []


def test_init_keeps_what_is_there(library, monkeypatch):
    (library / "storygen.yaml").write_text("name: Mine\n")
    monkeypatch.chdir(library.parent)
    result = run("init", "clinic-stories")
    assert "kept    clinic-stories/storygen.yaml" in result.output
    assert (library / "storygen.yaml").read_text() == "name: Mine\n"


@pytest.mark.parametrize("kind", ["social", "sensory", "task"])
def test_new_writes_a_starter_that_passes_check(library, kind):
    result = run("new", "Going to the Dentist!", "--kind", kind)
    assert result.exit_code == 0, result.output
    path = library / "stories" / "going-to-the-dentist.yaml"
    text = path.read_text()
    assert text.startswith("# yaml-language-server: $schema=../schema/story.schema.json\n")
    assert 'title: "Going to the Dentist!"' in text and f"kind: {kind}" in text and "\n# " in text
    assert [f for f in check_story(path).findings if f.severity != Severity.NOTE] == []


def test_new_never_overwrites(library):
    assert run("new", "Bath time").exit_code == 0
    path = library / "stories" / "bath-time.yaml"
    path.write_text("title: My own words\nsteps: [a]\n")
    result = run("new", "Bath Time")
    assert result.exit_code == 1 and "already exists" in result.output
    assert path.read_text() == "title: My own words\nsteps: [a]\n"


def test_new_from_a_subfolder_writes_into_the_library(library, monkeypatch):
    monkeypatch.chdir(library / "assets")
    assert run("new", "Café visit").exit_code == 0
    assert (library / "stories" / "cafe-visit.yaml").is_file()


def test_list_shows_each_story_and_its_check(library):
    run("new", "Washing hands", "--kind", "task")
    (library / "stories" / "broken.yaml").write_text("title: Broken\nsteps: [a]\nkind: socal\n")
    (library / "stories" / "warned.yaml").write_text("title: Warned\nsteps:\n  - You always sit.\n")
    lines = run("list").output.splitlines()
    assert lines[0].split() == ["id", "title", "kind", "languages", "tags", "steps", "check"]
    rows = {line.split()[0]: line for line in lines[1:]}
    assert set(rows) == {"broken", "my-first-story", "warned", "washing-hands"}
    assert rows["washing-hands"].split()[-1] == "ok" and "task" in rows["washing-hands"]
    assert "daily living" in rows["washing-hands"]
    assert rows["broken"].endswith("1 error") and rows["warned"].endswith("warnings")


def test_a_library_template_extends_and_overrides_one_block(library):
    (library / "templates" / "story.html").write_text(
        '{% extends "builtin/story.html" %}\n{% block cover %}{{ super() }}<p>A story from our clinic</p>{% endblock %}\n'
    )
    (library / "templates" / "custom.css").write_text(".kind-name { text-transform: uppercase; }\n")
    [outcome] = build([library / "stories"], library / "build", formats=["story"])
    assert outcome.problems == []
    cover = pdf_pages_text(library / "build" / "my-first-story" / "my-first-story.pdf")[0]
    assert cover.startswith("A SOCIAL STORY My first story") and "A story from our clinic" in cover


def test_a_library_template_replaces_a_builtin_one_and_runs_sandboxed(library):
    (library / "templates" / "guide.html").write_text(
        '{% extends "base.html" %}{% block body %}<h1>Our own guide for {{ story.title }}</h1>'
        "{{ story.__class__.__mro__ }}{% endblock %}"
    )
    stories = [o for o in build([library / "stories"], library / "build", formats=["guide"]) if not o.library]
    [outcome] = stories  # the starter library's storygen.yaml gets its own outcome: a warning on its text
    [problem] = outcome.problems
    assert outcome.failed and "template error" in problem.message and "is unsafe" in problem.message
    (library / "templates" / "guide.html").write_text(
        '{% extends "base.html" %}{% block body %}<h1>Our own guide for {{ story.title }}</h1>{% endblock %}'
    )
    [outcome] = [o for o in build([library / "stories"], library / "build", formats=["guide"]) if not o.library]
    assert (
        "Our own guide for My first story"
        in pdf_pages_text(library / "build" / "my-first-story" / "my-first-story-guide.pdf")[0]
    )


def test_storygen_ships_a_pre_commit_hook():
    [hook] = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text())
    assert hook["id"] == "storygen-check" and hook["entry"].startswith("storygen check")


def test_library_language_is_the_default_for_stories(library):
    (library / "storygen.yaml").write_text("name: Clinica\nlanguage: es\nformats: [story]\n")
    (library / "stories" / "dentista.yaml").write_text("title: Voy al dentista\nsteps: [Me siento en la silla.]\n")
    (library / "stories" / "english.yaml").write_text("title: English\nlanguage: en-GB\nsteps: [I sit down.]\n")
    outcomes = {o.path.stem: o for o in build([library / "stories"], library / "build")}
    assert not any(o.failed for o in outcomes.values())
    assert '<html lang="es" dir="ltr">' in (library / "build" / "dentista" / "dentista.html").read_text()
    assert '<html lang="en-GB" dir="ltr">' in (library / "build" / "english" / "english.html").read_text()


PIP_INSTALL = re.compile(r"pip3? install[^\n]*")


def generated_installs(library):
    """Every `pip install ...` line in the files storygen init wrote."""
    return [
        line
        for path in library.rglob("*")
        if path.is_file()
        for line in PIP_INSTALL.findall(path.read_text(encoding="utf-8"))
    ]


def test_no_generated_file_installs_storygen_by_its_bare_name(library):
    installs = generated_installs(library)
    assert any("STORYGEN_SOURCE" in line for line in installs)  # the workflow does install storygen
    for line in installs:
        assert not re.search(r"install\s+(-\S+\s+)*['\"]?storygen\b", line), line
    workflow = yaml.safe_load((library / ".github/workflows/stories.yml").read_text())
    assert workflow["env"]["STORYGEN_SOURCE"] == ""  # an editable install has no git source to offer


def test_init_takes_the_git_source_the_library_installs_from(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    source = "git+https://example.org/clinic/storygen.git@v0.1.0"
    assert run("init", "lib", "--source", source).exit_code == 0
    workflow = yaml.safe_load((tmp_path / "lib/.github/workflows/stories.yml").read_text())
    assert workflow["env"]["STORYGEN_SOURCE"] == source
    refused = run("init", "other", "--source", "storygen")
    assert refused.exit_code == 1 and "is not a git source" in refused.output
    assert not (tmp_path / "other").exists()


def test_init_defaults_to_the_git_commit_this_storygen_came_from(monkeypatch):
    from importlib import metadata

    from storygen import library

    class Installed:
        def read_text(self, name):
            return json.dumps(
                {
                    "url": "https://example.org/storygen.git",
                    "vcs_info": {"vcs": "git", "commit_id": "0123abcd", "requested_revision": "v0.1.0"},
                }
            )

    monkeypatch.setattr(metadata, "distribution", lambda name: Installed() if name == "storygen-stories" else None)
    assert library.installed_source() == "git+https://example.org/storygen.git@0123abcd"
