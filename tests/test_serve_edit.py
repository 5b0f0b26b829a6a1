"""storygen serve's editor (issue 28, first slice): a story's texts changed on the page, saved
into its YAML as written, with backups and undo; its requests pass the picker's guard and a
request from anything but the preview's own page changes nothing."""

from __future__ import annotations

import difflib
import http.server
import json
import re
import shutil
import threading
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from storygen.serve import editor, start
from storygen.story.edit import fingerprint
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
    root = tmp_path_factory.mktemp("editor")
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
    """The story file, as written and without backups, put back after the test."""
    path = library / "stories" / "washing-up.yaml"
    written(preview, path)
    yield path
    written(preview, path)


def written(preview, path: Path) -> None:
    shutil.rmtree(path.parent.parent / ".storygen" / "backups", ignore_errors=True)
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


def post(preview, address: str, body: dict | bytes, headers: dict[str, str]) -> tuple[int, dict]:
    data = body if isinstance(body, bytes) else json.dumps(body).encode("utf-8")
    request = urllib.request.Request(preview.url + address, data=data, headers=headers, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"{}")


def edit(page: list, text: str, seen: str = STORY) -> dict:
    return {"page": page, "text": text, "fingerprint": fingerprint(seen)}


def own(preview, token: str | None = None) -> dict[str, str]:
    origin = preview.url.rstrip("/")
    return {"Origin": origin, "Content-Type": "application/json", "X-Storygen-Token": token or token_of(preview)}


# Over HTTP


def test_an_edit_changes_one_line_and_keeps_a_backup(preview, story, library):
    status, answer = post(preview, "edit/washing-up", edit(["steps", 1], "I put on my yellow gloves."), own(preview))
    assert status == 200
    assert changed_lines(story) == ["-  - I put on my gloves.\n", "+  - I put on my yellow gloves.\n"]
    assert answer["fingerprint"] == fingerprint(story.read_text(encoding="utf-8"))
    kept = list((library / ".storygen" / "backups" / "washing-up").iterdir())
    assert [path.read_text(encoding="utf-8") for path in kept] == [STORY]


def test_undo_puts_the_story_back(preview, story):
    status, answer = post(preview, "edit/washing-up", edit(["title"], "Washing the cups"), own(preview))
    assert status == 200 and changed_lines(story) == ["-title: Washing up\n", "+title: Washing the cups\n"]
    status, answer = post(preview, "undo/washing-up", {"fingerprint": answer["fingerprint"]}, own(preview))
    assert status == 200 and story.read_text(encoding="utf-8") == STORY
    status, answer = post(preview, "undo/washing-up", {"fingerprint": fingerprint(STORY)}, own(preview))
    assert status == 409 and "nothing to undo" in answer["error"]


def test_a_step_is_moved_removed_and_added(preview, story):
    def steps(page: list, action: str, text: str = "") -> tuple[int, dict]:
        seen = story.read_text(encoding="utf-8")
        body = {"page": page, "action": action, "text": text, "fingerprint": fingerprint(seen)}
        return post(preview, "steps/washing-up", body, own(preview))

    assert steps(["steps", 1], "up")[0] == 200
    assert changed_lines(story) == [
        "+  - I put on my gloves.\n",
        "-  - I put on my gloves.\n",
    ]
    assert steps(["steps", 0], "down")[0] == 200 and story.read_text(encoding="utf-8") == STORY
    assert steps(["steps", 2], "add", "I dry the cups.")[0] == 200
    assert changed_lines(story) == ["+  - I dry the cups.\n"]
    assert steps(["steps", 3], "remove")[0] == 200 and story.read_text(encoding="utf-8") == STORY
    for page, action, why in [
        (["steps", 0], "up", "first step"),
        (["steps", 7], "down", "not in the story"),
        (["title"], "remove", "not in the story"),
        (["steps", 0], "burn", "moved up or down"),
    ]:
        status, answer = steps(page, action)
        assert status in (400, 409) and why in answer["error"]
    assert story.read_text(encoding="utf-8") == STORY


@pytest.mark.parametrize(
    ("body", "status", "why"),
    [
        (edit(["title"], ""), 409, "title"),  # the model's own words, as check says them
        (edit(["steps", 1], ""), 409, ""),
        (edit(["steps", 9], "x"), 400, "not in the story"),
        (edit(["symbol"], "x"), 400, "not in the story"),  # a text the editor shows, nothing else
        (edit(["steps", 1], "x", STORY + "# saved in an editor since\n"), 409, "changed since"),
        ({"page": "../../etc/passwd", "text": "x", "fingerprint": ""}, 400, "names its page"),
        ({"page": ["title"], "text": 3, "fingerprint": fingerprint(STORY)}, 400, "sends its text"),
        (b"[" * 50_000, 413, "a few words"),
        (b"{not json", 400, "JSON"),
    ],
)
def test_an_edit_the_story_cannot_take_changes_nothing(preview, story, library, body, status, why):
    got, answer = post(preview, "edit/washing-up", body, own(preview))
    assert got == status and why in answer["error"]
    assert story.read_text(encoding="utf-8") == STORY
    assert not (library / ".storygen" / "backups" / "washing-up").exists()


