"""storygen serve: the live preview, over HTTP and in real Chromium: what it serves and to whom,
the print and web versions, languages and profiles, reload on save, errors and recovery."""

from __future__ import annotations

import shutil
import socket
import struct
import threading
import time
import urllib.error
import urllib.request
import zlib
from pathlib import Path

import pytest
from click.testing import CliRunner

from storygen import serve
from storygen.cli import main
from storygen.serve import Library, start
from tests.conftest import EXAMPLES, FULL_STORY, REPO

HAIRCUT = """\
title: $name gets a haircut
defaults: {name: Alex, pronouns: they}
steps:
  - text: $name sits in the big chair.
    picture: barber
    image: photos/chair.png
  - $They {feels|feel} the scissors go snip.
"""
TOO_FULL = (
    "title: A very long page\nsteps:\n  - text: "
    + " ".join(["We wait in the waiting room and look at a book."] * 9)
    + "\n    symbol: books\n    steps:\n"
    + "".join(f"      - Turn page {n} of the book and look at the picture on it.\n" for n in range(1, 11))
)


def png(rgb: tuple[int, int, int]) -> bytes:
    """A 2x2 picture of one colour."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    rows = b"".join(b"\0" + bytes(rgb) * 2 for _ in range(2))
    header = struct.pack(">IIBBBBB", 2, 2, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b"")


@pytest.fixture(scope="module")
def library(tmp_path_factory) -> Path:
    """A library: a task story, a story in three languages, a story about a child with a photo,
    a broken story, a page too full for its paper, and Mia's profile."""
    root = tmp_path_factory.mktemp("library")
    (root / "storygen.yaml").write_text("name: Test clinic\n", encoding="utf-8")
    (root / ".gitignore").write_text("/profiles/\n/build/\n", encoding="utf-8")
    stories = root / "stories"
    stories.mkdir()
    (stories / "washing.yaml").write_text(FULL_STORY, encoding="utf-8")
    shutil.copy(EXAMPLES / "washing-hands.yaml", stories / "washing-hands.yaml")
    (stories / "haircut.yaml").write_text(HAIRCUT, encoding="utf-8")
    (stories / "photos").mkdir()
    (stories / "photos" / "chair.png").write_bytes(png((200, 30, 30)))
    (stories / "broken.yaml").write_text("title: Broken\nsteps:\n  - text: One\n    symbl: soap\n", encoding="utf-8")
    (stories / "too-full.yaml").write_text(TOO_FULL, encoding="utf-8")
    shutil.copytree(REPO / "tests" / "fixtures" / "profiles" / "mia", root / "profiles" / "mia")
    return root


@pytest.fixture(scope="module")
def preview(library):
    running = start([library / "stories"], port=0)
    watching(running, library)
    yield running
    running.stop()


def watching(running, library: Path) -> None:
    """Wait until the watcher sees the library (it starts in a thread of its own)."""
    probe = library / "probe.txt"
    for attempt in range(50):
        seen = running.library.generation
        probe.write_text(str(attempt), encoding="utf-8")
        if running.library.wait(seen, 0.2) != seen:
            probe.unlink()
            return
    raise AssertionError("the watcher never saw a change")


def get(running, path: str, host: str | None = None, wait: float = 60) -> tuple[int, dict, str]:
    request = urllib.request.Request(running.url.rstrip("/") + path, headers={"Host": host} if host else {})
    try:
        with urllib.request.urlopen(request, timeout=wait) as response:
            return response.status, dict(response.headers), response.read().decode("utf-8")
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read().decode("utf-8")


def test_it_listens_on_this_computer_only(preview):
    assert preview.server.server_address[0] == "127.0.0.1"
    assert preview.url.startswith("http://127.0.0.1:")


def test_the_index_lists_every_story_and_which_do_not_build(preview):
    status, _, page = get(preview, "/")
    assert status == 200
    for title in ("Washing my hands", "Washing My Hands", "Alex gets a haircut", "A very long page"):
        assert title in page
    broken = page[page.index('href="/story/broken"') :].split("</li>")[0]
    assert "does not build: 1 error" in broken


def test_the_print_version_is_laid_out_on_its_paper_and_the_web_version_is_the_web_page(preview):
    _, _, printed = get(preview, "/frame/washing?view=print")
    assert "--sheet-w: 210.0mm" in printed and "--sheet-h: 297.0mm" in printed
    assert 'id="present"' not in printed  # the print template: no presenter
    _, _, web = get(preview, "/frame/washing?view=web")
    assert 'id="present"' in web and "--sheet-w" not in web
    assert "data:image/svg+xml;base64," in printed and "file:" not in printed  # its pictures inside it


