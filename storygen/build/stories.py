"""Build: every story of a library -> build/<id>/<id>.pdf, .html and its handouts.

One broken story never stops the others: each story's problems are collected and
reported, and the caller decides the exit status. Stories that are up to date (see
incremental.py) are skipped; the rest render here or in worker processes.
"""

from __future__ import annotations

import contextlib
from collections.abc import Generator, Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from .. import i18n
from ..errors import Problem, Severity, StoryError, display_path
from ..pages.render import template_warnings
from ..progress.sessions import data_file
from ..story.profiles import profile_folder, read_profile
from ..story.settings import Settings, find_library, find_stories, read_settings, starter_text, story_by_id, symbol_sets
from .catalog import write_catalog
from .incremental import Manifest, shared_key
from .output import (
    STORY_ID,
    OutputError,
    clean_leftovers,
    disk_full,
    locked,
    prepare,
    removable,
    scratch_folder,
)
from .story import Outcome, build_story
from .workers import run

if TYPE_CHECKING:  # WeasyPrint: imported by the workers, only when a story is printed
    from ..pages.pdf import Printer


@dataclass
class _Task:
    """A story to build, with everything a worker process needs."""

    path: Path
    story_id: str
    settings: Settings
    paper: str
    formats: tuple[str, ...] | None
    key: str
    languages: tuple[str, ...] | None = None  # --language: only these of the story's languages
    profile: Path | None = None  # --profile: the child's profile folder


def build(
    paths: Iterable[Path],
    output: Path,
    paper: str | None = None,
    formats: Sequence[str] | None = None,
    jobs: int = 1,
    force: bool = False,
    catalog: bool = True,
    languages: Sequence[str] | None = None,
    profile: Path | None = None,
) -> Generator[Outcome, None, None]:
    """Build every story found under paths into output, yielding each outcome as it is done.

    paper and formats default to each library's settings (storygen.yaml). Each story is built
    in its own language into <id>/, and in each of its translations into <id>/<language>/
    (languages: only those). Stories whose inputs have not changed since the last build are
    skipped (unless force); outputs of deleted stories are removed; jobs > 1 renders in that
    many worker processes.
    """
    output = Path(output)
    if profile is not None:
        try:
            profile_folder(profile)  # before its build folder is made: a link could lead out of the library
        except StoryError as exc:
            yield Outcome(Path(profile) / "profile.yaml", problems=exc.problems, library=True)
            return
    prepare(output, private=profile is not None)
    with locked(output):  # the manifest is read and written by one build at a time
        clean_leftovers(output)
        try:
            with scratch_folder(output) as scratch:
                chosen = tuple(languages) if languages else None
                yield from _build(paths, output, scratch, paper, formats, jobs, force, catalog, chosen, profile)
        except BaseException:  # stopped (a signal, a full disk): what the killed workers half-wrote goes now
            with contextlib.suppress(OSError):  # a read-only folder: the next build removes it
                clean_leftovers(output)
            raise


def _build(
    paths: Iterable[Path],
    output: Path,
    scratch: str,
    paper: str | None,
    formats: Sequence[str] | None,
    jobs: int,
    force: bool,
    catalog: bool,
    languages: tuple[str, ...] | None = None,
    profile: Path | None = None,
) -> Iterator[Outcome]:
    manifest, tasks, changed, papers, libraries = Manifest(output), [], False, [], []
    profile_language = None
    if profile is not None:
        try:
            profile_language = read_profile(profile)[0].language
        except StoryError as exc:  # no story can be told about the child: say why, build nothing
            yield Outcome(Path(profile) / "profile.yaml", problems=exc.problems, library=True)
            return
    for item in _plan(paths, paper, formats, languages, profile):
        if isinstance(item, Outcome):
            yield item
            continue
        papers.append(item.paper)
        libraries.append(item.settings)
        entry = None if force else manifest.up_to_date(item.story_id, item.path, item.key)
        if entry:
            yield _skipped(item, entry, output)
        else:
            tasks.append(item)
    keys = {task.path: task.key for task in tasks}
    for outcome in _once(run(tasks, partial(_print_task, output=output), jobs, scratch)):
        if not outcome.failed:
            _record(manifest, outcome, keys[outcome.path], output)
        changed = True
        yield outcome
    for story_id in manifest.stale():
        changed = True
        yield _remove(story_id, manifest, output)
    settings = libraries[0] if libraries else Settings()
    language = profile_language or settings.language or "en"
    index = catalog and (changed or force or not (output / "index.html").is_file()) and bool(manifest.entries)
    _finish(manifest, output, changed, index, papers[0] if papers else paper or "a4", language, settings)


