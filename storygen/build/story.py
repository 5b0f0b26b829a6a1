"""One story's build: open it, choose its variants (each language; with a profile, the child's),
then make each chosen output of each, collecting what went wrong as problems, never raising."""

from __future__ import annotations

import re
import time
import traceback
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

from .. import i18n
from ..errors import Problem, Severity, StoryError
from ..pages.assets import asset_folders
from ..pages.fit import check as check_fit
from ..pages.formats import FORMATS, STORY
from ..pages.links import PageLinks
from ..pages.render import cover_of, render
from ..pages.sharpness import blurry_photos
from ..pictures import audio, symbols
from ..progress import mastery
from ..progress.report import render_progress
from ..progress.sessions import Session, data_file, read_sessions
from ..story.load import Loc, Source, place_name, with_place
from ..story.model import Story
from ..story.open import Opened, open_story
from ..story.parts import long_word_warnings, picture_language_warnings
from ..story.personalise import Child, child_for, fill, personalise, pronoun_warnings
from ..story.profiles import read_profile
from ..story.settings import Settings
from ..story.translate import check_translations, translate
from ..story.translate import languages as story_languages
from . import budget
from .budget import OutOfTime, time_budget
from .letters import MISSING_GLYPH, english_warnings, fallback_font, missing_letters, written_texts
from .output import (
    STORY_ID,
    OutputError,
    disk_full,
    progress_names,
    relative_link,
    story_folder,
    write_atomic,
)

if TYPE_CHECKING:  # WeasyPrint: imported by the workers, only when a story is printed
    from ..pages.pdf import About, Printed, Printer


@dataclass
class Outcome:
    """What building one story gave: files written, problems found, time taken."""

    path: Path
    outputs: list[Path] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    pages: int = 0
    seconds: float = 0.0
    skipped: bool = False  # up to date: nothing rendered
    removed: list[Path] = field(default_factory=list)  # outputs of a deleted story, removed
    used: list[Path] = field(default_factory=list)  # files the story is made from
    about: dict = field(default_factory=dict)  # what the catalog shows
    hints: list[str] = field(default_factory=list)  # about this machine, not the story (once per build)
    library: bool = False  # about a library's storygen.yaml, not a story

    @property
    def failed(self) -> bool:
        return any(p.severity == Severity.ERROR for p in self.problems)


def build_story(
    path: Path,
    output: Path,
    printer,
    settings: Settings | None = None,
    paper: str | None = None,
    formats: Sequence[str] | None = None,
    languages: Sequence[str] | None = None,
    profile: Path | None = None,
) -> Outcome:
    """Every chosen output of one story in each of its languages (languages: only those), written
    to output/<id>/ and output/<id>/<language>/; problems collected, never raised. With a child's
    profile, the story told about that child, in the profile's language where the story has it,
    into output/<id>/."""
    start, outcome = time.perf_counter(), Outcome(path)
    try:
        _make_story(_Plan(path, output, printer, settings, paper, formats, languages, profile), outcome)
    except OutputError:
        raise  # the output folder is full or read-only: no story can be written, the build stops
    except StoryError as exc:
        outcome.problems += exc.problems
    except OutOfTime as exc:  # the output was stopped: report the story, build the next
        outcome.problems.append(Problem(path, 1, 1, exc.message, hint=exc.hint))
    except Exception as exc:  # a bug in storygen: say so, keep building the others
        if full := disk_full(exc):  # met while printing (WeasyPrint's font copies): no story can be built
            raise full from None
        detail = traceback.format_exc(limit=-3).strip()
        outcome.problems.append(
            Problem(
                path,
                1,
                1,
                f"internal error while building this story ({exc!r}); please report it with this story file.\n{detail}",
            )
        )
    outcome.seconds = time.perf_counter() - start
    return outcome