def test_a_translation_and_a_profile_are_chosen_in_the_address(preview):
    assert "Me lavo las manos" in get(preview, "/frame/washing-hands?lang=es")[2]
    assert "손을 씻어요" in get(preview, "/frame/washing-hands?view=web&lang=ko")[2]
    assert "Washing My Hands" in get(preview, "/frame/washing-hands?lang=xx")[2]  # no such translation: its own
    child = get(preview, "/frame/haircut?profile=mia")[2]
    assert "Mia gets a haircut" in child and "She feels the scissors" in child
    assert "Alex gets a haircut" in get(preview, "/frame/haircut")[2]
    assert "Alex gets a haircut" in get(preview, "/frame/haircut?profile=..%2F..%2Fetc")[2]
    shell = get(preview, "/story/haircut")[2]
    assert '<select id="profile" name="profile">' in shell and "<option>mia</option>" in shell


def test_profiles_are_not_shown_to_other_computers(library):
    """Served beyond this computer (--host), a child's profile is never previewed."""
    others = Library([library / "stories"], profiles=False)
    shown = others.preview("haircut", "print", "", "mia")
    assert shown.profiles == [] and "Mia" not in shown.html


def test_a_broken_story_shows_its_errors_where_the_story_would_be(preview, library):
    status, _, frame = get(preview, "/frame/broken")
    assert status == 200
    assert "stories/broken.yaml:4:5: step 1: unknown key &#39;symbl&#39; (did you mean &#39;symbol&#39;?)" in frame
    shell = get(preview, "/story/broken")[2]
    assert "broken.yaml:4:5" in shell and "Not built: fix the errors and save." in shell


def test_the_check_findings_show_beside_the_story(preview):
    shell = get(preview, "/story/washing")[2]
    side = shell[shell.index('<aside id="side"') :]
    assert "storygen check:" in side
    from storygen.check.engine import check_story

    findings = check_story(Path(preview.library.stories()[0]["washing"])).findings
    assert findings, "the test story should give check something to say"
    assert f"storygen check: {len(findings)} finding" in side
    assert all(f.code in side for f in findings)


def test_other_addresses_and_unknown_pages_are_refused(preview):
    port = preview.server.server_address[1]
    assert get(preview, "/", host=f"evil.example:{port}")[0] == 421  # DNS rebinding: another site's name
    assert get(preview, "/", host=f"localhost:{port}")[0] == 200
    assert get(preview, "/story/nope")[0] == 404
    assert get(preview, "/frame/..%2F..%2Fetc%2Fpasswd")[0] == 404
    assert get(preview, "/stories/washing.yaml")[0] == 404


def test_the_story_frame_may_load_or_send_nothing(preview):
    _, headers, _ = get(preview, "/frame/washing?view=web")
    policy = headers["Content-Security-Policy"]
    assert "default-src 'none'" in policy and "connect-src" not in policy  # no fetch, no remote picture
    assert "img-src data:;" in policy
    shell = get(preview, "/story/washing")[2]
    assert 'sandbox="allow-scripts"' in shell  # not the preview's origin: it cannot read a child's story


def test_serving_writes_nothing(preview, library):
    before = sorted(p.relative_to(library) for p in library.rglob("*"))
    for path in ("/", "/story/washing", "/frame/washing", "/frame/haircut?profile=mia&view=web"):
        get(preview, path)
    assert sorted(p.relative_to(library) for p in library.rglob("*")) == before


def test_a_port_in_use_is_a_message(library):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = CliRunner().invoke(main, ["serve", str(library / "stories"), "--port", str(port)])
    assert result.exit_code == 1
    assert f"cannot listen on 127.0.0.1:{port}" in result.output and f"--port {port + 1}" in result.output


def test_a_missing_folder_is_a_message(tmp_path):
    result = CliRunner().invoke(main, ["serve", str(tmp_path / "nope")])
    assert result.exit_code == 1 and "no such file or folder" in result.output


# In Chromium: what a clinician sees.


def saved(path: Path, text: str) -> None:
    path.write_text(text, encoding="utf-8")


def test_a_saved_story_shows_by_itself(tab, preview, library):
    """The page follows a save with no reload by hand (how fast: benchmarks/bench_serve.py)."""
    story = library / "stories" / "washing.yaml"
    tab.goto(preview.url + "story/washing?view=web")
    frame = tab.frame_locator("#story")
    frame.locator("h1", has_text="Washing my hands").wait_for()
    try:
        story.write_text(
            FULL_STORY.replace("title: Washing my hands", "title: Washing my hands well"), encoding="utf-8"
        )
        frame.locator("h1", has_text="Washing my hands well").wait_for(timeout=5000)
        assert tab.locator("#top h1").inner_text() == "Washing my hands well"  # the shell's title too
    finally:
        story.write_text(FULL_STORY, encoding="utf-8")


