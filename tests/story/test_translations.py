"""One story, many languages: translations in the story file, built into build/<id>/<lang>/,
right to left where the language is, with a real font for every script."""

from __future__ import annotations

import json
import re
import shutil

import pytest
import yaml
from click.testing import CliRunner

from storygen.build.stories import build
from storygen.check.engine import check_story
from storygen.cli import main
from storygen.errors import Severity, StoryError
from storygen.pages.render import keep_words, render
from storygen.story.load import load_source
from storygen.story.open import read_story, validate
from storygen.story.translate import check_translations, translate
from tests.conftest import classed_boxes, pdf_pages_text

STORY = """\
title: Having my blood taken
kind: task
intro: Sometimes I have my blood taken.
calm: [Three slow breaths]
steps:
  - text: A nurse will put a band on my arm.
    symbol: nurse
    feel: The band feels tight.
  - text: I hold still.
    steps: [I look at my toy, I count to five]
  - I get a plaster.
conclusion: I did it!
translations:
  es:
    title: Me van a sacar sangre
    intro: A veces me sacan sangre.
    calm: [Tres respiraciones lentas]
    steps:
      - text: Una enfermera me pondrá una banda en el brazo.
        feel: La banda aprieta.
      - text: Me quedo quieto.
        steps: [Miro mi juguete, Cuento hasta cinco]
      - Me ponen una tirita.
    conclusion: ¡Lo logré!
  ko:
    title: 피 검사
    intro: 가끔 피 검사를 해요.
    calm: [천천히 세 번 숨쉬기]
    steps:
      - text: 간호사가 내 팔에 밴드를 감을 거예요.
        feel: 밴드가 꽉 조여요.
      - text: 가만히 있어요.
        steps: [장난감을 봐요, 다섯까지 세요]
      - 밴드를 붙여요.
    conclusion: 해냈어요!
  ar:
    title: سحب الدم
    intro: أحيانًا يسحبون دمي.
    calm: [ثلاثة أنفاس بطيئة]
    steps:
      - text: ستضع الممرضة رباطًا على ذراعي.
        feel: الرباط ضيق.
      - text: أبقى ساكنًا.
        steps: [أنظر إلى لعبتي, أعدّ حتى خمسة]
      - أحصل على لاصقة.
    conclusion: لقد فعلتها!
"""
FILES = ["blood.pdf", "blood.html", "blood-strip.pdf", "blood-cards.pdf", "blood-booklet.pdf", "blood-guide.pdf"]
FORMATS = ["story", "booklet", "strip", "cards", "guide"]


@pytest.fixture(scope="session")
def translated(tmp_path_factory):
    """The story built once in its four languages: (outcome, library folder)."""
    library = tmp_path_factory.mktemp("translated")
    (library / "storygen.yaml").write_text("name: Clinic\n", encoding="utf-8")
    (library / "stories").mkdir()
    (library / "stories" / "blood.yaml").write_text(STORY, encoding="utf-8")
    [outcome] = build([library / "stories"], library / "build", formats=FORMATS)
    return outcome, library


def story_file(tmp_path, text: str):
    path = tmp_path / "story.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_a_translation_replaces_the_words_and_keeps_the_pictures_and_structure(tmp_path):
    story = read_story(story_file(tmp_path, STORY))
    spanish = translate(story, "es")
    assert spanish.language == "es" and spanish.title == "Me van a sacar sangre" and spanish.kind == "task"
    assert [s.text for s in spanish.steps[1].steps] == ["Miro mi juguete", "Cuento hasta cinco"]
    assert spanish.steps[0].feel == "La banda aprieta." and spanish.calm[0].text == "Tres respiraciones lentas"
    assert [s.symbol for s in spanish.steps] == [s.symbol for s in story.steps]  # the pictures are the story's
    assert spanish.steps[0].alt == "Una enfermera me pondrá una banda en el brazo."  # not the symbol's English name
    assert translate(story, "en") == story.model_copy(update={"translations": {}})


