"""Building a library: outcomes, warnings for parts that do not fit, clashing ids."""

from storygen.build import build


def test_a_step_that_does_not_fit_is_named_in_a_warning(tmp_path, write_story):
    subs = "".join(f"      - text: Sub-step number {i} with a few words\n        symbol: soap\n" for i in range(12))
    path = write_story(f"title: Long\nkind: task\nsteps:\n  - A short step.\n  - text: Many sub-steps\n    steps:\n{subs}")
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
