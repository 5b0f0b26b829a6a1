"""The links of a story's web page: to the story in its other languages, each named in its own
words, and to the files printed for its language, so that a family can switch language and find
the PDF to print.

The build says which pages and files there are (build/story.py); here they become plain data for
the template. Every address is relative and inside the story's own output folder (`es/x.html`,
`../x-cards.pdf`), so the page works from disk, from an e-mail's attachment folder or on any
static host; `policy.protect` keeps these links, and only these, on the page: a library template
can neither add a link of its own nor make one of these point anywhere else.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .. import i18n
from .formats import FORMATS

# A link between a story's outputs: at most one step up (a translation's page to its story's
# folder), at most two folders down (the catalog: <id>/<language>/), a file storygen writes.
# No scheme, no host, no leading slash, no other `..`.
RELATIVE = re.compile(r"(\.\./)?([A-Za-z0-9][A-Za-z0-9_-]*/){0,2}[A-Za-z0-9][A-Za-z0-9_-]*\.(pdf|html)")


def relative(href: str) -> str:
    """href, when it is a link between a story's outputs (RELATIVE); else a bug: ValueError."""
    if not RELATIVE.fullmatch(href):
        raise ValueError(f"not a relative link to a story's output: {href!r}")
    return href


@dataclass(frozen=True)
class PageLinks:
    """What a story's web page links to: the story's languages in order, each with its web
    page's link (the page's own language among them), and the files made for its language."""

    language: str  # the page's own
    languages: tuple[tuple[str, str], ...] = ()  # (language, link to its web page)
    files: tuple[tuple[str, str], ...] = ()  # (output kind, link to its file)

    def hrefs(self) -> frozenset[str]:
        """Every link the page may hold."""
        return frozenset(relative(href) for _, href in (*self.languages, *self.files))


def links_data(links: PageLinks | None, words) -> dict | None:
    """The links as a template gets them: each language named in its own words, with its code
    and direction (for `lang`, `hreflang`, `dir`) and whether it is the page's; each file with
    its kind's label in the page's language (gettext translations `words`). No other language:
    no language list."""
    if links is None:
        return None
    languages = [
        {
            "code": code,
            "name": i18n.language_name(code),
            "dir": i18n.direction(code),
            "href": relative(href),
            "current": code == links.language,
        }
        for code, href in links.languages
    ]
    files = [
        {"format": name, "label": words.gettext(FORMATS[name].label), "href": relative(href)}
        for name, href in links.files
    ]
    return {"languages": languages if len(languages) > 1 else [], "files": files}