def test_an_untranslated_field_is_a_warning_naming_it_and_prints_the_story_words(tmp_path):
    text = STORY.replace("        feel: La banda aprieta.\n", "").replace("    conclusion: ¡Lo logré!\n", "")
    path = story_file(tmp_path, text)
    story = validate(load_source(path))
    problems = check_translations(story, load_source(path))
    assert [(p.severity, p.line, p.message, p.hint) for p in problems] == [
        (Severity.WARNING, 14, "es: the conclusion is not translated", "the story's own words are printed"),
        (Severity.WARNING, 19, "es: step 1: `feel` is not translated", "it prints 'The band feels tight.'"),
    ]
    assert translate(story, "es").steps[0].feel == "The band feels tight."
    findings = [(f.code, f.line) for f in check_story(path).findings if f.code == "TRN001"]
    assert findings == [("TRN001", 15), ("TRN001", 19)]  # inside `es:`, and at the step


@pytest.mark.parametrize(
    ("change", "where", "message"),
    [
        (  # a step too many: at the first one too many
            ("      - Me ponen una tirita.\n", "      - Me ponen una tirita.\n      - Me voy a casa.\n"),
            (24, 9),
            "es: 4 steps here, but the story has 3; remove this one and those after it, or add them to the story",
        ),
        (  # a step too few: at the translation's `steps:`
            ("      - Me ponen una tirita.\n", ""),
            (18, 5),
            "es: 2 steps here, but the story has 3; translate step 3 too, in the story's order",
        ),
        (  # a sub-step too few
            ("[Miro mi juguete, Cuento hasta cinco]", "[Miro mi juguete]"),
            (22, 9),
            "es: step 2: 1 sub-step here, but the story has 2; translate sub-step 2 too, in the story's order",
        ),
        (  # words for a part the story does not have
            ("      - Me ponen una tirita.\n", "      - text: Me ponen una tirita.\n        feel: Pica un poco.\n"),
            (24, 9),
            "es: step 3: the story has no `feel` here; remove it, or add it to the story",
        ),
        (  # a key no translation has
            ("    title: Me van a sacar sangre\n", "    titel: Me van a sacar sangre\n"),
            (15, 5),
            "unknown key 'titel' (did you mean 'title'?)",
        ),
    ],
)
def test_a_translation_of_another_shape_is_an_error_at_its_line(tmp_path, change, where, message):
    path = story_file(tmp_path, STORY.replace(*change))
    with pytest.raises(StoryError) as error:
        read_story(path)
    assert [f"{p.message}; {p.hint}" if p.hint else p.message for p in error.value.problems] == [message]
    assert [(p.line, p.col) for p in error.value.problems] == [where]


def test_a_translation_into_the_story_own_language_is_an_error(tmp_path):
    with pytest.raises(StoryError, match="the story is already in 'en'"):
        read_story(story_file(tmp_path, STORY.replace("  ko:\n", "  en:\n")))


def test_every_language_is_built_into_its_own_folder_with_the_same_names(translated):
    outcome, library = translated
    assert not outcome.failed, outcome.problems
    folder = library / "build" / "blood"
    for language in ("", "es", "ko", "ar"):
        assert sorted(p.name for p in (folder / language).iterdir() if p.is_file()) == sorted(FILES)
    assert "Me van a sacar sangre" in pdf_pages_text(folder / "es" / "blood.pdf")[0]
    assert "Having my blood taken" in pdf_pages_text(folder / "blood.pdf")[0]
    manifest = json.loads((library / "build" / ".storygen" / "manifest.json").read_text())
    assert sorted(manifest["stories"]["blood"]["outputs"]) == sorted(
        f"{lang}{name}" for lang in ("", "es/", "ko/", "ar/") for name in FILES
    )


def test_each_language_speaks_its_own_words(translated):
    _, library = translated
    folder = library / "build" / "blood"
    spanish = (folder / "es" / "blood.html").read_text(encoding="utf-8")
    assert '<html lang="es" dir="ltr">' in spanish and "Paso 1 de 3" in spanish and "Step 1 of 3" not in spanish
    arabic = (folder / "ar" / "blood.html").read_text(encoding="utf-8")
    assert '<html lang="ar" dir="rtl">' in arabic and "الخطوة 1 من 3" in arabic
    korean = " ".join(pdf_pages_text(folder / "ko" / "blood.pdf")).replace("\u2060", "")
    assert "간호사가 내 팔에 밴드를 감을 거예요." in korean and "3단계 중 1단계" in korean


