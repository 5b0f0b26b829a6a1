"""Render: a validated Story -> HTML, through sandboxed, autoescaped Jinja2 templates.

Templates are untrusted too (a library may bring its own), so they receive plain data
only: text, numbers, lists and mappings made here, with no model objects, paths or
methods, in an immutable sandbox. Every URL in the HTML is built here, in Python, from
checked paths: a `file:` URL for print (served by the confined fetcher) or a `data:`
URL for screen, so the HTML file works alone, shared or emailed.
"""

from __future__ import annotations

import dataclasses
import gettext
import re
import traceback
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

from jinja2 import ChoiceLoader, FileSystemLoader, PrefixLoader, StrictUndefined, TemplateNotFound, pass_context
from jinja2.loaders import split_template_path

from .. import __version__, files, i18n, languages
from ..errors import Problem, Severity, StoryError
from ..i18n import N_
from ..pictures import symbols
from ..story.fields import PROMPT_NAMES
from ..story.load import library_bytes
from ..story.model import Picture, Story
from ..story.settings import Settings, symbol_sets
from . import formats, policy
from .assets import Target, Urls, templates_folder
from .links import PageLinks, links_data
from .paper import PAPERS
from .sandbox import Sandbox, budget

SENSE_SYMBOLS = {
    "sight": "eye",
    "sound": "ear",
    "touch": "raised hand",
    "smell": "nose",
    "taste": "tongue",
    "movement": "person cartwheeling",
    "body": "people hugging",
    "interoception": "anatomical heart",
}
SENSE_NAMES = {  # on the sensory kit
    "sight": N_("Sight"),
    "sound": N_("Sound"),
    "touch": N_("Touch"),
    "smell": N_("Smell"),
    "taste": N_("Taste"),
    "movement": N_("Movement (vestibular)"),
    "body": N_("Body (proprioceptive)"),
    "interoception": N_("Inside the body (interoception)"),
}
SENSE_LABELS = {  # on a sensory story's page, and in the kit's summary
    "sight": N_("Sight"),
    "sound": N_("Sound"),
    "touch": N_("Touch"),
    "smell": N_("Smell"),
    "taste": N_("Taste"),
    "movement": N_("Movement"),
    "body": N_("Body"),
    "interoception": N_("Inside the body"),
}
KIND_NAMES = {"social": N_("A social story"), "sensory": N_("A sensory story"), "task": N_("Step by step")}
MAX_TEMPLATE_BYTES = 256 * 1024  # a library template is a page of markup, not a data file
TEMPLATE_HINT = "fix the library's templates/ (see templates/README.md)"


class LibraryLoader(FileSystemLoader):
    """A library's `templates/`: each file read through the descriptor checked (files.read), and
    refused when its real path lies outside the library or it is not a small regular file."""

    def __init__(self, folder: Path, library: Path):
        super().__init__(str(folder))
        self.folder, self.library = Path(folder), Path(library).resolve()

    def get_source(self, environment, template):
        path = self.folder.joinpath(*split_template_path(template))
        if not (path.exists() or path.is_symlink()):
            raise TemplateNotFound(template)
        try:
            content = library_bytes(path, self.library, MAX_TEMPLATE_BYTES)
        except files.TooLarge:
            message, hint = (
                f"this template is over {MAX_TEMPLATE_BYTES // 1024} KB",
                "a template holds markup and styles only",
            )
            raise StoryError([Problem(path, 1, 1, message, hint=hint)]) from None
        mtime = path.stat().st_mtime

        def unchanged() -> bool:  # only when to read it again: what is read is read as above
            try:
                return path.stat().st_mtime == mtime
            except OSError:
                return False

        return content.decode(self.encoding), str(path), unchanged


def template_warnings(library: Path) -> list[Problem]:
    """A warning at each place a library's template writes what storygen's pages never run or
    keep (a script, an on...= attribute, http-equiv, <base>, <link>): what it meant to do won't happen."""
    folder = Path(library) / "templates"
    problems = []
    for path in sorted(folder.rglob("*")) if folder.is_dir() else []:
        if path.suffix.lower() not in (".html", ".css"):
            continue
        try:
            text = library_bytes(path, library, MAX_TEMPLATE_BYTES).decode("utf-8", errors="replace")
        except (StoryError, ValueError):  # not a file storygen reads: said when the template is used
            continue
        for match in policy.TEMPLATE_RISKS.finditer(text):
            line = text.count("\n", 0, match.start()) + 1
            col = match.start() - text.rfind("\n", 0, match.start())
            what = match[0].strip().rstrip("= ").lower()
            problems.append(
                Problem(path, line, col, f"'{what}' in a template: {policy.TEMPLATE_RISK_WHY}", Severity.WARNING)
            )
    return problems


