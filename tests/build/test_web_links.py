"""A story's web page in each language links to the others, each named in its own words, and to
the files printed for its language; the catalog too. Every link is relative and leads to a file
of the build; a library template cannot add a link of its own or turn one into another."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from babel import Locale
from click.testing import CliRunner

from storygen.cli import main
from storygen.pages import policy

STORY = """\
title: Going to the doctor
steps:
  - text: I sit in the waiting room.
    symbol: chair
  - I say hello to the doctor.
translations:
  es:
    title: Voy al médico
    steps: [Me siento en la sala de espera., Saludo al médico.]
  ar:
    title: أذهب إلى الطبيب
    steps: [أجلس في غرفة الانتظار., أقول مرحبًا للطبيب.]
  zh:
    title: 我去看医生
    steps: [我坐在候诊室里。, 我跟医生说你好。]
"""
LANGUAGES = ["en", "es", "ar", "zh"]
FORMATS = "story,cards,guide"


class Links(HTMLParser):
    """Every element with an href (its attributes and text), and the language list's links."""

    def __init__(self):
        super().__init__()
        self.links: list[dict] = []
        self.inside: list[dict] = []

    def handle_starttag(self, tag, attrs):
        if tag in ("a", "area") or any(name.endswith("href") for name, _ in attrs):
            self.links.append({"tag": tag, **dict(attrs), "text": ""})
            if tag == "a":
                self.inside.append(self.links[-1])

    def handle_endtag(self, tag):
        if tag == "a" and self.inside:
            self.inside.pop()

    def handle_data(self, data):
        for link in self.inside:
            link["text"] += data


def links_of(page: Path) -> list[dict]:
    parser = Links()
    parser.feed(page.read_text(encoding="utf-8"))
    return parser.links


def page_of(build: Path, language: str) -> Path:
    return build / "doctor" / ("" if language == "en" else language) / "doctor.html"


def own_words(tag: str) -> str:
    return Locale.parse(tag, sep="-").get_display_name(tag)


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    library = tmp_path_factory.mktemp("links")
    (library / "storygen.yaml").write_text("name: Clinic\n", encoding="utf-8")
    (library / "stories").mkdir()
    (library / "stories" / "doctor.yaml").write_text(STORY, encoding="utf-8")
    build = library / "build"
    result = CliRunner().invoke(main, ["build", str(library / "stories"), "-o", str(build), "--format", FORMATS])
    assert result.exit_code == 0, result.output
    return library, build, result.output


def test_the_build_line_names_each_language_s_files_by_their_folder(built):
    *_, said = built
    line = next(line for line in said.splitlines() if line.startswith("built "))
    assert "/doctor/: doctor.pdf, " in line and ", es/doctor.pdf, " in line and line.count("doctor.html") == 4
    assert ", zh/doctor.html" in line


def test_each_language_page_links_to_each_language_by_its_own_name(built):
    _, build, _ = built
    assert [own_words(x) for x in LANGUAGES] == ["English", "español", "العربية", "中文"]
    for language in LANGUAGES:
        page = page_of(build, language)
        languages = [link for link in links_of(page) if link.get("lang")]
        assert [link["text"] for link in languages] == [own_words(x) for x in LANGUAGES], language
        for link, other in zip(languages, LANGUAGES, strict=True):
            assert link["hreflang"] == link["lang"] == other
            assert link["dir"] == ("rtl" if other == "ar" else "ltr")
            assert (link.get("aria-current") == "page") == (other == language)  # its own marked, only its own
            assert (page.parent / link["href"]).resolve() == page_of(build, other).resolve()
        assert re.search(rf'<html lang="{language}" dir="{"rtl" if language == "ar" else "ltr"}"', page.read_text())


def test_each_language_page_links_to_its_own_pdf_and_handouts(built):
    _, build, _ = built
    for language in LANGUAGES:
        page = page_of(build, language)
        files = {link["href"]: link for link in links_of(page) if link.get("type") == "application/pdf"}
        assert set(files) == {"doctor.pdf", "doctor-cards.pdf", "doctor-guide.pdf"}, language
        assert {link["hreflang"] for link in files.values()} == {language}
        assert all((page.parent / href).is_file() for href in files)  # its own language's files, beside it
    spanish = {link["text"] for link in links_of(page_of(build, "es")) if link.get("type")}
    assert spanish == {"Historia (PDF)", "Tarjetas", "Guía"}  # named in the page's language


def test_every_link_resolves_to_a_file_of_the_build(built):
    """From file:// or any static host: relative, and never outside the output folder."""
    _, build, _ = built
    pages = [page_of(build, x) for x in LANGUAGES] + [build / "index.html"]
    for page in pages:
        links = links_of(page)
        assert links, page
        for link in links:
            href = link["href"]
            assert not re.match(r"[a-z]+:|/", href), (page, href)  # no scheme, no host, no root
            target = (page.parent / href).resolve()
            assert target.is_relative_to(build.resolve()) and target.is_file(), (page, href)


def test_the_catalog_names_each_language_in_its_own_words(built):
    _, build, _ = built
    links = links_of(build / "index.html")
    html = (build / "index.html").read_text(encoding="utf-8")
    for language in LANGUAGES:
        direction = "rtl" if language == "ar" else "ltr"
        name = f'<span class="language" lang="{language}" dir="{direction}">{own_words(language)}</span>'
        assert name in html
        folder = "doctor/" if language == "en" else f"doctor/{language}/"
        mine = [
            link for link in links if link["href"].startswith(folder) and link["href"].count("/") == folder.count("/")
        ]
        assert {link["href"][len(folder) :] for link in mine} == {
            "doctor.pdf",
            "doctor.html",
            "doctor-cards.pdf",
            "doctor-guide.pdf",
        }
        assert {link["hreflang"] for link in mine} == {language}


