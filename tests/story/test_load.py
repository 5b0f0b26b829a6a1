"""Reading story files: YAML positions, strictness and the error messages a clinician sees."""

import pytest

from storygen.errors import StoryError
from storygen.story.open import read_story
from tests.conftest import FULL_STORY, MINIMAL_STORY


def problems(path):
    with pytest.raises(StoryError) as caught:
        read_story(path)
    return [str(p) for p in caught.value.problems]


def test_minimal_story_needs_only_title_and_steps(write_story):
    story = read_story(write_story(MINIMAL_STORY))
    assert story.title == "Going to the shop"
    assert story.kind == "social"
    assert [s.text for s in story.steps] == ["We walk to the shop.", "I hold the basket."]


def test_full_story_reads_every_field(write_story):
    story = read_story(write_story(FULL_STORY))
    assert story.kind == "task" and story.chaining == "backward"
    assert story.sessions == 12 and story.prompts == ["I", "G", "V", "PP", "FP"]
    assert story.mastery.startswith("3 sessions")
    assert story.intro.text.startswith("Washing") and story.conclusion.symbol == "openmoji:star struck"
    assert [c.text for c in story.calm] == ["A big squeeze hug", "Three slow breaths"]
    assert [s.text for s in story.steps[1].steps] == ["Palms", "Backs of my hands"]
    assert story.steps[0].feel.startswith("The water")
    assert story.tags == ["hygiene", "self-care"] and story.age == "4-8" and story.language == "en-GB"


def test_yaml_words_stay_text(write_story):
    # YAML 1.1 would read these as booleans and numbers; in a story they are text.
    story = read_story(write_story("title: Yes\nsteps:\n  - No\n  - on\n  - 3\n"))
    assert story.title == "Yes"
    assert [s.text for s in story.steps] == ["No", "on", "3"]


def test_yaml_syntax_error_has_line_and_column(write_story):
    path = write_story("title: Dentist\nsteps:\n  - I sit down.\n - I open my mouth.\n")
    [message] = problems(path)
    assert message.startswith(f"{path}:4:2: YAML syntax error")
    assert "indentation" in message


def test_colon_in_a_step_gets_a_quote_hint(write_story):
    path = write_story("title: Dentist\nsteps:\n  - Next: I sit in the chair.\n")
    [message] = problems(path)
    assert message.startswith(f"{path}:3:5: step 1:") and "put the whole sentence in quotes" in message


def test_the_documented_caution_example_loads(write_story):
    """docs/building.md's `caution:` example, as written there, in a story: its text whole."""
    import re

    from tests.conftest import REPO

    docs = (REPO / "docs" / "building.md").read_text(encoding="utf-8")
    [example] = re.findall(r"`(stimulus: \{[^`]*caution:[^`]*\})`", docs)
    story = read_story(write_story(f"title: Snack\nkind: sensory\nsteps:\n  - text: I smell it.\n    {example}\n"))
    assert story.steps[0].stimulus.caution == "nuts, check for allergies"


def test_a_comma_in_a_text_inside_braces_gets_a_quote_hint(write_story):
    """Unquoted, the words after the comma read as a key: the error says so where they are and
    the hint is the line to write, quoted."""
    line = "    stimulus: {item: a peanut butter jar, sense: smell, caution: nuts, check for allergies}"
    path = write_story(f"title: Snack\nkind: sensory\nsteps:\n  - text: I smell it.\n{line}\n")
    [message] = problems(path)
    assert message.startswith(f"{path}:5:{line.index('check') + 1}: 'check for allergies' is not a `key: value`")
    assert 'put quotes around text holding a comma or a colon: caution: "nuts, check for allergies"' in message
    step = '  - {text: I sit, then "wait", and rest}'  # quotes inside: the hint quotes with the others
    [message] = problems(write_story(f"title: T\nsteps:\n  - a\n{step}\n"))
    assert f":4:{step.index('then') + 1}: 'then \"wait\"' is not a" in message
    assert message.endswith(
        """put quotes around text holding a comma or a colon: text: 'I sit, then "wait", and rest'"""
    )


