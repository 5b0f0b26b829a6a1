"""Every family's language, and no English by surprise: the catalogs storygen ships, a library's
own catalog for a language it does not, the warning when labels print in English, and the
fonts each script prints in."""

from __future__ import annotations

import io

import pytest
from babel.messages.pofile import read_po, write_po
from click.testing import CliRunner

from storygen import i18n
from storygen.build.letters import fallback_font
from storygen.build.stories import build
from storygen.cli import main
from storygen.errors import Severity
from storygen.story.load import load_source
from storygen.story.model import Story
from tests.conftest import pdf_pages_text, pdf_strings

STORY = """\
title: {title}
language: {language}
kind: task
intro: {intro}
steps:
  - {step}
  - {step}
"""
CREOLE = {"title": "Lava mon", "language": "kea", "intro": "N ta lava mon.", "step": "N ta abri agu."}


def library(tmp_path, **story: str):
    tmp_path.mkdir(parents=True, exist_ok=True)
    (tmp_path / "storygen.yaml").write_text("formats: [story]\n", encoding="utf-8")
    (tmp_path / "stories").mkdir()
    (tmp_path / "stories" / "mon.yaml").write_text(STORY.format(**story), encoding="utf-8")
    return tmp_path


def english_count(message: str) -> int:
    """How many labels a warning says print in English: those it quotes and the 'N more'."""
    import re

    listed = message.split(" for ", 1)[1].split(", so they print")[0]
    more = re.search(r" and (\d+) more$", listed)
    return len(re.findall(r"'[^']+'", listed)) + (int(more[1]) if more else 0)


def built(folder) -> tuple[list, str]:
    """The problems of building the library's one story, and its story PDF's text."""
    [outcome] = list(build([folder / "stories"], folder / "build"))
    return outcome.problems, " ".join(pdf_pages_text(folder / "build" / "mon" / "mon.pdf"))


@pytest.mark.parametrize(
    ("tag", "catalog"),
    [
        *[("zh-Hant", "zh_Hant"), ("zh-TW", "zh_Hant"), ("zh-HK", "zh_Hant"), ("zh-Hant-TW", "zh_Hant")],
        *[("zh", "zh"), ("zh-CN", "zh"), ("zh-Hans", "zh"), ("zh-Hans-HK", "zh"), ("fil", "tl"), ("pt-BR", "pt")],
    ],
)
def test_a_tag_reads_the_catalog_of_its_language_and_script(tag, catalog):
    assert i18n.shipped(tag) == catalog


def test_traditional_chinese_prints_traditional_characters():
    made = "Made with storygen."
    assert "製作" in i18n.translations("zh-TW").gettext(made)
    assert "制作" in i18n.translations("zh-CN").gettext(made)


@pytest.mark.parametrize(
    ("language", "counts"),
    [
        ("ru", {1: "1 шаг", 2: "2 шага", 5: "5 шагов", 21: "21 шаг"}),
        ("uk", {1: "1 крок", 3: "3 кроки", 11: "11 кроків"}),
        ("pl", {1: "1 krok", 2: "2 kroki", 5: "5 kroków", 22: "22 kroki"}),
        ("it", {1: "1 passo", 2: "2 passi", 1_000_000: "1000000 passi"}),  # two forms, as gettext (not CLDR's three)
        ("el", {1: "1 βήμα", 2: "2 βήματα"}),
        ("hi", {0: "0 चरण", 1: "1 चरण"}),
        ("ja", {1: "1ステップ", 7: "7ステップ"}),
    ],
)
def test_plural_forms_are_right_for_each_new_language(language, counts):
    words = i18n.translations(language)
    for n, said in counts.items():
        assert words.ngettext("%(count)s step", "%(count)s steps", n) % {"count": n} == said


@pytest.mark.parametrize("language", ["zh_Hant", "ru", "uk", "pl", "it", "ja", "hi", "tl", "ht", "el", "so"])
def test_each_new_catalog_says_the_project_translated_it_and_welcomes_review(language):
    text = (i18n.locale_folder() / language / "LC_MESSAGES" / "storygen.po").read_text(encoding="utf-8")
    assert "Translated by the storygen project" in text.split("msgid")[0]
    assert "corrections are welcome" in text.split("msgid")[0]