def environment(library: Path | None = None) -> Sandbox:
    """Templates: a library's `templates/` first, then the built-in ones, which are also
    reachable as `builtin/<name>` so that an override can extend the one it replaces."""
    overrides = Path(library) / "templates" if library else None
    # Cached by whether the library has templates now: a folder made later is not missed.
    return _environment(library, overrides if overrides and overrides.is_dir() else None)


@lru_cache(maxsize=8)
def _environment(library: Path | None, overrides: Path | None) -> Sandbox:
    builtin = FileSystemLoader(str(templates_folder()))
    loaders = [LibraryLoader(overrides, library)] if library and overrides else []
    env = Sandbox(
        loader=ChoiceLoader([*loaders, builtin, PrefixLoader({"builtin": builtin})]),
        extensions=["jinja2.ext.i18n"],  # {% trans %} and _(): the words storygen adds, translated (i18n.py)
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.policies["ext.i18n.trimmed"] = True  # a message's line breaks and indents are not the translator's
    del env.globals["lipsum"]  # random text: nothing a story needs
    env.globals["script"] = policy.script  # storygen's own scripts, the only ones a page runs (policy.py)
    env.filters["family_words"] = family_words
    env.filters["in_rows"] = in_rows
    return env


NUMBER_WORDS = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"]
# A clinician's shorthand, and what a family reads instead: "3 sessions in a row, every step I"
# becomes "three times in a row, every step on their own".
FAMILY_WORDS = [
    (r"\b(every|each|all)( of the)? steps? (at |is |are )?(I|IND|independent(ly)?)\b", r"\1 step on their own"),
    (r"\bindependent(ly)?\b", "on their own"),
    (r"\b(\d+) (consecutive|successive) sessions?\b", r"\1 times in a row"),
    (r"\b(\d+) sessions? in a row\b", r"\1 times in a row"),
    (r"\bsessions?\b", "practice times"),
    (r"\bprompts?\b", "help"),
    (r"\bprobes?\b", "checks"),
]


def in_rows(items: list, columns: int, direction: str = "ltr", first: int = 1) -> list[dict]:
    """The items of a grid, each with its number and its place ({item, number, place}): for a
    language read right to left, `grid-column` and `grid-row` putting the first at the top right
    (WeasyPrint lays out every grid left to right); written in reading order, so a screen reader
    and the PDF's tags read them in order."""
    cells = []
    for i, item in enumerate(items):
        row, column = divmod(i, columns)
        place = f"grid-row: {row + 1}; grid-column: {columns - column}" if direction == "rtl" else ""
        cells.append({"item": item, "number": first + i, "place": place})
    return cells


@pass_context
def family_words(context, text: str) -> str:
    """A clinician's shorthand (sessions, I for independent, prompts) in a family's words; in
    English only (a translation's words are the translator's)."""
    if i18n.base(context.get("language") or "en") != "en":
        return text
    for pattern, words in FAMILY_WORDS:
        text = re.sub(pattern, words, text, flags=re.IGNORECASE)
    return re.sub(
        r"\b(\d+)\b(?= (practice )?times)", lambda m: NUMBER_WORDS[int(m[1])] if int(m[1]) <= 10 else m[1], text
    )


def image(src: str, alt: str, kind: Literal["symbol", "photo"]) -> dict:
    """A picture ready for a template: where to load it, what it shows, what kind it is."""
    return {"src": src, "alt": alt, "kind": kind}


def render_story(story: Story, target: Target = "print", paper: str = "a4") -> str:
    """The story as one HTML document: for WeasyPrint (print) or for a browser (screen)."""
    return render(story, "story", target, paper)


def render(
    story: Story,
    name: str,
    target: Target = "print",
    paper: str = "a4",
    settings: Settings | None = None,
    library: Path | None = None,
    document_title: str | None = None,
    inline: bool = False,
    links: PageLinks | None = None,
) -> str:
    """One output of a story as HTML, from its format's template (formats.FORMATS; the
    library's own `templates/<template>` when it has one), given its layout numbers.
    document_title: the title in the PDF's metadata and the page's <title>, when it must not
    be the story's (a child's story: no child's name in metadata). inline: files carried
    inside the HTML (`data:` URLs) whatever the target, for a browser to show a print version.
    links: the web page's links to the story's other languages and printed files (links.py)."""
    settings, fmt = settings or Settings(), formats.FORMATS[name]
    sheet = fmt.sheet(story, paper, settings)
    layout = {
        "format": name,
        "page_size": f"{PAPERS[paper]}{' landscape' if sheet.landscape else ''}",
        "layout": plain(fmt.layout(sheet)),
        "step_pages": formats.step_page_numbers(story, formats.FORMATS["story"].sheet(story, paper, settings)),
    }
    return render_page(
        story, str(fmt.template), lambda urls, words: layout, target, settings, library, document_title, inline, links
    )


def render_page(
    story: Story,
    template: str,
    more: Callable[[Urls, gettext.NullTranslations], dict],
    target: Target = "print",
    settings: Settings | None = None,
    library: Path | None = None,
    document_title: str | None = None,
    inline: bool = False,
    links: PageLinks | None = None,
) -> str:
    """A page of a story from a template: what every output's template is given (the story as
    plain data, its cover, fonts, names of prompts and senses in its language, its links...), and
    what more(urls, words) adds; the credits of the symbol sets its pictures came from last."""
    settings = settings or Settings()
    urls = Urls(target, symbol_sets(settings, library) if library else builtin_sets(settings), inline, library)
    words = i18n.translations(story.language, settings.labels_for(story.language))
    _ = words.gettext
    # names looked up ahead, of which a page prints only some: not noted as printed (i18n.noting_english)
    named = i18n.translations(story.language, settings.labels_for(story.language), noting=False).gettext
    context = {
        "story": {**story_data(story, urls), "mastery": mastery_words(story, words)},
        "target": target,
        "document_title": document_title or story.title,
        "settings": settings.for_families(),
        "cover": picture(cover_of(story), urls, story.title),
        "fonts": urls.fonts(story.language),
        "kind_name": _(KIND_NAMES[story.kind]),
        "ladder": story.ladder,
        "prompt_names": {code: named(name) for code, name in PROMPT_NAMES.items()} | story.own_prompt_names,
        "sense_names": {sense: named(name) for sense, name in SENSE_NAMES.items()},
        "sense_labels": {sense: named(name) for sense, name in SENSE_LABELS.items()},
        "language": story.language,
        "text_direction": i18n.direction(story.language),
        "version": __version__,
        "links": links_data(links, words),  # the web page's, else None
        "branding": branding(settings, library, urls, target),
        **more(urls, words),
    }
    # after every picture is made: the sets they came from are credited, and only those
    context["symbol_credits"] = [_(line) for line in urls.credits()]
    # for library templates written before symbol_credits
    context["openmoji_credit"] = symbols.BUILT_IN["openmoji"].credit if "openmoji" in urls.sets_used else None
    allowed = links.hrefs() if links else frozenset()
    html = render_template(environment(Path(library) if library else None), template, context, words, allowed)
    return keep_words(html) if target == "print" and languages.of(story.language).keep_words else html


def branding(settings: Settings, library: Path | None, urls: Urls, target: Target) -> dict | None:
    """The library's logo (its URL, cleaned as every library picture) and footer line, for the
    margins of a printed page; None on screen, or when the library sets none. Nothing of a child:
    the words are the library's settings, never filled in."""
    found = settings.branding
    if target != "print" or found is None:
        return None
    logo = urls.file(Path(library).resolve() / found.logo) if found.logo and library else None
    about = settings.for_families()
    named = {"logo": logo, "footer": found.footer, "name": about["clinic"] or about["name"] or ""}
    return named if logo or found.footer else None


def mastery_words(story: Story, words) -> str | None:
    """The story's mastery rule in words of its language (gettext translations `words`); a rule
    written in words, as it is."""
    rule = story.mastery
    if rule is None or isinstance(rule, str):
        return rule
    n = rule.sessions
    if rule.step:
        said = words.ngettext(
            "every step at %(code)s or more independent, %(num)s session in a row",
            "every step at %(code)s or more independent, %(num)s sessions in a row",
            n,
        )
    elif rule.independent == 100:
        said = words.ngettext(
            "every step independent, %(num)s session in a row", "every step independent, %(num)s sessions in a row", n
        )
    else:
        said = words.ngettext(
            "%(percent)s%% of the steps independent, %(num)s session in a row",
            "%(percent)s%% of the steps independent, %(num)s sessions in a row",
            n,
        )
    return said % {"code": rule.step, "num": n, "percent": rule.independent}


HANGUL_RUN = re.compile(r"(?<=[\uac00-\ud7a3])(?=[\uac00-\ud7a3])")


def keep_words(html: str) -> str:
    """Korean breaks lines between words, not syllables: a WORD JOINER between the syllables of
    each word of the body keeps them together in print (WeasyPrint has no `word-break: keep-all`;
    browsers get that from the CSS). Copied or extracted text leaves the joiners out."""
    start = html.find("<body")
    return html[:start] + HANGUL_RUN.sub("\u2060", html[start:])


def render_template(env: Sandbox, name: str, context: dict, words=None, links: frozenset[str] = frozenset()) -> str:
    """The template filled in, its messages in words (gettext translations; English when
    none), with no link but links (relative links storygen made, policy.protect) and in-page
    ones; a fault in a library's template is a problem at its file and line."""
    env.install_gettext_translations(words or gettext.NullTranslations(), newstyle=True)  # type: ignore[attr-defined]
    try:
        with budget(context):  # sandbox.py: what a template may make, by what it is given
            return policy.protect(env.get_template(name).render(context), links=links)
    except StoryError:
        raise
    except Exception as exc:
        where = _library_template_line(exc, templates_folder())
        if where is None:
            raise  # in storygen's own templates: a bug, reported as one
        message = getattr(exc, "message", None) or str(exc) or type(exc).__name__
        raise StoryError([Problem(where[0], where[1], 1, f"template error: {message}", hint=TEMPLATE_HINT)]) from None


def _library_template_line(exc: Exception, builtin: Path) -> tuple[Path, int] | None:
    """(file, line) of the innermost template frame of an error, when it is not a built-in template."""
    file, line = getattr(exc, "filename", None), getattr(exc, "lineno", None)  # set on syntax errors
    frames = [(file, line)] if file and line else []
    frames += [(frame.filename, frame.lineno) for frame in traceback.extract_tb(exc.__traceback__)]
    templates = [(Path(file), line) for file, line in frames if file.endswith((".html", ".css"))]
    if not templates or templates[-1][0].resolve().is_relative_to(builtin.resolve()):
        return None
    return templates[-1][0], templates[-1][1] or 1


def story_data(story: Story, urls: Urls) -> dict:
    """The story as plain data for templates, each part's picture made ready as `picture`
    ({src, alt, kind} or None). Image paths are left out: no local path reaches a template."""

    def part(page: Picture) -> dict:
        data = page.model_dump(mode="json", exclude={"image", "audio"})
        recording = getattr(page, "audio", None)
        return {
            **data,
            "picture": picture(page, urls, data.get("text", "")),
            "practice": practice(page, story.language),
            "recording": urls.recording(recording) if recording else None,  # on the web page only
        }

    data = story.model_dump(mode="json", exclude={"image", "intro", "calm", "steps", "conclusion"})
    data.update(
        prompts=story.prompt_codes,  # their meanings are the context's prompt_names
        picture=picture(story, urls, story.title),
        intro=story.intro and part(story.intro),
        conclusion=story.conclusion and part(story.conclusion),
        calm=[part(choice) for choice in story.calm],
        steps=[],
    )
    for step in story.steps:
        step_data = {**part(step), "steps": [part(sub) for sub in step.steps]}
        if step.stimulus:
            sense = step.stimulus.sense
            step_data["stimulus"] = {
                **step_data["stimulus"],
                "picture": sense and image(urls.symbol(f"openmoji:{SENSE_SYMBOLS[sense]}"), sense, "symbol"),
            }
        data["steps"].append(step_data)
    return data


def practice(page: Picture, language: str) -> dict | None:
    """How long, and until when, a ladder's step is practised ({length: one week, until: until
    it feels easy}), for the templates' whole sentences; an English "for" written first is left out."""
    length, until = getattr(page, "practise_for", None), getattr(page, "practise", None)
    if length and i18n.base(language) == "en":
        length = re.sub(r"^for\s+", "", length, flags=re.IGNORECASE)
    return {"length": length, "until": until} if length or until else None


def picture(part: Picture | None, urls: Urls, text: str = "") -> dict | None:
    """A part's picture for a template: a symbol's alt is its name, a photo's its text."""
    if part is None:
        return None
    if part.symbol:
        return image(
            urls.symbol(part.symbol), part.alt or symbols.split_set(part.symbol, urls.symbol_sets)[1], "symbol"
        )
    if part.image:
        kind: Literal["symbol", "photo"] = "symbol" if part.image.suffix.lower() == ".svg" else "photo"
        return image(urls.file(part.image), part.alt or text or "", kind)
    return None


def plain(value: Any) -> Any:
    """Layout numbers as plain data: dataclasses become mappings, tuples lists."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return plain(dataclasses.asdict(value))
    if isinstance(value, dict):
        return {key: plain(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain(item) for item in value]
    return value


def builtin_sets(settings: Settings) -> tuple[str, ...]:
    """The built-in sets of a library's order, for a story rendered without its library."""
    return tuple(s for s in settings.symbol_sets if isinstance(s, str))


def cover_of(story: Story) -> Picture | None:
    """The story's own picture, else the first picture in it."""
    return next((part for part in (story, *story.steps) if part.symbol or part.image), None)