def test_every_script_prints_with_a_real_font_and_a_small_subset(translated):
    from pypdf import PdfReader

    _, library = translated
    folder = library / "build" / "blood"

    def fonts(path):
        names = set()
        for page in PdfReader(path).pages:
            for font in page["/Resources"]["/Font"].values():
                names.add(str(font.get_object()["/BaseFont"]).split("+")[-1])
        return names

    assert any(name.startswith("Noto-Sans-CJK-KR") for name in fonts(folder / "ko" / "blood.pdf"))
    assert any(name.startswith("Noto-Sans-Arabic") for name in fonts(folder / "ar" / "blood.pdf"))
    assert (folder / "ko" / "blood.pdf").stat().st_size < 1_000_000  # the glyphs it uses, not the whole font


def laid_out(html: str):
    """The first page of printed HTML, laid out: its boxes, to look at where things are."""
    from weasyprint import HTML

    from storygen.pages.assets import asset_folders
    from storygen.pages.pdf import LibraryFetcher

    return (
        HTML(string=html, url_fetcher=LibraryFetcher(asset_folders()[0], asset_folders())).render().pages[0]._page_box
    )


def test_korean_keeps_its_words_whole_when_a_line_breaks():
    from storygen.story.model import Story

    text = "간호사가 내 팔에 밴드를 감을 거예요. 가만히 있고 다섯까지 세요. 그리고 밴드를 붙여요."
    story = Story.model_validate({"title": "피 검사", "language": "ko", "steps": [text]})
    html = render(story, "strip", "print")
    assert "간\u2060호\u2060사\u2060가" in html and "<title>피 검사" in html  # joined in the body only
    lines = [
        "".join(t.text for t in box.descendants() if type(t).__name__ == "TextBox").replace("\u2060", "").strip()
        for classes, box in classed_boxes(laid_out(html))
        if type(box).__name__ == "LineBox" and "tile-label" in classes
    ]
    assert len(lines) > 1  # the label wraps
    words = text.split()
    assert all(set(line.split()) <= set(words) for line in lines), lines  # every line holds whole words
    assert keep_words("<head>가나</head><body>가나 다</body>") == "<head>가나</head><body>가\u2060나 다</body>"


def test_right_to_left_stories_read_from_the_right(translated):
    _, library = translated
    story = translate(read_story(library / "stories" / "blood.yaml"), "ar")
    for name in ("strip", "cards", "tracker"):
        outermost: dict = {}  # each step's own box, not the lines inside it
        for _classes, box in classed_boxes(laid_out(render(story, name, "print"))):
            if getattr(box, "element", None) is not None and box.element.get("id", "").startswith("step-"):
                outermost.setdefault(box.element.get("id"), box)
        boxes = outermost.values()
        top = min(box.position_y for box in boxes)
        first_row = sorted((box for box in boxes if box.position_y == top), key=lambda box: -box.position_x)
        assert [box.element.get("id") for box in first_row][:2] == ["step-1", "step-2"], name  # from the right


def test_a_right_to_left_booklet_is_bound_on_the_right(translated):
    from pypdf import PdfReader

    _, library = translated
    folder = library / "build" / "blood"

    def cover_on_the_left(path):
        content = PdfReader(path).pages[0].get_contents().get_data().decode()
        placed = {
            name: float(x) for x, name in re.findall(r"q [\d.]+ 0 0 [\d.]+ ([\d.]+) [\d.]+ cm (/P\d+) Do", content)
        }
        return placed["/P1"] < 10  # drawn on the sheet's left half

    assert cover_on_the_left(folder / "ar" / "blood-booklet.pdf")
    assert not cover_on_the_left(folder / "blood-booklet.pdf")


def test_the_catalog_lists_the_story_once_with_each_language(translated):
    _, library = translated
    index = (library / "build" / "index.html").read_text(encoding="utf-8")
    assert index.count('class="story"') == 1
    for language, name in (("es", "español"), ("ko", "한국어"), ("ar", "العربية")):
        assert (
            f'<span class="language" lang="{language}" dir="{"rtl" if language == "ar" else "ltr"}">{name}</span>:'
            in index
        )
        assert f'href="blood/{language}/blood.pdf"' in index
    assert 'href="blood/blood.pdf"' in index and "피 검사" in index
    catalog = " ".join(pdf_pages_text(library / "build" / "catalog.pdf"))
    assert "blood/es/" in catalog and "Me van a sacar sangre" in catalog