def test_a_language_without_a_catalog_warns_at_its_line_naming_the_english_labels(tmp_path):
    problems, text = built(library(tmp_path, **CREOLE))
    [warning] = [p for p in problems if "print in English" in p.message]
    assert warning.severity == Severity.WARNING and (warning.line, warning.col) == (2, 11)  # its `language:`
    assert "'kea' (kabuverdianu)" in warning.message.lower() and "'Present'" in warning.message  # the web page's
    assert english_count(warning.message) > 4
    assert "`storygen labels kea --po`" in warning.hint
    assert "Step 1 of 2" in text  # what the warning said: English on the page


def test_a_shipped_language_prints_without_the_warning(tmp_path):
    problems, text = built(library(tmp_path, **{**CREOLE, "language": "ht"}))
    assert not [p for p in problems if "print in English" in p.message]
    assert "Step 1 of 2" not in text


def test_a_translation_without_a_catalog_warns_at_its_key(tmp_path):
    folder = library(tmp_path, **{**CREOLE, "language": "en", "title": "Hands"})
    path = folder / "stories" / "mon.yaml"
    path.write_text(
        path.read_text(encoding="utf-8")
        + "translations:\n  kea:\n    title: Lava mon\n    intro: N ta lava mon.\n"
        + "    steps: [N ta abri agu., N ta abri agu.]\n",
        encoding="utf-8",
    )
    problems, _text = built(folder)
    [warning] = [p for p in problems if "print in English" in p.message]
    assert (warning.line, warning.col) == (9, 3) and "'kea'" in warning.message


def _translate(path, words: dict[str, str]) -> None:
    catalog = read_po(path.open("rb"))
    for message in catalog:
        if message.id in words:
            message.string = words[message.id]
    stream = io.BytesIO()
    write_po(stream, catalog, width=100)
    path.write_bytes(stream.getvalue())


def test_labels_po_writes_a_catalog_a_translator_fills_and_the_build_prints(tmp_path, monkeypatch):
    folder = library(tmp_path, **CREOLE)
    monkeypatch.chdir(folder)
    result = CliRunner().invoke(main, ["labels", "kea", "--po"])
    assert result.exit_code == 0, result.output
    path = folder / "locale" / "kea.po"
    assert "wrote locale/kea.po" in result.output and path.is_file()
    catalog = read_po(path.open("rb"))
    assert {m.id for m in catalog if m.id} == {m.id for m in i18n.template_catalog() if m.id}  # every message
    assert not any(m.string for m in catalog if m.id and isinstance(m.id, str))  # English is the guide

    [before] = [p for p in built(folder)[0] if "print in English" in p.message]
    _translate(path, {"Step %(n)s of %(total)s": "Pasu %(n)s di %(total)s"})
    problems, text = built(folder)
    assert "Pasu 1 di 2" in text and "Step 1 of 2" not in text
    [after] = [p for p in problems if "print in English" in p.message]
    assert english_count(after.message) == english_count(before.message) - 1  # translated now; the rest still said

    again = CliRunner().invoke(main, ["labels", "kea", "--po"])  # a newer storygen's messages: the translator's kept
    assert again.exit_code == 0 and "1 in Kabuverdianu already" in again.output
    assert read_po(path.open("rb")).get("Step %(n)s of %(total)s").string == "Pasu %(n)s di %(total)s"


def test_a_library_catalog_is_that_library_s_only(tmp_path):
    ours, theirs = library(tmp_path / "ours", **CREOLE), library(tmp_path / "theirs", **CREOLE)
    (ours / "locale").mkdir()
    i18n.write_library_catalog("kea", ours)
    _translate(ours / "locale" / "kea.po", {"Step %(n)s of %(total)s": "Pasu %(n)s di %(total)s"})
    assert "Pasu 1 di 2" in built(ours)[1] and "Step 1 of 2" in built(theirs)[1]


def test_a_catalog_message_with_a_wrong_name_is_a_warning_at_its_line_and_the_rest_prints(tmp_path):
    folder = library(tmp_path, **CREOLE)
    path = i18n.write_library_catalog("kea", folder)[0]
    _translate(
        path,
        {"Step %(n)s of %(total)s": "Pasu %(n)s di %(totl)s", "First, I calm my body": "Purmeru, N ta kalma"},
    )
    [outcome_library, outcome_story] = list(build([folder / "stories"], folder / "build"))
    [wrong] = outcome_library.problems
    line = next(i for i, text in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if "%(totl)s" in text)
    assert wrong.path == path and wrong.line in (line - 1, line) and "{totl}" in wrong.message
    assert wrong.severity == Severity.WARNING and not outcome_story.failed


