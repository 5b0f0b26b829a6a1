"""A library of stories in a repo: start one (init), add a story (new), list what it holds.

Nothing here ever overwrites a file: what exists is kept and reported.
"""

from __future__ import annotations

import json
import os
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

from .check.engine import check_story
from .errors import Problem, Severity, StoryError, printable
from .pages.assets import templates_folder
from .pages.formats import FORMATS
from .story.model import story_schema
from .story.profiles import PROFILES, profile_folder, profile_locked
from .story.settings import find_stories

KINDS = ("social", "sensory", "task")
SCHEMA = Path("schema") / "story.schema.json"

SETTINGS = """\
# storygen library settings: every key is optional.
name: {name}
clinic: Your clinic or practice            # shown on family guides
contact: |                                  # shown on family guides
  Your name, your role
  phone or email
paper: a4                                   # a4 or letter
language: en                                # for stories that do not give their own
formats: [{formats}]   # what `storygen build` makes
cards_per_page: 6                           # 1 to 12
# branding:                                 # your logo and a contact line on every page of every PDF
#   logo: assets/logo.png                   # a PNG, JPEG or SVG picture in this library
#   footer: Your clinic · phone · web address
check:
  disable: []                               # `storygen check` rules to switch off, e.g. [SOC008]
"""

GITIGNORE = """\
# storygen outputs, its caches and the preview editor's backups, and children's profiles
# (names, photos): never in the shared repo
build/
.storygen/
profiles/
"""

PRE_COMMIT = """\
# Review stories before every commit: `pip install pre-commit && pre-commit install`.
# The hook runs the storygen you installed (from its git repository: see the README).
repos:
  - repo: local
    hooks:
      - id: storygen-check
        name: storygen check
        entry: storygen check --strict
        language: system
        files: ^stories/.*\\.ya?ml$
"""

DISTRIBUTION = "storygen-stories"  # storygen's name as a package; plain "storygen" on the index is someone else's
SOURCE = re.compile(r"git\+(https|ssh)://[^\s@\"'$`]+(\.git)?@[\w.+/-]+")

WORKFLOW = """\
# Check every story, build the PDFs, and keep them as an artifact of the run.
name: stories
on: [push, pull_request]
env:
  # Where storygen is installed from: its git repository at a fixed tag or commit, set once
  # here, like git+https://example.org/storygen.git@v0.1.0. Never the bare name from the
  # package index: "storygen" there belongs to an unrelated project.
  STORYGEN_SOURCE: "{source}"
jobs:
  build:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - uses: actions/setup-python@v5
        with:
          python-version: "3.12"
      - run: sudo apt-get update && sudo apt-get install -y libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0
      - name: Install storygen from its source
        run: |
          case "$STORYGEN_SOURCE" in
            git+*@*) pip install "$STORYGEN_SOURCE" ;;
            *) echo "::error::set STORYGEN_SOURCE in .github/workflows/stories.yml to storygen's git URL and tag"; exit 1 ;;
          esac
      - run: storygen check --strict --output-format github
      - run: storygen build
      - uses: actions/upload-artifact@v4
        with:
          name: stories
          path: build/
"""

ASSETS_README = """\
# Shared pictures

Photos and drawings used by more than one story. From a story in `stories/`, point to
one with a path relative to the story file:

```yaml
  - text: I wash my hands at our sink.
    image: ../assets/sink.jpg
    alt: Our bathroom sink with the blue soap
```

Photos are made upright and stripped of GPS and camera data when storygen builds.
Keep photos of children out of this shared folder.
"""

TEMPLATES_README = """\
# Template overrides

storygen looks here first for its templates: a file with the name of a built-in one
replaces it (`story.html`, `cards.html`, `guide.html`, `story.css`...). To change a
little, extend the built-in template and replace one block; it is reachable as
`builtin/<name>`:

```jinja
{% extends "builtin/story.html" %}
{% block cover %}
{{ super() }}
<p class="from">A story from our clinic</p>
{% endblock %}
```

The story has the blocks `cover`, `calm`, `intro`, `steps` and `conclusion`; every
output has `style`, `body`, `credits` and `present` (the story's Present button on
screen). Mark each page part with `{{ anchor("step", loop.index) }}` from `macros.html`
(it writes `id="step-3"`): storygen finds each part's page by it, to tell which one does
not fit. For style only, add a `custom.css` here: every
output includes it after its own styles, for example

```css
.text { font-size: 34pt; }
```

Templates run sandboxed, and story text is always escaped.
"""


