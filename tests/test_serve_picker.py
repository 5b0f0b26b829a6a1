"""storygen serve's picture picker (issue 25, item 5): a page's picture chosen by eye in the
preview, written into the story file as one line; and the one request that writes, refused to
anything but the preview's own page, changing nothing."""

from __future__ import annotations

import difflib
import http.server
import json
import re
import threading
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from storygen.serve import picker, start
from storygen.story.edit import fingerprint
from storygen.story.open import open_story
from tests.conftest import wait_until

STORY = """\
# A story a clinician wrote by hand: her comments and her order stay.
title: Washing up
symbol: sink   # the cover
steps:
  - text: I fill the bowl with warm water.
    label: Fill   # short
  - I put on my gloves.
  - text: 'I wash the cups.'
    symbol: mug
conclusion: The cups are clean!
"""


@pytest.fixture(scope="module")
def library(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("picker")
    (root / "storygen.yaml").write_text("name: Test clinic\n", encoding="utf-8")
    (root / "stories").mkdir()
    (root / "stories" / "washing-up.yaml").write_text(STORY, encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def preview(library):
    running = start([library / "stories"], port=0)
    yield running
    running.stop()


@pytest.fixture
def story(library, preview):
    """The story file, as written, put back after the test."""
    path = library / "stories" / "washing-up.yaml"
    written(preview, path)
    yield path
    written(preview, path)


def written(preview, path: Path) -> None:
    """The story as written, once the watcher has seen it: a page opened next is not reloaded under a test."""
    if path.read_text(encoding="utf-8") != STORY:
        path.write_text(STORY, encoding="utf-8")
    library, seen = preview.library, -1
    while seen != library.generation:
        seen = library.generation
        library.wait(seen, 0.3)


def changed_lines(path: Path) -> list[str]:
    diff = difflib.unified_diff(STORY.splitlines(True), path.read_text(encoding="utf-8").splitlines(True), n=0)
    return [line for line in diff if line[:1] in "+-" and line[:3] not in ("+++", "---")]


def token_of(preview) -> str:
    with urllib.request.urlopen(preview.url + "story/washing-up", timeout=10) as response:
        return re.search(r'data-token="([^"]+)"', response.read().decode("utf-8"))[1]


def post(preview, body: dict | bytes, headers: dict[str, str]) -> tuple[int, dict]:
    data = body if isinstance(body, bytes) else json.dumps(body).encode("utf-8")
    request = urllib.request.Request(preview.url + "picture/washing-up", data=data, headers=headers, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"{}")


def choice(page: list, symbol: str, text: str = STORY) -> dict:
    return {"page": page, "symbol": symbol, "fingerprint": fingerprint(text)}


def own(preview, token: str | None = None) -> dict[str, str]:
    """The headers the preview's own page sends."""
    origin = preview.url.rstrip("/")
    return {"Origin": origin, "Content-Type": "application/json", "X-Storygen-Token": token or token_of(preview)}


# Over HTTP: who may write, and what.


def test_the_preview_own_request_writes_one_line(preview, story):
    status, answer = post(preview, choice(["steps", 1], "gloves"), own(preview))
    assert (status, answer) == (200, {"written": "symbol: gloves"})
    assert changed_lines(story) == [
        "-  - I put on my gloves.\n",
        "+  - text: I put on my gloves.\n",
        "+    symbol: gloves\n",
    ]


@pytest.mark.parametrize(
    ("change", "status", "why"),
    [
        ({"Origin": "http://127.0.0.1:1"}, 403, "preview's own page"),  # another loopback port
        ({"Origin": "null"}, 403, "preview's own page"),
        ({"Origin": None}, 403, "preview's own page"),
        ({"X-Storygen-Token": None}, 403, "key is out of date"),
        ({"X-Storygen-Token": "guessed"}, 403, "key is out of date"),
        ({"Content-Type": "text/plain"}, 415, "JSON"),
    ],
)
def test_a_request_not_from_the_preview_own_page_is_refused(preview, story, change, status, why):
    headers = {**own(preview), **change}
    got, answer = post(preview, choice(["steps", 1], "gloves"), {k: v for k, v in headers.items() if v is not None})
    assert got == status and why in answer["error"]
    assert story.read_text(encoding="utf-8") == STORY


@pytest.mark.parametrize(
    ("body", "status", "why"),
    [
        (choice(["steps", 9], "gloves"), 400, "not in the story"),
        (choice(["tags"], "gloves"), 400, "not in the story"),
        (choice(["steps", 1], "no such picture at all"), 400, "no symbol named"),
        (choice(["steps", 1], "gloves", STORY + "# saved in an editor since\n"), 409, "changed since"),
        ({"page": "../../etc/passwd", "symbol": "gloves", "fingerprint": ""}, 400, "names its page"),
        (b"[" * 5000, 413, "a few words"),
        (b"{not json", 400, "JSON"),
    ],
)
def test_a_request_the_story_cannot_take_changes_nothing(preview, story, body, status, why):
    got, answer = post(preview, body, own(preview))
    assert got == status and why in answer["error"]
    assert story.read_text(encoding="utf-8") == STORY


def test_only_a_story_the_preview_serves_by_its_id(preview, story):
    request = urllib.request.Request(
        preview.url + "picture/..%2F..%2Fstorygen", data=json.dumps(choice([], "gloves")).encode(), method="POST"
    )
    for name, value in own(preview).items():
        request.add_header(name, value)
    with pytest.raises(urllib.error.HTTPError) as caught:
        urllib.request.urlopen(request, timeout=10)
    assert caught.value.code == 404
    assert story.read_text(encoding="utf-8") == STORY


def test_a_preview_others_can_open_writes_nothing(preview, story):
    """Served beyond this computer (--host 0.0.0.0), anyone who opens a page would have its token:
    no token is made, and an empty one is no key."""
    headers = {**own(preview), "X-Storygen-Token": ""}
    status, answer = picker.answer(headers, None, "", "/picture/washing-up", preview.library)
    assert status == 403 and "changes no file" in answer["error"]
    assert story.read_text(encoding="utf-8") == STORY


def test_the_search_is_in_the_story_language(library, preview):
    spanish = library / "stories" / "lavar.yaml"
    spanish.write_text("title: Lavar\nlanguage: es\nsteps:\n  - Me lavo los dientes.\n", encoding="utf-8")
    try:
        preview.library.bump()
        found = picker.search(preview.library.opened("lavar"), "cepillo de dientes")
        assert found and found[0]["shown"] == "toothbrush" and found[0]["src"].startswith("data:image/svg+xml")
        assert picker.search(preview.library.opened("washing-up"), "cepillo de dientes") == []  # English story
    finally:
        spanish.unlink()
        preview.library.bump()


def test_each_run_has_its_own_token(library, preview):
    other = start([library / "stories"], port=0)
    try:
        assert token_of(other) != token_of(preview) and len(token_of(other)) >= 40
    finally:
        other.stop()


# In Chromium: what a clinician does and sees.


def open_picker(tab, preview, page_name: str) -> None:
    tab.goto(preview.url + "story/washing-up")
    tab.frame_locator("#story").locator(".page").first.wait_for()
    tab.get_by_role("button", name=f"Change picture: {page_name}").click()
    tab.locator("#picker[open]").wait_for()


def test_a_picture_chosen_in_the_picker_is_written_and_shown(tab, preview, story):
    open_picker(tab, preview, "Step 1")
    assert tab.evaluate("document.activeElement.id") == "picker-search"  # type at once
    automatic = tab.locator("#picker-results button", has_text="automatic choice")
    automatic.wait_for()  # the search starts at the picture storygen chose for the page's words
    tab.locator("#picker-search").fill("bucket")
    card = tab.locator("#picker-results button", has=tab.locator("span", has_text=re.compile("^bucket$"))).first
    card.wait_for()
    assert tab.locator("#picker-results img[src^='data:image/svg+xml']").count() >= 1
    assert "mulberry" in card.inner_text()
    drawing = card.locator("img").get_attribute("src")
    frame_pictures = tab.frame_locator("#story").locator(f"img[src='{drawing}']")
    assert frame_pictures.count() == 0  # not in the story before
    card.click()
    wait_until(tab, "!document.querySelector('#picker[open]')")
    assert changed_lines(story) == ["+    symbol: bucket\n"]
    side = tab.locator("#pictures li", has_text="Step 1")
    side.locator("text=bucket · mulberry").wait_for(timeout=5000)  # the preview reloaded by itself
    frame_pictures.first.wait_for(timeout=5000)


def test_the_picture_now_and_the_automatic_one_come_first(tab, preview, story):
    """The cover names 'sink'; storygen would choose 'wash up' for its words."""
    open_picker(tab, preview, "Cover")
    assert tab.locator("#picker-automatic").inner_text() == "For its words storygen would choose “wash up” (mulberry)."
    cards = tab.locator("#picker-results button")
    cards.nth(1).wait_for()
    assert cards.nth(0).inner_text().split("\n") == ["sink", "mulberry", "shown now"]
    assert cards.nth(1).inner_text().split("\n") == ["wash up", "mulberry", "automatic choice"]
    tab.locator("#picker-search").fill("bucket")
    tab.locator("#picker-status", has_text="for “bucket”").wait_for()
    assert tab.locator("#picker-results .mark").count() == 0  # another word: only what it names


def test_after_a_choice_focus_is_back_on_the_page_and_the_status_says_what_was_written(tab, preview, story):
    open_picker(tab, preview, "Step 2")
    tab.locator("#picker-results button").first.wait_for()
    tab.get_by_role("button", name="No picture").click()
    tab.locator("#status", has_text="Wrote “symbol: none” for Step 2").wait_for(timeout=5000)
    assert tab.evaluate("document.activeElement.getAttribute('aria-label')") == "Change picture: Step 2"
    assert tab.evaluate("document.activeElement.isConnected")


def test_the_picker_works_from_the_keyboard(tab, preview, story):
    tab.goto(preview.url + "story/washing-up")
    tab.frame_locator("#story").locator(".page").first.wait_for()
    tab.get_by_role("button", name="Change picture: Step 2").focus()
    tab.keyboard.press("Enter")
    tab.locator("#picker[open]").wait_for()
    tab.keyboard.press("Control+A")
    tab.keyboard.type("bucket")
    tab.locator("#picker-status", has_text="for “bucket”").wait_for()
    tab.keyboard.press("Tab")
    assert tab.evaluate("document.activeElement.dataset.name") == "bucket"
    tab.keyboard.press("Enter")
    wait_until(tab, "!document.querySelector('#picker[open]')")
    assert changed_lines(story)[-1] == "+    symbol: bucket\n"


def test_escape_closes_the_picker_and_changes_nothing(tab, preview, story):
    open_picker(tab, preview, "Step 2")
    tab.keyboard.press("Escape")
    wait_until(tab, "!document.querySelector('#picker[open]')")
    assert story.read_text(encoding="utf-8") == STORY


def test_the_new_line_sits_under_the_page_text(story, tab, preview):
    open_picker(tab, preview, "Step 1")
    tab.locator("#picker-search").fill("bucket")
    tab.locator("#picker-results button[data-name='bucket']").click()
    wait_until(tab, "!document.querySelector('#picker[open]')")
    lines = story.read_text(encoding="utf-8").splitlines()
    assert lines[4:7] == [
        "  - text: I fill the bowl with warm water.",
        "    symbol: bucket",
        "    label: Fill   # short",
    ]


def test_no_picture_writes_symbol_none(tab, preview, story):
    open_picker(tab, preview, "Step 2")
    tab.get_by_role("button", name="No picture").click()
    wait_until(tab, "!document.querySelector('#picker[open]')")
    assert changed_lines(story) == [
        "-  - I put on my gloves.\n",
        "+  - text: I put on my gloves.\n",
        "+    symbol: none\n",
    ]
    tab.locator("#pictures li", has_text="Step 2").locator("text=symbol: none").wait_for(timeout=5000)


def test_a_story_saved_since_the_page_was_shown_is_not_overwritten(tab, preview, story):
    open_picker(tab, preview, "Step 2")
    tab.locator("#picker-results button").first.wait_for()
    edited = STORY.replace("warm water", "hot water")
    story.write_text(edited, encoding="utf-8")  # saved in an editor while the picker is open
    tab.locator("#picker-results button").first.click()
    tab.locator("#picker-status", has_text="changed since").wait_for()
    assert story.read_text(encoding="utf-8") == edited


class Elsewhere(http.server.BaseHTTPRequestHandler):
    """A web page on another loopback port that tries to write through the preview."""

    target = ""

    def do_GET(self) -> None:
        page = f"""<!doctype html><title>elsewhere</title><script>
        const body = JSON.stringify({{page: ["steps", 1], symbol: "gloves", fingerprint: "{fingerprint(STORY)}"}});
        const tries = [
          fetch("{self.target}", {{method: "POST", headers: {{"Content-Type": "application/json", "X-Storygen-Token": "x"}}, body}}),
          fetch("{self.target}", {{method: "POST", mode: "no-cors", headers: {{"Content-Type": "text/plain"}}, body}}),
          fetch("{self.target}", {{method: "POST", mode: "no-cors", body}}),
        ];
        Promise.allSettled(tries).then((done) => {{ document.title = "tried " + done.map((d) => d.status).join(" "); }});
        </script>""".encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        self.send_header("Content-Length", str(len(page)))
        self.end_headers()
        self.wfile.write(page)

    def log_message(self, *args) -> None:
        pass


def test_a_page_on_another_loopback_port_cannot_write(tab, preview, story):
    handler = type("Handler", (Elsewhere,), {"target": preview.url + "picture/washing-up"})
    elsewhere = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=elsewhere.serve_forever, daemon=True).start()
    try:
        tab.goto(f"http://127.0.0.1:{elsewhere.server_address[1]}/")
        wait_until(tab, "document.title.startsWith('tried')")
        assert tab.title() == "tried rejected fulfilled fulfilled"  # the first never sent: no CORS
        assert story.read_text(encoding="utf-8") == STORY
    finally:
        elsewhere.shutdown()
        elsewhere.server_close()


def test_the_open_picker_has_no_serious_accessibility_violation(tab, preview, story):
    from axe_playwright_python.sync_playwright import Axe

    open_picker(tab, preview, "Step 1")
    tab.locator("#picker-results button").first.wait_for()
    found = Axe().run(tab).response["violations"]
    assert [f"{v['id']}: {v['help']}" for v in found if v["impact"] in ("serious", "critical")] == []


def test_each_page_is_listed_with_its_picture_and_its_automatic_one(tmp_path):
    (tmp_path / "storygen.yaml").write_text("name: t\n", encoding="utf-8")
    path = tmp_path / "story.yaml"
    path.write_text(
        STORY.replace("    label: Fill", "    symbol:\n    label: Fill") + "intro: {text: Hi, symbol: none}\n"
    )
    listed = {p.page: p for p in picker.page_pictures(open_story(path))}
    assert list(listed) == ["Cover", "Introduction", "Step 1", "Step 2", "Step 3", "Conclusion"]
    cover, step1, step3 = listed["Cover"], listed["Step 1"], listed["Step 3"]
    assert (cover.symbol, cover.chosen, cover.automatic) == ("mulberry:sink", True, "mulberry:wash up")
    assert (step1.chosen, step1.symbol == step1.automatic, step1.word) == (False, True, "fill 2")  # `symbol:` empty
    assert step1.src.startswith("data:image/svg+xml") and step1.where_json == '["steps", 0]'
    assert (step3.symbol, step3.chosen, step3.automatic, step3.text) == (
        "mulberry:mug 2",
        True,
        None,
        "I wash the cups.",
    )
    assert (listed["Introduction"].symbol, listed["Introduction"].chosen) == (None, True)  # `symbol: none`
    assert (listed["Conclusion"].symbol, listed["Conclusion"].chosen, listed["Conclusion"].src) == (None, False, None)


def test_the_page_names_say_where_they_are():
    assert [picker.page_name(w) for w in [(), ("intro",), ("steps", 2), ("steps", 2, "steps", 0), ("calm", 1)]] == [
        "Cover",
        "Introduction",
        "Step 3",
        "Step 3.1",
        "Calm choice 2",
    ]