def test_a_broken_catalog_is_a_warning_and_the_stories_still_build(tmp_path):
    folder = library(tmp_path, **CREOLE)
    (folder / "locale").mkdir()
    (folder / "locale" / "kea.po").write_text('msgid "x"\nmsgstr "y"\nmsgid\n', encoding="utf-8")
    outcomes = list(build([folder / "stories"], folder / "build"))
    assert any("cannot be read" in p.message for o in outcomes for p in o.problems)
    assert (folder / "build" / "mon" / "mon.pdf").is_file()


@pytest.mark.parametrize(
    ("language", "text", "font"),
    [
        ("ru", "Я мою руки.", "Noto Sans"),
        ("el", "Πλένω τα χέρια μου.", "Noto Sans"),
        ("hi", "मैं हाथ धोता हूँ।", "Noto Sans Devanagari"),
        ("vi", "Con rửa tay thật nhẹ nhàng.", "Noto Sans"),  # stacked accents Atkinson Hyperlegible lacks
    ],
)
def test_cyrillic_greek_and_devanagari_print_in_the_bundled_noto_font(tmp_path, language, text, font):
    folder = library(tmp_path, title=text, language=language, intro=text, step=text)
    problems, _text = built(folder)
    assert not [p for p in problems if "fallback" in p.message]
    embedded = pdf_strings(folder / "build" / "mon" / "mon.pdf")
    assert font.replace(" ", "-") in embedded and "DejaVu" not in embedded


def test_letters_in_a_fallback_font_are_a_warning_naming_it_and_what_to_install():
    source = load_source_text("title: Kbilebi\nlanguage: ka\nsteps: [ვიღებ ჯაგრისს.]\n")
    story = Story.model_validate({"title": "Kbilebi", "language": "ka", "steps": ["ვიღებ ჯაგრისს."]})
    warning = fallback_font(source, story, frozenset({"Atkinson Hyperlegible", "DejaVu Sans"}), (("language",), False))
    assert warning is not None and warning.line == 2
    assert "Georgian printed in DejaVu Sans" in warning.message and warning.hint == "install fonts-noto-core"
    latin = Story.model_validate({"title": "Tay", "language": "en", "steps": ["Con rửa tay."]})
    letters = fallback_font(source, latin, frozenset({"Atkinson Hyperlegible", "DejaVu Sans"}), (("language",), False))
    assert letters is not None and letters.message.startswith("letters ử printed in DejaVu Sans")
    chosen = frozenset({"Atkinson Hyperlegible", "Noto Sans Georgian", "Noto Sans CJK JP"})
    assert fallback_font(source, story, chosen, (("language",), False)) is None


def load_source_text(text: str):
    import tempfile
    from pathlib import Path

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "story.yaml"
        path.write_text(text, encoding="utf-8")
        return load_source(path)


def test_a_latin_1_story_is_an_error_at_its_first_bad_letter(tmp_path):
    path = tmp_path / "story.yaml"
    path.write_bytes("title: Going to school\nsteps:\n  - I say hola to Se\xf1ora Ruiz.\n".encode("latin-1"))
    from storygen.errors import StoryError

    with pytest.raises(StoryError) as error:
        load_source(path)
    [problem] = error.value.problems
    assert (problem.line, problem.col) == (3, 21) and "('ñ')" in problem.message and "UTF-8" in problem.hint


def test_a_story_without_defaults_reads_right_after_every_placeholder():
    """The neutral child's favourite thing reads right after $their, my, with (it was 'my toy':
    'their my toy')."""
    from storygen.story.personalise import child_for, fill

    story = Story.model_validate({"title": "Play", "steps": ["x"]})
    child = child_for(story)
    said = [fill(text, child) for text in ("$They {plays|play} with $their $likes.", "I hold my $likes.", "$Likes!")]
    assert said == ["They play with their toys.", "I hold my toys.", "Toys!"]


GENDERED = {
    "es": (
        "$name está {contenta|contento|contente}. {Ella|Él|Elle} juega.",
        ["contenta. Ella", "contento. Él", "contente. Elle"],
    ),
    "fr": (
        "$name est {contente|content|content·e}. {Elle|Il|Iel} joue.",
        ["contente. Elle", "content. Il", "content·e. Iel"],
    ),
    "ar": ("$name {سعيدة|سعيد|سعيدون} في الحديقة.", ["سعيدة", "سعيد", "سعيدون"]),
}