def _finish(
    manifest: Manifest, output: Path, changed: bool, index: bool, paper: str, language: str, settings: Settings
) -> None:
    """The manifest saved when anything changed, and the catalog written when index."""
    try:
        if changed:  # nothing built or removed: the manifest on disk already says so
            manifest.save()
        if index:
            write_catalog(manifest, output, paper, language, settings.labels_for(language))
    except StoryError as exc:  # a file storygen writes cannot be written: the build did not finish
        raise OutputError("; ".join(str(p) for p in exc.problems)) from None
    except OSError as exc:
        if full := disk_full(exc):
            raise full from None
        raise


def write_progress(profile: Path, story_ids: Sequence[str] = ()) -> Iterator[Outcome]:
    """`storygen progress`: the progress report of each story with the child's recorded sessions
    (story_ids: only those) into the profile's own build folder, never the shared one. Nothing
    else is built, and the build manifest is left to `storygen build --profile`."""
    from ..pages.pdf import Printer

    profile = Path(profile)
    output = profile / "build"
    try:
        read_profile(profile)
    except StoryError as exc:
        yield Outcome(profile / "profile.yaml", problems=exc.problems, library=True)
        return
    library = find_library(profile / "profile.yaml")
    recorded = sorted(file.stem for file in (profile / "data").glob("*.csv"))
    prepare(output, private=True)
    with locked(output):
        printer = Printer()
        for story_id in story_ids or recorded:
            try:
                path = story_by_id(library, story_id)
            except StoryError as exc:
                yield Outcome(profile, problems=exc.problems)
                continue
            if story_id not in recorded:
                hint = f"add one with `storygen record {display_path(profile)} {story_id}`"
                none_yet = Problem(data_file(profile, story_id), 1, 1, "no sessions recorded yet", Severity.NOTE, hint)
                yield Outcome(path, problems=[none_yet])
                continue
            yield build_story(path, output, printer, formats=(), profile=profile)


def _record(manifest: Manifest, outcome: Outcome, key: str, output: Path) -> None:
    """The story's build kept in the manifest; the outputs of a translation it no longer has, removed."""
    gone: list[str] = []
    # OSError: a file it is made from became unreadable or went away meanwhile: built again next time
    with contextlib.suppress(OSError):
        gone = manifest.record(
            outcome.path.stem,
            outcome.path,
            key,
            outcome.used,
            outcome.outputs,
            [_problem_dict(p) for p in outcome.problems],
            outcome.about,
        )
    removed = []
    for name in gone:
        if path := removable(output, outcome.path.stem, name):
            path.unlink()
            removed.append(path)
    for language in {path.parent for path in removed}:  # its language's folder, when now empty
        with contextlib.suppress(OSError):
            language.rmdir()


def _plan(
    paths: Iterable[Path],
    paper: str | None,
    formats: Sequence[str] | None,
    languages: tuple[str, ...] | None = None,
    profile: Path | None = None,
) -> Iterator[_Task | Outcome]:
    """A task for every story found, or an outcome for what cannot be built at all."""
    seen: dict[str, Path] = {}
    libraries: dict[Path, Settings | list[Problem]] = {}
    keys: dict[tuple, str] = {}
    library_of: dict[Path, Path] = {}  # by folder: the stories of a folder share a library
    for found in find_stories(paths):
        if isinstance(found, Problem):
            yield Outcome(found.path, problems=[found])
            continue
        story_id = found.stem
        if story_id in seen:
            clash = Problem(
                found,
                1,
                1,
                f"another story, {seen[story_id]}, has the id '{story_id}' and would write the same files",
                hint="rename one of them",
            )
            yield Outcome(found, problems=[clash])
            continue
        seen[story_id] = found
        if found.is_symlink():  # its library is where it leads
            library = find_library(found)
        else:
            if found.parent not in library_of:
                library_of[found.parent] = find_library(found)
            library = library_of[found.parent]
        if library not in libraries:
            libraries[library] = _settings_or_problems(library)
            yield from _library_outcomes(library, libraries[library], formats)
        settings = libraries[library]
        if isinstance(settings, list):
            yield Outcome(found, problems=[Problem(found, 1, 1, "not built: fix the library's storygen.yaml first")])
            continue
        chosen_paper, chosen = paper or settings.paper, tuple(formats) if formats else None
        shared = (library, chosen_paper, tuple(chosen or settings.formats))
        if shared not in keys:  # templates and settings are read once per library, not per story
            logo = [library / settings.branding.logo] if settings.branding and settings.branding.logo else []
            keys[shared] = shared_key(*shared, symbol_sets(settings, library), languages, profile, logo)
        key = keys[shared]
        if profile is not None and data_file(profile, story_id).is_file():  # its content: a used file
            key += "+sessions"  # a child's first session of a story rebuilds it, with its progress
        yield _Task(found, story_id, settings, chosen_paper, chosen, key, languages, profile)