@dataclass
class _Plan:
    """What building one story was asked for."""

    path: Path
    output: Path
    printer: Printer
    settings: Settings | None
    paper: str | None
    formats: Sequence[str] | None  # None: the library's
    languages: Sequence[str] | None  # None: every one the story has
    profile: Path | None  # a child's: the story told about her, in her language


def _make_story(plan: _Plan, outcome: Outcome) -> None:
    """Open the story, choose its variants (each language; with a profile, the child's), then
    make each chosen output of each variant."""
    from ..pages.pdf import About  # printer's module, imported already where a story is printed

    opened = _open(plan.path, plan.settings)
    story, sets, settings = opened.story, opened.sets, opened.settings
    outcome.problems += story_warnings(opened)
    child, child_language = _child(plan.profile, opened.library) if plan.profile else (child_for(story), None)
    told = personalise(story, child, sets)  # the child's photos it shows are files it is made from
    outcome.used = used_files(told, sets)
    outcome.about = {**about(told, sets, child), "library": settings.name}
    no_font: set[tuple] = set()  # fields whose missing letters were reported, in any language
    recorded = _recorded(story, plan.profile, plan.path.stem, outcome)
    with i18n.noting_english() as english:  # what prints in English in a language without its words
        jobs: list[_Job] = []
        try:
            for language in _variants(opened, plan, child_language, outcome):
                told = personalise(translate(story, language), child, sets)
                # what the files say of themselves (a PDF's metadata, the page's title): the story told
                # about no child (its defaults), so a child's name never reaches them
                shared = personalise(translate(story, language), child_for(story)) if plan.profile else told
                job = _Job(
                    plan.path,
                    opened.source,
                    told,
                    settings,
                    plan.paper or settings.paper,
                    plan.printer,
                    opened.library,
                    outcome,
                    plan.output,
                    About(shared.title, tuple(shared.tags)),
                    plan.profile,
                    None if language == story.language or plan.profile is not None else language,
                    document_title=shared.title if plan.profile else None,
                    no_font=no_font,
                )
                jobs.append(job)
                for name in FORMATS:  # in the registry's order (formats (): none, the progress report only)
                    if name in (settings.formats if plan.formats is None else plan.formats):
                        job.make(name, explicit=plan.formats is not None)
                if recorded:
                    job.make_progress(recorded)
                job.story_pdf = None  # printed and imposed: only its web page is left to write
        except Exception:  # an output stopped (its time, a template's fault): what was printed keeps its web page
            _web_pages(jobs, story, plan.profile is None)
            raise
        _web_pages(jobs, story, plan.profile is None)
    outcome.problems += english_warnings(opened, english)


def _web_pages(jobs: list[_Job], story: Story, shared: bool) -> None:
    """Each language's web page, last, when every output of every language is written: each links
    to the others (a child's to none: her build is in her language only) and to its own files."""
    own, languages = story.language, story_languages(story) if shared else []
    written = [job.language_folder or own for job in jobs if job.screen]
    for job in jobs:
        job.make_screen(languages, written, own)


def _open(path: Path, settings: Settings | None) -> Opened:
    if not STORY_ID.fullmatch(path.stem):
        message = "the file name is the story's id: use letters, digits, - and _ only, like going-to-the-dentist.yaml"
        raise StoryError([Problem(path, 1, 1, message)])
    return open_story(path, settings)


def story_warnings(opened: Opened) -> list[Problem]:
    """What a build says of a story that builds: pictures not chosen in its language, words too
    long for a page, untranslated parts, recordings too large, photos with too few pixels."""
    story, source = opened.story, opened.source
    return [
        *picture_language_warnings(story, source, opened.sets),
        *pronoun_warnings(source, story.language),
        *long_word_warnings(story, source),
        *(p for p in check_translations(story, source) if p.severity == Severity.WARNING),
        *recording_warnings(source),
        *(
            source.problem(loc, message, severity=Severity.WARNING, hint=hint)
            for loc, message, hint in blurry_photos(story, source, opened.settings, opened.library)
        ),
    ]


