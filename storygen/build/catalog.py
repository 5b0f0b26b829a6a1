"""Catalog: build/index.html (browse, filter and search the library, even from disk) and
build/catalog.pdf (a printable list for the clinic binder), from the build manifest."""

from __future__ import annotations

import gettext
import hashlib
import json
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING

from .. import __version__, i18n
from ..i18n import N_
from ..pages.assets import Urls, asset_folders
from ..pages.formats import FORMATS
from ..pages.paper import PAPERS
from ..pages.render import environment, render_template
from ..pictures import images, symbols
from ..story.settings import STORY_SUFFIXES, find_library
from .incremental import Entry, Manifest, storygen_hash
from .output import STATE, progress_names, write_atomic

if TYPE_CHECKING:
    from ..pages.pdf import Printer

ALL = slice(None)
PART = 100  # entries printed at a time: the catalog's memory stays flat however long the library

KIND_LABELS = {"social": N_("Social story"), "sensory": N_("Sensory story"), "task": N_("Task analysis")}


def catalog_entries(manifest: Manifest, words: gettext.NullTranslations | None = None) -> list[dict]:
    """Every built story with its cover picture and its links in each of its languages, sorted by title."""
    _ = (words or gettext.NullTranslations()).gettext
    entries = []
    for story_id, entry in manifest.entries.items():
        about, cover = entry.about, entry.about.get("cover", {})
        titles = about.get("titles", {})
        entries.append(
            {
                "id": story_id,
                "title": about.get("title", story_id),
                "titles": [
                    {"code": code, "title": title} for code, title in titles.items()
                ],  # its translations' titles
                "language": (about.get("languages") or [""])[0],
                "all_languages": about.get("languages", []),
                "kind": about.get("kind", "social"),
                "kind_label": _(KIND_LABELS.get(about.get("kind") or "", "")),
                "tags": about.get("tags", []),
                "age": about.get("age"),
                "steps": about.get("steps", 0),
                "library": about.get("library"),
                "cover": _cover_uri(entry, manifest),
                "symbol_set": symbols.split_set(cover["symbol"])[0] if "symbol" in cover else None,
                "credit": cover.get("credit"),  # an own set's, for a cover from it
                "languages": _languages(story_id, entry, _),
            }
        )
    return sorted(entries, key=lambda e: (e["title"].lower(), e["id"]))


def _languages(story_id: str, entry: Entry, _) -> list[dict]:
    """The story's outputs by language, its own first: each language's code, name (in its own
    words), folder and links (label, href)."""
    labels = output_labels(story_id)
    own = (entry.about.get("languages") or [""])[0]
    by_language: dict[str, list[tuple[str, str]]] = {own: []}
    for name in entry.outputs:
        language, _slash, file = name.rpartition("/")
        by_language.setdefault(language or own, []).append((_(labels.get(file, file)), f"{story_id}/{name}"))
    order = [own, *entry.about.get("languages", [])]
    return [
        {
            "code": code,
            "name": i18n.language_name(code) if code else "",
            "folder": f"{story_id}/{code}/" if code and code != own else f"{story_id}/",
            "links": links,
        }
        for code, links in sorted(
            by_language.items(), key=lambda item: order.index(item[0]) if item[0] in order else len(order)
        )
        if links
    ]


def credits(entries: list[dict]) -> list[str]:
    """The credit line of every symbol set the covers come from: built-in ones, then own ones."""
    built_in = [s.credit for s in symbols.SETS if any(e["symbol_set"] == s.name for e in entries)]
    return built_in + sorted({e["credit"] for e in entries if e["credit"]} - set(built_in))


def output_labels(story_id: str) -> dict[str, str]:
    """The label of each file a story's outputs are written to, from the output kinds' registry;
    and the progress report's (a child's build only)."""
    pdf, html = progress_names(story_id)
    labels = {name: label for fmt in FORMATS.values() for name, label in fmt.file_names(story_id).items()}
    return {**labels, pdf: PROGRESS_LABELS[0], html: PROGRESS_LABELS[1]}


PROGRESS_LABELS = (N_("Progress"), N_("Progress (web page)"))


def _cover_uri(entry: Entry, manifest: Manifest) -> str | None:
    """The cover as a data: URL (a small thumbnail for a photo), so the catalog stands alone;
    None when it cannot be shown."""
    cover = entry.about.get("cover", {})
    if "symbol" in cover:
        try:  # storygen's own pictures, by the name the build qualified with its set
            return Urls("screen").symbol(cover["symbol"])
        except KeyError:  # a hand-edited manifest
            return None
    path = _library_picture(entry, cover["image"], manifest) if "image" in cover else None
    if path is None:
        return None
    try:
        library = find_library(manifest.absolute(entry.source))
        shown = images.thumbnail(path, library) if images.is_photo(path) else images.clean_picture(path, library)
        return images.data_uri(*shown)
    except (OSError, ValueError):  # gone, unreadable or damaged since the story was built
        return None


