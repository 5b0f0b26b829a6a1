"""Build: every story of a library -> build/<id>/<id>.pdf, .html and its handouts.

One broken story never stops the others: each story's problems are collected and
reported, and the caller decides the exit status. Stories that are up to date (see
incremental.py) are skipped; the rest render here or in worker processes.
"""

from __future__ import annotations

import gc
import re
import tempfile
import time
import traceback
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Iterator, Optional, Sequence

from . import budget
from .budget import OutOfTime, time_budget
from .errors import Problem, StoryError, display_path
from .formats import FORMATS, expected_page_of_step, expected_pages, story_pages
from .incremental import Manifest, shared_key
from .load import Source, find_library, find_stories, load_source, long_word_warnings, read_settings, validate
from .model import FORMAT_NAMES, Settings, Story
from .output import (STORY_ID, OutputError, clean_leftovers, disk_full, locked, prepare, removable, scratch_folder,
                     story_folder, write_atomic)
from .render import asset_folders, cover_of, render


@dataclass
class Outcome:
    """What building one story gave: files written, problems found, time taken."""

    path: Path
    outputs: list[Path] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    pages: int = 0
    seconds: float = 0.0
    skipped: bool = False                                # up to date: nothing rendered
    removed: list[Path] = field(default_factory=list)    # outputs of a deleted story, removed
    used: list[Path] = field(default_factory=list)       # files the story is made from
    about: dict = field(default_factory=dict)            # what the catalog shows

    @property
    def failed(self) -> bool:
        return any(p.severity == "error" for p in self.problems)


@dataclass
class _Task:
    """A story to build, with everything a worker process needs."""

    path: Path
    story_id: str
    settings: Settings
    paper: str
    formats: Optional[tuple[str, ...]]
    key: str


def build(paths: Iterable[Path], output: Path, paper: Optional[str] = None,
          formats: Optional[Sequence[str]] = None, jobs: int = 1, force: bool = False,
          catalog: bool = True) -> Iterator[Outcome]:
    """Build every story found under paths into output, yielding each outcome as it is done.

    paper and formats default to each library's settings (storygen.yaml). Stories whose
    inputs have not changed since the last build are skipped (unless force); outputs of
    deleted stories are removed; jobs > 1 renders in that many worker processes.
    """
    output = Path(output)
    prepare(output)
    with locked(output):  # the manifest is read and written by one build at a time
        clean_leftovers(output)
        with scratch_folder(output) as scratch:
            yield from _build(paths, output, scratch, paper, formats, jobs, force, catalog)


def _build(paths: Iterable[Path], output: Path, scratch: str, paper: Optional[str],
           formats: Optional[Sequence[str]], jobs: int, force: bool, catalog: bool) -> Iterator[Outcome]:
    manifest, tasks, changed, papers = Manifest(output), [], False, []
    for item in _plan(paths, paper, formats):
        if isinstance(item, Outcome):
            yield item
            continue
        papers.append(item.paper)
        entry = None if force else manifest.up_to_date(item.story_id, item.path, item.key)
        if entry:
            yield _skipped(item, entry, output)
        else:
            tasks.append(item)
    keys = {task.path: task.key for task in tasks}
    for outcome in _run(tasks, output, jobs, scratch):
        if not outcome.failed:
            _record(manifest, outcome, keys[outcome.path])
        changed = True
        yield outcome
    for story_id in manifest.stale():
        changed = True
        yield _remove(story_id, manifest, output)
    try:
        if manifest.entries or changed:
            manifest.save()
        if catalog and (changed or force or not (output / "index.html").is_file()) and manifest.entries:
            from .catalog import write_catalog

            write_catalog(manifest, output, papers[0] if papers else paper or "a4")
    except StoryError as exc:  # a file storygen writes cannot be written: the build did not finish
        raise OutputError("; ".join(str(p) for p in exc.problems)) from None
    except OSError as exc:
        if not disk_full(exc):
            raise
        raise disk_full(exc) from None


