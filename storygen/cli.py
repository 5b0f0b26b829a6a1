"""The `storygen` command: parses options and calls the pipeline; no logic of its own."""

from __future__ import annotations

import contextlib
import gc
import json
import os
import re
import sys
from pathlib import Path

import click

from . import __version__
from .errors import Severity, StoryError, did_you_mean, display_path, printable


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="storygen")
def main() -> None:
    """Social stories, sensory stories and task analyses: from YAML to print-ready PDF and HTML."""


def _format_list(ctx, param, value: str | None) -> list[str] | None:
    """'booklet, cards' -> ['booklet', 'cards'], refusing unknown kinds with a suggestion."""
    from .story.fields import OUTPUT_KINDS  # imported when the command runs, so `storygen --help` starts fast

    if value is None:
        return None
    names = [name.strip().lower() for name in value.split(",") if name.strip()]
    for name in names:
        if name not in OUTPUT_KINDS:
            raise click.BadParameter(
                f"unknown kind '{name}'{did_you_mean(name, OUTPUT_KINDS)}; kinds are {', '.join(OUTPUT_KINDS)}"
            )
    if not names:
        raise click.BadParameter("give at least one kind, e.g. --format story,cards")
    return names


def _language_list(ctx, param, value: str | None) -> list[str] | None:
    """'es, ko' -> ['es', 'ko'], refusing what is not a language code."""
    from .build.output import LANGUAGE

    if value is None:
        return None
    codes = [code.strip() for code in value.split(",") if code.strip()]
    for code in codes:
        if not LANGUAGE.fullmatch(code):
            raise click.BadParameter(f"'{code}' is not a language code; give codes like es,ko or pt-BR")
    if not codes:
        raise click.BadParameter("give at least one language, e.g. --language es,ko")
    return codes


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option(
    "-o",
    "--output",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Folder to write build/<id>/<id>.pdf and .html into: a new or empty folder, "
    "or one storygen built into before (it holds .storygen/). Default: build, or with "
    "--profile the profile's own build/.",
)
@click.option(
    "--paper",
    type=click.Choice(["a4", "letter"], case_sensitive=False),
    default=None,
    help="Paper size of the PDFs: a4 or letter (default: the library's setting, else a4).",
)
@click.option(
    "--format",
    "formats",
    metavar="KIND[,KIND...]",
    callback=_format_list,
    help="Which outputs to make, e.g. booklet,cards (default: the library's setting, else all; "
    "see `storygen formats`).",
)
@click.option(
    "-j",
    "--jobs",
    type=click.IntRange(1, 64),
    default=None,
    help="Stories rendered at once, in worker processes (default: the number of CPUs).",
)
@click.option(
    "--language",
    "languages",
    metavar="LANG[,LANG...]",
    callback=_language_list,
    help="Build only these of each story's languages (its own and its translations), e.g. es,ko (default: every one).",
)
@click.option(
    "--profile",
    type=click.Path(file_okay=False, exists=True, path_type=Path),
    default=None,
    help="A child's profile folder (profiles/<child>): tell the stories about that child, into "
    "profiles/<child>/build/. Nothing of it reaches the shared build.",
)
@click.option("--force", is_flag=True, help="Rebuild every story, even those that are up to date.")
@click.option("-q", "--quiet", is_flag=True, help="Print only problems and the summary.")
def build(
    paths: tuple[Path, ...],
    output: Path | None,
    paper: str | None,
    formats: list[str] | None,
    languages: list[str] | None,
    profile: Path | None,
    jobs: int | None,
    force: bool,
    quiet: bool,
) -> None:
    """Build the stories in PATHS (files or folders; default ./stories).

    Only stories whose files, pictures, templates or settings changed since the last
    build are rendered again; the outputs of deleted stories are removed.
    """
    from .build.output import OutputError
    from .build.report import Progress, report_outcome
    from .build.stories import build as build_all  # imported when the command runs, so `storygen --help` starts fast
    from .build.workers import Stopped, stopped_by_signals
    from .story.settings import find_stories

    paths = paths or (Path("stories"),)
    output = output or (profile / "build" if profile else Path("build"))
    enabled = sys.stdout.isatty() and not quiet  # the stories are counted only for the bar
    progress = Progress(sum(isinstance(found, Path) for found in find_stories(paths)) if enabled else 0, enabled)
    counts = dict.fromkeys(("built", "up to date", "failed", "removed", "with warnings"), 0)
    outcomes = build_all(
        paths,
        output,
        paper and paper.lower(),
        formats,
        jobs or os.cpu_count() or 1,
        force,
        languages=languages,
        profile=profile,
    )
    try:
        with stopped_by_signals(), contextlib.closing(outcomes):  # closed at once: workers ended, scratch removed
            for outcome in outcomes:
                progress.clear()
                report_outcome(outcome, counts, quiet)
                progress.advance(not outcome.removed)
    except OutputError as exc:  # the output folder cannot be used (or is full): one message, exit 1
        progress.clear()
        raise click.ClickException(str(exc)) from None
    except Stopped as stopped:  # Ctrl-C or SIGTERM: one line, and the shell's status for it (130, 143)
        progress.clear()
        click.echo("storygen: stopped; nothing half-written was kept", err=True)
        raise SystemExit(128 + stopped.signum) from None
    progress.clear()
    if not any(counts.values()):
        raise click.ClickException(f"no stories (*.yaml) found in {', '.join(map(str, paths))}")
    summary = ", ".join(f"{n} {what}" for what, n in counts.items() if n or what in ("built", "failed"))
    click.echo(summary, err=bool(counts["failed"]))
    if counts["failed"]:
        raise SystemExit(1)


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option(
    "--port",
    type=click.IntRange(0, 65535),
    default=8000,
    show_default=True,
    help="The port to listen on (0: any free one).",
)
@click.option(
    "--host",
    default="127.0.0.1",
    show_default=True,
    help="The address to listen on: this computer only, unless you give another (then anyone who can "
    "reach it sees the stories; children's profiles are previewed on this computer only).",
)
@click.option("--open", "open_browser", is_flag=True, help="Open the preview in the web browser.")
def serve(paths: tuple[Path, ...], port: int, host: str, open_browser: bool) -> None:
    """Preview the stories in PATHS (default ./stories) in a web browser, as they will print or as
    their web page, with `storygen check`'s findings beside them. The page updates by itself
    within a second of a story, picture, template or storygen.yaml being saved."""
    import webbrowser

    from .serve import is_loopback, start  # imported when the command runs, so `storygen --help` starts fast

    paths = paths or (Path("stories"),)
    if missing := [str(p) for p in paths if not p.exists()]:
        raise click.ClickException(f"{', '.join(missing)}: no such file or folder; give the library's stories folder")
    try:
        running = start(paths, host, port)
    except OSError as exc:
        hint = f"; is another preview running? Try --port {port + 1}" if port else ""
        raise click.ClickException(f"cannot listen on {host}:{port} ({exc.strerror or exc}){hint}") from None
    click.echo(f"Previewing {', '.join(map(display_path, paths))} at {running.url} (Ctrl+C stops)")
    if not is_loopback(host):
        click.echo(
            "warning: other computers that can reach this address see the stories; children's profiles are not shown"
        )
    if open_browser:
        webbrowser.open(running.url)
    try:
        running.threads[0].join()
    except KeyboardInterrupt:
        running.stop()
        click.echo("stopped")