def init(folder: Path, name: str | None = None, source: str | None = None) -> tuple[list[Path], list[Path]]:
    """Make folder a story library; return (files created, files that were already there).
    source: where the library's CI installs storygen from (default: where this one came from)."""
    folder = Path(folder)
    name = name or folder.resolve().name.replace("-", " ").replace("_", " ").capitalize()
    source = source if source is not None else installed_source() or ""
    if source and not SOURCE.fullmatch(source):
        raise StoryError(
            [
                Problem(
                    Path("--source"),
                    1,
                    1,
                    f"'{source}' is not a git source; give storygen's git URL "
                    "and a tag or commit, like git+https://example.org/storygen.git@v0.1.0",
                )
            ]
        )
    files = {
        "storygen.yaml": SETTINGS.format(name=json.dumps(name), formats=", ".join(FORMATS)),
        ".gitignore": GITIGNORE,
        ".pre-commit-config.yaml": PRE_COMMIT,
        ".github/workflows/stories.yml": WORKFLOW.format(source=source),
        "assets/README.md": ASSETS_README,
        "templates/README.md": TEMPLATES_README,
        str(SCHEMA): json.dumps(story_schema(), indent=2, ensure_ascii=False) + "\n",
    }
    created: list[Path] = []
    kept: list[Path] = []
    for relative, text in files.items():
        (created if _write_new(folder / relative, text) else kept).append(folder / relative)
    stories = folder / "stories"
    if not (stories.is_dir() and any(stories.glob("*.y*ml"))):
        created.append(new_story("My first story", "social", stories))
    return created, kept


def installed_source() -> str | None:
    """`git+URL@commit` when this storygen was installed from a git repository (pip records it,
    PEP 610), else None: a library's CI then installs exactly this version."""

    try:
        recorded = json.loads(metadata.distribution(DISTRIBUTION).read_text("direct_url.json") or "{}")
    except (metadata.PackageNotFoundError, ValueError):
        return None
    vcs = recorded.get("vcs_info", {})
    if vcs.get("vcs") != "git" or not recorded.get("url", "").startswith(("https://", "ssh://")):
        return None
    return f"git+{recorded['url']}@{vcs.get('commit_id') or vcs.get('requested_revision')}"


def _write_new(path: Path, text: str) -> bool:
    """Write text to a new file; False (and nothing written) when the file exists."""
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        with open(path, "x", encoding="utf-8") as stream:
            stream.write(text)
    except FileExistsError:
        return False
    return True


def slug(title: str) -> str:
    """'Going to the Dentist!' -> 'going-to-the-dentist'; accents dropped, for a portable file name."""
    plain = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", plain.lower()).strip("-")[:60].strip("-")


def stories_folder(start: Path) -> Path:
    """The stories/ folder of the library around start (the nearest storygen.yaml up), else start/stories."""
    start = Path(start).resolve()
    for candidate in (start, *start.parents):
        if (candidate / "storygen.yaml").is_file():
            return candidate / "stories"
    return start / "stories"


def new_story(title: str, kind: str, folder: Path) -> Path:
    """Write a commented starter story; StoryError if its file exists or the title makes no name."""
    story_id = slug(title)
    path = Path(folder) / f"{story_id or 'story'}.yaml"
    if not story_id:
        raise StoryError(
            [
                Problem(
                    path,
                    1,
                    1,
                    f"the title '{title}' has no letters or digits to name the file; give a title with words",
                )
            ]
        )
    library = Path(folder).resolve().parent
    schema = library / SCHEMA
    _write_new(schema, json.dumps(story_schema(), indent=2, ensure_ascii=False) + "\n")  # keeps an existing one
    starter = (templates_folder() / "starters" / f"{kind}.yaml").read_text(encoding="utf-8")
    text = starter.replace("__TITLE__", json.dumps(title, ensure_ascii=False)).replace(
        "__SCHEMA__", Path(os.path.relpath(schema, Path(folder).resolve())).as_posix()
    )
    if not _write_new(path, text):
        raise StoryError(
            [
                Problem(
                    path,
                    1,
                    1,
                    "this file already exists; storygen never overwrites a story: edit it, or choose another title",
                )
            ]
        )
    return path