def test_a_colon_in_a_text_gets_a_quote_hint(write_story):
    flow = problems(write_story("title: T\nsteps:\n  - {text: Note: I sit}\n"))
    block = problems(write_story("title: T\nsteps:\n  - text: I sit: here\n"))
    for [message] in (flow, block):
        assert "YAML syntax error" in message and "put quotes around text holding a comma or a colon" in message


def test_tab_indentation_gets_a_hint(write_story):
    [message] = problems(write_story("title: x\nsteps:\n\t- one\n"))
    assert ":3:1: YAML syntax error" in message and "spaces, not tabs" in message


def test_duplicate_key_is_refused_not_silently_replaced(write_story):
    [message] = problems(write_story("title: One\nsteps: [a]\ntitle: Two\n"))
    assert ":3:1:" in message and "`title` is given twice" in message


def test_aliases_are_refused(write_story):
    text = "title: x\nsteps:\n  - &a one\n  - *a\n"
    [message] = problems(write_story(text))
    assert ":3:5:" in message and "aliases" in message


def test_empty_and_non_mapping_files(write_story):
    assert "empty" in problems(write_story("", "empty"))[0]
    assert "key: value" in problems(write_story("- a list\n", "list"))[0]


def test_unknown_key_names_step_and_suggests(write_story):
    path = write_story("title: x\nsteps:\n  - text: Brush\n    symbl: toothbrush\n")
    assert problems(path) == [f"{path}:4:5: step 1: unknown key 'symbl' (did you mean 'symbol'?)"]


def test_unknown_top_level_key_suggests(write_story):
    messages = problems(write_story("title: x\nstep:\n  - a\n"))
    assert any(":2:1: unknown key 'step' (did you mean 'steps'?)" in m for m in messages)


def test_wrong_kind_suggests_the_closest(write_story):
    [message] = problems(write_story("title: x\nkind: sensorry\nsteps: [a]\n"))
    assert ":2:7:" in message and "use one of social, sensory, task" in message
    assert "did you mean 'sensory'" in message


def test_every_error_is_reported_at_once(write_story):
    text = """\
        title: x
        kind: task
        chaining: backwards
        sessions: lots
        steps:
          - text: a
            stimulus: {item: lavender, sense: smelly}
        """
    messages = problems(write_story(text))
    assert len(messages) == 3
    assert ":3:11:" in messages[0] and "did you mean 'backward'" in messages[0]
    assert ":4:11:" in messages[1] and "whole number" in messages[1]
    assert ":7:39: step 1:" in messages[2] and "'smelly'" in messages[2]


def test_missing_title_and_steps(write_story):
    messages = problems(write_story("kind: social\n"))
    assert any("`title` is missing" in m for m in messages)
    assert any("`steps` is missing" in m for m in messages)


def test_steps_as_text_gets_list_hint(write_story):
    [message] = problems(write_story("title: x\nsteps: brush my teeth\n"))
    assert ":2:8:" in message and "starting with `- `" in message


def test_sub_steps_nest_one_level_only(write_story):
    text = "title: x\nsteps:\n  - text: a\n    steps:\n      - text: b\n        steps: [c]\n"
    [message] = problems(write_story(text))
    assert "sub-steps cannot have sub-steps" in message


def test_task_fields_only_on_task_stories(write_story):
    [message] = problems(write_story("title: x\nchaining: forward\nsteps: [a]\n"))
    assert "add `kind: task`" in message


def test_stimulus_sense_accepts_clinical_words(write_story):
    text = "title: x\nkind: sensory\nsteps:\n  - text: Swing\n    stimulus: {item: a swing, sense: vestibular}\n  - text: Birds\n    stimulus: {item: bird song, sense: hearing}\n"
    story = read_story(write_story(text))
    assert [s.stimulus.sense for s in story.steps] == ["movement", "sound"]


def test_age_and_language_are_checked(write_story):
    messages = problems(write_story("title: x\nage: toddlers\nlanguage: English!\nsteps: [a]\n"))
    assert "like 5, 4-8 or 6+" in messages[0]
    assert "language code" in messages[1]


def test_prompt_codes_are_checked(write_story):
    [message] = problems(write_story("title: x\nkind: task\nprompts: [I, verbal]\nsteps: [a]\n"))
    assert ":3:14:" in message and "capital letters" in message