@main.command()
@click.argument("word")
@click.option("--sheet", is_flag=True, help="Write a contact sheet of the matches: each picture with its name.")
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Where the sheet goes: a PDF, or HTML when it ends in .html (default: symbols-WORD.pdf).",
)
@click.option(
    "--language",
    metavar="LANG",
    help="Find names in this language too, e.g. es, fr, ko (default: the library's language).",
)
def symbols(word: str, sheet: bool, output: Path | None, language: str | None) -> None:
    """List the pictures whose name holds WORD, from every set (the library's own too, when run
    in a library), best first: the name to write after `symbol:`, its set and its kind of word."""
    from .pictures import symbols as library  # imported when the command runs, so `storygen --help` starts fast
    from .story.settings import find_library, read_settings, symbol_sets

    here = find_library(Path.cwd() / "storygen.yaml")  # the library of the current folder, if any
    settings = read_settings(here) if (here / "storygen.yaml").is_file() else None
    order = symbol_sets(settings, here) if settings else library.SETS
    hits = library.search(word, order, language or (settings.language if settings else None))
    if sheet and hits:
        from .pages.sheet import write_sheet  # imported when the command runs, so `storygen --help` starts fast

        slug = "-".join(re.findall(r"[a-z0-9]+", library.split_set(word, order)[1])) or "symbols"
        written = write_sheet(word, hits, output or Path(f"symbols-{slug}.pdf"), order)
        click.echo(f"wrote {display_path(written)}: {min(len(hits), 60)} pictures")
        return
    # a verb whose name is also a thing's is written 'to cut', as `symbol:` names it
    shown = [f"{'to ' if hit.twin else ''}{hit.name}" for hit in hits]
    width = max(map(len, shown), default=0)
    for hit, name in zip(hits, shown, strict=True):
        kind = "verb" if hit.action else hit.grammar.lower()
        adult = "  (rated adult: never chosen automatically)" if hit.adult else ""
        click.echo(f"{printable(name):<{width}}  {hit.set:<8}  {kind}{adult}".rstrip())
    if not hits:
        close = library.suggestions(word, order=order)
        hint = f" Did you mean: {', '.join(close)}?" if close else ""
        raise click.ClickException(f"no symbol name contains '{word}'.{hint}")


