"""Stories are untrusted: no file outside the library, no network, no template code."""

from pathlib import Path

import pytest
from PIL import Image
from pypdf import PdfReader

from storygen.build.stories import build
from storygen.errors import StoryError
from storygen.pages.assets import asset_folders
from storygen.pages.render import render_story
from storygen.story.open import read_story
from tests.conftest import pdf_strings


def story_with_image(folder: Path, image: str, name: str = "story") -> Path:
    path = folder / f"{name}.yaml"
    path.write_text(f"title: Pictures\nsteps:\n  - text: Look.\n    image: {image}\n", encoding="utf-8")
    return path


def only_problem(path: Path) -> str:
    with pytest.raises(StoryError) as caught:
        read_story(path)
    [problem] = caught.value.problems
    return str(problem)


def test_image_path_out_of_the_library_is_refused(tmp_path):
    message = only_problem(story_with_image(tmp_path, "../../etc/passwd"))
    assert ":4:12: step 1: image '../../etc/passwd' is outside the story's library folder" in message


def test_absolute_and_url_image_paths_are_refused(tmp_path):
    assert "relative to the story file" in only_problem(story_with_image(tmp_path, "/etc/passwd"))
    assert "relative to the story file" in only_problem(story_with_image(tmp_path, "file:///etc/passwd", "url"))
    assert "relative to the story file" in only_problem(story_with_image(tmp_path, "http://example.com/a.png", "web"))


def test_symlink_out_of_the_library_is_refused(tmp_path):
    outside, library = tmp_path / "outside", tmp_path / "library"
    outside.mkdir(), library.mkdir()
    Image.new("RGB", (10, 10), "red").save(outside / "secret.png")
    (library / "photo.png").symlink_to(outside / "secret.png")
    message = only_problem(story_with_image(library, "photo.png"))
    assert "image 'photo.png' is outside the story's library folder" in message


def test_symlink_inside_the_library_is_fine(tmp_path):
    Image.new("RGB", (10, 10), "red").save(tmp_path / "real.png")
    (tmp_path / "link.png").symlink_to(tmp_path / "real.png")
    assert read_story(story_with_image(tmp_path, "link.png")).steps[0].image == tmp_path / "real.png"


def test_library_root_is_the_folder_with_storygen_yaml(tmp_path):
    (tmp_path / "storygen.yaml").write_text("name: Clinic\n")
    (tmp_path / "assets").mkdir(), (tmp_path / "stories").mkdir()
    Image.new("RGB", (10, 10), "blue").save(tmp_path / "assets" / "sink.png")
    story = read_story(story_with_image(tmp_path / "stories", "../assets/sink.png"))
    assert story.steps[0].image == tmp_path / "assets" / "sink.png"


def test_not_a_picture_is_refused(tmp_path):
    (tmp_path / "notes.txt").write_text("hello")
    (tmp_path / "broken.png").write_bytes(b"not a png")
    assert "not a JPEG, PNG, GIF, WebP or SVG" in only_problem(story_with_image(tmp_path, "notes.txt"))
    assert "cannot be read as a picture" in only_problem(story_with_image(tmp_path, "broken.png", "broken"))


@pytest.mark.weasyprint_warnings
@pytest.mark.parametrize("target", ["file:///etc/passwd", "OUTSIDE_PNG", "http://127.0.0.1:9/x.png"])
def test_svg_references_outside_the_library_embed_nothing(tmp_path, target):
    library, outside = tmp_path / "library", tmp_path / "outside"
    library.mkdir(), outside.mkdir()
    Image.new("RGB", (40, 40), "green").save(outside / "secret.png")
    href = (outside / "secret.png").as_uri() if target == "OUTSIDE_PNG" else target
    (library / "evil.svg").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 72 72" width="72" height="72">'
        f'<image href="{href}" width="72" height="72"/><circle cx="36" cy="36" r="20"/></svg>'
    )
    [outcome] = build([story_with_image(library, "evil.svg")], tmp_path / "build")
    assert not outcome.failed
    assert outcome.problems == []  # the SVG is cleaned first: its link never reaches the fetcher
    reader = PdfReader(tmp_path / "build" / "story" / "story.pdf")
    assert all(len(page.images) == 0 for page in reader.pages)
    assert "root:x:0:0" not in pdf_strings(tmp_path / "build" / "story" / "story.pdf")  # decoded, not raw bytes
    assert "/EmbeddedFiles" not in str(reader.trailer["/Root"].get("/Names", {}))


