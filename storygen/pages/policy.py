"""Nothing leaves a page: the Content-Security-Policy at the top of every HTML file storygen writes.

A shared library's template or custom.css is untrusted. Without a policy, a script or a remote
picture or font in it would send a child's name and her story to any server the moment a family
opens her web page. So every page allows no network at all: pictures, fonts and recordings only
as `data:` URLs (storygen puts them inside the page), styles inline, and scripts only storygen's
own, by the sha256 of their text. The policy is the first element of `<head>`, before anything a
template wrote, and what a policy cannot stop is taken out of the page: a template's own
`http-equiv` (a refresh sends the browser away), `<base>` and `<link>` (DNS prefetch).

A policy cannot stop a link either: a family clicking `<a href="https://...?name=Mia">` sends the
name. So a page a template made keeps only the links storygen gave it (relative links between a
story's outputs, links.py) and links inside the page; any other `href` (or `xlink:href`), and SVG
animation that could change one (`attributeName`), is made inert.
"""

from __future__ import annotations

import base64
import hashlib
import re
from collections.abc import Collection
from functools import cache, lru_cache
from pathlib import Path

from markupsafe import Markup

from .. import PACKAGE
from .assets import templates_folder

# storygen's own scripts, the only ones a page may run: the presenter and read-aloud, the
# catalog's search, and the preview's paper view and scroll keeper (injected into a story's page).
SCRIPTS = {
    "present": "present.js",
    "catalog": "catalog.js",
    "paper": "data/preview/paper.js",
    "scroll": "data/preview/scroll.js",
}
# and the preview's own pages' (index, story shell, the story's picture picker and editor)
FILES = {
    **SCRIPTS,
    "shell": "data/preview/shell.js",
    "picker": "data/preview/picker.js",
    "edit": "data/preview/edit.js",
}
NO_NETWORK = (
    "default-src 'none'; img-src data:; font-src data:; media-src data:; style-src 'unsafe-inline'; "
    "form-action 'none'; base-uri 'none'"
)
# What a template may not write, as text: pragmas (a refresh sends the page away) and elements
# that act before or outside any policy (<base>; <link>: DNS prefetch, preloads).
INERT = re.compile(r"http-equiv|<(base|link)(?=[\s/>])", re.IGNORECASE)
# Any href attribute (`xlink:href` too, not `data-href`) and its value, quoted or not; and SVG
# animation's attributeName, which could set an href after the page is read.
HREF = re.compile(r"""(?<![\w.-])href([ \t\n\f\r]*=[ \t\n\f\r]*)("[^"]*"|'[^']*'|[^ \t\n\f\r>]*)""", re.IGNORECASE)
ANIMATED = re.compile(r"(?<![\w.-])attributename(?=[ \t\n\f\r]*=)", re.IGNORECASE)
IN_PAGE = re.compile(r"#[A-Za-z0-9_-]*")  # a link to a part of the same page
WHITE = "[ \t\n\f\r]*"  # HTML's own spaces: any other character before <head> would open <body>
DOCTYPE = re.compile(WHITE + "<!doctype[^>]*>", re.IGNORECASE)
# storygen's own page starts: doctype, <html> with quoted attributes, <head>; nothing between.
SIMPLE_START = re.compile(
    f'{WHITE}(<!doctype html>{WHITE})?(<html([ \t\n\f\r]+[a-z-]+="[^"<>]*")*{WHITE}>{WHITE})?<head>', re.IGNORECASE
)
# What a library template may write but never gets to do: a warning at each (render.template_warnings).
TEMPLATE_RISKS = re.compile(r"<script\b|\son[a-z]+[ \t\n\f\r]*=|http-equiv|<(base|link)\b", re.IGNORECASE)
TEMPLATE_RISK_WHY = (
    "storygen's pages run only storygen's own scripts and load nothing from the network, so this is "
    "stopped or taken out (README: Safety and privacy); use the built-in presenter, or remove it"
)


def _file(name: str) -> Path:
    """A script's file: among storygen's templates, or its preview's data."""
    return PACKAGE / name if name.startswith("data/") else templates_folder() / name


@cache
def script(name: str) -> Markup:
    """The text of one of storygen's own scripts, to place between <script> and </script> as it is."""
    return Markup(_file(FILES[name]).read_text(encoding="utf-8"))


def digest(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii") + "'"


@lru_cache(maxsize=1)
def page_policy() -> str:
    """The policy of every page storygen writes: no network, storygen's own scripts only."""
    return f"{NO_NETWORK}; script-src {' '.join(digest(script(name)) for name in SCRIPTS)}"


@lru_cache(maxsize=1)
def shell_policy() -> str:
    """The preview's own pages: they ask the preview for changes and frame its stories, nothing else."""
    return (
        "default-src 'none'; connect-src 'self'; frame-src 'self'; img-src 'self' data:; "
        f"style-src 'unsafe-inline'; script-src {' '.join(digest(script(name)) for name in ('shell', 'picker', 'edit'))}; "
        "base-uri 'none'; form-action 'self'"
    )


def meta(policy: str) -> str:
    return f'<meta http-equiv="Content-Security-Policy" content="{policy}">'


def protect(html: str, policy: str | None = None, links: Collection[str] | None = None) -> str:
    """html with policy (the page policy when None) as the first element of its <head>, and every
    http-equiv, <base> and <link> a template wrote made inert; given links (a template's page), every
    href but those and in-page ones too (storygen's own pages, the preview's, keep theirs).

    By text, not by parsing: a parser of ours and the browser's may disagree on where a tag is
    (a comment closed early, say), and text cannot. The policy goes just after <head> when the
    page starts as storygen's templates do, else at the very start, where nothing a template
    wrote can come before it (the browser then opens <head> for it)."""
    html = INERT.sub(_inert, html)
    if links is not None:
        html = ANIMATED.sub("data-removed-attributename", HREF.sub(lambda m: _link(m, links), html))
    start = SIMPLE_START.match(html)
    at = start.end() if start else _after_doctype(html)
    return html[:at] + meta(policy or page_policy()) + html[at:]


def _inert(match: re.Match) -> str:
    return "data-removed" if match[0].lower() == "http-equiv" else "&lt;" + match[0][1:]


def _link(match: re.Match, links: Collection[str]) -> str:
    value = match[2][1:-1] if match[2][:1] in ("'", '"') else match[2]
    kept = value in links or IN_PAGE.fullmatch(value)
    return match[0] if kept else "data-removed-href" + match[1] + match[2]


def _after_doctype(html: str) -> int:
    doctype = DOCTYPE.match(html)
    return doctype.end() if doctype else 0