def test_a_broken_story_shows_its_errors_and_recovers_by_itself(tab, preview, library):
    story = library / "stories" / "washing.yaml"
    tab.goto(preview.url + "story/washing")
    frame = tab.frame_locator("#story")
    frame.locator(".page").first.wait_for()
    try:
        saved(story, FULL_STORY.replace("  - text: I dry my hands.", "  - txet: I dry my hands."))
        frame.locator(".problems li").first.wait_for(timeout=5000)
        assert "washing.yaml:20:5: step 3: unknown key 'txet'" in frame.locator(".problems").inner_text()
        assert "txet" in tab.locator("#side").inner_text()
        saved(story, FULL_STORY)
        frame.locator(".page").first.wait_for(timeout=5000)
        assert frame.locator(".problems").count() == 0
        assert "Made in" in tab.locator("#status").inner_text()
    finally:
        story.write_text(FULL_STORY, encoding="utf-8")


def test_templates_settings_and_pictures_reload_too(tab, preview, library):
    tab.goto(preview.url + "story/haircut")
    frame = tab.frame_locator("#story")
    sheet = frame.locator(".page").first
    sheet.wait_for()
    expect_width(frame, 210)  # A4
    picture = frame.locator("img[src^='data:image/jpeg']").first
    before = picture.get_attribute("src")
    templates = library / "templates"
    try:
        saved(library / "storygen.yaml", "name: Test clinic\npaper: letter\n")
        expect_width(frame, 215.9)  # US Letter
        templates.mkdir()
        saved(templates / "custom.css", "h1 { color: rgb(1, 2, 3); }\n")
        expect(frame, "h1 => getComputedStyle(h1).color", "rgb(1, 2, 3)", "h1")
        (library / "stories" / "photos" / "chair.png").write_bytes(png((30, 30, 200)))
        expect(frame, "img => img.src !== " + repr(before), True, "img[src^='data:image/jpeg']")
    finally:
        (library / "storygen.yaml").write_text("name: Test clinic\n", encoding="utf-8")
        shutil.rmtree(templates, ignore_errors=True)
        (library / "stories" / "photos" / "chair.png").write_bytes(png((200, 30, 30)))


def expect(frame, script: str, wanted, selector: str, seconds: float = 5) -> None:
    """Wait until script, run on the frame's first selector, gives wanted (the frame reloads)."""
    deadline, got = time.monotonic() + seconds, None
    while time.monotonic() < deadline:
        try:
            got = frame.locator(selector).first.evaluate(script, timeout=500)
        except Exception:  # the frame was reloading
            got = None
        if got == wanted:
            return
        time.sleep(0.05)
    raise AssertionError(f"{script} gave {got!r}, not {wanted!r}")


def expect_width(frame, mm: float) -> None:
    expect(frame, "p => Math.round(parseFloat(getComputedStyle(p).width) * 254 / 96) / 10", mm, ".page")


def test_the_reloaded_story_stays_where_it_was_scrolled(tab, preview, library):
    story = library / "stories" / "washing.yaml"
    tab.goto(preview.url + "story/washing?view=web")
    frame = tab.frame_locator("#story")
    frame.locator("h1").first.wait_for()
    frame.locator("body").evaluate("() => scrollTo(0, 1500)")
    tab.wait_for_timeout(200)  # the frame tells the preview where it is
    try:
        saved(story, FULL_STORY.replace("My hands are clean!", "My hands are clean and dry!"))
        frame.locator("text=My hands are clean and dry!").wait_for(timeout=5000)
        expect(frame, "() => scrollY", 1500, "body")
    finally:
        story.write_text(FULL_STORY, encoding="utf-8")


def test_the_print_version_marks_a_page_too_full_for_its_paper(tab, preview):
    tab.goto(preview.url + "frame/too-full?view=print")
    tab.locator(".page").first.wait_for()
    tab.wait_for_function("document.querySelectorAll('.page.spills').length === 1")  # once its fonts are in
    assert "runs onto another page" in tab.locator(".spill-note").inner_text()
    tab.goto(preview.url + "frame/washing?view=print")
    tab.wait_for_function("document.fonts.status === 'loaded'")
    tab.wait_for_timeout(300)
    assert tab.locator(".page").count() == 7 and tab.locator(".page.spills").count() == 0
    assert tab.locator(".page").nth(2).get_attribute("data-number") == "3 / 7"


