"""One child's own story: profiles kept out of the shared library, placeholders, the child's
photos, and a profile build that leaves nothing in the shared build."""

from __future__ import annotations

import base64
import io
import os
import re
import shutil
import subprocess
from pathlib import Path
from types import SimpleNamespace

import pytest
from click.testing import CliRunner
from PIL import Image

from storygen.build.stories import build
from storygen.check.engine import check
from storygen.cli import main
from storygen.errors import StoryError, with_hint
from storygen.story.model import Defaults, PronounSet
from storygen.story.open import read_story
from storygen.story.personalise import Child, fill
from storygen.story.profiles import read_profile
from tests.conftest import REPO, pdf_pages_text, pdf_strings

HAIRCUT = """\
title: $name gets a haircut
defaults: {name: Sam, pronouns: they, likes: [toy]}
intro: Sometimes $name needs a haircut.
steps:
  - text: $name walks into the barber shop.
    symbol: barber
    picture: barber
  - $They {sits|sit} in the big chair. $They can hold $their $likes.
  - The barber says $name did a great job. $They {is|are} proud of $themself.
conclusion: $name looks smart!
translations:
  es:
    title: $name se corta el pelo
    intro: A veces $name necesita cortarse el pelo.
    steps:
      - $name entra en la peluquería.
      - Me siento en la silla grande con $likes.
      - El peluquero dice que $name lo hizo muy bien.
    conclusion: ¡$name se ve muy bien!
"""
FIXTURE = REPO / "tests" / "fixtures" / "profiles" / "mia"  # an example profile; its photos carry EXIF and GPS
MIA = (FIXTURE / "profile.yaml").read_text(encoding="utf-8")


def child(pronouns, name="Mia"):
    return Child.of(Defaults(name=name, pronouns=pronouns, likes=["train"]))


@pytest.mark.parametrize(
    ("pronouns", "told"),
    [
        ("she", "Mia walks in. She is brave and she smiles. Her coat is hers. She dresses herself. I see her train."),
        ("he", "Mia walks in. He is brave and he smiles. His coat is his. He dresses himself. I see him train."),
        (
            "they",
            "Mia walks in. They are brave and they smile. Their coat is theirs. They dress themself. I see them train.",
        ),
    ],
)
def test_pronouns_and_verbs_agree_for_she_he_and_they(pronouns, told):
    text = (
        "$name walks in. $They {is|are} brave and $they {smiles|smile}. $Their coat is $theirs. "
        "$they {dresses|dress} $themself. I see $them $likes."
    )
    assert fill(text, child(pronouns)) == told


def test_a_verb_after_the_name_is_singular_whatever_the_pronouns():
    assert fill("$name {is|are} here and $they {is|are} glad.", child("they")) == "Mia is here and they are glad."


def test_a_full_set_of_pronouns_and_a_dollar_sign():
    kai = Child.of(
        Defaults(name="Kai", pronouns=PronounSet(they="xe", them="xem", their="xyr", theirs="xyrs", themself="xemself"))
    )
    assert fill("$they {is|are} here. I see $them. It costs $$2.", kai) == "Xe is here. I see xem. It costs $2."


@pytest.mark.parametrize(
    ("text", "where", "message"),
    [
        ("  - $nmae sits down.\n", (4, 5), "step 2: unknown placeholder '$nmae' (did you mean 'name'?)"),
        ("  - Hello {{ name }}.\n", (4, 11), "step 2: '{{ name }}' is printed as it stands; write $name"),
        ("  - Hello {name}.\n", (4, 11), "step 2: '{name}' is printed as it stands; write $name"),
    ],
)
def test_a_wrong_placeholder_is_an_error_at_its_place(tmp_path, text, where, message):
    path = tmp_path / "story.yaml"
    path.write_text(f"title: Hello\nsteps:\n  - I wave.\n{text}", encoding="utf-8")
    with pytest.raises(StoryError) as error:
        read_story(path)
    [problem] = error.value.problems
    assert (problem.line, problem.col) == where and with_hint(problem.message, problem.hint).startswith(message)


def haircut_library(folder: Path) -> Path:
    """A library with the haircut story (and `storygen init`'s own)."""
    runner = CliRunner()
    assert runner.invoke(main, ["init", str(folder)]).exit_code == 0
    (folder / "storygen.yaml").write_text("name: Clinic\nformats: [story, cards]\n", encoding="utf-8")
    (folder / "stories" / "haircut.yaml").write_text(HAIRCUT, encoding="utf-8")
    return folder


@pytest.fixture
def library(tmp_path):
    """A library with the haircut story."""
    return haircut_library(tmp_path)


