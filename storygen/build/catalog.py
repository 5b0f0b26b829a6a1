"""Catalog: build/index.html (browse, filter and search the library, even from disk) and
build/catalog.pdf (a printable list for the clinic binder), from the build manifest."""

from __future__ import annotations

import gettext
import hashlib
import json
from functools import partial
from importlib import metadata
from pathlib import Path
from typing import Any

from .. import __version__, i18n
from ..i18n import N_
from ..pages.assets import FONT_PACKAGES, Urls, asset_folders
from ..pages.formats import FORMATS
from ..pages.links import RELATIVE
from ..pages.paper import PAPERS
from ..pages.render import environment, render_template
from ..pictures import images, symbols
from ..story.settings import STORY_SUFFIXES, find_library
from .incremental import Entry, Manifest, storygen_hash
from .output import (
    STATE,
    OutputError,
    kept_part_path,
    kept_parts,
    progress_names,
    remove_kept_parts,
    write_atomic,
)

ALL = slice(None)
PART = 100  # entries printed at a time, about: the catalog's memory stays flat however long the library

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
    words) and direction, folder and links (label, href)."""
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
            "dir": i18n.direction(code) if code else "auto",
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
        catalog_context(entries, target, paper, part, first_page, language, words),
        words,
        frozenset(
            href for e in entries for shown in e["languages"] for _, href in shown["links"] if RELATIVE.fullmatch(href)
        ),
    )


def catalog_context(
    entries: list[dict],
    target: str,
    paper: str,
    part: slice,
    first_page: int,
    language: str,
    words: gettext.NullTranslations,
) -> dict:
    """What the catalog's template is given: what the page (or one printed part) shows, and
    nothing it does not, since a kept part's key is made of it (the count of stories with the
    first part only, the credits with the last, the filters on screen only)."""
    first, last = not part.start, part.stop is None or part.stop >= len(entries)
    screen = target == "screen"
    return dict(
        entries=entries[part],
        total=len(entries) if first else None,
        first=first,
        last=last,
        first_page=first_page,
        target=target,
        fonts=Urls("screen").fonts(language, *{code for e in entries[part] for code in e["all_languages"]}),
        version=__version__,
        page_size=PAPERS[paper],
        name=library_name(entries, words),
        kinds=[
            (kind, words.gettext(label))
            for kind, label in KIND_LABELS.items()
            if any(e["kind"] == kind for e in entries)
        ]
        if screen
        else [],
        tags=sorted({tag for e in entries for tag in e["tags"]}, key=str.lower) if screen else [],
        symbol_credits=[words.gettext(line) for line in credits(entries)] if last else [],
        language=language,
        text_direction=i18n.direction(language),
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
    made_with = _made_with(paper, [language, labels])
    key, stamp = _catalog_key(manifest, made_with), output / STATE / "catalog.key"
    index, pdf = output / "index.html", output / "catalog.pdf"
    if index.is_file() and pdf.is_file() and stamp.is_file() and stamp.read_text(errors="replace") == key:
        return [index, pdf]
    words = i18n.translations(language, labels)
    entries = catalog_entries(manifest, words)
    write_atomic(index, render_catalog(entries, "screen", language=language, words=words).encode("utf-8"))
    write_atomic(pdf, _print_in_parts(entries, paper, output, language, words, made_with))
    write_atomic(stamp, key.encode("ascii"))  # last: a build killed before it makes both again
    return [index, pdf]


def part_bounds(entries: list[dict]) -> list[slice]:
    """The catalog's parts: from PART / 2 to 2 * PART entries each (about PART), each ending
    after an entry chosen by its id alone, so that a story added, removed or retitled changes
    the part it leaves or joins, not every part after it."""
    bounds, start, least = [], 0, max(PART // 2, 1)
    for i, entry in enumerate(entries):
        size = i + 1 - start
        if size >= 2 * PART or (size >= least and _ends_part(entry["id"], PART - least)):
            bounds.append(slice(start, i + 1))
            start = i + 1
    if start < len(entries) or not bounds:
        bounds.append(slice(start, None))
    return bounds


def _ends_part(story_id: str, one_in: int) -> bool:
    return int(hashlib.sha256(story_id.encode()).hexdigest()[:8], 16) % max(one_in, 1) == 0


def _print_in_parts(
    entries: list[dict],
    paper: str,
    output: Path,
    language: str,
    words: gettext.NullTranslations,
    made_with: list,
) -> bytes:
    """The catalog PDF, a part at a time, joined into one tagged PDF: printing it whole holds
    every page's layout at once (300 MB for 1,000 stories). Each part is kept in the output
    folder by a hash of its page (its HTML, numbered from its first page) and of what prints
    it, and printed again only when that changed or its kept file is damaged: one title
    changed in a long library reprints the part it is in."""
    from ..pages import join  # pypdf: imported only when a catalog is printed

    title = words.gettext("%(name)s: catalog") % {"name": library_name(entries, words)}
    bounds = part_bounds(entries)
    if len(bounds) == 1:  # nothing to join, nothing to keep
        remove_kept_parts(output, set())
        return _print(render_catalog(entries, "print", paper, ALL, 1, language, words), output, title)
    kept, used, printers = kept_parts(output), set(), list[Any]()
    parts: list[join.Part] = []
    for bound in bounds:
        shown = catalog_context(entries, "print", paper, bound, sum(p.pages for p in parts) + 1, language, words)
        key = hashlib.sha256(json.dumps([join.FORMAT, made_with, shown], sort_keys=True).encode()).hexdigest()
        part = _kept_part(kept.get(key), parts)
        if part is None:
            html = render_template(environment(), "catalog.html", shown, words)
            taken = [(p.first, p.last) for p in parts] + [(first, last) for _path, first, last in kept.values()]
            part = join.joinable(_print(html, output, title, printers), partial(_free_range, taken))
            kept[key] = (kept_part_path(output, key, part.first, part.last), part.first, part.last)
            write_atomic(kept[key][0], part.to_bytes())
        parts.append(part)
        used.add(kept[key][0])
    remove_kept_parts(output, used)
    return join.join(parts)


def _print(html: str, output: Path, title: str, printers: list | None = None) -> bytes:
    """One part of the catalog printed, by the printer in printers (made and put there the first
    time: WeasyPrint is imported only when a part is printed, 0.5 s)."""
    from ..pages.pdf import About, Printer

    printers = [] if printers is None else printers
    if not printers:
        printers.append(Printer())
    return printers[0].print(html, output, output, asset_folders(), About(title)).pdf


def _kept_part(found: tuple[Path, int, int] | None, parts: list) -> Any:
    """A kept part, read back and checked (its name, its digest, a range apart from the other
    parts'); None when missing or damaged: it is then printed again."""
    from ..pages import join

    if found is None:
        return None
    path, first, last = found
    try:
        part = join.read_part(path.read_bytes())
    except (OSError, ValueError, KeyError, TypeError):
        return None
    if (part.first, part.last) != (first, last) or any(p.first <= last and first <= p.last for p in parts):
        return None
    return part


def _free_range(taken: list[tuple[int, int]], count: int) -> int:
    """The first number of count free object numbers, apart from every range taken."""
    from ..pages.join import FIRST_FREE, LAST_NUMBER

    first = FIRST_FREE
    for start, end in sorted(taken):
        if first + count <= start:
            break
        first = max(first, end + 1)
    if first + count - 1 > LAST_NUMBER:
        raise OutputError("the catalog is too long to print in one PDF")
    return first


def _made_with(paper: str, words: list) -> list:
    """What prints the catalog: storygen's code and templates, the paper, the words, the
    symbols, the font and WeasyPrint."""
    return [
        storygen_hash(),
        paper,
        words,
        *(metadata.version(s.package) for s in symbols.SETS if s.package),
        *(metadata.version(name) for name in (*FONT_PACKAGES, "weasyprint", "pypdf")),
    ]


def _catalog_key(manifest: Manifest, made_with: list) -> str:
    """What the catalog is made from: each story's entry (what it shows, its outputs, its cover
    photo's content hash) and what prints it."""
    shown = {
        story_id: [
            entry.source,
            entry.about,
            entry.outputs,
            entry.files.get(entry.about.get("cover", {}).get("image", "")),
        ]
        for story_id, entry in manifest.entries.items()
    }
    return hashlib.sha256(json.dumps([made_with, shown], sort_keys=True).encode()).hexdigest()
