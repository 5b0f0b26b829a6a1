"""storygen check: one realistic story that triggers each rule, and one that does not."""

import json
import subprocess
import sys
import textwrap

import pytest
from click.testing import CliRunner

from storygen.check.engine import RULES, check_story
from storygen.check.general import MOST_WORDS
from storygen.check.readability import flesch_kincaid_grade
from storygen.check.sensory import MOST_SENTENCES
from storygen.check.social import MOST_PAGES
from storygen.check.task import FIRST_STEPS, LONG_TASK
from storygen.cli import main
from storygen.errors import Severity
from tests.conftest import EXAMPLES, REPO

LONG_CHOICE = "Squeeze my hands together tight now please"  # 7 words: six of them shrink the pictures, and fit
LONGER_CHOICE = "Squeeze my soft stress ball slowly three times and then breathe out like blowing candles"
BMC_CHOICES = [  # a hospital's four calm choices, which fit
    "Think of something that makes me happy",
    "Ask someone to hold my hand",
    "Look away",
    "Remember that I'm staying strong and healthy",
]

GOOD_SOCIAL = """\
title: Going to the dentist
intro: Sometimes I go to the dentist.
steps:
  - I wait in the waiting room. There are books to look at.
  - The dentist says hello. The dentist knows how to keep teeth healthy.
  - I sit in a big chair. The chair leans back slowly.
  - The light may be bright. That is okay.
  - If I need a break, I can raise my hand.
conclusion: Then the visit is done. I did a great job!
age: 4-8
"""

GOOD_SENSORY = """\
title: At the beach
kind: sensory
steps:
  - text: The waves go swish.
    stimulus: {item: a rain stick, sense: sound}
  - text: The sand is warm.
    stimulus: {item: a tray of warm sand, sense: touch}
  - text: The sun is bright.
    stimulus: {item: a torch behind yellow fabric, sense: sight}
"""

GOOD_TASK = """\
title: Putting on my coat
kind: task
chaining: backward
mastery: {sessions: 3, independent: 100%}
steps:
  - Hold my coat by the collar.
  - Put my arm in one sleeve.
  - Put my other arm in the other sleeve.
  - Pull the coat onto my shoulders.
  - Zip it up.
"""

# GOOD_SOCIAL with a picture chosen for every page (the same as storygen would choose, but written)
PICTURED_SOCIAL = """\
title: Going to the dentist
symbol: dentist
intro: {text: Sometimes I go to the dentist., symbol: dentist}
steps:
  - {text: I wait in the waiting room. There are books to look at., symbol: wait}
  - {text: The dentist says hello. The dentist knows how to keep teeth healthy., symbol: hello}
  - {text: I sit in a big chair. The chair leans back slowly., symbol: sit}
  - {text: The light may be bright. That is okay., symbol: light}
  - {text: "If I need a break, I can raise my hand.", symbol: none}
conclusion: {text: Then the visit is done. I did a great job!, image: done.png, alt: A big gold star}
age: 4-8
"""