PROFILE = """\
# A child's profile: kept out of the shared library (profiles/ is git-ignored).
# Build this child's stories: storygen build --profile profiles/{folder}
name: {name}
pronouns: they          # she, he, they, or a full set:
                        # {{they: xe, them: xem, their: xyr, theirs: xyrs, themself: xemself}}
# language: es          # build the stories in this language, where a story has it
likes: []               # favourite things, first the favourite: [trains, dinosaurs]
pictures: {{}}            # photos in this folder, by what they show:
#  barber: photos/barber.jpg     # a step with `picture: barber` shows it
#  cover: photos/waving.jpg      # every story's cover
"""


def new_profile(child: str, library: Path) -> Path:
    """Write profiles/<child>/profile.yaml, a commented starter, and its photos/ folder;
    StoryError when it exists."""
    folder = slug(child)
    path = Path(library) / PROFILES / (folder or "child") / "profile.yaml"
    if not folder:
        raise StoryError([Problem(path, 1, 1, f"'{child}' has no letters or digits to name the folder; give a name")])
    path = profile_folder(path.parent) / "profile.yaml"  # before anything is written
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with profile_locked(path.parent):
            (path.parent / "photos").mkdir(exist_ok=True)
            written = _write_new(
                path, PROFILE.format(folder=folder, name=json.dumps(child.strip(), ensure_ascii=False))
            )
    except OSError as exc:
        raise StoryError([Problem(path, 1, 1, f"cannot write this file: {exc.strerror}")]) from None
    if not written:
        raise StoryError([Problem(path, 1, 1, "this profile already exists; storygen never overwrites it: edit it")])
    return path


@dataclass(frozen=True)
class Listed:
    """A row of `storygen list`."""

    id: str
    title: str
    kind: str
    languages: str
    tags: str
    steps: str
    check: str


def list_stories(paths: Iterable[Path]) -> list[Listed]:
    """Every story with what `storygen check` thinks of it."""

    rows = []
    for found in find_stories(paths):
        if not isinstance(found, Path):
            continue
        story, findings = check_story(found)
        errors = sum(f.severity == Severity.ERROR for f in findings)
        warnings = sum(f.severity == Severity.WARNING for f in findings)
        verdict = (
            f"{errors} error{'s' * (errors != 1)}"
            if errors
            else f"{warnings} warning{'s' * (warnings != 1)}"
            if warnings
            else "ok"
        )
        if story:
            languages = ", ".join([story.language, *story.translations])
            rows.append(
                Listed(
                    found.stem,
                    story.title,
                    story.kind,
                    languages,
                    ", ".join(story.tags),
                    str(len(story.steps)),
                    verdict,
                )
            )
        else:
            rows.append(Listed(found.stem, "(cannot be read)", "", "", "", "", verdict))
    return rows


def story_table(rows: list) -> list[str]:
    """`storygen list`'s lines: a column each for id, title, kind, languages, tags, steps and
    check, each at most 40 terminal columns wide (a wide letter takes two)."""
    header = ("id", "title", "kind", "languages", "tags", "steps", "check")
    cells = ((r.id, r.title, r.kind, r.languages, r.tags, r.steps, r.check) for r in rows)
    table = [
        header,
        *(tuple(printable(cell, keep="") for cell in row) for row in cells),
    ]  # a file name can hold an escape
    widths = [min(max(columns(row[i]) for row in table), 40) for i in range(len(header))]
    return ["  ".join(_fit(cell, width) for cell, width in zip(row, widths, strict=False)).rstrip() for row in table]


def columns(text: str) -> int:
    """How many terminal columns text takes: two for a wide letter (Hangul, Chinese), none for a
    combining mark."""
    return sum(
        0 if unicodedata.combining(c) else 2 if unicodedata.east_asian_width(c) in ("W", "F") else 1 for c in text
    )


def _fit(cell: str, width: int) -> str:
    """cell in exactly width columns: cut with … when longer, padded when shorter."""
    if columns(cell) > width:
        while columns(cell) > width - 1:
            cell = cell[:-1]
        cell += "…"
    return cell + " " * (width - columns(cell))