def _record(manifest: Manifest, outcome: Outcome, key: str) -> None:
    try:
        manifest.record(outcome.path.stem, outcome.path, key, outcome.used, outcome.outputs,
                        [_problem_dict(p) for p in outcome.problems], outcome.about)
    except OSError:
        pass  # a file it is made from became unreadable or went away meanwhile: built again next time


def _plan(paths: Iterable[Path], paper: Optional[str],
          formats: Optional[Sequence[str]]) -> Iterator[_Task | Outcome]:
    """A task for every story found, or an outcome for what cannot be built at all."""
    seen, libraries, keys = {}, {}, {}
    for found in find_stories(paths):
        if isinstance(found, Problem):
            yield Outcome(found.path, problems=[found])
            continue
        story_id = found.stem
        if story_id in seen:
            clash = Problem(found, 1, 1, f"another story, {seen[story_id]}, has the id '{story_id}' "
                            "and would write the same files; rename one of them")
            yield Outcome(found, problems=[clash])
            continue
        seen[story_id] = found
        library = find_library(found)
        if library not in libraries:
            libraries[library] = _settings_or_problems(library)
            if isinstance(libraries[library], list):
                yield Outcome(library / "storygen.yaml", problems=libraries[library])
        settings = libraries[library]
        if isinstance(settings, list):
            yield Outcome(found, problems=[Problem(found, 1, 1, "not built: fix the library's storygen.yaml first")])
            continue
        chosen_paper, chosen = paper or settings.paper, tuple(formats) if formats else None
        shared = (library, chosen_paper, tuple(chosen or settings.formats))
        if shared not in keys:  # templates and settings are read once per library, not per story
            keys[shared] = shared_key(*shared)
        yield _Task(found, story_id, settings, chosen_paper, chosen, keys[shared])


def _skipped(task: _Task, entry, output: Path) -> Outcome:
    folder = output / task.story_id
    problems = [Problem(task.path, p["line"], p["col"], p["message"], p["severity"]) for p in entry.problems]
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
    if STORY_ID.fullmatch(story_id) and folder.is_dir() and not folder.is_symlink() and not any(folder.iterdir()):
        folder.rmdir()
    return Outcome(manifest.absolute(entry.source), removed=removed)


def _problem_dict(problem: Problem) -> dict:
    return {"line": problem.line, "col": problem.col, "message": problem.message, "severity": problem.severity}


def _run(tasks: list[_Task], output: Path, jobs: int, scratch: str) -> Iterator[Outcome]:
    """Build the tasks here (jobs 1) or in worker processes, yielding outcomes as they finish."""
    if not tasks:
        return
    if jobs <= 1 or len(tasks) == 1:
        _start_worker(scratch)
        for task in tasks:
            yield _work(task, output)
        return
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor, as_completed

    from . import pdf  # noqa: F401  (imported before forking, so each worker need not)

    context = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(min(jobs, len(tasks)), mp_context=context,
                             initializer=_start_worker, initargs=(scratch,)) as pool:
        futures = [pool.submit(_work, task, output) for task in tasks]
        try:
            for future in as_completed(futures):
                yield future.result()
        finally:  # a full disk, or the caller stopped: start no more stories
            for future in futures:
                future.cancel()


_printer = None  # one per process: fonts and images loaded once serve every story


def _start_worker(scratch: str) -> None:
    """WeasyPrint copies fonts into temporary folders; keep them in scratch (output.scratch_folder)."""
    global _printer
    from .pdf import Printer

    tempfile.tempdir = scratch
    _printer = Printer()


def _work(task: _Task, output: Path) -> Outcome:
    outcome = build_story(task.path, output, _printer, task.settings, task.paper, task.formats)
    _printer.trim()
    gc.collect()  # WeasyPrint's documents hold reference cycles: free them story by story
    return outcome


def _settings_or_problems(library: Path) -> Settings | list[Problem]:
    try:
        return read_settings(library)
    except StoryError as exc:
        return exc.problems