def _library_outcomes(
    library: Path, settings: Settings | list[Problem], formats: Sequence[str] | None
) -> Iterator[Outcome]:
    """What a build says once of each library: its settings' errors or the starter text left in
    them, and what its templates write that storygen's pages never run."""
    if isinstance(settings, list):
        yield Outcome(library / "storygen.yaml", problems=settings, library=True)
    elif "guide" in (formats or settings.formats) and (starter := starter_text(library)):
        yield Outcome(library / "storygen.yaml", problems=starter, library=True)
    if isinstance(settings, Settings) and (in_english := _catalog_in_english(library, settings)):
        yield Outcome(library / "storygen.yaml", problems=[in_english], library=True)
    if wrong := i18n.library_catalogs(library)[1]:
        yield Outcome(library / i18n.LIBRARY_CATALOGS, problems=wrong, library=True)
    if risky := template_warnings(library):
        yield Outcome(library / "templates", problems=risky, library=True)


def _catalog_in_english(library: Path, settings: Settings) -> Problem | None:
    """The warning, at storygen.yaml's `language:`, that the catalog's labels print in English
    for want of words in the library's language; None when it has them."""
    from ..story.load import load_source

    language = settings.language
    english = i18n.without_words(language, settings.labels_for(language)) if language else frozenset()
    if not language or not english:
        return None
    message = (
        f"'{language}' ({i18n.language_name(language, 'en')}): storygen has no words in this language for "
        f"{len(english)} of its {len(i18n.known_labels())} labels, so the catalog prints them in English"
    )
    hint = f"`storygen labels {language} --po` writes locale/{language}.po for a translator"
    source = load_source(library / "storygen.yaml", library)
    return source.problem(("language",), message, severity=Severity.WARNING, hint=hint)


def _skipped(task: _Task, entry, output: Path) -> Outcome:
    folder = output / task.story_id
    problems = [
        Problem(task.path, p["line"], p["col"], p["message"], Severity(p["severity"]), p["hint"])
        for p in entry.problems
    ]
    return Outcome(task.path, [folder / name for name in entry.outputs], problems, skipped=True, about=entry.about)


def _remove(story_id: str, manifest: Manifest, output: Path) -> Outcome:
    """Remove the outputs of a story whose file is gone: only files storygen wrote, in its own <id>/."""
    entry = manifest.entries.pop(story_id)
    removed = []
    for name in entry.outputs:
        path = removable(output, story_id, name)
        if path is None:
            continue
        try:
            path.unlink()
        except OSError as exc:
            raise OutputError(f"cannot remove {display_path(path)}: {exc.strerror}") from None
        removed.append(path)
    folder = output / story_id
    for language in {path.parent for path in removed} - {folder}:  # a translation's folder, now empty
        with contextlib.suppress(OSError):
            language.rmdir()
    if STORY_ID.fullmatch(story_id) and folder.is_dir() and not folder.is_symlink() and not any(folder.iterdir()):
        folder.rmdir()
    return Outcome(manifest.absolute(entry.source), removed=removed)


def _problem_dict(problem: Problem) -> dict:
    return {
        "line": problem.line,
        "col": problem.col,
        "message": problem.message,
        "severity": problem.severity.value,
        "hint": problem.hint,
    }


def _print_task(task: _Task, printer: Printer, output: Path) -> Outcome:
    """One story built by workers.run, in this process or a worker (so it pickles, as its task does)."""
    outcome = build_story(
        task.path, output, printer, task.settings, task.paper, task.formats, task.languages, task.profile
    )
    outcome.hints = printer.take_hints()
    return outcome


def _once(outcomes: Iterable[Outcome]) -> Iterator[Outcome]:
    """The outcomes, each hint kept on the first that gives it: a hint is said once per build."""
    given: set[str] = set()
    for outcome in outcomes:
        outcome.hints = [hint for hint in outcome.hints if hint not in given]
        given.update(outcome.hints)
        yield outcome


def _settings_or_problems(library: Path) -> Settings | list[Problem]:
    try:
        return read_settings(library)
    except StoryError as exc:
        return exc.problems