# (code, base story, text to change, the change): each change is a realistic slip.
TRIGGERS = [
    ("SOC001", GOOD_SOCIAL, "intro: Sometimes I go to the dentist.\n", ""),
    (
        "SOC002",
        GOOD_SOCIAL,
        "  - I wait in the waiting room. There are books to look at.\n",
        "  - I will try to wait. I can sit still. I will try to be quiet. I can look at a book.\n",
    ),
    ("SOC003", GOOD_SOCIAL, "I sit in a big chair.", "You sit in a big chair."),
    ("SOC004", GOOD_SOCIAL, "The chair leans back slowly.", "He leans back slowly."),
    ("SOC005", GOOD_SOCIAL, "The light may be bright.", "I must keep my head still."),
    ("SOC006", GOOD_SOCIAL, "There are books to look at.", "There are always books to look at."),
    ("SOC007", GOOD_SOCIAL, "If I need a break, I can raise my hand.", "Don't bite the dentist."),
    ("SOC008", GOOD_SOCIAL, "steps:\n", "steps:\n" + "  - I see a fish tank.\n" * 5),
    (
        "SOC009",
        GOOD_SOCIAL,
        "  - The light may be bright. That is okay.\n",
        "  - text: The light may be bright. That is okay.\n    type: [descriptive]\n",
    ),
    (
        "SEN001",
        GOOD_SENSORY,
        "steps:\n",
        "steps:\n" + "  - text: The wind blows.\n    stimulus: {item: a fan, sense: touch}\n" * 8,
    ),
    (
        "SEN002",
        GOOD_SENSORY,
        "  - text: The sand is warm.\n    stimulus: {item: a tray of warm sand, sense: touch}\n",
        "  - text: The sand is warm.\n",
    ),
    ("SEN003", GOOD_SENSORY, "{item: a rain stick, sense: sound}", "a rain stick"),
    ("TSK001", GOOD_TASK, "  - Zip it up.\n", ""),
    ("TSK005", GOOD_TASK, "  - Zip it up.\n", "".join(f"  - Step {n}.\n" for n in range(20))),
    ("TSK002", GOOD_TASK, "chaining: backward\n", "chaining: backward\nprompts: [G, V, V]\n"),
    ("TSK003", GOOD_TASK, "chaining: backward\n", ""),
    ("TSK004", GOOD_TASK, "mastery: {sessions: 3, independent: 100%}\n", ""),
    (
        "TSK006",
        GOOD_TASK,
        "mastery: {sessions: 3, independent: 100%}\n",
        "mastery: 3 sessions in a row, every step I\n",
    ),
    ("GEN001", GOOD_TASK, "  - Zip it up.\n", "  - text: Zip it up.\n    image: zip.png\n"),
    (
        "GEN002",
        GOOD_SOCIAL,
        "The light may be bright. That is okay.",
        "Occasionally the practitioner investigates the oral cavity utilising specialised instrumentation.",
    ),
    (
        "GEN003",
        GOOD_TASK,
        "Zip it up.",
        "Zip it up all the way from the very bottom of the coat to the top of the coat near my chin.",
    ),
    ("GEN004", GOOD_TASK, "Zip it up.", "Zip it up zipzipzipzipzipzipzipzipzipzipzipzip."),
    ("GEN005", GOOD_TASK, "chaining: backward\n", f"chaining: backward\ncalm: [{', '.join([LONGER_CHOICE] * 6)}]\n"),
    ("PIC002", GOOD_TASK, "  - Zip it up.\n", "  - Zzq blorp.\n"),
    ("PIC003", GOOD_TASK, "  - Zip it up.\n", "  - text: Zip it up.\n    image: zip.png\n    alt: My zip\n"),
    ("PRS001", GOOD_TASK, "  - Zip it up.\n", "  - $name zips it up.\n"),
    ("GEN006", GOOD_TASK, "kind: task\n", "kind: task\nlanguage: el\n"),  # Greek, in English
    (
        "TRN001",
        GOOD_TASK,
        "  - Zip it up.\n",
        "  - Zip it up.\ntranslations:\n  es:\n"  # the title forgotten
        "    steps: [Tomo el abrigo., Meto un brazo., Meto el otro brazo., Subo el abrigo., Subo la cremallera.]\n",
    ),
]


@pytest.fixture
def story_file(tmp_path):
    from PIL import Image

    Image.new("RGB", (20, 20), "red").save(tmp_path / "zip.png")
    Image.new("RGB", (480, 480), "green").save(tmp_path / "done.png")  # 100 ppi on a page, zip.png too few

    def write(text, name="story"):
        path = tmp_path / f"{name}.yaml"
        path.write_text(textwrap.dedent(text), encoding="utf-8")
        return path

    return write


def codes(path):
    return [f.code for f in check_story(path).findings if f.severity != Severity.NOTE]


