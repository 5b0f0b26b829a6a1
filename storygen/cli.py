"""The `storygen` command: parses options and calls the pipeline; no logic of its own."""

from __future__ import annotations

from pathlib import Path

import click

from . import __version__
from .errors import display_path


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="storygen")
def main() -> None:
    """Social stories, sensory stories and task analyses: from YAML to print-ready PDF and HTML."""


def _format_list(ctx, param, value: str | None) -> list[str] | None:
    """'booklet, cards' -> ['booklet', 'cards'], refusing unknown kinds with a suggestion."""
    from .errors import did_you_mean
    from .model import FORMAT_NAMES

    if value is None:
        return None
    names = [name.strip().lower() for name in value.split(",") if name.strip()]
    for name in names:
        if name not in FORMAT_NAMES:
            raise click.BadParameter(f"unknown kind '{name}'{did_you_mean(name, FORMAT_NAMES)}; "
                                     f"kinds are {', '.join(FORMAT_NAMES)}")
    if not names:
        raise click.BadParameter("give at least one kind, e.g. --format story,cards")
    return names


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("-o", "--output", type=click.Path(file_okay=False, path_type=Path), default=Path("build"),
              show_default=True, help="Folder to write build/<id>/<id>.pdf and .html into.")
@click.option("--paper", type=click.Choice(["a4", "letter"], case_sensitive=False), default=None,
              help="Paper size of the PDFs: a4 or letter (default: the library's setting, else a4).")
@click.option("--format", "formats", metavar="KIND[,KIND...]", callback=_format_list,
              help="Which outputs to make, e.g. booklet,cards (default: the library's setting, else all; "
                   "see `storygen formats`).")
def build(paths: tuple[Path, ...], output: Path, paper: str | None, formats: list[str] | None) -> None:
    """Build the stories in PATHS (files or folders; default ./stories)."""
    from .build import build as build_all

    paths = paths or (Path("stories"),)
    built = failed = warned = 0
    for outcome in build_all(paths, output, paper and paper.lower(), formats):
        for problem in outcome.problems:
            click.echo(str(problem), err=True)
        if outcome.failed:
            failed += 1
            continue
        built += 1
        warned += any(p.severity == "warning" for p in outcome.problems)
        if not outcome.outputs:
            click.echo(f"nothing to make for {display_path(outcome.path)}: none of the chosen kinds suits it")
            continue
        folder = display_path(outcome.outputs[0].parent)
        files = ", ".join(p.name for p in outcome.outputs)
        pages = f"{outcome.pages} pages, " if outcome.pages else ""
        click.echo(f"built {display_path(outcome.path)} -> {folder}/: {files} ({pages}{outcome.seconds:.1f} s)")
    if not (built or failed):
        raise click.ClickException(f"no stories (*.yaml) found in {', '.join(map(str, paths))}")
    summary = f"{built} built, {failed} failed" + (f", {warned} with warnings" if warned else "")
    click.echo(summary, err=bool(failed))
    if failed:
        raise SystemExit(1)


@main.command()
@click.argument("word")
def symbols(word: str) -> None:
    """List the built-in pictures whose name contains WORD."""
    from . import symbols as library

    hits = library.search(word)
    for name, char in hits:
        click.echo(f"{name}  {char}")
    if not hits:
        close = library.suggestions(word)
        hint = f" Did you mean: {', '.join(close)}?" if close else ""
        raise click.ClickException(f"no symbol name contains '{word}'.{hint}")


@main.command()
def formats() -> None:
    """List the kinds of output `storygen build` can make."""
    from .formats import FORMATS

    width = max(map(len, FORMATS))
    for fmt in FORMATS.values():
        click.echo(f"{fmt.name:<{width}}  {fmt.summary}")
