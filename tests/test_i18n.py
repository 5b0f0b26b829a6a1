"""The words storygen adds, in the family's language: message catalogs, labels, plurals."""

from __future__ import annotations

import html
import importlib.util
import re
from html.parser import HTMLParser

import pytest
import yaml

from storygen import i18n
from storygen.build.stories import build
from storygen.errors import StoryError
from storygen.pages.assets import templates_folder
from storygen.pages.formats import FORMATS
from storygen.pages.render import render
from storygen.story.model import Story
from storygen.story.settings import read_settings
from tests.conftest import REPO, pdf_pages_text

TASK = """\
title: Washing my hands
kind: task
intro: Washing my hands keeps germs away.
calm: [A big squeeze hug, Three slow breaths]
steps:
  - text: I turn on the water.
    feel: The water may feel cold.
  - text: I wash with soap.
    steps: [Palms, Backs of my hands]
  - I dry my hands.
conclusion: My hands are clean!
chaining: backward
mastery: 3 sessions in a row, every step I
author: Sam
license: CC BY 4.0
"""
SENSORY = """\
title: At the beach
kind: sensory
steps:
  - text: The sand is warm.
    stimulus: {item: a tray of sand, sense: touch, caution: wash hands after}
  - text: The waves go shhh.
    stimulus: {item: a shell to listen to, sense: sound}
"""
LADDER = """\
title: Going to school
steps:
  - text: I walk past the gate.
    for: one week
    practise: until it feels easy
  - text: I stand at the gate.
    for: two days
  - text: I go in.
    practise: until it feels easy
"""