@main.command()
@click.argument("story", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--sheet", is_flag=True, help="Write a contact sheet of each page's picture and its alternatives.")
@click.option("-o", "--output", type=Path, help="The sheet: PDF, or HTML for .html (default: pictures-ID.pdf).")
def pictures(story: Path, sheet: bool, output: Path | None) -> None:
    """Each page of STORY: its picture (written, or chosen and why) and alternatives as `symbol:` lines."""
    from .check.picture_report import pictures_command  # imported when the command runs: `--help` stays fast

    click.echo("\n".join(pictures_command(story, sheet, output)))


@main.command()
@click.argument("language", required=False)
@click.option(
    "--po",
    is_flag=True,
    help="Write locale/LANGUAGE.po in the library instead: a catalog for a translator, every "
    "message with its English, which the build then uses for this library.",
)
def labels(language: str | None, po: bool) -> None:
    """Every label storygen prints, in LANGUAGE (default: the library's language), written as
    the `labels:` of storygen.yaml: copy the ones to change under `labels: {LANGUAGE: ...}`."""
    from . import i18n
    from .library import stories_folder
    from .story.settings import read_settings

    library = stories_folder(Path.cwd()).parent  # the library around here
    settings = read_settings(library)
    language = language or settings.language or "en"
    if not i18n.TAG.fullmatch(language):
        raise click.BadParameter(f"'{language}' is not a language code: write one like ru, pt-BR or zh-Hant") from None
    if po:
        path, count, done = i18n.write_library_catalog(language, library, settings.labels_for(language))
        click.echo(
            f"wrote {display_path(path)}: {count} messages, {done} in {i18n.language_name(language, 'en')} already. "
            "Fill in each msgstr (Poedit, Weblate, Lokalize or a text editor): `storygen build` then prints them"
        )
        return
    for key, words in i18n.label_lines(language, settings.labels_for(language)):
        click.echo(f"{json.dumps(key, ensure_ascii=False)}: {json.dumps(words, ensure_ascii=False)}")


@main.command()
def formats() -> None:
    """List the kinds of output `storygen build` can make."""
    from .pages.formats import FORMATS

    width = max(map(len, FORMATS))
    for fmt in FORMATS.values():
        click.echo(f"{fmt.name:<{width}}  {fmt.summary}")


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option(
    "--output-format",
    type=click.Choice(["text", "json", "github"]),
    default="text",
    show_default=True,
    help="text for people, json for tools, github for GitHub Actions annotations.",
)
@click.option("--strict", is_flag=True, help="Fail on warnings too, not only on errors.")
@click.option("--list-rules", is_flag=True, help="List every rule and exit.")
@click.option(
    "--explain", metavar="CODE", help="Print what a rule checks, why, and how to fix it (e.g. SOC006), and exit."
)
def check(paths: tuple[Path, ...], output_format: str, strict: bool, list_rules: bool, explain: str | None) -> None:
    """Review the stories in PATHS (default ./stories) against story-writing guidance."""
    from .check import report  # imported when the command runs, so `storygen --help` starts fast
    from .check.engine import RULES
    from .check.engine import check as check_all
    from .check.engine import explain as explain_rule

    gc.freeze()  # what the imports made lives as long as the process: no collection walks it again (40 ms)
    if explain:
        try:
            click.echo(explain_rule(explain))
        except KeyError as error:
            raise click.ClickException(error.args[0]) from None
        return
    if list_rules:
        for line in report.rule_lines(RULES.values()):
            click.echo(line)
        return
    results = list(check_all(paths or (Path("stories"),)))
    findings = [f for _, found in results for f in found]
    for line in report.FORMATS[output_format](findings):
        click.echo(line)
    if output_format != "json":
        click.echo(report.summary(len(results), findings), err=True)
    counts = report.counts(findings)
    if counts[Severity.ERROR] or (strict and counts[Severity.WARNING]):
        raise SystemExit(1)


@main.command()
def schema() -> None:
    """Print the JSON Schema of a story file (for editors: see the README)."""
    from .story.model import story_schema  # imported when the command runs, so `storygen --help` starts fast

    click.echo(json.dumps(story_schema(), indent=2, ensure_ascii=False))


@main.command()
@click.argument("folder", type=click.Path(file_okay=False, path_type=Path))
@click.option("--name", help="The library's name (default: from the folder's name).")
@click.option(
    "--source",
    metavar="GIT_URL@TAG",
    help="Where the library's CI installs storygen from, e.g. git+https://example.org/storygen.git@v0.1.0 "
    "(default: the git source this storygen was installed from).",
)
def init(folder: Path, name: str | None, source: str | None) -> None:
    """Make FOLDER a story library: settings, a starter story, assets/, templates/, git and CI files."""
    from .library import init as init_library  # imported when the command runs, so `storygen --help` starts fast
    from .library import installed_source

    try:
        created, kept = init_library(folder, name, source)
    except StoryError as exc:
        raise click.ClickException(exc.problems[0].message) from None
    for path in created:
        click.echo(f"created {display_path(path)}")
    for path in kept:
        click.echo(f"kept    {display_path(path)} (it was already there)")
    if not (source or installed_source()):
        click.echo(
            "\nSet STORYGEN_SOURCE in .github/workflows/stories.yml to storygen's git URL and tag "
            "(or run init with --source) so that the library's CI can install storygen."
        )
    click.echo(
        f'\nNext: cd {display_path(folder)}, then `storygen new "Going to the dentist"`, '
        "`storygen check` and `storygen build`."
    )


@main.command()
@click.argument("title")
@click.option(
    "--kind",
    type=click.Choice(["social", "sensory", "task"]),
    default="social",
    show_default=True,
    help="What kind of story to start.",
)
def new(title: str, kind: str) -> None:
    """Start a story: writes stories/<title-as-id>.yaml, a commented starter (never overwrites)."""
    from .library import new_story, stories_folder  # imported when the command runs, so `storygen --help` starts fast

    try:
        path = new_story(title, kind, stories_folder(Path.cwd()))
    except StoryError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"created {display_path(path)}: edit it, then `storygen check` and `storygen build`")