@pytest.mark.parametrize("address", ["edit/washing-up", "steps/washing-up", "undo/washing-up"])
@pytest.mark.parametrize(
    ("change", "why"),
    [
        ({"Origin": "http://127.0.0.1:1"}, "preview's own page"),  # another loopback port
        ({"Origin": "null"}, "preview's own page"),
        ({"Origin": None}, "preview's own page"),
        ({"X-Storygen-Token": None}, "key is out of date"),
        ({"X-Storygen-Token": "guessed"}, "key is out of date"),
    ],
)
def test_a_request_not_from_the_preview_own_page_is_refused(preview, story, address, change, why):
    headers = {k: v for k, v in {**own(preview), **change}.items() if v is not None}
    got, answer = post(preview, address, edit(["title"], "Stolen"), headers)
    assert got == 403 and why in answer["error"]
    assert story.read_text(encoding="utf-8") == STORY


def test_only_a_story_the_preview_serves_by_its_id(preview, story):
    for address in ("edit/..%2F..%2Fstorygen", "edit/no-such-story", "undo/..%2Fstorygen"):
        status, _ = post(preview, address, edit(["title"], "x"), own(preview))
        assert status == 404
    assert story.read_text(encoding="utf-8") == STORY


def test_a_preview_others_can_open_edits_nothing(preview, story):
    headers = {**own(preview), "X-Storygen-Token": ""}
    status, answer = editor.answer(headers, None, "", "/edit/washing-up", preview.library)
    assert status == 403 and "changes no file" in answer["error"]


# In the browser


def open_editor(tab, preview) -> None:
    tab.goto(preview.url + "story/washing-up")
    tab.frame_locator("#story").locator(".page").first.wait_for()
    switch = tab.get_by_role("button", name="Edit")
    assert switch.get_attribute("aria-pressed") == "false"
    switch.focus()
    tab.keyboard.press("Enter")  # from the keyboard
    assert switch.get_attribute("aria-pressed") == "true"
    tab.locator("#editor").wait_for()


def test_a_step_changed_on_the_page_is_saved_and_shown_and_undone(tab, preview, story):
    open_editor(tab, preview)
    field = tab.locator("#editor").get_by_label("Step 2", exact=True)
    assert field.input_value() == "I put on my gloves."
    field.fill("I put on my rubber gloves.")
    tab.locator("#text-steps-1-said", has_text="Saved").wait_for(timeout=5000)
    assert changed_lines(story) == ["-  - I put on my gloves.\n", "+  - I put on my rubber gloves.\n"]
    tab.frame_locator("#story").get_by_text("I put on my rubber gloves.").wait_for(timeout=5000)
    assert tab.get_by_role("button", name="Edit").get_attribute("aria-pressed") == "true"  # kept on reload
    tab.get_by_role("button", name="Undo").click()
    tab.locator("#edit-said", has_text="Undone").wait_for(timeout=5000)
    assert story.read_text(encoding="utf-8") == STORY
    tab.frame_locator("#story").get_by_text("I put on my gloves.").wait_for(timeout=5000)
    wait_until(tab, "document.getElementById('text-steps-1').value === 'I put on my gloves.'")
    tab.get_by_role("button", name="Undo").click()
    tab.locator("#edit-said", has_text="nothing to undo").wait_for(timeout=5000)
    assert story.read_text(encoding="utf-8") == STORY


def test_steps_are_added_moved_and_removed_on_the_page(tab, preview, story):
    open_editor(tab, preview)
    tab.get_by_role("button", name="Add a step after Step 3").click()
    tab.locator("#editor").get_by_label("Step 4", exact=True).wait_for(timeout=5000)
    assert changed_lines(story) == ["+  - New step\n"]
    field = tab.locator("#editor").get_by_label("Step 4", exact=True)
    field.fill("I dry the cups.")
    tab.locator("#text-steps-3-said", has_text="Saved").wait_for(timeout=5000)
    tab.get_by_role("button", name="Move Step 4 up").click()
    tab.locator("#edit-said", has_text="Moved up").wait_for(timeout=5000)
    wait_until(tab, "document.getElementById('text-steps-2')?.value === 'I dry the cups.'")
    assert changed_lines(story) == ["+  - I dry the cups.\n"]
    assert story.read_text(encoding="utf-8").index("I dry the cups.") < story.read_text(encoding="utf-8").index(
        "I wash"
    )
    tab.frame_locator("#story").get_by_text("I dry the cups.").wait_for(timeout=5000)
    tab.get_by_role("button", name="Remove Step 3").click()
    tab.locator("#edit-said", has_text="Removed").wait_for(timeout=5000)
    assert story.read_text(encoding="utf-8") == STORY
    wait_until(tab, "document.querySelectorAll('#editor textarea').length === 5")