def _library_picture(entry: Entry, image: str, manifest: Manifest) -> Path | None:
    """The cover picture a manifest names, confined like a story's pictures: a picture file
    (images.PICTURE_TYPES) inside the library of the entry's story file (a manifest is a file anyone may edit)."""
    source = manifest.absolute(entry.source)
    if source.suffix not in STORY_SUFFIXES or not source.is_file():
        return None
    path = manifest.absolute(image)
    if not path.is_relative_to(find_library(source)) or not images.is_picture(path) or not path.is_file():
        return None
    return path


def render_catalog(
    entries: list[dict],
    target: str,
    paper: str = "a4",
    part: slice = ALL,
    first_page: int = 1,
    language: str = "en",
    words: gettext.NullTranslations | None = None,
) -> str:
    """The catalog of entries in a language, or one part of it (the heading with the first part,
    the credits with the last) whose pages are numbered from first_page."""
    words = words or gettext.NullTranslations()
    return render_template(
        environment(),
        "catalog.html",
        dict(
            entries=entries[part],
            total=len(entries),
            first=not part.start,
            last=part.stop is None or part.stop >= len(entries),
            first_page=first_page,
            target=target,
            fonts=Urls("screen").fonts(language, *{code for e in entries for code in e["all_languages"]}),
            version=__version__,
            page_size=PAPERS[paper],
            name=library_name(entries, words),
            kinds=[
                (kind, words.gettext(label))
                for kind, label in KIND_LABELS.items()
                if any(e["kind"] == kind for e in entries)
            ],
            tags=sorted({tag for e in entries for tag in e["tags"]}, key=str.lower),
            symbol_credits=[words.gettext(line) for line in credits(entries)],
            language=language,
            text_direction=i18n.direction(language),
        ),
        words,
    )


def library_name(entries: list[dict], words: gettext.NullTranslations) -> str:
    """The name of the library the entries come from (a generic one for several)."""
    names = sorted({e["library"] for e in entries if e["library"]})
    return names[0] if len(names) == 1 else words.gettext(N_("Story library"))


def write_catalog(
    manifest: Manifest, output: Path, paper: str = "a4", language: str = "en", labels: dict | None = None
) -> list[Path]:
    """build/index.html and build/catalog.pdf (on the library's paper, in its language)."""
    # Writing every story's entry again is most of a one-story rebuild in a big library: the
    # catalog is made again only when what it shows changed (a step's text does not show there).
    key, stamp = _catalog_key(manifest, paper, [language, labels]), output / STATE / "catalog.key"
    index, pdf = output / "index.html", output / "catalog.pdf"
    if index.is_file() and pdf.is_file() and stamp.is_file() and stamp.read_text(errors="replace") == key:
        return [index, pdf]
    from ..pages.pdf import Printer  # WeasyPrint: imported only when the catalog is printed (0.5 s)

    words = i18n.translations(language, labels)
    entries = catalog_entries(manifest, words)
    write_atomic(index, render_catalog(entries, "screen", language=language, words=words).encode("utf-8"))
    write_atomic(pdf, _print_in_parts(entries, paper, Printer(), output, language, words))
    write_atomic(stamp, key.encode("ascii"))  # last: a build killed before it makes both again
    return [index, pdf]


def _print_in_parts(
    entries: list[dict], paper: str, printer: Printer, output: Path, language: str, words: gettext.NullTranslations
) -> bytes:
    """The catalog PDF, PART entries at a time, joined into one tagged PDF: printing it whole
    holds every page's layout at once (300 MB for 1,000 stories)."""
    from ..pages.impose import join_tagged  # pypdf: imported only when a catalog is printed
    from ..pages.pdf import About

    about = About(words.gettext("%(name)s: catalog") % {"name": library_name(entries, words)})
    parts, pages = [], 0
    for start in range(0, max(len(entries), 1), PART):
        html = render_catalog(entries, "print", paper, slice(start, start + PART), pages + 1, language, words)
        printed = printer.print(html, output, output, asset_folders(), about)
        parts.append(printed.pdf)
        pages += printed.pages
    return parts[0] if len(parts) == 1 else join_tagged(parts)


def _catalog_key(manifest: Manifest, paper: str, words: list) -> str:
    """What the catalog is made from: each story's entry (what it shows, its outputs, its cover
    photo's content hash), the paper, storygen's code and templates, the symbols, font and WeasyPrint."""
    shown = {
        story_id: [
            entry.source,
            entry.about,
            entry.outputs,
            entry.files.get(entry.about.get("cover", {}).get("image", "")),
        ]
        for story_id, entry in manifest.entries.items()
    }
    made_with = [
        storygen_hash(),
        paper,
        words,
        *(metadata.version(s.package) for s in symbols.SETS if s.package),
        *(metadata.version(name) for name in ("fontpkg-atkinson-hyperlegible", "weasyprint")),
    ]
    return hashlib.sha256(json.dumps([made_with, shown], sort_keys=True).encode()).hexdigest()