def test_unknown_symbol_suggests(write_story):
    [message] = problems(write_story("title: x\nsteps:\n  - text: a\n    symbol: tothbrush\n"))
    assert ":4:13: step 1: there is no symbol named 'tothbrush'; did you mean 'toothbrush'" in message


def test_oversized_file_is_refused(write_story):
    [message] = problems(write_story("title: x\nsteps:\n" + "  - a long step of text\n" * 40000))
    assert "must be at most" in message


# -- limits (fields.py) and control characters: no story makes storygen hang or print garbage --


def test_too_many_steps_names_the_first_step_too_many(write_story):
    path = write_story("title: x\nsteps:\n" + "  - a step\n" * 101)
    assert problems(path) == [f"{path}:103:5: step 101: a story can have at most 100 steps; split it into two stories"]


def test_a_5000_step_story_is_refused_quickly(write_story):
    import time

    path = write_story("title: x\nsteps:\n" + "".join(f"  - text: step {i}\n    symbol: soap\n" for i in range(5000)))
    start = time.perf_counter()
    [message] = problems(path)
    assert "step 101: a story can have at most 100 steps" in message
    assert time.perf_counter() - start < 3  # about 0.4 s; it once rendered for a quarter of an hour


def test_too_many_sub_steps_and_calm_choices(write_story):
    [sub] = problems(write_story("title: x\nsteps:\n  - text: a\n    steps:\n" + "      - b\n" * 13, "sub"))
    assert ":17:9: step 1.13: a step can have at most 12 sub-steps" in sub
    [calm] = problems(write_story("title: x\ncalm:\n" + "  - breathe\n" * 9 + "steps: [a]\n", "calm"))
    assert ":11:5: calm choice 9: a story can have at most 8 calm choices" in calm


def test_text_and_title_lengths(write_story):
    [title] = problems(write_story(f"title: {'t' * 121}\nsteps: [a]\n", "title"))
    assert ":1:8: `title` has 121 characters, more than 120; shorten it" in title
    [text] = problems(write_story(f"title: x\nsteps:\n  - a\n  - {'w ' * 250}x\n", "text"))
    assert ":4:5: step 2: `text` has 501 characters, more than 500; split it into two steps" in text


def test_limits_are_the_fields_constants(write_story):
    from storygen.story import fields

    assert (fields.MAX_STEPS, fields.MAX_SUBSTEPS, fields.MAX_CHOICES, fields.MAX_TEXT, fields.MAX_TITLE) == (
        100,
        12,
        8,
        500,
        120,
    )
    ok = (
        "title: "
        + "t" * 120
        + "\ncalm:\n"
        + "  - breathe\n" * 8
        + "steps:\n  - text: "
        + "w" * 500
        + "\n    steps:\n"
        + "      - b\n" * 12
        + "  - a step\n" * 99
    )
    story = read_story(write_story(ok))
    assert len(story.steps) == 100 and len(story.steps[0].steps) == 12 and len(story.calm) == 8


@pytest.mark.parametrize(
    "line, col, char",
    [
        ("  - I say \x1b[2J hello.", 11, "U+001B ESC"),
        ("  - I say \x07 hello.", 11, "U+0007 BEL"),
        ("  - I say \x7f hello.", 11, "U+007F DEL"),
        ("  - I say \x9b2J hello.", 11, "U+009B CSI"),
        ("  - I say \u202eolleh.", 11, "U+202E RIGHT-TO-LEFT OVERRIDE"),
        ("  - I say \u2066hello.", 11, "U+2066 LEFT-TO-RIGHT ISOLATE"),
        ("# a comment \x1b]0;owned\x07", 13, "U+001B ESC"),
    ],
    ids=["esc", "bel", "del", "c1-csi", "bidi-override", "bidi-isolate", "in-a-comment"],
)
def test_raw_control_characters_are_refused_where_they_are(write_story, line, col, char):
    path = write_story(f"title: Hello\nsteps:\n  - one\n{line}\n")
    message = problems(path)[0]
    assert message == f"{path}:4:{col}: text contains a control character ({char}); remove it"