def test_a_page_built_alone_links_to_the_languages_built_before(built):
    """`--language es` writes the Spanish page only: it still links to the others, already built."""
    library, build, _ = built
    page_of(build, "es").unlink()
    again = CliRunner().invoke(
        main, ["build", str(library / "stories"), "-o", str(build), "--format", FORMATS, "--language", "es", "--force"]
    )
    assert again.exit_code == 0, again.output
    languages = [link["lang"] for link in links_of(page_of(build, "es")) if link.get("lang")]
    assert languages == LANGUAGES


def test_a_one_language_story_has_no_language_list(tmp_path):
    (tmp_path / "stories").mkdir()
    (tmp_path / "stories" / "wave.yaml").write_text("title: Wave\nsteps: [I wave.]\n", encoding="utf-8")
    result = CliRunner().invoke(
        main, ["build", str(tmp_path / "stories"), "-o", str(tmp_path / "b"), "--format", "story"]
    )
    assert result.exit_code == 0, result.output
    links = links_of(tmp_path / "b" / "wave" / "wave.html")
    assert [link["href"] for link in links] == ["wave.pdf"]


ATTACK = """\
{% extends "builtin/story.html" %}
{% block links %}{{ super() }}{% if links %}
<a id="a1" href="https://example.org/?{{ story.title }}">1</a>
<a id="a2" HREF=//example.org/2>2</a>
<a id="a3" href = 'http://example.org/3'>3</a>
<a id="a4" href="&#104;ttp://example.org/4">4</a>
<a id="a5" href="{{ links.files[0].href }}?{{ story.title }}">5</a>
<a id="a6" href="{{ links.languages[1].href }}#x" hreflang="es">6</a>
<a id="a7" href="../../../outside.pdf">7</a>
<img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=" usemap="#m" alt=""><map name="m"><area id="a8" shape="rect" coords="0,0,1,1" href="http://example.org/8"></map>
<svg width="10" height="10"><a id="a9" xlink:href="http://example.org/9"><rect width="10" height="10"/></a>
<a id="a10"><set attributeName="href" to="http://example.org/10"/><rect width="10" height="10"/></a></svg>
<a id="a11" href="#step-1">in the page</a>
{% endif %}{% endblock %}
"""
RESOLVED = """() => [...document.querySelectorAll('a, area')].map(e => {
  const href = typeof e.href === 'string' ? e.href : e.href.animVal;
  return [e.id, href ? new URL(href, document.baseURI).href : null];
})"""


def test_a_library_template_cannot_link_anywhere_else(tmp_path, browser):
    library = tmp_path / "library"
    (library / "stories").mkdir(parents=True)
    (library / "storygen.yaml").write_text("name: Clinic\n", encoding="utf-8")
    (library / "stories" / "doctor.yaml").write_text(STORY, encoding="utf-8")
    (library / "templates").mkdir()
    (library / "templates" / "story.html").write_text(ATTACK, encoding="utf-8")
    build = library / "build"
    args = ["build", str(library / "stories"), "-o", str(build), "--format", "story", "--language", "en,es"]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    page = page_of(build, "en")
    context = browser.new_context()
    tab = context.new_page()
    tab.goto(page.as_uri())
    tab.wait_for_timeout(300)  # the SVG animation has started
    resolved = dict(tab.evaluate(RESOLVED))
    context.close()
    inside = build.resolve().as_uri() + "/"
    assert all(href is None or href.startswith(inside) for href in resolved.values()), resolved
    assert {name for name, href in resolved.items() if href} == {"", "a11"}  # storygen's own, and in the page
    assert resolved["a11"] == page.as_uri() + "#step-1"
    kept = [link["href"] for link in links_of(page) if "href" in link]
    assert kept == ["doctor.html", "es/doctor.html", "doctor.pdf", "#step-1"]


@pytest.mark.parametrize(
    ("html", "kept"),
    [
        ('<a href="x.pdf">', True),
        ("<a href='x.pdf'>", True),
        ("<a href=x.pdf>", True),
        ('<a href="#step-2">', True),
        ('<a href="https://x.org/">', False),
        ('<a HREF = "//x.org">', False),
        ('<a/href="x.pdf?name=Mia">', False),
        ('<svg><a xlink:href="http://x">', False),
        ('<a href="&#x78;.pdf">', False),
        ('<a href="javascript:alert(1)">', False),
    ],
)
def test_only_the_links_given_are_kept(html, kept):
    page = policy.protect(html, links={"x.pdf"})
    assert ("data-removed-href" not in page) == kept, page
    assert policy.protect('<a data-href="https://x"><a href="https://x">', links=None).count("https://x") == 2


def test_the_links_sit_below_the_buttons_on_a_phone_and_leave_when_presenting(built, browser):
    _, build, _ = built
    for language in ("en", "ar"):
        context = browser.new_context(viewport={"width": 390, "height": 844})
        tab = context.new_page()
        tab.goto(page_of(build, language).as_uri())
        nav, buttons = tab.locator(".story-links").bounding_box(), tab.locator(".screen-controls").bounding_box()
        assert nav and buttons and nav["y"] >= buttons["y"] + buttons["height"], language
        assert nav["x"] >= 0 and nav["x"] + nav["width"] <= 390  # no sideways scrolling
        tab.click("#present")
        assert not tab.locator(".story-links").is_visible()
        context.close()