@pytest.mark.parametrize("good", [GOOD_SOCIAL, GOOD_SENSORY, GOOD_TASK], ids=["social", "sensory", "task"])
def test_good_stories_have_no_findings(story_file, good):
    reports = ("SEN004", "PIC001", "PIC002")  # a sensory story's senses, always; pictures (tested on their own)
    assert [f.code for f in check_story(story_file(good)).findings if f.code not in reports] == []


@pytest.mark.parametrize("code, base, old, new", TRIGGERS, ids=[t[0] for t in TRIGGERS])
def test_each_rule_triggers_on_its_slip(story_file, code, base, old, new):
    assert old in base
    found = [f for f in check_story(story_file(base.replace(old, new))).findings if f.code == code]
    assert found, f"{code} should fire"
    assert all(f.hint and f.message for f in found)


def test_every_rule_has_a_trigger_test_and_documentation():
    tested = {code for code, *_ in TRIGGERS} | {"SEN004", "PIC001"}  # both tested on their own below
    assert tested == set(RULES) - {"CHK001"} | {"SEN004", "PIC001"}
    docs = (REPO / "docs" / "rules.md").read_text()
    for code, rule in RULES.items():
        assert f"## {code} {rule.name}" in docs


def test_word_findings_point_at_the_word(story_file):
    path = story_file(GOOD_SOCIAL.replace("There are books to look at.", "There are always books to look at."))
    [finding] = [f for f in check_story(path).findings if f.severity != Severity.NOTE]
    line = path.read_text().splitlines()[finding.line - 1]
    assert line[finding.col - 1 :].startswith("always")
    assert "usually" in finding.hint


def test_ratio_reports_the_counts(story_file):
    path = story_file(
        GOOD_SOCIAL.replace(
            "  - I wait in the waiting room. There are books to look at.\n",
            "  - I will try to wait. I can sit still. I will try to be quiet. I can look at a book.\n",
        )
    )
    [finding] = [f for f in check_story(path).findings if f.code == "SOC002"]
    assert "/ 5 =" in finding.message and "5 coaching" in finding.message


def test_sentence_type_can_be_given(story_file):
    story = GOOD_SOCIAL.replace(
        "  - I wait in the waiting room. There are books to look at.\n",
        "  - I will try to wait. I can sit still. I will try to be quiet. I can look at a book.\n",
    )
    assert "SOC002" in codes(story_file(story))
    typed = story.replace(
        "  - I will try to wait. I can sit still. I will try to be quiet. I can look at a book.\n",
        "  - text: I will try to wait. I can sit still. I will try to be quiet. I can look at a book.\n"
        "    type: descriptive\n",
    )
    assert "SOC002" not in codes(story_file(typed, "typed"))


def test_each_picture_storygen_chose_is_a_note_at_its_page(story_file):
    path = story_file(GOOD_TASK.replace("  - Zip it up.\n", "  - Zip it up.\n  - text: I dry my hands with a towel.\n"))
    notes = [f for f in check_story(path).findings if f.code == "PIC001"]
    # the cover and every step but the two whose only word of substance is an arm (too general: PIC002)
    # and "Zip it up" (a verb whose particle may change what it means: PIC002)
    assert all(f.severity == Severity.NOTE for f in notes) and len(notes) == 4
    assert (notes[0].line, notes[0].col, notes[0].message) == (1, 8, "cover: picked 'put on coat' (mulberry)")
    last = notes[-1]
    assert (last.line, last.col) == (11, 5)  # the step, as written
    assert last.message == "step 6: picked 'dry hands' (mulberry)"
    assert last.hint == "write symbol: to choose another, or symbol: none for no picture"


def test_a_story_whose_pages_all_have_pictures_gets_no_picture_notes(story_file):
    assert [f for f in check_story(story_file(PICTURED_SOCIAL)).findings if f.code == "PIC001"] == []
    notes = [f.message for f in check_story(story_file(GOOD_SOCIAL)).findings if f.code == "PIC001"]
    assert len(notes) == 8  # cover, introduction, 5 steps, conclusion
    assert notes[1] == "introduction: picked 'dentist' (mulberry)"  # the name to write: 'dentist 1a' is its file's
    assert notes[-1] == "conclusion: picked 'star' (mulberry)"