@pytest.mark.parametrize(
    "text, char",
    [
        (r'"Hello \e]0;owned\a"', "U+001B ESC"),
        (r'"\x1b[2JHello"', "U+001B ESC"),
        (r'"Ding \a"', "U+0007 BEL"),
        (r'"\u009b2J"', "U+009B CSI"),
        (r'"\u202eolleh"', "U+202E RIGHT-TO-LEFT OVERRIDE"),
    ],
    ids=["osc-title", "csi-clear", "bel", "c1-csi", "bidi"],
)
def test_escaped_control_characters_are_refused(write_story, text, char):
    path = write_story(f"title: Hello\nsteps:\n  - one\n  - {text}\n")
    assert problems(path) == [
        f"{path}:4:5: text contains a control character ({char}) written as a backslash escape; remove it"
    ]


def test_an_escaped_control_character_in_a_key_is_refused(write_story):
    [message] = problems(write_story('title: x\n"\\e[2J": y\nsteps: [a]\n'))
    assert ":2:1: text contains a control character (U+001B ESC)" in message


def test_tabs_and_line_breaks_stay_allowed(write_story):
    story = read_story(write_story('title: x\nsteps:\n  - "one\\ttwo\\nthree"\n  - |\n    four\n    five\n'))
    assert [s.text for s in story.steps] == ["one\ttwo\nthree", "four\nfive"]


def test_a_character_yaml_refuses_is_a_message_not_a_traceback(write_story):
    [message] = problems(write_story("title: x\nsteps:\n  - a \ufffe b\n"))
    assert ":3:7: the file contains a character YAML does not allow (U+FFFE); remove it" in message


def test_settings_use_the_same_loader(tmp_path):
    from storygen.story.settings import read_settings

    (tmp_path / "storygen.yaml").write_text('name: "Sunny \\e]0;owned\\a"\nclinic: ' + "c" * 121 + "\n")
    with pytest.raises(StoryError) as caught:
        read_settings(tmp_path)
    [problem] = caught.value.problems
    assert (problem.line, problem.col) == (1, 7) and "control character (U+001B ESC)" in problem.message
    (tmp_path / "storygen.yaml").write_text("name: Sunny\nclinic: " + "c" * 121 + "\n")
    with pytest.raises(StoryError) as caught:
        read_settings(tmp_path)
    assert str(caught.value).endswith(":2:9: `clinic` has 121 characters, more than 120; shorten it")
    (tmp_path / "storygen.yaml").write_text("name: Sunny\nclinic: \x1b[2J\n")
    with pytest.raises(StoryError) as caught:
        read_settings(tmp_path)
    assert ":2:9: text contains a control character (U+001B ESC)" in str(caught.value)


PICTURES_EVERYWHERE = """\
title: Pictures
image: {0}
intro:
  text: Hello.
  image: {0}
calm:
  - text: Breathe.
    image: {0}
steps:
  - text: Look.
    image: {0}
    steps:
      - text: Closer.
        image: {0}
conclusion:
  text: Done.
  image: {0}
"""


def test_the_model_opens_no_file():
    from pathlib import Path

    from storygen.story.model import Story

    story = Story.model_validate({"title": "T", "steps": [{"text": "Look.", "image": "not-here.png"}]})
    assert story.steps[0].image == Path("not-here.png")  # files are checked when loading, not by the model


def test_loading_checks_every_picture_and_gives_its_real_path(tmp_path, write_story):
    from PIL import Image

    (tmp_path / "pictures").mkdir()
    Image.new("RGB", (20, 20), "red").save(tmp_path / "pictures" / "p.png")
    story = read_story(write_story(PICTURES_EVERYWHERE.format("pictures/../pictures/p.png")))
    real = (tmp_path / "pictures" / "p.png").resolve()
    assert len(story.pictures()) == 6 and all(part.image == real for part in story.pictures())
    messages = [str(p).split(":", 1)[1] for p in problems(write_story(PICTURES_EVERYWHERE.format("gone.png")))]
    missing = "image 'gone.png' was not found; check the file name (it is relative to the story file)"
    assert messages == [
        f"2:8: {missing}",
        f"5:10: {missing}",
        f"8:12: calm choice 1: {missing}",
        f"11:12: step 1: {missing}",
        f"14:16: step 1.1: {missing}",
        f"17:10: {missing}",
    ]