def test_the_version_switch(tab, preview):
    tab.goto(preview.url + "story/washing-hands?lang=es")
    frame = tab.frame_locator("#story")
    frame.locator(".page[data-number]").first.wait_for()
    tab.get_by_role("link", name="Web page").click()
    frame.locator("#present").wait_for()
    assert "lang=es" in tab.url and "view=web" in tab.url
    assert "Me lavo las manos" in frame.locator("h1").first.inner_text()
    tab.select_option("#lang", "ko")
    frame.locator("h1", has_text="손을 씻어요").wait_for()


@pytest.mark.parametrize("address", ["/", "/story/washing", "/story/washing-hands?view=web", "/story/broken"])
def test_the_preview_has_no_serious_accessibility_violation(tab, preview, address):
    from axe_playwright_python.sync_playwright import Axe

    tab.goto(preview.url.rstrip("/") + address)
    tab.wait_for_timeout(300)
    results = Axe().run(tab)
    serious = [v["id"] for v in results.response["violations"] if v["impact"] in ("serious", "critical")]
    assert serious == []


def test_only_the_storys_own_languages_and_children_are_kept_apart(preview):
    """400 made-up languages and children: each asks for the story as written, kept once."""
    for n in range(200):
        assert get(preview, f"/frame/washing-hands?view=web&lang=x{n}")[0] == 200
        assert get(preview, f"/frame/washing-hands?view=web&profile=nobody{n}")[0] == 200
    kept = [key for key in preview.library._cache if key[0] == "preview"]
    assert len(preview.library._cache) <= serve.CACHE_SIZE
    made_up = [key for key in kept if key[3].startswith("x") or key[4].startswith("nobody")]
    assert kept and not made_up  # other tests' real languages and children may be kept; none of these
    assert 'lang="es"' in get(preview, "/frame/washing-hands?view=web&lang=es")[2]  # a real one still works


def test_a_connection_that_sends_nothing_is_closed_and_connections_are_bounded(library, monkeypatch):
    monkeypatch.setattr(serve, "MOST_CONNECTIONS", 3)
    monkeypatch.setattr(serve.Handler, "timeout", 1)
    running = start([library / "stories"], port=0)
    host, port = running.server.server_address[:2]
    try:
        idle = [socket.create_connection((host, port), timeout=10) for _ in range(3)]
        extra = socket.create_connection((host, port), timeout=10)
        assert extra.recv(100) == b""  # over the bound: closed at once, no thread for it
        for connection in idle:  # each closed by the server once idle for a second
            assert connection.recv(100) in (b"", b"HTTP/1.0 408")  # never an answer to nothing
        assert get(running, "/")[0] == 200  # the slots came back
    finally:
        for connection in [*idle, extra]:
            connection.close()
        running.stop()


def test_a_slow_template_keeps_no_other_page_waiting_and_is_stopped(library, tmp_path, monkeypatch):
    slow = tmp_path / "slow"
    shutil.copytree(library, slow, ignore=shutil.ignore_patterns("profiles", "templates"))
    (slow / "templates").mkdir()
    loop = "{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}"
    (slow / "templates" / "cards.html").write_text(loop, encoding="utf-8")  # harmless: no story prints cards here
    (slow / "templates" / "story.html").write_text(
        '{% extends "builtin/story.html" %}{% block credits %}{% if story.title == "A very long page" %}'
        + loop
        + "{% endif %}{% endblock %}",
        encoding="utf-8",
    )
    monkeypatch.setattr(serve, "PREVIEW_SECONDS", 2)
    running = start([slow / "stories"], port=0)
    try:
        answers: dict[str, tuple] = {}
        # a safety net, not a measure: 2 s of processor time can take far longer on a busy machine
        stuck = threading.Thread(target=lambda: answers.update(slow=get(running, "/frame/too-full?view=web", wait=300)))
        stuck.start()
        for _ in range(100):  # until the slow story is being made
            if any(key[1:2] == ("too-full",) for key in running.library._making):
                break
            time.sleep(0.05)
        assert get(running, "/")[0] == 200
        status, _, page = get(running, "/frame/washing-hands?view=web")
        assert status == 200 and "Washing" in page
        assert stuck.is_alive()  # the others answered while the slow one was still being made
        stuck.join(timeout=300)
        status, _, page = answers["slow"]
        assert status == 200 and "processor time and was stopped" in page and "the preview" in page
    finally:
        running.stop()