def _child(profile: Path, library: Path) -> tuple[Child, str | None]:
    """The child of a profile in the story's library, and her language."""
    if not Path(profile).resolve().is_relative_to(library.resolve()):
        raise StoryError([Problem(Path(profile), 1, 1, "a child's profile must be in the library's profiles/ folder")])
    found, pictures = read_profile(profile)
    return Child.of(found, pictures), found.language


def _variants(opened: Opened, plan: _Plan, child_language: str | None, outcome: Outcome) -> list[str]:
    """The languages to build: the child's where the story has it (else its own), or those asked
    for that it has (a note when it has none of them), or every one."""
    story, have = opened.story, story_languages(opened.story)
    if plan.profile is not None:
        return [child_language if child_language in have else story.language]
    chosen = [language for language in have if not plan.languages or language in plan.languages]
    if plan.languages and not chosen:
        note = f"not built: the story has no translation into {', '.join(plan.languages)} (it has {', '.join(have)})"
        outcome.problems.append(opened.source.problem(("translations",), note, severity=Severity.NOTE))
    return chosen


@dataclass
class _Job:
    """One story being built: makes each output and records what happened in outcome."""

    path: Path
    source: Source
    story: Story
    settings: Settings
    paper: str
    printer: Printer
    library: Path
    outcome: Outcome
    output: Path
    about: About  # the PDF's metadata
    profile: Path | None  # the child's profile, whose files (only) it may show
    language_folder: str | None = None  # a translation's language: written to <id>/<language>/
    document_title: str | None = None  # the PDF's metadata title, when not the story's (a child's story)
    story_pdf: bytes | None = None  # the story's PDF once printed: the booklet is made from its pages
    no_font: set[tuple] = field(default_factory=set)  # (line, col) of fields whose missing letters were reported
    screen: str | None = None  # the output whose web page is to be written, once every output is
    fallback_said: bool = False  # a fallback font was reported for this language

    @property
    def at(self) -> tuple[Loc, bool]:
        """Where the story says its language in the file: its `language:`, or its translation's key."""
        return (("translations", self.language_folder), True) if self.language_folder else (("language",), False)

    def make(self, name: str, explicit: bool) -> None:
        with time_budget(budget.OUTPUT_SECONDS, self.named(name)):  # budget.py: no output keeps the build busy for ever
            self._make(name, explicit)

    def named(self, name: str) -> str:
        """An output as a message names it: which one, in which language ('cards, español (es)')."""
        language = self.story.language
        called = i18n.language_name(language)
        return f"{name}, {called} ({language})" if called != language else f"{name}, {language}"

    def _make(self, name: str, explicit: bool) -> None:
        fmt, story = FORMATS[name], self.story
        if not fmt.suits(story):
            if explicit:
                note = f"{name} is for {' and '.join(fmt.kinds)} stories; not made for this {story.kind} story"
                self.outcome.problems.append(self.source.problem((), note, severity=Severity.NOTE))
            return
        if fmt.from_story:  # made from the story's PDF (the booklet: its pages imposed)
            story_pdf = self._printed_story()
            right_to_left = i18n.direction(story.language) == "rtl"
            content = fmt.from_story(story_pdf, self.paper, right_to_left) if story_pdf else None
        elif name == STORY:
            content = self._printed_story()
        else:
            printed = self._printed(name)
            content = printed.pdf if printed else None
        if content is None:  # letters no font has: reported, and this output not written
            return
        folder = story_folder(self.output, self.path.stem, self.language_folder)
        self.outcome.outputs.append(write_atomic(folder / fmt.file_name(self.path.stem), content))
        if fmt.screen:
            self.screen = name  # written last: it links to the other outputs (make_screen)

    def make_screen(self, languages: list[str], written: list[str], own: str) -> None:
        """The web page, linked to the story's web page in each of its languages that has one
        (written now, or before) and to the files printed for its own language (now or before),
        all relative (links.py); own: the story's own language, whose outputs are in <id>/."""
        if self.screen is None:
            return
        story_id, page = self.path.stem, self.language_folder or own
        folder = story_folder(self.output, story_id, self.language_folder)
        web_page = FORMATS[self.screen].file_name(story_id, ".html")
        files = tuple(
            (fmt.name, name) for fmt in FORMATS.values() if (folder / (name := fmt.file_name(story_id))).is_file()
        )
        pages = ((x, relative_link(own, page, x, web_page)) for x in languages)
        links = PageLinks(page, tuple((x, to) for x, to in pages if x in written or (folder / to).is_file()), files)
        with time_budget(budget.OUTPUT_SECONDS, self.named(self.screen)):
            html = render(
                self.story,
                self.screen,
                "screen",
                self.paper,
                self.settings,
                self.library,
                self.document_title,
                links=links,
            )
        self.outcome.outputs.append(write_atomic(folder / web_page, html.encode("utf-8")))

    def make_progress(self, recorded: list[Session]) -> None:
        """The progress report of the child's sessions: its PDF and web page."""
        found = mastery.report(self.story, recorded)
        args = (self.paper, self.settings, self.library, self.document_title)
        html = render_progress(self.story, found, "print", *args)
        with time_budget(budget.OUTPUT_SECONDS, self.named("progress report")):
            printed = self.printer.print(
                html, self.path.parent, self.library, asset_folders(), self.about, self.profile
            )
        self.outcome.problems += [printing_warning(self.source, "progress: ", w) for w in printed.warnings]
        folder = story_folder(self.output, self.path.stem, self.language_folder)
        pdf, html = progress_names(self.path.stem)
        self.outcome.outputs.append(write_atomic(folder / pdf, printed.pdf))
        screen = render_progress(self.story, found, "screen", *args).encode("utf-8")
        self.outcome.outputs.append(write_atomic(folder / html, screen))

    def _printed_story(self) -> bytes | None:
        """The story's PDF, printed once for the story and the booklet made from it (its pages
        are the outcome's); None when it would show letters no font has."""
        if self.story_pdf is None and (printed := self._printed(STORY)):
            self.story_pdf, self.outcome.pages = printed.pdf, printed.pages
        return self.story_pdf

    def _printed(self, name: str) -> Printed | None:
        """The output printed, what printing said and whether it fits reported; None when it
        would show letters no font has (boxes), each field reported once."""
        html = render(self.story, name, "print", self.paper, self.settings, self.library, self.document_title)
        printed = self.printer.print(html, self.path.parent, self.library, asset_folders(), self.about, self.profile)
        # which output, and in which language for a translation ('es: cards: ...')
        label = (f"{self.language_folder}: " if self.language_folder else "") + ("" if name == STORY else f"{name}: ")
        missing = [glyph[1] for w in printed.warnings if (glyph := MISSING_GLYPH.search(w))]
        others = [w for w in printed.warnings if not MISSING_GLYPH.search(w)]
        self.outcome.problems += [printing_warning(self.source, label, w) for w in others]
        if missing:  # each field said once, whichever outputs show it
            new = [p for p in missing_letters(self.source, missing) if (p.line, p.col) not in self.no_font]
            self.no_font.update((p.line, p.col) for p in new)
            self.outcome.problems += new
            return None
        if not self.fallback_said and (fallback := fallback_font(self.source, self.story, printed.fonts, self.at)):
            self.fallback_said = True  # once for the story in this language, whichever outputs show it
            self.outcome.problems.append(fallback)
        fmt = FORMATS[name]
        fits = check_fit(
            fmt,
            fmt.sheet(self.story, self.paper, self.settings),
            self.source,
            printed.starts,
            printed.pages,
            self.library,
        )
        if self.language_folder:  # a translation's page: its language said
            fits = [replace(p, message=f"{self.language_folder}: {p.message}") for p in fits]
        self.outcome.problems += fits
        return printed