@pytest.mark.parametrize("language", sorted(GENDERED))
@pytest.mark.parametrize(("pronouns", "form"), [("she", 0), ("he", 1), ("they", 2)])
def test_three_forms_follow_the_child_s_gender_in_each_language(language, pronouns, form):
    from storygen.story.model import Defaults
    from storygen.story.personalise import Child, fill

    text, forms = GENDERED[language]
    said = fill(text, Child.of(Defaults(name="Noa", pronouns=pronouns)))
    assert forms[form] in said and not any(
        other in said for i, other in enumerate(forms) if i != form and other not in forms[form]
    )
    assert "|" not in said and "{" not in said


def test_two_forms_still_follow_the_verb_s_subject():
    from storygen.story.model import Defaults
    from storygen.story.personalise import Child, fill

    said = fill("$They {is|are} brave.", Child.of(Defaults(name="Noa", pronouns="she")))
    assert said == "She is brave."


def test_a_child_s_spanish_story_agrees_with_her_and_warns_at_an_english_pronoun(tmp_path):
    folder = library(tmp_path, title="Voy al parque", language="es", intro="Hola.", step="x")
    (folder / "stories" / "mon.yaml").write_text(
        "title: Voy al parque\nlanguage: es\nsteps:\n  - $name está {contenta|contento|contente}.\n  - $They juega.\n",
        encoding="utf-8",
    )
    (folder / "profiles" / "ana").mkdir(parents=True)
    (folder / "profiles" / "ana" / "profile.yaml").write_text("name: Ana\npronouns: she\n", encoding="utf-8")
    outcomes = list(
        build([folder / "stories"], folder / "profiles" / "ana" / "build", profile=folder / "profiles" / "ana")
    )
    [warning] = [p for o in outcomes for p in o.problems if "English pronoun" in p.message]
    assert (warning.line, warning.col) == (5, 5) and "{ella|él|elle}" in warning.hint
    text = " ".join(pdf_pages_text(folder / "profiles" / "ana" / "build" / "mon" / "mon.pdf"))
    assert "Ana está contenta." in text


def test_a_library_in_a_language_without_a_catalog_warns_that_its_catalog_prints_english(tmp_path):
    folder = library(tmp_path, **CREOLE)
    (folder / "storygen.yaml").write_text("formats: [story]\nlanguage: kea\n", encoding="utf-8")
    outcomes = list(build([folder / "stories"], folder / "build"))
    [warning] = [p for o in outcomes if o.library for p in o.problems if "catalog prints them in English" in p.message]
    assert (warning.path.name, warning.line, warning.col) == ("storygen.yaml", 2, 11)
    every = len(i18n.known_labels())
    assert f"for {every} of its {every} labels" in warning.message and "storygen labels kea --po" in warning.hint
    (folder / "storygen.yaml").write_text("formats: [story]\nlanguage: ht\n", encoding="utf-8")
    assert not [p for o in build([folder / "stories"], folder / "build") if o.library for p in o.problems]


def test_a_changed_catalog_builds_again(tmp_path, monkeypatch):
    """Words are in what a build is made from: a library's own catalog (the stories) and
    storygen's shipped ones (its own fingerprint, so the catalog page too)."""
    import shutil

    from storygen.build import incremental

    folder = library(tmp_path / "library", **CREOLE)
    path = i18n.write_library_catalog("kea", folder)[0]
    assert len(list(build([folder / "stories"], folder / "build"))) == 1
    assert [o.skipped for o in build([folder / "stories"], folder / "build")] == [True]
    _translate(path, {"Step %(n)s of %(total)s": "Pasu %(n)s di %(total)s"})
    assert [o.skipped for o in build([folder / "stories"], folder / "build")] == [False]

    package = tmp_path / "package"
    shutil.copytree(i18n.locale_folder(), package / "locale")
    monkeypatch.setattr(incremental, "PACKAGE", package)
    incremental.storygen_hash.cache_clear()
    before = incremental.storygen_hash()
    po = package / "locale" / "es" / "LC_MESSAGES" / "storygen.po"
    po.write_text(po.read_text(encoding="utf-8").replace("Paso", "Pasito"), encoding="utf-8")
    incremental.storygen_hash.cache_clear()
    assert incremental.storygen_hash() != before
    incremental.storygen_hash.cache_clear()
