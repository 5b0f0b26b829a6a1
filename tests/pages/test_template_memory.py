"""A library's template cannot exhaust memory (issue 23 item 6): nothing it does makes a string
or list beyond a few MB, or much text in all; it gets a clear error at its file and line, and
the build stays under 1 GB (each vector is built in a process that cannot take more)."""

from __future__ import annotations

import json
import resource
import subprocess
import sys
import textwrap

import pytest
from click.testing import CliRunner

from storygen.cli import main
from storygen.pages import sandbox

BIG = '{% set s = "x" * 3000000 %}'  # a long string, within the limit
# Each is line 3 of a library's templates/story.html.
VECTORS = {
    "center_filter": '{{ ("x"|center(1500000000))|length }}',  # the issue's, 1.5 GB
    "format_filter": '{{ "%1500000000d"|format(1) }}',  # the issue's
    "tilde_doubling": '{% set ns = namespace(s="x") %}{% for i in range(27) %}{% set ns.s = ns.s ~ ns.s %}{% endfor %}{{ ns.s|length }}',
    "tilde_many": BIG + "{{ (s ~ s ~ s ~ s ~ s)|length }}",
    "percent": '{{ "%1500000000d" % 1 }}',
    "percent_star": '{{ "%*d" % (1500000000, 1) }}',
    "star_string": "{{ 'a' * 10 ** 9 }}",
    "star_list": "{{ [1] * 10 ** 9 }}",
    "plus": '{% set ns = namespace(s="x" * 3000000) %}{{ (ns.s + ns.s)|length }}',
    "ljust": '{{ "x".ljust(1500000000)|length }}',
    "rjust": '{{ "x".rjust(1500000000)|length }}',
    "center_method": '{{ "x".center(1500000000)|length }}',
    "zfill": '{{ "1".zfill(1500000000)|length }}',
    "expandtabs": '{{ ("\t" * 1000000).expandtabs(1000)|length }}',
    "format_method": '{{ "{:1500000000}".format(1)|length }}',
    "format_precision": '{{ "{:.1500000000f}".format(1.0)|length }}',
    "format_map": '{{ "{a:1500000000}".format_map({"a": 1})|length }}',
    "replace_method": '{{ ("x" * 1000000).replace("x", "yyyyyyyyyy")|length }}',
    "replace_filter": '{{ ("x" * 1000000)|replace("x", "yyyyyyyyyy")|length }}',
    "join_method": BIG + '{{ "".join([s] * 1000)|length }}',
    "join_filter": BIG + "{{ ([s] * 1000)|join|length }}",
    "indent": '{{ ("\\n" * 1000000)|indent(100)|length }}',  # a newline as Jinja's escape keeps the vector on line 3
    "wordwrap": '{{ ("x " * 1000000)|wordwrap(1, wrapstring="yyyyyyyyyy")|length }}',
    "batch": '{{ [1]|batch(1500000000, "x")|list|length }}',
    "slice": "{{ [1]|slice(1500000000)|list|length }}",
    "sum_of_lists": "{{ ([[1] * 100000] * 100000)|sum(start=[])|length }}",
    "to_bytes": '{{ (1).to_bytes(1500000000, "big")|length }}',
    "gettext": '{{ _("%(n)1500000000d", n=1)|length }}',
    "print_list": BIG + "{{ [s] * 1000 }}",
    "string_of_list": BIG + "{{ ([s] * 1000)|string|length }}",
    "print_in_a_loop": BIG + "{% for i in range(100000) %}{{ s }}{% endfor %}",
    "text_in_a_loop": "{% for i in range(100000) %}" + "x" * 100_000 + "{% endfor %}",
    "macro_doubling": "{% macro d(n) %}{% if n %}{% set x = d(n - 1) %}{{ x }}{{ x }}{% else %}x{% endif %}{% endmacro %}{{ d(40)|length }}",
    "macro_many_prints": BIG + "{% macro m() %}" + "{{ s }}" * 2000 + "{% endmacro %}{{ m()|length }}",
    "set_block": BIG + "{% set b %}" + "{{ s }}" * 2000 + "{% endset %}{{ b|length }}",
    "kept_in_a_list": '{% set ns = namespace(l=[]) %}{% for i in range(100000) %}{% set ns.l = ns.l + [("x" ~ i)|center(3000000)] %}{% endfor %}',
    "map_a_filter": '{{ range(100000)|map("string")|map("center", 3000000)|join|length }}',
    "folded_while_compiling": "{{ (" + " ~ ".join(['("x"|center(3000000))'] * 2000) + ")|length }}",
}