def _recorded(story: Story, profile: Path | None, story_id: str, outcome: Outcome) -> list[Session]:
    """The child's recorded sessions of the story (a profile's build), its file one the story's
    outputs are made from; none without a profile or a file."""
    if profile is None:
        return []
    file = data_file(profile, story_id)
    if file.is_file():
        outcome.used.append(file)
    return read_sessions(file, story)


def recording_warnings(source: Source) -> list[Problem]:
    """A warning, at its `audio:`, for each recording too large to send inside a web page."""
    problems = []
    for loc, written in written_texts(source.data):
        path = source.path.parent / written
        if loc[-1:] == ("audio",) and path.is_file() and (large := audio.size_warning(path)):
            what, hint = large
            problems.append(
                source.problem(loc, with_place(place_name(loc[:-1]), what), severity=Severity.WARNING, hint=hint)
            )
    return problems


def used_files(story: Story, sets: Sequence[symbols.SymbolSet]) -> list[Path]:
    """The library's files a story is made from: its images (a personalised story's: the child's
    photos it shows, so a changed photo rebuilds only the stories that show it), its own-set
    symbols and its recordings."""
    found = (symbols.find(part.symbol, sets) for part in story.pictures() if part.symbol)
    own = {Path(symbol.file) for symbol in found if symbol and symbol.set not in symbols.BUILT_IN}
    recordings = {recorded for part in story.pictures() if (recorded := getattr(part, "audio", None))}
    return sorted({part.image for part in story.pictures() if part.image} | own | recordings)


