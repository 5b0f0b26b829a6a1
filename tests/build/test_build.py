"""Building a library: outcomes, warnings for parts that do not fit, clashing ids."""

import pytest

from storygen.build.stories import build


def test_a_step_that_does_not_fit_is_named_in_a_warning(tmp_path, write_story):
    subs = "".join(f"      - text: Sub-step number {i} with a few words\n        symbol: soap\n" for i in range(12))
    path = write_story(
        f"title: Long\nkind: task\nsteps:\n  - A short step.\n  - text: Many sub-steps\n    steps:\n{subs}"
    )
    [outcome] = build([path], tmp_path / "out")
    assert not outcome.failed and outcome.pages > 3
    [warning] = outcome.problems
    assert warning.severity == "warning" and (warning.line, warning.col) == (5, 5)
    assert "step 2 does not fit on one page" in str(warning)


def test_two_stories_with_one_id_do_not_overwrite_each_other(tmp_path):
    for folder in ("a", "b"):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "park.yaml").write_text(f"title: Park {folder}\nsteps: [We go.]\n")
    outcomes = {o.path.parent.name: o for o in build([tmp_path / "a", tmp_path / "b"], tmp_path / "out")}
    first, second = outcomes["a"], outcomes["b"]
    assert not first.failed and second.failed
    assert "has the id 'park'" in str(second.problems[0])


@pytest.mark.weasyprint_warnings  # WeasyPrint warns of fontTools, once a font: the build keeps it from the stories
def test_without_harfbuzz_subset_a_build_says_once_what_to_install(tmp_path, monkeypatch):
    import weasyprint.pdf.fonts
    from click.testing import CliRunner

    from storygen.cli import main
    from storygen.pages.pdf import SLOW_FONTS_HINT

    monkeypatch.setattr(weasyprint.pdf.fonts, "harfbuzz_subset", None)  # as on a computer without the library
    stories = tmp_path / "stories"
    stories.mkdir()
    for name in ("a", "b"):
        (stories / f"{name}.yaml").write_text(f"title: Story {name}\nsteps: [We go to the park.]\n")
    first, second = build([stories], tmp_path / "out", formats=["story"], jobs=1)
    assert first.hints == [SLOW_FONTS_HINT] and second.hints == []
    assert not first.problems + second.problems  # not a warning about the story
    result = CliRunner().invoke(
        main, ["build", str(stories), "--format", "story", "--jobs", "1", "--force", "-o", str(tmp_path / "out")]
    )
    assert result.exit_code == 0, result.output
    assert [line for line in result.output.splitlines() if "arfBuzz" in line or "fontTools" in line] == [
        f"hint: {SLOW_FONTS_HINT}"
    ]
    assert "libharfbuzz-subset0" in SLOW_FONTS_HINT