def test_each_sentence_of_a_page_can_have_its_kind(story_file):
    coaching = "  - I will try to wait. I can sit still. I will try to be quiet. I can look at a book.\n"
    story = GOOD_SOCIAL.replace("  - I wait in the waiting room. There are books to look at.\n", coaching)
    assert "SOC002" in codes(story_file(story))
    kinds = "    type: [descriptive, coaching, descriptive, descriptive]\n"
    typed = story.replace(coaching, "  - text: " + coaching.removeprefix("  - ") + kinds)
    assert "SOC002" not in codes(story_file(typed, "typed")) and "SOC009" not in codes(story_file(typed, "typed"))
    from storygen.story.open import read_story

    page = read_story(story_file(typed, "typed")).steps[0]
    assert page.text.count(".") == 4 and page.type[1] == "coaching"  # one paragraph, printed as written


def test_senses_reached_is_information(story_file):
    [info] = [f for f in check_story(story_file(GOOD_SENSORY)).findings if f.code == "SEN004"]
    assert info.severity == Severity.NOTE and "3 of 8 senses: sight, sound, touch" in info.message


def test_rules_switched_off_for_a_story_and_for_a_library(story_file, tmp_path):
    slip = GOOD_SOCIAL.replace("There are books", "There are always books")
    assert "SOC006" in codes(story_file(slip))
    assert codes(story_file(slip + "check:\n  disable: [absolutes]\n", "off")) == []
    (tmp_path / "storygen.yaml").write_text("check:\n  disable: [SOC006]\n")
    assert codes(story_file(slip, "library")) == []


def test_unknown_rule_names_are_reported(story_file):
    [finding] = [
        f
        for f in check_story(story_file(GOOD_SOCIAL + "check:\n  disable: [absolute]\n")).findings
        if f.severity != Severity.NOTE
    ]
    assert finding.code == "CHK001" and "did you mean 'absolutes'" in finding.message


def test_invalid_story_is_an_error_finding(story_file):
    [finding] = check_story(story_file("title: x\nsteps:\n  - text: a\n    symbl: soap\n")).findings
    assert (finding.code, finding.severity, finding.line, finding.col) == ("ERR001", "error", 4, 5)


def test_flesch_kincaid_grade_orders_simple_and_hard_text():
    easy = flesch_kincaid_grade(["I sit in a big chair.", "The dog is red."])
    hard = flesch_kincaid_grade(
        ["Occasionally the practitioner investigates the oral cavity utilising instrumentation."]
    )
    assert easy < 2 and hard > 10


def run(*args):
    return CliRunner().invoke(main, ["check", *args])


def test_cli_exit_status_and_strict(story_file, tmp_path):
    story_file(PICTURED_SOCIAL.replace("There are books", "There are always books"), "warned")
    result = run(str(tmp_path))
    assert result.exit_code == 0
    assert "warned.yaml:5:50: SOC006 'always' is an absolute that may not hold" in result.output
    assert "    hint: say 'usually' instead" in result.output
    assert "1 stories checked: 0 errors, 1 warnings, 0 notes" in result.output
    assert run("--strict", str(tmp_path)).exit_code == 1
    story_file("title: x\nkind: socal\nsteps: [a]\n", "broken")
    assert run(str(tmp_path)).exit_code == 1


def test_cli_json_and_github_formats(story_file, tmp_path):
    story_file(PICTURED_SOCIAL.replace("There are books", "There are always books"), "warned")
    findings = json.loads(run("--output-format", "json", str(tmp_path)).output)
    assert [(f["code"], f["severity"], f["line"], f["col"]) for f in findings] == [("SOC006", "warning", 5, 50)]
    github = run("--output-format", "github", str(tmp_path)).output.splitlines()[0]
    assert github.startswith("::warning file=") and "warned.yaml,line=5,col=50,title=SOC006::'always'" in github


