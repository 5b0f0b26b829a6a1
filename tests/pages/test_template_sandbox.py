"""A library's own templates are untrusted: every known sandbox escape reads, writes and
deletes nothing, and a template fault is reported at the template's file and line."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from pypdf import PdfReader

from storygen.build.stories import build
from storygen.errors import with_hint
from tests.conftest import REPO

SECRET = "TOP-SECRET-CANARY-7f3a"

# Each payload is a whole templates/story.html of a library shared with us.
ESCAPES = {
    "model_validate": "{{ story.model_validate({'title': 'x', 'steps': ['y'], 'image': SECRET_PATH}).image.read_text() }}",
    "model_dump_path": "{{ story.model_dump() }}{{ story.image.read_text() }}",
    "path_write": "{{ story.image.write_text('pwned') }}",
    "path_unlink": "{{ story.image.unlink() }}",
    "class_mro_subclasses": "{{ ''.__class__.__mro__[1].__subclasses__() }}",
    "dict_class": "{{ story.__class__.__mro__ }}",
    "attr_filter": "{{ story | attr('__class__') }}",
    "format_method": "{{ '{0.__class__.__mro__}'.format(story) }}",
    "format_globals": "{{ '{0.__init__.__globals__}'.format(cycler) }}",
    "format_filter": "{{ '%s' | format(story.__class__) }}",
    "format_attr": "{{ ('{0.__init__.__globals__[os]}' | attr('format'))(cycler) }}",  # CVE-2025-27516
    "format_map": "{{ '{a.__class__}'.format_map({'a': story}) }}",
    "cycler_globals": "{{ cycler.__init__.__globals__.os.remove(CANARY_PATH) }}",
    "cycler_instance": "{{ cycler(1, 2).reset.__func__.__globals__ }}",
    "joiner_globals": "{{ joiner.__init__.__globals__['os'].system('touch ' ~ PWNED_PATH) }}",
    "namespace_class": "{% set ns = namespace() %}{% set ns.__class__ = 1 %}{{ namespace.__init__.__globals__ }}",
    "range_huge": "{{ range(10 ** 9) | list | length }}",
    "range_self": "{{ range.__self__.open(SECRET_PATH).read() }}",
    "self_context": "{{ self._TemplateReference__context.parent }}",
    "self_globals": "{{ self.__init__.__globals__ }}",
    "loop_globals": "{% for x in [1] %}{{ loop.__class__.__init__.__globals__['sys'].modules['os'].remove(CANARY_PATH) }}{% endfor %}",
    "loop_cycle": "{% for x in [1] %}{{ loop.cycle.__globals__ }}{% endfor %}",
    "mutate_story": "{{ story.update({'title': 'x'}) }}{{ story.steps.append(1) }}",
    "mutate_steps": "{% set x = story.steps.pop() %}",
    "str_multiply": "{{ 'a' * 10 ** 9 }}",
    "power": "{{ 2 ** 64 ** 64 ** 64 }}",
    "multiply_numbers": "{{ (10 ** 1000) * (10 ** 1000) * (10 ** 1000) * (10 ** 1000) * (10 ** 1000) }}",
    "include_absolute": "{% include SECRET_PATH %}",
    "include_dotdot": "{% include '../../outside/secret.txt' %}",
    "import_os": "{% import 'os' as os %}",
    "lipsum": "{{ lipsum() }}",
    "getattr_string": "{{ story['__class__'] }}",
    "settings_model": "{{ settings.__class__ }}{{ settings.model_validate }}",
    "cover_path": "{{ cover.src }}{{ cover.src.__class__.__mro__ }}",
}


@pytest.fixture(scope="module")
def attempts(tmp_path_factory):
    """Every escape built as a library's story template, with opens of files outside the
    library recorded by an audit hook: {name: (outcome, html text, pdf text, opened)}."""
    root = tmp_path_factory.mktemp("escapes")
    outside = root / "outside"
    outside.mkdir()
    secret, canary = outside / "secret.txt", outside / "canary.txt"
    secret.write_text(SECRET)
    canary.write_text("keep me")
    opened: list[str] = []
    watching = [False]

    def audit(event, args):
        if watching[0] and event == "open" and isinstance(args[0], (str, bytes, Path)) and str(outside) in str(args[0]):
            opened.append(str(args[0]))

    sys.addaudithook(audit)  # hooks cannot be removed: this one only listens while watching
    results = {}
    for name, payload in ESCAPES.items():
        library = root / name
        (library / "templates").mkdir(parents=True)
        (library / "storygen.yaml").write_text("name: Shared\n")
        text = (
            payload.replace("SECRET_PATH", repr(str(secret)))
            .replace("CANARY_PATH", repr(str(canary)))
            .replace("PWNED_PATH", repr(str(outside / "pwned")))
        )
        (library / "templates" / "story.html").write_text(text)
        (library / "pic.png").write_bytes((REPO / "tests" / "hostile" / "tiny.png").read_bytes())
        (library / "story.yaml").write_text("title: Escape\nimage: pic.png\nsteps: [One]\n")
        opened.clear()
        watching[0] = True
        try:
            [outcome] = build([library / "story.yaml"], library / "build", formats=["story"])
        finally:
            watching[0] = False
        folder = library / "build" / "story"
        html = (folder / "story.html").read_text() if (folder / "story.html").is_file() else ""
        pdf = (
            " ".join(p.extract_text() for p in PdfReader(folder / "story.pdf").pages)
            if (folder / "story.pdf").is_file()
            else ""
        )
        results[name] = (outcome, html, pdf, list(opened))
    return results, outside


@pytest.mark.parametrize("name", ESCAPES)
def test_no_escape_reads_writes_or_deletes_a_file(attempts, name):
    results, outside = attempts
    outcome, html, pdf, opened = results[name]
    assert opened == []  # not one file outside the library was opened
    assert sorted(p.name for p in outside.iterdir()) == ["canary.txt", "secret.txt"]
    assert (outside / "canary.txt").read_text() == "keep me"
    assert SECRET not in html and SECRET not in pdf
    assert "internal error" not in " ".join(p.message for p in outcome.problems)
    assert str(outside.parent) not in html + pdf  # no local path reaches the page either


@pytest.mark.parametrize("name", [n for n in ESCAPES if n not in ("model_dump_path", "cover_path", "format_filter")])
def test_an_escape_is_a_template_error_at_the_template_line(attempts, name):
    results, _ = attempts
    outcome, _, _, _ = results[name]
    [problem] = [p for p in outcome.problems if p.severity == "error"]
    assert problem.path.name == "story.html" and problem.path.parent.name == "templates"
    assert (problem.line, problem.col) == (1, 1)
    assert problem.message.startswith("template error: ") and "templates/" in with_hint(problem.message, problem.hint)


def test_templates_receive_plain_data_only(tmp_path):
    """Every value a template is given is text, a number, a list or a mapping of them."""
    from storygen.pages.assets import Urls
    from storygen.pages.render import story_data
    from storygen.story.open import read_story

    (tmp_path / "pic.png").write_bytes((REPO / "tests" / "hostile" / "tiny.png").read_bytes())
    (tmp_path / "s.yaml").write_text(
        "title: T\nimage: pic.png\ncalm: [Breathe]\nintro: Hi\nsteps:\n  - text: A\n    symbol: soap\n"
        "    stimulus: {item: soap, sense: smell}\n    steps: [B, {text: C, image: pic.png}]\nconclusion: Done\n"
    )
    data = story_data(read_story(tmp_path / "s.yaml"), Urls("print"))

    def kinds(value):
        if isinstance(value, dict):
            return {type(value)} | {t for item in value.values() for t in kinds(item)}
        if isinstance(value, list):
            return {list} | {t for item in value for t in kinds(item)}
        return {type(value)}

    assert kinds(data) <= {dict, list, str, int, bool, type(None)}
    assert "image" not in data and "image" not in data["steps"][0]["steps"][1]
    assert data["steps"][0]["steps"][1]["picture"]["kind"] == "photo"
    assert data["steps"][0]["stimulus"]["picture"]["alt"] == "smell"


def test_a_template_error_names_the_template_file_and_line(tmp_path):
    (tmp_path / "templates").mkdir()
    (tmp_path / "storygen.yaml").write_text("name: Clinic\n")
    (tmp_path / "templates" / "guide.html").write_text(
        '{% extends "builtin/guide.html" %}\n\n{% block body %}\n{{ nothing.here }}\n{% endblock %}\n'
    )
    (tmp_path / "templates" / "cards.html").write_text("<p>\n{% for %}\n")
    (tmp_path / "story.yaml").write_text("title: T\nsteps: [One]\n")
    [outcome] = build([tmp_path / "story.yaml"], tmp_path / "build", formats=["guide", "cards"])
    [problem] = outcome.problems  # the first fault stops the story
    assert (problem.path, problem.line) == (tmp_path / "templates" / "cards.html", 2)
    (tmp_path / "templates" / "cards.html").unlink()
    [outcome] = build([tmp_path / "story.yaml"], tmp_path / "build", formats=["guide", "cards"])
    [problem] = outcome.problems
    assert (problem.path, problem.line) == (tmp_path / "templates" / "guide.html", 4)
    assert "'nothing' is undefined" in problem.message


@pytest.mark.parametrize("link", ["custom.css", "story.html", "partial.html"])
def test_a_template_linking_outside_the_library_is_refused(tmp_path, link):
    library, outside = tmp_path / "library", tmp_path / "outside"
    (library / "templates").mkdir(parents=True), outside.mkdir()
    (library / "storygen.yaml").write_text("name: Clinic\n")
    (outside / "passwd").write_text(f"root:x:0:0:{SECRET}\n")
    if link == "partial.html":
        (library / "templates" / "story.html").write_text(
            '{% extends "builtin/story.html" %}{% block cover %}{% include "partial.html" %}{% endblock %}'
        )
    (library / "templates" / link).symlink_to(outside / "passwd")
    (library / "story.yaml").write_text("title: T\nsteps: [One]\n")
    [outcome] = build([library / "story.yaml"], library / "build", formats=["story"])
    [problem] = outcome.problems
    assert problem.path == library / "templates" / link
    assert "this file links to a file outside the library" in problem.message
    assert not (library / "build" / "story" / "story.html").exists()


def test_a_link_inside_the_library_is_followed(tmp_path):
    (tmp_path / "templates").mkdir()
    (tmp_path / "storygen.yaml").write_text("name: Clinic\n")
    (tmp_path / "house.css").write_text(".kind-name { color: #123456; }\n")
    (tmp_path / "templates" / "custom.css").symlink_to(tmp_path / "house.css")
    (tmp_path / "story.yaml").write_text("title: T\nsteps: [One]\n")
    [outcome] = build([tmp_path / "story.yaml"], tmp_path / "build", formats=["story"])
    assert not outcome.failed
    assert "#123456" in (tmp_path / "build" / "story" / "story.html").read_text()