@main.group()
def profile() -> None:
    """A child's own profile (name, pronouns, photos), kept in profiles/, out of the shared repo."""


@profile.command(name="new")
@click.argument("child")
def profile_new(child: str) -> None:
    """Start CHILD's profile: profiles/CHILD/profile.yaml, a commented starter (never overwrites)."""
    from .library import new_profile, stories_folder

    try:
        path = new_profile(child, stories_folder(Path.cwd()).parent)
    except StoryError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(
        f"created {display_path(path)}: fill it in, put the photos in its folder, "
        f"then `storygen build --profile {display_path(path.parent)}`"
    )


@main.command()
@click.argument("profile", type=click.Path(file_okay=False, exists=True, path_type=Path))
@click.argument("story_id", metavar="STORY")
@click.option("--date", "when", metavar="YYYY-MM-DD", help="The session's date (default: today).")
def record(profile: Path, story_id: str, when: str | None) -> None:
    """Record one session of STORY with the child of PROFILE (profiles/<child>): asks step by step
    and adds one row to PROFILE/data/STORY.csv (nothing else in it is rewritten)."""
    import datetime

    from .progress.record import record_session

    try:
        date = datetime.date.fromisoformat(when) if when else datetime.date.today()
    except ValueError:
        raise click.BadParameter(f"'{when}' is not a date; write it as year-month-day, like 2026-11-02") from None
    click.echo(record_session(profile, story_id, date))


@main.command()
@click.argument("profile", type=click.Path(file_okay=False, exists=True, path_type=Path))
@click.argument("stories", nargs=-1, metavar="[STORY...]")
def progress(profile: Path, stories: tuple[str, ...]) -> None:
    """Write the progress report of each story with sessions recorded for the child of PROFILE
    (STORY...: only those): PROFILE/build/<id>/<id>-progress.pdf and .html. Never the shared build."""
    from .build.output import OutputError
    from .build.stories import write_progress  # imported when the command runs, so `storygen --help` starts fast

    counts = {"written": 0, "failed": 0}
    try:
        for outcome in write_progress(profile, stories):
            for problem in outcome.problems:
                click.echo(str(problem), err=True)
            if outcome.failed:
                counts["failed"] += 1
            elif outcome.outputs:
                counts["written"] += 1
                click.echo(f"wrote {', '.join(display_path(p) for p in outcome.outputs)}")
    except OutputError as exc:
        raise click.ClickException(str(exc)) from None
    if not any(counts.values()) and not stories:
        raise click.ClickException(
            f"no sessions recorded in {display_path(profile / 'data')}; record one with `storygen record {display_path(profile)} STORY`"
        )
    click.echo(f"{counts['written']} progress reports written, {counts['failed']} failed", err=bool(counts["failed"]))
    if counts["failed"]:
        raise SystemExit(1)


@main.command(name="list")
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
def list_(paths: tuple[Path, ...]) -> None:
    """List the stories in PATHS (default ./stories): id, title, kind, languages, tags, steps, check."""
    from .library import list_stories, story_table  # imported when the command runs, so `storygen --help` starts fast

    rows = list_stories(paths or (Path("stories"),))
    if not rows:
        raise click.ClickException("no stories found; start one with `storygen new TITLE`")
    for line in story_table(rows):
        click.echo(line)