def test_a_story_that_cannot_be_read_gives_its_hint_whole_in_json(story_file, tmp_path):
    """ERR001 says what is wrong and the fix as loading gave them, each whole: neither is cut at
    a '; ' of its own (a value or key written with one; a YAML hint that holds one), and a
    problem with no fix has none."""
    story_file("title: x\nkind: task\nmastery: {sessions: 3, independent: lots; really}\nsteps: [a]\n", "percent")
    story_file("title: x\nsteps: [a, b\n", "bracket")
    story_file("title: x\nsteps: [a]\nzz; qq: 1\n", "unknown")
    *findings, unknown = json.loads(run("--output-format", "json", str(tmp_path)).output)
    assert [(f["code"], f["message"], f["hint"]) for f in findings] == [
        (
            "ERR001",
            "YAML syntax error: did not find expected ',' or ']'",
            "a `[` or `{` opened earlier is not closed; close it, or put text that starts with [ or { in quotes",
        ),
        ("ERR001", "'lots; really' is not a percentage", "write it like 100% or 80%"),
    ]
    assert unknown["message"].startswith("unknown key 'zz; qq' (known keys here: symbol, ") and unknown["hint"] == ""


def test_a_task_of_up_to_20_steps_is_a_note_and_longer_a_warning(story_file):
    def step_findings(count):
        steps = "".join(f"  - Brush tooth {n}.\n" for n in range(count))
        story = GOOD_TASK.split("steps:")[0] + "steps:\n" + steps
        return [(f.code, f.severity) for f in check_story(story_file(story)).findings if f.code in ("TSK001", "TSK005")]

    assert step_findings(FIRST_STEPS[0]) == step_findings(FIRST_STEPS[-1]) == []
    assert step_findings(14) == [("TSK001", Severity.NOTE)]  # many published ones run to 14 or more
    assert step_findings(FIRST_STEPS[0] - 1) == step_findings(LONG_TASK) == [("TSK001", Severity.NOTE)]
    assert step_findings(LONG_TASK + 1) == [("TSK005", Severity.WARNING)]


def _pages(count: int) -> str:
    """A social story of count pages after the cover: an introduction, steps, a conclusion."""
    return "title: T\nintro: I go out.\nsteps:\n" + "  - I see a fish.\n" * (count - 2) + "conclusion: I did it.\n"


def _sentences(count: int) -> str:
    return (
        "title: T\nkind: sensory\nsteps:\n"
        + "  - text: The wind blows.\n    stimulus: {item: a fan, sense: touch}\n" * count
    )


def _words(count: int) -> str:
    return GOOD_TASK.replace("Zip it up.", " ".join(["zip"] * count))


@pytest.mark.parametrize(
    ("code", "most", "story"),
    [("SOC008", MOST_PAGES, _pages), ("SEN001", MOST_SENTENCES, _sentences), ("GEN003", MOST_WORDS, _words)],
)
def test_a_limit_is_the_one_its_summary_and_message_say(story_file, code, most, story):
    def found(count):
        return [f.message for f in check_story(story_file(story(count))).findings if f.code == code]

    assert found(most) == []
    [message] = found(most + 1)
    assert f"{most + 1} " in message and message.endswith(f"more than {most}")
    assert str(most) in RULES[code].summary


def test_explain_prints_a_rules_documentation():
    for code, rule in RULES.items():
        result = run("--explain", code)
        assert result.exit_code == 0 and result.output.startswith(f"## {code} {rule.name}"), code
        assert "**" in result.output and "\n## " not in result.output  # its section, and only it
    assert run("--explain", "absolutes").output.startswith("## SOC006 absolutes")  # by name too
    unknown = run("--explain", "SOC06")
    assert unknown.exit_code != 0 and "no rule 'SOC06' (did you mean 'SOC006'?)" in unknown.output


def test_natural_spellings_get_a_suggestion(story_file):
    for written, meant in (("task analysis", "task"), ("sensory story", "sensory"), ("Social", "social")):
        [finding] = check_story(story_file(f"title: T\nkind: {written}\nsteps: [a]\n")).findings
        assert f"(did you mean '{meant}'?)" in finding.message + finding.hint, written


