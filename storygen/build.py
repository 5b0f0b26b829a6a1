"""Build: every story of a library -> build/<id>/<id>.pdf and build/<id>/<id>.html.

One broken story never stops the others: each story's problems are collected and
reported, and the caller decides the exit status.
"""

from __future__ import annotations

import os
import re
import tempfile
import time
import traceback
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Iterator

from .errors import Problem, StoryError
from .load import Source, find_library, load_source, validate
from .model import Story
from .render import asset_folders, render_story

STORY_ID = re.compile(r"[a-z0-9][a-z0-9_-]*", re.IGNORECASE)
STORY_SUFFIXES = {".yaml", ".yml"}


@dataclass
class Outcome:
    """What building one story gave: files written, problems found, time taken."""

    path: Path
    outputs: list[Path] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    pages: int = 0
    seconds: float = 0.0

    @property
    def failed(self) -> bool:
        return any(p.severity == "error" for p in self.problems)


def find_stories(paths: Iterable[Path]) -> Iterator[Path | Problem]:
    """Story files under the given files and folders, in a stable order; a Problem for a path that is not there."""
    for path in map(Path, paths):
        if path.is_dir():
            yield from sorted(p for p in path.rglob("*") if p.suffix in STORY_SUFFIXES and p.is_file()
                              and not any(part.startswith(".") for part in p.relative_to(path).parts))
        elif path.is_file():
            yield path
        else:
            yield Problem(path, 1, 1, "no such file or folder; give a story file or a folder of stories")


def build(paths: Iterable[Path], output: Path, paper: str = "a4") -> Iterator[Outcome]:
    """Build every story found under paths into output, yielding each outcome as it is done."""
    from .pdf import Printer  # WeasyPrint is slow to import: only when building

    printer, seen = Printer(), {}
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
        yield build_story(found, Path(output), paper, printer)


def build_story(path: Path, output: Path, paper: str, printer) -> Outcome:
    start, outcome = time.perf_counter(), Outcome(path)
    try:
        if not STORY_ID.fullmatch(path.stem):
            raise StoryError([Problem(path, 1, 1, "the file name is the story's id: use letters, digits, - and _ only, like going-to-the-dentist.yaml")])
        source = load_source(path)
        library = find_library(path)
        story = validate(source, library)
        folder = _story_folder(output, path.stem)
        printed = printer.print(render_story(story, "print", paper), path.parent, library, asset_folders())
        outcome.pages = printed.pages
        outcome.problems += [source.problem((), f"WeasyPrint: {w}", severity="warning") for w in printed.warnings]
        outcome.problems += overflows(story, source, printed.starts, printed.pages)
        html = render_story(story, "screen", paper).encode("utf-8")
        for name, content in ((f"{path.stem}.pdf", printed.pdf), (f"{path.stem}.html", html)):
            outcome.outputs.append(write_atomic(folder / name, content))
    except StoryError as exc:
        outcome.problems += exc.problems
    except Exception as exc:  # a bug in storygen: say so, keep building the others
        detail = traceback.format_exc(limit=-3).strip()
        outcome.problems.append(Problem(path, 1, 1, f"internal error while building this story ({exc!r}); please report it with this story file.\n{detail}"))
    outcome.seconds = time.perf_counter() - start
    return outcome


def overflows(story: Story, source: Source, starts: dict[str, int], pages: int) -> list[Problem]:
    """A warning for each part of the story that took more than the one page it should."""
    parts = [("cover", (), "the cover")]
    parts += [("calm", ("calm",), "the calm page")] if story.calm else []
    parts += [("intro", ("intro",), "the introduction")] if story.intro else []
    parts += [(f"step-{i + 1}", ("steps", i), f"step {i + 1}") for i in range(len(story.steps))]
    parts += [("conclusion", ("conclusion",), "the conclusion")] if story.conclusion else []
    found = [(starts[anchor], loc, name) for anchor, loc, name in parts if anchor in starts]
    ends = [start for start, _, _ in found[1:]] + [pages]
    return [source.problem(loc, f"{name} does not fit on one page (it takes {end - start}); "
                                "shorten the text, or use fewer sub-steps or choices", severity="warning")
            for (start, loc, name), end in zip(found, ends) if end - start > 1]


def _story_folder(output: Path, story_id: str) -> Path:
    """build/<id>, refusing to follow a link out of the output folder."""
    output.mkdir(parents=True, exist_ok=True)
    folder = output / story_id
    folder.mkdir(exist_ok=True)
    if not folder.resolve().is_relative_to(output.resolve()):
        raise StoryError([Problem(folder, 1, 1, "this output folder links outside the build folder; remove the link")])
    return folder


def write_atomic(target: Path, content: bytes) -> Path:
    """Write content to target through a temporary file and a rename: never a half-written file."""
    handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(content)
        os.chmod(temporary, 0o644)
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return target