def add_mia(library, profile=MIA):
    folder = library / "profiles" / "mia"
    shutil.copytree(FIXTURE, folder, dirs_exist_ok=True)
    (folder / "profile.yaml").write_text(profile, encoding="utf-8")
    return folder


def snapshot(folder: Path) -> dict[Path, bytes]:
    return {p.relative_to(folder): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


@pytest.fixture(scope="module")
def told(tmp_path_factory):
    """The builds three tests look at, made once (a build of the library takes seconds): the library
    built for everyone into shared/ (build()); then Mia's profile added, her stories built
    (`storygen build --profile profiles/mia`) and the shared library built again beside her profile
    (`storygen build -q`, into build/), both from the library's folder."""
    library = haircut_library(tmp_path_factory.mktemp("told"))
    outcomes = list(build([library / "stories"], library / "shared"))
    before = snapshot(library / "shared")
    add_mia(library)
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(library)
        for_mia = CliRunner().invoke(main, ["build", "--profile", "profiles/mia"])
        shared = CliRunner().invoke(main, ["build", "-q"])
    return SimpleNamespace(library=library, outcomes=outcomes, before=before, for_mia=for_mia, shared=shared)


def test_the_shared_build_tells_the_story_about_its_defaults(told):
    assert not any(o.failed for o in told.outcomes)
    text = " ".join(pdf_pages_text(told.library / "shared" / "haircut" / "haircut.pdf"))
    assert "Sam walks into the barber shop." in text and "They sit in the big chair. They can hold their toy." in text
    assert "$" not in text and "{" not in text


def test_a_profile_build_tells_the_child_story_and_the_shared_build_never_knows(told):
    library, mia = told.library, told.library / "profiles" / "mia"
    assert told.for_mia.exit_code == 0, told.for_mia.output
    told_text = " ".join(pdf_pages_text(mia / "build" / "haircut" / "haircut.pdf"))
    assert (
        "Mia walks into the barber shop." in told_text
        and "She sits in the big chair. She can hold her train." in told_text
    )
    assert (mia / "build" / "index.html").is_file() and "Mia gets a haircut" in (
        mia / "build" / "index.html"
    ).read_text()
    from pypdf import PdfReader

    for pdf in (mia / "build").rglob("*.pdf"):  # PDF metadata holds no child's name
        assert "Mia" not in str(PdfReader(pdf).metadata), pdf
    html = (mia / "build" / "haircut" / "haircut.html").read_text()
    photos = re.findall(r'src="data:image/jpeg;base64,([^"]+)"', html)
    assert len(photos) == 2  # her cover and her barber
    for encoded in photos:  # cleaned like any photo: no EXIF, no GPS
        with Image.open(io.BytesIO(base64.b64decode(encoded))) as image:
            assert not image.getexif()
    # the shared library built again, with Mia's profile (and her build) beside it: the same bytes
    assert told.shared.exit_code == 0, told.shared.output
    after = snapshot(library / "build")
    assert after.keys() == told.before.keys() and all(after[name] == told.before[name] for name in told.before)
    for name, content in after.items():  # nothing of hers: not her name, not her photos' names
        held = pdf_strings(library / "build" / name) if name.suffix == ".pdf" else content.decode("utf-8", "replace")
        assert "Mia" not in held and "mia-waving" not in held and "mia" not in str(name), name


def test_a_profile_build_in_the_child_language(library, monkeypatch):
    add_mia(library, MIA + "language: es\n")
    monkeypatch.chdir(library)
    assert CliRunner().invoke(main, ["build", "--profile", "profiles/mia", "-q"]).exit_code == 0
    told = " ".join(pdf_pages_text(library / "profiles" / "mia" / "build" / "haircut" / "haircut.pdf"))
    assert "Mia entra en la peluquería." in told and "Paso" not in told  # a social story: no step labels
    assert not (library / "profiles" / "mia" / "build" / "haircut" / "es").exists()


def test_changing_a_photo_rebuilds_only_the_stories_that_show_it(library):
    mia = add_mia(library)
    (library / "stories" / "wave.yaml").write_text("title: I wave\nsteps: [$name waves.]\n", encoding="utf-8")
    first = {o.path.stem: o for o in build([library / "stories"], mia / "build", profile=mia)}
    assert not any(o.failed for o in first.values()) and not any(o.skipped for o in first.values())
    Image.new("RGB", (400, 300), "orange").save(mia / "photos" / "barber.jpg")
    again = {o.path.stem: o for o in build([library / "stories"], mia / "build", profile=mia)}
    assert not again["haircut"].skipped and again["wave"].skipped and again["my-first-story"].skipped
    (mia / "profile.yaml").write_text(MIA.replace("name: Mia", "name: Mia Rose"), encoding="utf-8")
    renamed = {o.path.stem: o for o in build([library / "stories"], mia / "build", profile=mia)}
    assert not any(o.skipped for o in renamed.values())  # her profile changed: every story is told again


def test_a_child_stories_and_the_shared_build_never_share_a_folder(told, monkeypatch):
    library = told.library
    monkeypatch.chdir(library)
    assert told.shared.exit_code == 0, told.shared.output  # `storygen build -q`: the shared build, in build/
    into_shared = CliRunner().invoke(main, ["build", "--profile", "profiles/mia", "-o", "build"])
    assert into_shared.exit_code == 1 and "holds the shared library's build" in into_shared.output
    assert not (library / "build" / ".storygen" / "private").exists()
    assert told.for_mia.exit_code == 0, told.for_mia.output  # her own build, in profiles/mia/build
    into_child = CliRunner().invoke(main, ["build", "-o", "profiles/mia/build"])
    assert into_child.exit_code == 1 and "holds a child's stories" in into_child.output


@pytest.mark.parametrize(
    ("profile", "where", "message"),
    [
        (MIA.replace("pronouns:", "pronoun:"), (4, 1), "unknown key 'pronoun' (did you mean 'pronouns'?)"),
        (MIA.replace("pronouns: she", "pronouns: shee"), (4, 11), "'shee' is not a valid"),
        (MIA.replace("photos/barber.jpg", "../../stories/x.jpg"), (7, 11), "is outside the profile's folder"),
        (MIA.replace("photos/barber.jpg", "photos/missing.jpg"), (7, 11), "was not found"),
    ],
)
def test_a_profile_is_checked_like_a_story(library, profile, where, message):
    folder = add_mia(library, profile)
    with pytest.raises(StoryError) as error:
        read_profile(folder)
    [problem] = error.value.problems
    assert (problem.line, problem.col) == where and message in problem.message


def test_profile_new_writes_a_commented_starter_and_never_overwrites(library, monkeypatch):
    monkeypatch.chdir(library)
    result = CliRunner().invoke(main, ["profile", "new", "Mia"])
    assert result.exit_code == 0, result.output
    profile, pictures = read_profile(library / "profiles" / "mia")
    assert profile.name == "Mia" and profile.pronouns == "they" and pictures == {}
    assert (library / "profiles" / "mia" / "photos").is_dir()
    again = CliRunner().invoke(main, ["profile", "new", "Mia"])
    assert again.exit_code == 1 and "already exists" in again.output


def test_profiles_are_never_read_as_stories_and_must_be_git_ignored(library):
    add_mia(library)
    found = {path.name: findings for path, findings in check([library])}
    assert "profile.yaml" not in found and ".gitignore" not in found  # storygen init ignores profiles/
    (library / ".gitignore").write_text("build/\n", encoding="utf-8")
    found = {path.name: findings for path, findings in check([library / "stories"])}
    [warning] = found[".gitignore"]
    assert warning.code == "PRV001" and warning.severity == "warning"


def test_picture_likes_shows_the_child_favourite_thing(tmp_path):
    from storygen.story.personalise import child_for, personalise

    path = tmp_path / "story.yaml"
    path.write_text(
        "title: Waiting\ndefaults: {name: Sam, likes: [ball]}\nsteps:\n"
        "  - text: I hold my $likes while I wait.\n    picture: likes\n",
        encoding="utf-8",
    )
    story = read_story(path)
    assert personalise(story, child_for(story)).steps[0].symbol == "mulberry:ball"
    mia = Child.of(Defaults(name="Mia", likes=["train"]))
    assert personalise(story, mia).steps[0].symbol == "mulberry:train"
    photo = tmp_path / "train.jpg"
    Image.new("RGB", (40, 30), "red").save(photo)
    with_photo = Child.of(Defaults(name="Mia", likes=["train"]), {"train": photo})
    told = personalise(story, with_photo).steps[0]
    assert (told.image, told.symbol, told.text) == (photo, None, "I hold my train while I wait.")


def test_a_profile_outside_the_library_is_refused(library, tmp_path_factory):
    elsewhere = tmp_path_factory.mktemp("elsewhere") / "mia"
    shutil.copytree(FIXTURE, elsewhere)
    [outcome] = [o for o in build([library / "stories" / "haircut.yaml"], elsewhere / "build", profile=elsewhere)]
    assert outcome.failed and "must be in the library's profiles/ folder" in outcome.problems[0].message


# -- profiles through a link ---------------------------------------------------------------


def files(root):
    """Every folder, file and link under root, links not followed, with each file's content."""
    found = {}
    for folder, names, others in os.walk(root):
        for name in names + others:
            path = Path(folder) / name
            found[str(path.relative_to(root))] = path.read_bytes() if path.is_file() and not path.is_symlink() else None
    return found


@pytest.fixture(params=["outside", "tracked"])
def linked(request, library, tmp_path_factory):
    """The library's profiles/ a link: to a folder outside the library, or to a folder git tracks."""
    target = tmp_path_factory.mktemp("outside") if request.param == "outside" else library / "assets" / "kids"
    shutil.copytree(FIXTURE, target / "mia")
    (library / "stories" / "coat.yaml").write_text("title: My coat\nkind: task\nsteps: [Coat on., Zip up.]\n")
    (library / "profiles").symlink_to(target, target_is_directory=True)
    return library, target


def test_every_command_refuses_profiles_through_a_link_and_writes_nothing(linked, monkeypatch):
    from storygen.serve import Library

    library, target = linked
    monkeypatch.chdir(library)
    before = (files(library), files(target))
    for command, typed in [
        (["profile", "new", "Zoe"], ""),
        (["build", "--profile", "profiles/mia", "--format", "story"], ""),
        (["record", "profiles/mia", "coat", "--date", "2026-12-07"], "I\nI\nnote\n"),
        (["progress", "profiles/mia"], ""),
    ]:
        result = CliRunner().invoke(main, command, input=typed)
        assert result.exit_code == 1, (command, result.output)
        assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
        assert f"profiles:1:1: this is a link (to {target})" in result.output, (command, result.output)
        assert "replace the link with the real folder" in result.output
        assert (files(library), files(target)) == before, command
    assert Library([library / "stories"]).profiles(library / "stories" / "haircut.yaml") == {}
    found = {path.name: findings for path, findings in check([library / "stories"])}
    assert [f.code for f in found[".gitignore"]] == ["PRV001"]  # git shares the link and what it leads to


@pytest.mark.parametrize("link", ["mia", "mia/data", "mia/data/coat.csv", "mia/profile.yaml", "mia/build"])
def test_a_link_inside_profiles_is_refused_too(library, tmp_path_factory, link):
    from storygen.story.profiles import profile_folder

    mia = add_mia(library)
    (library / "stories" / "coat.yaml").write_text("title: My coat\nkind: task\nsteps: [Coat on., Zip up.]\n")
    (mia / "data" / "coat.csv").write_text("date,1,2\n2026-12-01,I,V\n")
    (mia / "build").mkdir()
    elsewhere = tmp_path_factory.mktemp("elsewhere") / "x"
    shutil.move(library / "profiles" / link, elsewhere)
    (library / "profiles" / link).symlink_to(elsewhere)
    with pytest.raises(StoryError, match=r"this is a link \(to .*\)") as raised:
        profile_folder(mia)
    assert raised.value.problems[0].path == library / "profiles" / link
    before = files(library)
    result = CliRunner().invoke(main, ["record", str(mia), "coat"], input="I\nI\n\n")
    assert result.exit_code == 1 and "this is a link" in result.output and files(library) == before


def test_a_profile_must_be_in_a_librarys_profiles_folder(library, tmp_path, monkeypatch):
    from storygen.story.profiles import profile_folder

    add_mia(library)
    assert profile_folder(library / "stories" / ".." / "profiles" / "mia") == library / "profiles" / "mia"
    with pytest.raises(StoryError, match="must be in the library's profiles/ folder"):
        profile_folder(library / "stories")
    (library / "storygen.yaml").unlink()
    with pytest.raises(StoryError, match="there is no storygen\\.yaml here"):
        profile_folder(library / "profiles" / "mia")
    nowhere = tmp_path / "nowhere"
    nowhere.mkdir()
    monkeypatch.chdir(nowhere)
    result = CliRunner().invoke(main, ["profile", "new", "Zoe"])
    assert result.exit_code == 1 and "storygen init" in result.output and not list(nowhere.iterdir())


def git(library, *command):
    subprocess.run(["git", "-C", str(library), *command], check=True, capture_output=True)


@pytest.mark.parametrize(
    ("ignore", "tracked", "warned"),
    [
        ("profiles/\n", False, False),
        ("profiles/\n!profiles/\n", False, True),  # a `!` line undoes it: reading lines said ignored
        ("profiles/*\n", False, False),
        ("profiles/\n", True, True),  # committed before it was ignored: git shares it anyway
    ],
)
def test_git_is_asked_whether_profiles_are_ignored(library, ignore, tracked, warned):
    add_mia(library)
    git(library, "init", "-q")
    (library / ".gitignore").write_text(ignore, encoding="utf-8")
    if tracked:
        git(library, "add", "-f", "profiles/mia/profile.yaml")
    found = {path.name: findings for path, findings in check([library / "stories"])}
    assert [f.code for f in found.get(".gitignore", [])] == (["PRV001"] if warned else [])