def build_story(path: Path, output: Path, printer, settings: Optional[Settings] = None,
                paper: Optional[str] = None, formats: Optional[Sequence[str]] = None) -> Outcome:
    """Every chosen output of one story, written to output/<id>/; problems collected, never raised."""
    start, outcome = time.perf_counter(), Outcome(path)
    try:
        if not STORY_ID.fullmatch(path.stem):
            raise StoryError([Problem(path, 1, 1, "the file name is the story's id: use letters, digits, - and _ only, like going-to-the-dentist.yaml")])
        source, library = load_source(path), find_library(path)
        settings = settings or read_settings(library)
        story = validate(source, library, settings)
        outcome.problems += long_word_warnings(story, source)
        outcome.used = sorted({part.image for part in story.pictures() if part.image})
        outcome.about = {**about(story), "library": settings.name}
        job = _Job(path, source, story, settings, paper or settings.paper, printer, library, outcome, output)
        for name in FORMAT_NAMES:
            if name in (formats or settings.formats):
                job.make(name, explicit=formats is not None)
    except OutputError:
        raise  # the output folder is full or read-only: no story can be written, the build stops
    except StoryError as exc:
        outcome.problems += exc.problems
    except OutOfTime as exc:  # the output was stopped: report the story, build the next
        outcome.problems.append(Problem(path, 1, 1, str(exc)))
    except Exception as exc:  # a bug in storygen: say so, keep building the others
        if disk_full(exc):  # met while printing (WeasyPrint's font copies): no story can be built
            raise disk_full(exc) from None
        detail = traceback.format_exc(limit=-3).strip()
        outcome.problems.append(Problem(path, 1, 1, f"internal error while building this story ({exc!r}); please report it with this story file.\n{detail}"))
    outcome.seconds = time.perf_counter() - start
    return outcome


@dataclass
class _Job:
    """One story being built: makes each output and records what happened in outcome."""

    path: Path
    source: Source
    story: Story
    settings: Settings
    paper: str
    printer: object
    library: Path
    outcome: Outcome
    output: Path
    story_pdf: Optional[bytes] = None

    def make(self, name: str, explicit: bool) -> None:
        with time_budget(budget.OUTPUT_SECONDS, name):  # budget.py: no output keeps the build busy for ever
            self._make(name, explicit)

    def _make(self, name: str, explicit: bool) -> None:
        fmt, story = FORMATS[name], self.story
        if not fmt.suits(story):
            if explicit:
                note = f"{name} is for {' and '.join(fmt.kinds)} stories; not made for this {story.kind} story"
                self.outcome.problems.append(self.source.problem((), note, severity="note"))
            return
        if name == "booklet":
            from .impose import impose_booklet  # pypdf: imported only when a booklet is made

            content = impose_booklet(self.story_pdf or self.print("story"), self.paper)
        else:
            content = self.print(name)
        folder = story_folder(self.output, self.path.stem)
        self.outcome.outputs.append(write_atomic(folder / fmt.file_name(self.path.stem), content))
        if name == "story":
            html = render(story, "story", "screen", self.paper, self.settings, self.library).encode("utf-8")
            self.outcome.outputs.append(write_atomic(folder / f"{self.path.stem}.html", html))

    def print(self, name: str) -> bytes:
        html = render(self.story, name, "print", self.paper, self.settings, self.library)
        printed = self.printer.print(html, self.path.parent, self.library, asset_folders())
        label = "" if name == "story" else f"{name}: "
        self.outcome.problems += [printing_warning(self.source, label, w) for w in printed.warnings]
        if name == "story":
            self.story_pdf, self.outcome.pages = printed.pdf, printed.pages
            self.outcome.problems += overflows(self.story, self.source, printed.starts, printed.pages)
        else:
            per_page = self.story.cards_per_page or self.settings.cards_per_page
            self.outcome.problems += misfits(name, self.story, self.source, printed.starts, printed.pages, per_page)
        return printed.pdf