def test_a_refused_text_is_said_at_its_field_and_kept(tab, preview, story):
    open_editor(tab, preview)
    field = tab.locator("#editor").get_by_label("Title", exact=True)
    field.fill("")
    tab.locator("#text-title-said.refused", has_text="Not saved").wait_for(timeout=5000)
    assert field.input_value() == ""
    assert story.read_text(encoding="utf-8") == STORY
    field.fill("Washing the cups")
    tab.locator("#text-title-said", has_text="Saved").wait_for(timeout=5000)
    assert changed_lines(story) == ["-title: Washing up\n", "+title: Washing the cups\n"]


def test_a_text_with_line_breaks_is_written_as_lines(tab, preview, story):
    open_editor(tab, preview)
    field = tab.locator("#editor").get_by_label("Conclusion", exact=True)
    field.fill("The cups are clean!\nWell done.")
    field.blur()  # saved when left, without waiting
    tab.locator("#text-conclusion-said", has_text="Saved").wait_for(timeout=5000)
    assert changed_lines(story) == [
        "-conclusion: The cups are clean!\n",
        "+conclusion: |-\n",
        "+  The cups are clean!\n",
        "+  Well done.\n",
    ]


def test_a_story_saved_in_an_editor_meanwhile_is_shown_and_kept(tab, preview, story):
    open_editor(tab, preview)
    edited = STORY.replace("warm water", "hot water")
    story.write_text(edited, encoding="utf-8")  # saved in a text editor while the page is open
    wait_until(tab, "document.getElementById('text-steps-0-text').value.includes('hot water')")
    tab.locator("#editor").get_by_label("Step 2", exact=True).fill("I put on my rubber gloves.")
    tab.locator("#text-steps-1-said", has_text="Saved").wait_for(timeout=5000)
    assert story.read_text(encoding="utf-8") == edited.replace("my gloves", "my rubber gloves")


def test_a_text_changed_in_the_file_while_typed_here_keeps_the_file(tab, preview, story):
    open_editor(tab, preview)
    field = tab.locator("#editor").get_by_label("Step 1", exact=True)
    tab.evaluate("document.getElementById('text-steps-0-text').value = 'I fill the bowl.'")  # typed, not saved yet
    edited = STORY.replace("warm water", "hot water")
    story.write_text(edited, encoding="utf-8")
    tab.locator("#text-steps-0-text-said.refused", has_text="hot water").wait_for(timeout=5000)
    assert field.input_value() == "I fill the bowl."
    assert story.read_text(encoding="utf-8") == edited


class Elsewhere(http.server.BaseHTTPRequestHandler):
    """A web page on another loopback port that tries to write through the preview."""

    target = ""

    def do_GET(self) -> None:
        page = f"""<!doctype html><title>elsewhere</title><script>
        const body = JSON.stringify({{page: ["title"], text: "Stolen", fingerprint: "{fingerprint(STORY)}"}});
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


@pytest.mark.parametrize("address", ["edit/washing-up", "undo/washing-up"])
def test_a_page_on_another_loopback_port_cannot_write(tab, preview, story, address):
    handler = type("Handler", (Elsewhere,), {"target": preview.url + address})
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


def test_the_editor_has_no_serious_accessibility_violation(tab, preview, story):
    from axe_playwright_python.sync_playwright import Axe

    open_editor(tab, preview)
    found = Axe().run(tab).response["violations"]
    assert [f"{v['id']}: {v['help']}" for v in found if v["impact"] in ("serious", "critical")] == []


def test_no_script_is_refused_by_the_page_policy(tab, preview, story):
    refused = []
    tab.on(
        "console", lambda message: refused.append(message.text) if "Content Security Policy" in message.text else None
    )
    open_editor(tab, preview)
    tab.locator("#editor").get_by_label("Title", exact=True).fill("Washing the cups")
    tab.locator("#text-title-said", has_text="Saved").wait_for(timeout=5000)
    assert refused == []