def _messages_tool():
    spec = importlib.util.spec_from_file_location("messages", REPO / "tools" / "messages.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


class _VisibleText(HTMLParser):
    """Text a reader sees in a template once its Jinja parts are gone: text nodes outside
    <script> and <style>, and the attributes a screen or a screen reader shows."""

    SHOWN = frozenset({"alt", "title", "placeholder", "aria-label", "value", "data-scroll"})

    def __init__(self):
        super().__init__()
        self.found, self.hidden = [], 0

    def handle_starttag(self, tag, attrs):
        self.hidden += tag in ("script", "style")
        self.found += [value for name, value in attrs if name in self.SHOWN and value]

    def handle_endtag(self, tag):
        self.hidden -= tag in ("script", "style")

    def handle_data(self, data):
        if not self.hidden:
            self.found.append(data)


def visible_english(template: str) -> list[str]:
    """Words in a template that no catalog translates: its text, less Jinja comments,
    statements, expressions and {% trans %} blocks."""
    text = re.sub(r"{#.*?#}", " ", template, flags=re.DOTALL)
    # CSS, class names and the anchor macro's id="..." are markup, not words
    text = re.sub(r"{%-?\s*block (style|body_class) .*?endblock\s*-?%}", " ", text, flags=re.DOTALL)
    text = re.sub(r"{%-?\s*macro anchor\b.*?endmacro\s*-?%}", " ", text, flags=re.DOTALL)
    text = re.sub(r"{%-?\s*trans\b.*?{%-?\s*endtrans\s*-?%}", " ", text, flags=re.DOTALL)
    text = re.sub(r"{%.*?%}|{{.*?}}", " ", text, flags=re.DOTALL)
    parser = _VisibleText()
    parser.feed(text)
    return [
        words for words in (" ".join(html.unescape(t).split()) for t in parser.found) if re.search(r"[A-Za-z]", words)
    ]


@pytest.mark.parametrize("path", sorted(templates_folder().glob("*.html")), ids=lambda p: p.name)
def test_no_template_holds_english_outside_the_catalogs(path):
    assert visible_english(path.read_text(encoding="utf-8")) == []


def test_the_english_check_finds_english():
    """The check above sees what it should: text, shown attributes, outside trans blocks."""
    found = visible_english(
        '{# a comment #}<p>Step {{ n }} of {{ total }}</p><img alt="A cat"><script>var x = "hidden";</script>'
        '{% trans %}Translated words{% endtrans %}<p>{{ _("also translated") }}</p>'
    )
    assert found == ["Step of", "A cat"]


def test_the_message_template_is_current():
    """storygen.pot holds exactly the messages of the templates and the code: run
    `python tools/messages.py` after changing a template's words."""
    extracted = {m.id for m in _messages_tool().extract() if m.id}
    committed = {m.id for m in i18n.template_catalog() if m.id}
    assert extracted == committed, "run: python tools/messages.py"


@pytest.mark.parametrize("language", [lang for lang in i18n.SHIPPED if lang != "en"])
def test_every_shipped_catalog_translates_every_message(language):
    from babel.messages.pofile import read_po

    path = i18n.locale_folder() / language / "LC_MESSAGES" / "storygen.po"
    catalog = read_po(path.open("rb"), locale=language)
    assert {m.id for m in catalog if m.id} == {m.id for m in i18n.template_catalog() if m.id}
    for message in catalog:
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        assert all(strings) and not message.fuzzy, f"{language}: {ids[0]!r} is not translated"
        names = set(re.findall(r"%\((\w+)\)s", ids[-1]))
        for string in strings:
            assert set(re.findall(r"%\((\w+)\)s", string)) == names, f"{language}: {ids[0]!r} -> {string!r}"
            assert re.findall(r"</?(?:strong|code)>", string) == re.findall(r"</?(?:strong|code)>", ids[0])
    assert not [error for _message, errors in catalog.check() for error in errors]


def _every_output(story_text: str, language: str, settings=None) -> str:
    story = Story.model_validate({**yaml.safe_load(story_text), "language": language})
    return "\n".join(
        render(story, name, "screen", settings=settings)
        for name, fmt in FORMATS.items()
        if fmt.template and fmt.suits(story)
    )


def _shown_text(page: str) -> str:
    page = re.sub(r"<(script|style)\b.*?</\1>", " ", page, flags=re.DOTALL)
    page = re.sub(r"</?(strong|code|span|b|em)\b[^>]*>", "", page)  # inline: part of the words around it
    return html.unescape(re.sub(r"<[^>]+>", " ", page))


@pytest.mark.parametrize("language", [lang.replace("_", "-") for lang in i18n.SHIPPED if lang != "en"])
def test_every_word_storygen_adds_is_in_the_story_language(language):
    """No English message that the language translates differently is left in any output of
    a task, a sensory and a ladder story (the story's own words aside)."""
    words = i18n.translations(language)
    ruled = TASK.replace("mastery: 3 sessions in a row, every step I", "mastery: {sessions: 3, independent: 100%}")
    shown = " ".join(" ".join(_shown_text(_every_output(text, language)).split()) for text in (ruled, SENSORY, LADDER))
    left = []
    for message in i18n.template_catalog():
        english = message.id[0] if isinstance(message.id, tuple) else message.id
        plain = re.sub(r"<[^>]+>", "", english).replace("%%", "%")
        for part in re.split(r"%\(\w+\)s", plain):
            part = part.strip(" .:,")
            if len(part) > 12 and part not in words.gettext(english) and part in shown:
                left.append(part)
    assert left == []


def test_english_outputs_read_as_before():
    shown = " ".join(_shown_text(_every_output(TASK, "en")).split())
    assert "Step 2 of 3" in shown and "First, I calm my body" in shown and "Task analysis data sheet" in shown
    assert "Washing my hands, by Sam. License: CC BY 4.0. Made with storygen." in shown
    assert "three times in a row, every step on their own" in shown  # family words, in English


def test_spanish_outputs_use_the_spanish_catalog():
    words = i18n.translations("es")
    shown = " ".join(_shown_text(_every_output(TASK, "es-MX")).split())
    assert words.gettext("Step %(n)s of %(total)s") != "Step %(n)s of %(total)s"
    for message in ("First, I calm my body", "Task analysis data sheet", "Made with storygen."):
        assert words.gettext(message) in shown and message not in shown
    assert "3 sessions in a row, every step I" in shown  # a translation's mastery is left as written


def test_plural_forms_follow_the_language():
    from babel.messages.pofile import read_po

    singular, plural = "%(count)s step", "%(count)s steps"
    english = i18n.translations("en")
    assert [english.ngettext(singular, plural, n) % {"count": n} for n in (1, 2)] == ["1 step", "2 steps"]
    arabic = read_po((i18n.locale_folder() / "ar" / "LC_MESSAGES" / "storygen.po").open("rb"), locale="ar")
    forms = arabic.get(singular).string
    assert len(forms) == 6  # Arabic: zero, one, two, few, many, other
    words = i18n.translations("ar")
    assert [words.ngettext(singular, plural, n) for n in (0, 1, 2, 3, 11, 100)] == list(forms)


def library_with(tmp_path, settings: str):
    (tmp_path / "storygen.yaml").write_text(settings, encoding="utf-8")
    (tmp_path / "stories").mkdir()
    return tmp_path


def test_a_library_changes_a_label_for_its_families(tmp_path):
    library = library_with(
        tmp_path,
        'formats: [story, datasheet]\nlabels:\n  es:\n    "Step {n} of {total}": "Paso {n} / {total} <b>"\n'
        '    "% independent": "% sin ayuda"\n',
    )
    (library / "stories" / "manos.yaml").write_text(TASK + "language: es\n", encoding="utf-8")
    outcomes = list(build([library / "stories"], library / "build"))
    assert [o.problems for o in outcomes] == [[]]
    page = (library / "build" / "manos" / "manos.html").read_text(encoding="utf-8")
    assert "Paso 2 / 3 &lt;b&gt;" in page  # a library's words are text, never markup

    assert "% sin ayuda" in " ".join(pdf_pages_text(library / "build" / "manos" / "manos-datasheet.pdf"))


def test_a_library_adds_a_language_storygen_does_not_ship(tmp_path):
    settings = read_settings(
        library_with(tmp_path, 'labels:\n  sw:\n    "First, I calm my body": "Kwanza, ninatuliza mwili wangu"\n')
    )
    story = Story.model_validate({**yaml.safe_load(TASK), "language": "sw"})
    page = render(story, "story", "screen", settings=settings)
    assert "Kwanza, ninatuliza mwili wangu" in page and "I can choose one:" in page  # the rest: English


@pytest.mark.parametrize(
    ("labels", "message"),
    [
        (
            '"Stepp {n} of {total}": "Paso"',
            "labels: storygen has no label 'Stepp {n} of {total}' (did you mean 'Step {n} of {total}'?)",
        ),
        ('"Step {n} of {total}": "Paso {m}"', "uses {m}, which it does not have (it has: {n}, {total})"),
    ],
)
def test_a_wrong_label_is_an_error_at_its_line(tmp_path, labels, message):
    library = library_with(tmp_path, f"labels:\n  es:\n    {labels}\n")
    with pytest.raises(StoryError) as error:
        read_settings(library)
    [problem] = error.value.problems
    assert (problem.line, problem.col) == (3, 5) and message in problem.message


def test_language_names_are_in_their_own_language():
    assert i18n.language_name("es") == "español" and i18n.language_name("ko") == "한국어"
    assert i18n.language_name("es", "en") == "Spanish" and i18n.language_name("xx-unknown") == "xx-unknown"


def test_right_to_left_languages_say_so():
    assert [i18n.direction(tag) for tag in ("ar", "he-IL", "fa", "en", "ko")] == ["rtl"] * 3 + ["ltr"] * 2


def test_storygen_labels_lists_every_label_ready_to_copy(tmp_path, monkeypatch):
    from click.testing import CliRunner

    from storygen.cli import main

    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["labels", "es"])
    assert result.exit_code == 0, result.output
    listed = yaml.safe_load(result.output)  # each line is `"label": "words"`: YAML as it stands
    assert listed["Step {n} of {total}"] == "Paso {n} de {total}"
    assert listed["{count} step"] == ["{count} paso", "{count} pasos"]  # Spanish has two forms
    assert len(listed) == len(i18n.known_labels())
    # every line pasted under `labels: {es: ...}` is a valid label
    (tmp_path / "storygen.yaml").write_text(
        yaml.safe_dump({"labels": {"es": listed}}, allow_unicode=True), encoding="utf-8"
    )
    settings = read_settings(tmp_path)
    assert settings.labels["es"]["Step {n} of {total}"] == "Paso {n} de {total}"
    words = i18n.translations("es", settings.labels_for("es"))
    assert words.gettext("Step %(n)s of %(total)s") == "Paso %(n)s de %(total)s"
    assert words.ngettext("%(count)s step", "%(count)s steps", 2) == "%(count)s pasos"


def test_a_library_changes_an_english_label(tmp_path):
    settings = read_settings(
        library_with(tmp_path, 'labels:\n  en:\n    "Step {n} of {total}": "Step {n} / {total}"\n')
    )
    story = Story.model_validate({**yaml.safe_load(TASK), "language": "en-GB"})
    page = render(story, "story", "screen", settings=settings)
    assert "Step 2 / 3" in page and "Step 2 of 3" not in page and "First, I calm my body" in page


def test_a_catalog_counts_its_plural_forms_as_its_po_file_does():
    """A newer Babel may give a language another number of forms (Spanish: three in Babel 2.19,
    two in the .po): the forms written in the catalog are the ones used."""
    words = i18n.translations("es")
    assert [words.ngettext("%(count)s step", "%(count)s steps", n) for n in (1, 2, 1_000_000)] == [
        "%(count)s paso",
        "%(count)s pasos",
        "%(count)s pasos",
    ]