def test_language_builds_only_the_languages_asked_for(tmp_path):
    (tmp_path / "stories").mkdir()
    (tmp_path / "stories" / "blood.yaml").write_text(STORY, encoding="utf-8")
    (tmp_path / "stories" / "plain.yaml").write_text("title: Plain\nsteps: [I wave.]\n", encoding="utf-8")
    result = CliRunner().invoke(
        main,
        ["build", str(tmp_path / "stories"), "-o", str(tmp_path / "out"), "--format", "strip", "--language", "es,ko"],
    )
    assert result.exit_code == 0, result.output
    built = sorted(p.relative_to(tmp_path / "out").as_posix() for p in (tmp_path / "out").rglob("*.pdf"))
    assert built == ["blood/es/blood-strip.pdf", "blood/ko/blood-strip.pdf", "catalog.pdf"]
    assert "not built: the story has no translation into es, ko (it has en)" in result.output
    wrong = CliRunner().invoke(main, ["build", str(tmp_path / "stories"), "--language", "spanish!"])
    assert wrong.exit_code == 2 and "'spanish!' is not a language code" in wrong.output


def test_a_translation_taken_out_of_the_story_takes_its_outputs_with_it(tmp_path):
    (tmp_path / "blood.yaml").write_text(STORY, encoding="utf-8")
    list(build([tmp_path / "blood.yaml"], tmp_path / "out", formats=["strip"]))
    assert (tmp_path / "out" / "blood" / "ko" / "blood-strip.pdf").is_file()
    story = yaml.safe_load(STORY)
    del story["translations"]["ko"]
    (tmp_path / "blood.yaml").write_text(yaml.safe_dump(story, allow_unicode=True), encoding="utf-8")
    [outcome] = build([tmp_path / "blood.yaml"], tmp_path / "out", formats=["strip"])
    assert not outcome.failed and not (tmp_path / "out" / "blood" / "ko").exists()
    assert (tmp_path / "out" / "blood" / "es" / "blood-strip.pdf").is_file()
    shutil.rmtree(tmp_path / "out" / "blood" / "es")  # an output gone: built again
    [outcome] = build([tmp_path / "blood.yaml"], tmp_path / "out", formats=["strip"])
    assert not outcome.skipped and (tmp_path / "out" / "blood" / "es" / "blood-strip.pdf").is_file()


def test_list_shows_the_languages_in_aligned_columns_for_wide_letters(tmp_path):
    (tmp_path / "blood.yaml").write_text(
        STORY.replace("title: Having my blood taken", "title: 피 검사 이야기"), encoding="utf-8"
    )
    (tmp_path / "plain.yaml").write_text("title: Plain\nsteps: [I wave.]\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["list", str(tmp_path)])
    assert result.exit_code == 0, result.output
    from storygen.library import columns

    lines = result.output.splitlines()
    assert "en, es, ko, ar" in lines[1]
    starts = [
        columns(line[: line.index("task" if "task" in line else "social" if "social" in line else "kind")])
        for line in lines
    ]
    assert len(set(starts)) == 1, lines  # the kind column starts at the same place on every line


def test_check_reads_a_translation_in_its_own_language(tmp_path):
    story = """\
title: At the dentist
intro: Sometimes I go to the dentist.
steps:
  - I sit in the big chair.
  - The dentist counts my teeth.
conclusion: Then the visit is done.
translations:
  es:
    title: En el dentista
    intro: A veces voy al dentista.
    steps:
      - Siempre me siento en la silla grande.
      - El dentista cuenta mis dientes.
    conclusion: Luego la visita termina.
"""
    [finding] = [f for f in check_story(story_file(tmp_path, story)).findings if f.code == "SOC006"]
    assert (finding.line, finding.col) == (12, 9)  # at the word, in the translation
    assert finding.message == "es: 'Siempre' is an absolute that may not hold" and "normalmente" in finding.hint
    english = [
        f for f in check_story(story_file(tmp_path, story.replace("Siempre me", "Me"))).findings if f.code == "SOC006"
    ]
    assert english == []