def test_upper_case_choices_get_suggestions():
    from storygen.errors import did_you_mean

    assert did_you_mean("PPP", ["I", "PP", "FP"]) == " (did you mean 'PP'?)"
    assert did_you_mean("SOC06", ["SOC006", "SOC007"]) == " (did you mean 'SOC006'?)"


def test_interoception_is_a_sense(story_file):
    story = GOOD_SENSORY + "  - text: My tummy rumbles.\n    stimulus: {item: a warm drink, sense: interoception}\n"
    [info] = [f for f in check_story(story_file(story)).findings if f.code == "SEN004"]
    assert "4 of 8 senses: interoception, sight, sound, touch" in info.message
    inner = GOOD_SENSORY + "  - text: My tummy rumbles.\n    stimulus: {item: a warm drink, sense: interoceptive}\n"
    assert (
        "interoception"
        in next(f for f in check_story(story_file(inner, "inner")).findings if f.code == "SEN004").message
    )


def test_common_and_own_prompt_codes(story_file):
    def prompt_findings(prompts):
        story = GOOD_TASK.replace("chaining: backward\n", f"chaining: backward\nprompts: {prompts}\n")
        return [f.message for f in check_story(story_file(story)).findings if f.code == "TSK002"]

    assert prompt_findings("[I, VP, GP, MP, PP, FP, HOH]") == []  # the long forms data sheets use
    assert prompt_findings("{I: independent, TP: tap on the shoulder}") == []  # the story's own, with meanings
    assert prompt_findings("[I, PPP]") == ["'PPP' is not a known prompt code (did you mean 'PP'?)"]


def test_the_data_sheet_legend_prints_a_storys_own_prompt_meanings():
    from storygen.pages.render import render
    from storygen.story.model import Story

    story = Story.model_validate(
        {"title": "Coat", "kind": "task", "steps": ["a"], "prompts": {"I": "independent", "TP": "tap on the shoulder"}}
    )
    html = render(story, "datasheet", "screen")
    assert "<strong>TP</strong> = tap on the shoulder" in html
    assert "<strong>NR</strong> = no response" in html


def test_list_rules():
    result = run("--list-rules")
    assert [line.split()[0] for line in result.output.splitlines()] == list(RULES)


def test_example_library_passes_strict_check():
    result = run("--strict", str(EXAMPLES))
    assert result.exit_code == 0, result.output
    assert "0 errors, 0 warnings" in result.output