def test_fetcher_refuses_escapes_and_other_schemes(tmp_path):
    from storygen.pages.pdf import LibraryFetcher

    (tmp_path / "lib").mkdir()
    (tmp_path / "lib" / "ok.svg").write_text("<svg xmlns='http://www.w3.org/2000/svg'/>")
    (tmp_path / "secret.txt").write_text("secret")
    fetcher = LibraryFetcher(tmp_path / "lib", asset_folders())
    assert fetcher.fetch((tmp_path / "lib" / "ok.svg").as_uri()).read().startswith(b"<svg")
    for url in [
        (tmp_path / "secret.txt").as_uri(),
        f"file://{tmp_path}/lib/%2e%2e/secret.txt",
        f"file://{tmp_path}/lib/../secret.txt",
        "file:///etc/passwd",
        "http://127.0.0.1:9/x",
        "https://example.com/x",
        "ftp://example.com/x",
    ]:
        with pytest.raises((ValueError, OSError)):
            fetcher.fetch(url)
    assert fetcher.fetch("data:text/plain;base64,aGk=").read() == b"hi"


def test_story_text_is_data_never_template_code_or_html(write_story):
    story = read_story(
        write_story(
            'title: "{{ 7 * 7 }} <script>alert(1)</script>"\nsteps:\n  - "{% for x in range(3) %}x{% endfor %}"\n'
        )
    )
    for target in ("print", "screen"):
        html = render_story(story, target)
        assert "<title>{{ 7 * 7 }} &lt;script&gt;alert(1)&lt;/script&gt;</title>" in html
        assert "<script>alert(1)" not in html
        assert '<p class="text">{% for x in range(3) %}x{% endfor %}</p>' in html


def test_templates_run_sandboxed_with_autoescape_and_strict_undefined():
    from jinja2 import StrictUndefined
    from jinja2.sandbox import SandboxedEnvironment

    from storygen.pages.render import environment

    env = environment()
    assert isinstance(env, SandboxedEnvironment) and env.autoescape is True and env.undefined is StrictUndefined


def test_build_writes_only_inside_the_output_folder(tmp_path, write_story):
    write_story("title: x\nsteps: [a]\n", "fine")
    (tmp_path / "bad name!.yaml").write_text("title: x\nsteps: [a]\n")
    out = tmp_path / "out"
    before = set(tmp_path.iterdir())
    outcomes = {o.path.name: o for o in build([tmp_path], out, formats=["story"])}
    assert "letters, digits" in str(outcomes["bad name!.yaml"].problems[0])
    assert set(tmp_path.iterdir()) - before == {out}
    written = sorted(p.relative_to(out).as_posix() for p in out.rglob("*"))
    assert written == [
        ".storygen",
        ".storygen/catalog.key",
        ".storygen/lock",
        ".storygen/manifest.json",
        "catalog.pdf",
        "fine",
        "fine/fine.html",
        "fine/fine.pdf",
        "index.html",
    ]  # and no temporary files left


def test_output_folder_linked_outside_is_refused(tmp_path, write_story):
    path = write_story("title: x\nsteps: [a]\n", "linked")
    out, elsewhere = tmp_path / "out", tmp_path / "elsewhere"
    (out / ".storygen").mkdir(parents=True), elsewhere.mkdir()  # a folder storygen made
    (out / "linked").symlink_to(elsewhere, target_is_directory=True)
    [outcome] = build([path], out)
    assert outcome.failed and "never writes through a link" in str(outcome.problems[0])
    assert list(elsewhere.iterdir()) == []


def test_a_story_file_linking_out_of_its_folder_is_refused(tmp_path):
    library, outside = tmp_path / "library", tmp_path / "outside"
    library.mkdir(), outside.mkdir()
    (outside / "private.yaml").write_text("title: Private\nsteps: [a]\n")
    (library / "linked.yaml").symlink_to(outside / "private.yaml")
    (library / "fine.yaml").write_text("title: Fine\nsteps: [a]\n")
    outcomes = {o.path.name: o for o in build([library], tmp_path / "out", formats=["story"])}
    assert outcomes["linked.yaml"].failed and "links to a file outside its folder" in str(
        outcomes["linked.yaml"].problems[0]
    )
    assert not outcomes["fine.yaml"].failed


def test_settings_linking_outside_the_library_are_refused(tmp_path):
    from storygen.story.settings import read_settings

    library, outside = tmp_path / "library", tmp_path / "outside"
    library.mkdir(), outside.mkdir()
    (outside / "storygen.yaml").write_text("name: Someone else's settings\n")
    (library / "storygen.yaml").symlink_to(outside / "storygen.yaml")
    with pytest.raises(StoryError) as caught:
        read_settings(library)
    [problem] = caught.value.problems
    assert problem.path == library / "storygen.yaml"
    assert "links to a file outside the library" in problem.message