def about(story: Story) -> dict:
    """What the catalog shows of a story (kept in the manifest, so skipped stories are listed too)."""
    cover = cover_of(story)
    picture = {"symbol": cover.symbol} if cover and cover.symbol else {"image": str(cover.image)} if cover else {}
    return {"title": story.title, "kind": story.kind, "tags": story.tags, "age": story.age,
            "steps": len(story.steps), "cover": picture}


MISSING_GLYPH = re.compile(r'unsupported by fonts: "(.+?)" \((.+?)\)')
FAILED_IMAGE = re.compile(r"Failed to load image at '(file:[^']+)'(?:: (.*))?")


def printing_warning(source: Source, label: str, warning: str) -> Problem:
    """A warning WeasyPrint logged while printing, at the story's line that caused it (the text
    holding a letter no font has, the `image:` of a picture that failed) and in plain words."""
    from urllib.parse import urlsplit
    from urllib.request import url2pathname

    glyph, image = MISSING_GLYPH.search(warning), FAILED_IMAGE.search(warning)
    loc: tuple = ()
    if glyph:
        loc = next((at for at, text in _texts(source.data) if glyph.group(1) in text), ())
        warning = (f'no font here has a letter for "{glyph.group(1)}" ({glyph.group(2)}), so it prints as an empty '
                   "box; remove it, or install a font for its script")
    elif image:
        failed = Path(url2pathname(urlsplit(image.group(1)).path)).resolve()
        loc = next((at for at, text in _texts(source.data) if at[-1:] == ("image",)
                    and (source.path.parent / text).resolve() == failed), ())
        reason = f" ({image.group(2).strip()})" if (image.group(2) or "").strip() else ""
        warning = f"the picture '{failed.name}' could not be drawn{reason}; open it in a picture editor and save it again"
    else:
        warning = f"WeasyPrint: {warning}"
    return source.problem(loc, f"{label}{warning}", severity="warning")


def _texts(data, loc: tuple = ()) -> Iterator[tuple[tuple, str]]:
    """(loc, text) of every text value in loaded story data, in file order."""
    if isinstance(data, dict):
        for key, value in data.items():
            yield from _texts(value, loc + (key,))
    elif isinstance(data, list):
        for i, value in enumerate(data):
            yield from _texts(value, loc + (i,))
    elif isinstance(data, str):
        yield loc, data


PART_NAMES = {"cover": "the cover", "calm": "the calm page", "intro": "the introduction", "conclusion": "the conclusion"}


def overflows(story: Story, source: Source, starts: dict[str, int], pages: int) -> list[Problem]:
    """A warning for each page of the story that took more than the one page it should."""
    found = [(starts[anchor], anchor) for anchor in story_pages(story) if anchor in starts]
    ends = [start for start, _ in found[1:]] + [pages]
    problems = []
    for (start, anchor), end in zip(found, ends):
        if end - start > 1:
            step = int(anchor.removeprefix("step-")) if anchor.startswith("step-") else None
            loc = ("steps", step - 1) if step else () if anchor == "cover" else (anchor,)
            name = f"step {step}" if step else PART_NAMES[anchor]
            problems.append(source.problem(loc, f"{name} does not fit on one page (it takes {end - start}); "
                                                "shorten the text, or use fewer sub-steps or choices", severity="warning"))
    return problems


def misfits(name: str, story: Story, source: Source, starts: dict[str, int], pages: int,
             per_page: int) -> list[Problem]:
    """A warning when a handout takes more pages than it should, naming the first step that moved."""
    expected = expected_pages(name, story, per_page)
    if pages <= expected:
        return []
    for i in range(len(story.steps)):
        if starts.get(f"step-{i + 1}", 0) > expected_page_of_step(name, i, per_page):
            return [source.problem(("steps", i), f"{name}: does not fit on {expected} page{'s' * (expected > 1)}: "
                                   f"step {i + 1} moves to page {starts[f'step-{i + 1}'] + 1}; shorten its text "
                                   "or give it a short `label:`", severity="warning")]
    return [source.problem((), f"{name}: takes {pages} pages instead of {expected}; shorten the story's text",
                           severity="warning")]