def test_check_does_not_import_weasyprint():
    code = (
        "import sys; from click.testing import CliRunner; from storygen.cli import main; "
        f"r = CliRunner().invoke(main, ['check', {str(EXAMPLES)!r}]); print(r.exit_code, 'weasyprint' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split()
    assert out == ["0", "False"]


SPANISH = """\
title: Voy al dentista
language: es
age: 4-8
intro: A veces voy al dentista.
steps:
  - Me siento en una silla grande.
  - La dentista me cuenta los dientes.
conclusion: ¡Lo hice muy bien!
"""


def test_wording_rules_know_spanish(story_file):
    for slip, code, hint in (
        ("Siempre me siento en una silla grande.", "SOC006", "say 'normalmente' instead"),
        ("Los niños malos gritan.", "SOC005", "describe what happens"),
        ("No debes gritar.", "SOC007", "say what to do instead"),
        ("Tú te sientas en una silla grande.", "SOC003", "first person"),
    ):
        story = story_file(SPANISH.replace("Me siento en una silla grande.", slip), code)
        found = [f for f in check_story(story).findings if f.code == code]
        assert found and hint in found[0].hint, (slip, [f.code for f in check_story(story).findings])
    found = check_story(story_file(SPANISH)).findings
    assert [f.code for f in found if f.severity != Severity.NOTE and f.code != "PIC002"] == []


def test_reading_level_uses_a_formula_for_spanish(story_file):
    hard = "Ocasionalmente la profesional examina minuciosamente la cavidad bucal utilizando instrumentación especializada."
    [finding] = [
        f
        for f in check_story(story_file(SPANISH.replace("A veces voy al dentista.", hard))).findings
        if f.code == "GEN002"
    ]
    assert "(Fernández-Huerta)" in finding.message
    assert "GEN002" not in codes(story_file(SPANISH, "easy"))


def test_a_language_no_rule_knows_gets_one_note_naming_what_was_left_out(story_file):
    korean = "title: 치과\nlanguage: ko\nage: 4-8\nintro: 가끔 치과에 가요.\nsteps:\n  - 큰 의자에 앉아요.\nconclusion: 잘했어요!\n"
    findings = check_story(story_file(korean)).findings
    [note] = [f for f in findings if f.code == "CHK002"]
    assert note.severity == Severity.NOTE and note.line == 2  # at the story's language
    assert "not checked in 'ko': SOC002, SOC003, SOC004, SOC005, SOC006, SOC007, GEN002" in note.message
    assert not [f for f in findings if f.code in ("SOC002", "SOC005", "GEN002")]
    [spanish] = [f.message for f in check_story(story_file(SPANISH, "es")).findings if f.code == "CHK002"]
    assert "SOC002, SOC004 (they know English only)" in spanish  # the wording rules read Spanish


def test_words_are_counted_in_any_script():
    from storygen.check.readability import word_count

    assert word_count("간호사가 내 팔에 밴드를 감을 거예요.") == 6  # Hangul, spaced like English
    assert word_count("Una enfermera me pondrá una banda.") == 6
    assert word_count("我刷牙。") == 2  # Chinese: no spaces; a word for every two characters
    assert word_count("ممرضة تضع شريطا") == 3  # Arabic


def test_a_chinese_sentence_is_not_a_long_word(write_story):
    from storygen.story.open import read_story
    from storygen.story.parts import long_words

    story = read_story(
        write_story(
            "title: 刷牙\nlanguage: zh\nsteps:\n  - 我每天早上和晚上睡觉以前都用牙刷和牙膏认真地刷牙齿很多很多次。\n"
        )
    )
    assert list(long_words(story)) == []  # a line breaks between any two Chinese characters


def test_calm_choices_too_long_for_one_page_take_two_by_design_and_are_warned_about(story_file, tmp_path):
    """GEN005 is said before printing: the choices it warns about take two calm pages when
    built, half on each, and nothing spills (no fit warning); the pages it passes (the
    hospital's four choices; six of seven words, whose pictures shrink; two long choices among
    short ones, whose row has room to spare) print on one."""
    from pypdf import PdfReader

    from storygen.build.stories import build

    calm_pages = {
        "two-pages": [LONGER_CHOICE] * 6,
        "shrinks": [LONG_CHOICE] * 6,
        "hospital": BMC_CHOICES,
        "mixed": [LONG_CHOICE] * 2 + ["Hug", "Ball", "Swing", "Slow breaths"],
    }
    for name, choices in calm_pages.items():
        lines = "".join(f"  - {{text: {choice}, symbol: ball}}\n" for choice in choices)
        path = story_file(f"title: Calm\nsteps: [We go.]\ncalm:\n{lines}", name)
        warned = [f for f in check_story(path).findings if f.code == "GEN005"]
        [outcome] = build([path], tmp_path / "out", formats=["story"], catalog=False)
        pdf = PdfReader(tmp_path / "out" / name / f"{name}.pdf")
        assert (bool(warned), len(pdf.pages)) == ((True, 4) if name == "two-pages" else (False, 3)), name
        assert outcome.problems == [], name  # printed as laid out: no page spills
        assert all(f.line == 4 + i for i, f in enumerate(warned))  # at each choice, line by line
        if name == "two-pages":  # three choices on each calm page, each page headed
            calm = [pdf.pages[i].extract_text() for i in (1, 2)]
            assert [text.count("Squeeze") for text in calm] == [3, 3]
            assert all("First, I calm my body" in text for text in calm)