def about(story: Story, sets: Iterable[symbols.SetOrName] = symbols.SETS, child: Child | None = None) -> dict:
    """What the catalog shows of a story (kept in the manifest, so skipped stories are listed too):
    its cover a built-in symbol's qualified name, or a library file (with its credit, for an
    own set's symbol)."""
    cover = cover_of(story)
    found = cover and cover.symbol and symbols.find(cover.symbol, sets)
    if found and found.set not in symbols.BUILT_IN:
        picture = {"image": found.file, "credit": symbols.credit(found.set, sets)}
    elif found:
        picture = {"symbol": found.qualified}
    else:
        picture = {"image": str(cover.image)} if cover and cover.image else {}
    return {
        "title": story.title,
        "languages": story_languages(story),
        "titles": {
            language: fill(words.title, child) if child else words.title
            for language, words in story.translations.items()
            if words.title
        },
        "kind": story.kind,
        "tags": story.tags,
        "age": story.age,
        "steps": len(story.steps),
        "cover": picture,
    }


FAILED_IMAGE = re.compile(r"Failed to load image at '(file:[^']+)'(?:: (.*))?")


def printing_warning(source: Source, label: str, warning: str) -> Problem:
    """A warning WeasyPrint logged while printing, at the story's line that caused it (the
    `image:` of a picture that failed) and in plain words; letters no font has: missing_letters."""
    from urllib.parse import urlsplit
    from urllib.request import url2pathname  # imports http.client: 50 ms a no-op rebuild need not spend

    image = FAILED_IMAGE.search(warning)
    loc: tuple = ()
    if image:
        failed = Path(url2pathname(urlsplit(image.group(1)).path)).resolve()
        loc = next(
            (
                at
                for at, text in written_texts(source.data)
                if at[-1:] == ("image",) and (source.path.parent / text).resolve() == failed
            ),
            (),
        )
        reason = f" ({image.group(2).strip()})" if (image.group(2) or "").strip() else ""
        message = f"{label}the picture '{failed.name}' could not be drawn{reason}"
        return source.problem(
            loc, message, severity=Severity.WARNING, hint="open it in a picture editor and save it again"
        )
    return source.problem(loc, f"{label}WeasyPrint: {warning}", severity=Severity.WARNING)