# Built in a child process that may not take more than 1 GB: a MemoryError there, or the
# kernel's, would fail the test rather than the machine. Prints {vector: [problems]}.
BUILD_EACH = """
import json, resource, sys
from pathlib import Path
from storygen.build.stories import build
def peak_mb():
    # This process's own peak (VmHWM): ru_maxrss keeps, across exec, the size of the pytest
    # worker this process was forked from (fork: preexec_fn), so it measured the worker.
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) // 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024

results, grew = {}, {}
for library in sorted(Path(sys.argv[1]).iterdir()):
    before = peak_mb()
    [outcome] = build([library / "story.yaml"], library / "build", formats=["story"])
    results[library.name] = [(str(p.path), p.line, p.col, p.message, p.severity) for p in outcome.problems]
    grew[library.name] = peak_mb() - before
results["maxrss_mb"] = peak_mb()
results["grew_mb"] = {name: mb for name, mb in grew.items() if mb}
print(json.dumps(results))
"""
GIGABYTE = 1 << 30


def library(root, name, template):
    folder = root / name
    (folder / "templates").mkdir(parents=True)
    (folder / "storygen.yaml").write_text("name: Shared\n")
    (folder / "story.yaml").write_text("title: Bomb\nsteps: [One]\n")
    (folder / "templates" / "story.html").write_text(f"<!doctype html>\n<p>\n{template}\n</p>\n")
    return folder


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    root = tmp_path_factory.mktemp("bombs")
    for name, template in VECTORS.items():
        library(root, name, template)

    def under_a_gigabyte():
        resource.setrlimit(resource.RLIMIT_AS, (GIGABYTE, GIGABYTE))

    done = subprocess.run(
        [sys.executable, "-c", BUILD_EACH, str(root)],
        preexec_fn=under_a_gigabyte,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout)


@pytest.mark.parametrize("name", VECTORS)
def test_each_vector_is_a_template_error_at_its_line(built, name):
    [(path, line, col, message, severity)] = built[name]
    assert path.endswith(f"{name}/templates/story.html") and (line, col, severity) == (3, 1, "error")
    assert message.startswith("template error: ") and "a template makes pages, not large data" in message
    assert "MemoryError" not in message and "internal error" not in message


def test_the_builds_stayed_small(built):
    assert built["maxrss_mb"] < 600, built["grew_mb"]  # 1.5 GB and more before; which vector grew it


def test_a_build_with_a_bomb_fails_with_the_message(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    library(tmp_path, "shared", VECTORS["center_filter"])
    result = CliRunner().invoke(main, ["build", "shared/story.yaml", "-o", "out", "--format", "story"])
    assert result.exit_code == 1
    assert (
        "shared/templates/story.html:3:1: template error: the filter center would make over 4,000,000 characters"
        in result.output
    )
    assert "Traceback" not in result.output


def test_everyday_template_work_is_unchanged():
    env = sandbox.Sandbox(autoescape=True)
    source = """{{ "hi"|center(6) }}|{{ [1, 2]|join(",") }}|{{ "a" ~ 1 }}|{{ "%s-%02d" % ("x", 3) }}|\
{{ "{}!".format("ok") }}|{{ "ab".ljust(3) }}.|{{ ("x" * 3)|replace("x", "y") }}|{{ [1, 2, 3]|batch(2)|list }}|\
{{ "a\nb"|indent(2) }}|{{ [[1], [2]]|sum(start=[]) }}|{{ "<b>" ~ "&" }}"""
    with sandbox.budget({}):
        shown = env.from_string(source).render()
    assert shown == "  hi  |1,2|a1|x-03|ok!|ab .|yyy|[[1, 2], [3]]|a\n  b|[1, 2]|&lt;b&gt;&amp;"


def test_a_long_picture_given_may_be_printed_and_wrapped():
    """A photo comes as a data: URL that may pass MAX_TEXT: a template prints it, and may put
    it in a tag with ~ (twice the longest text given), but not double it again."""
    env = sandbox.Sandbox(autoescape=True)
    photo = "data:image/png;base64," + "A" * (sandbox.MAX_TEXT + 10)
    with sandbox.budget({"src": photo}):
        assert len(env.from_string("{{ src }}").render(src=photo)) == len(photo)
        assert len(env.from_string("{{ '<img src=\"' ~ src ~ '\">' }}").render(src=photo)) > len(photo)
        with pytest.raises(sandbox.TooLarge):
            env.from_string("{% set two = src ~ src %}{{ two ~ two }}").render(src=photo)


def test_text_size_counts_what_printing_would_make():
    long = "x" * 1000
    assert sandbox.text_size([long] * 10) >= 10_000
    assert sandbox.text_size([[long] * 1000] * 1000) > sandbox.MAX_TEXT  # stops counting past the limit
    assert sandbox.text_size({"a": long}) >= 1000
    assert sandbox.format_size("%5d %s", (1, long)) >= 1005


def test_limits_are_a_few_megabytes():
    assert sandbox.MAX_TEXT <= 8_000_000 and sandbox.MAX_ITEMS <= 100_000
    assert textwrap.dedent(sandbox.__doc__ or "")  # the module says why
