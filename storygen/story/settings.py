"""A library as stories are read in it: where its stories are, its storygen.yaml settings (the
model and its reading), its symbol sets in order (its own folders resolved inside it)."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Annotated, Any

from pydantic import AfterValidator, BeforeValidator, Discriminator, Field, Tag, field_validator, model_validator
from pydantic_core import PydanticCustomError

from .. import i18n
from ..errors import Problem, Severity, StoryError
from ..pictures import images, sets, symbols
from .fields import (
    MAX_SYMBOL_SETS,
    MAX_TEXT,
    NO_PICTURE,
    OUTPUT_KINDS,
    FolderPath,
    Language,
    OutputKind,
    Paper,
    Strict,
    Text,
    Title,
    written_relative,
)
from .load import Source, load_source, validate_as
from .model import CheckOptions
from .profiles import PROFILES

STORY_SUFFIXES = {".yaml", ".yml"}


def symbol_sets(settings: Settings, library: Path) -> tuple[symbols.SymbolSet, ...]:
    """The library's symbol sets in order of preference, each an entry of the one kind: a
    built-in one from the registry, its own made from its folder (resolved; a folder that
    leads outside the library is left out, read_settings reports it)."""
    root, order = Path(library).resolve(), list[symbols.SymbolSet]()
    for symbol_set in settings.symbol_sets:
        if isinstance(symbol_set, str):
            order.append(symbols.BUILT_IN[symbol_set])
        elif (folder := (root / symbol_set.folder).resolve()).is_relative_to(root):
            order.append(sets.own_set(str(symbol_set.name), folder, symbol_set.credit))
    return tuple(order)


def read_settings(library: Path) -> Settings:
    """The library's storygen.yaml, or the defaults when it has none."""

    path = Path(library) / "storygen.yaml"
    if not path.is_file():
        return with_catalogs(Settings(), library)
    source = load_source(path, library)
    settings, root = validate_as(source, Settings), Path(library).resolve()
    problems = []
    for i, symbol_set in enumerate(settings.symbol_sets):
        if isinstance(symbol_set, str):
            continue
        folder = (root / symbol_set.folder).resolve()
        if not folder.is_relative_to(root) or not folder.is_dir():
            why = "leads outside the library" if not folder.is_relative_to(root) else "is not a folder of the library"
            message = f"symbol set '{symbol_set.name}': folder '{symbol_set.folder}' {why}"
            hint = "give a folder of pictures inside the library, like assets/symbols"
            problems.append(source.problem(("symbol_sets", i, "folder"), message, hint=hint))
    if settings.branding and settings.branding.logo:
        problems += _logo_problems(settings.branding.logo, library, source)
    for language, labels in settings.labels.items():
        problems += [
            source.problem(("labels", language, key), f"labels: {wrong[0]}", at_key=True, hint=wrong[1])
            for key, words in labels.items()
            if (wrong := i18n.label_problem(key, words))
        ]
    if problems:
        raise StoryError(problems)
    return with_catalogs(settings, library)


def with_catalogs(settings: Settings, library: Path) -> Settings:
    """settings with the labels of the library's own catalogs (locale/<language>.po) under
    those of its storygen.yaml, which win: what a translator wrote, where the clinic wrote nothing.
    The catalogs' problems are the build's to report (i18n.library_catalogs)."""
    catalogs, _problems = i18n.library_catalogs(library)
    if not catalogs:
        return settings
    labels = {language: dict(words) for language, words in catalogs.items()}
    for language, words in settings.labels.items():
        labels[language] = {**labels.get(language, {}), **words}
    return settings.model_copy(update={"labels": labels})


def _logo_problems(logo: Path, library: Path, source: Source) -> list[Problem]:
    """The problem with branding's logo, checked as a story's picture is (inside the library, no
    link out, a JPEG, PNG or SVG storygen will use), at its line; none when it is fine."""
    written = Path(library) / logo
    try:
        if not (written.exists() or written.is_symlink()):
            raise images.PictureError(
                "was not found", "the logo's path is relative to the library, like assets/logo.png"
            )
        images.story_picture(logo, library, library)
    except images.PictureError as error:
        return [source.problem(("branding", "logo"), f"branding: logo '{logo}' {error.what}", hint=error.hint)]
    return []


def starter_text(library: Path) -> list[Problem]:
    """A warning for each of `clinic` and `contact` in the library's storygen.yaml still holding
    what `storygen init` wrote: the family guides leave it out."""
    path = Path(library) / "storygen.yaml"
    if not path.is_file():
        return []
    source = load_source(path, library)
    data = source.data if isinstance(source.data, dict) else {}
    return [
        source.problem(
            (key,),
            f"`{key}` is still the starter text, so the family guides leave it out",
            severity=Severity.WARNING,
            hint=f"write your {'clinic or practice' if key == 'clinic' else 'name and how families reach you'}, or remove it",
        )
        for key, text in STARTER_TEXT.items()
        if str(data.get(key) or "").strip() == text
    ]


def find_stories(paths: Iterable[Path]) -> Iterator[Path | Problem]:
    """Story files under the given files and folders, in a stable order; a Problem for a path
    that is not there, or for a story file in a folder that links to a file outside it."""
    for path in map(Path, paths):
        if path.is_dir():
            root = path.resolve()
            for story in sorted(
                p
                for p in path.rglob("*")
                if p.suffix in STORY_SUFFIXES
                and p.is_file()
                and p.name != "storygen.yaml"
                and not any(part.startswith(".") or part == PROFILES for part in p.relative_to(path).parts)
            ):
                if story.resolve().is_relative_to(root):
                    yield story
                else:
                    yield Problem(
                        story,
                        1,
                        1,
                        "this story file links to a file outside its folder",
                        hint="copy the story into the library instead of linking to it",
                    )
        elif path.is_file():
            yield path
        else:
            yield Problem(path, 1, 1, "no such file or folder", hint="give a story file or a folder of stories")


def story_by_id(library: Path, story_id: str) -> Path:
    """The story file of a library with this id; StoryError, naming the close ones, when none."""
    found = {path.stem: path for path in find_stories([library]) if isinstance(path, Path)}
    if story_id in found:
        return found[story_id]
    from ..errors import did_you_mean

    close = did_you_mean(story_id, found)
    hint = None if close else f"its stories are {', '.join(sorted(found)) or 'none yet'}"
    raise StoryError([Problem(Path(library), 1, 1, f"the library has no story '{story_id}'{close}", hint=hint)])


def find_library(story: Path) -> Path:
    """The library a story belongs to: the nearest folder up with storygen.yaml, else its own folder."""
    folder = Path(story).resolve().parent
    for candidate in (folder, *folder.parents):
        if (candidate / "storygen.yaml").is_file():
            return candidate
    return folder


class OwnSymbolSet(Strict):
    """A clinic's own symbols: a folder of SVG, PNG or JPEG files in the library, each file's
    name its symbol name (`hand-wash.png` is `symbol: hand wash`)."""

    name: str | None = Field(
        None,
        max_length=30,
        description="The prefix that picks this set (`ours:hand wash`); the folder's name when left out.",
    )
    folder: FolderPath = Field(description="The folder of pictures, relative to the library, e.g. assets/symbols.")
    credit: Title = Field(description="The credit line printed on every document that uses one of the pictures.")

    @model_validator(mode="before")
    @classmethod
    def _name_from_folder(cls, data: Any) -> Any:
        if isinstance(data, dict) and data.get("name") is None and isinstance(data.get("folder"), str):
            return {**data, "name": re.sub(r"[^a-z0-9]", "", Path(data["folder"].strip()).name.lower())}
        return data

    @field_validator("name")
    @classmethod
    def _set_name(cls, name: str | None) -> str | None:
        taken = (*symbols.BUILT_IN, NO_PICTURE)
        if name is not None and (not sets.SET_NAME.fullmatch(name) or name in taken):
            raise PydanticCustomError(
                "set_name",
                "'{name}' cannot name a symbol set",
                {
                    "name": name,
                    "hint": f"give `name:` in lower-case letters and digits, like ours, and not {_listed(taken, 'or')}",
                },
            )
        return name


def _listed(words: Iterable[str], last: str) -> str:
    """'a, b or c' (for last 'or')."""
    *rest, final = words
    return f"{', '.join(rest)} {last} {final}" if rest else final


def _built_in(name: Any) -> Any:
    """A built-in set's name, as the registry has it when the settings are read (so that a set
    added to it is known), refused in the words pydantic has for a name not among choices."""
    if name not in symbols.BUILT_IN:
        choices = _listed((f"'{known}'" for known in symbols.BUILT_IN), "or")
        raise PydanticCustomError("literal_error", "Input should be {expected}", {"expected": choices})
    return name


BuiltInSet = Annotated[str, BeforeValidator(_built_in)]  # checked before str strips it, as a Literal is
AnySymbolSet = Annotated[
    Annotated[BuiltInSet, Tag("builtin")] | Annotated[OwnSymbolSet, Tag("own")],
    Discriminator(lambda value: "builtin" if isinstance(value, str) else "own"),
]


LogoPath = Annotated[Path, written_relative("logo", "assets/logo.png")]
MAX_FOOTER = 100  # characters in branding's footer: one line of small text across any page


def _one_line(text: str) -> str:
    if "\n" in text or "\r" in text:
        raise PydanticCustomError(
            "one_line",
            "the footer is one line of text",
            {"hint": "write it on one line, e.g. Sunny Days OT · 555 0100 · sunnydays.example"},
        )
    return text


class Branding(Strict):
    """The clinic's logo and footer line, printed in the margins of every page of every PDF."""

    logo: LogoPath | None = Field(
        None,
        description="A picture in the library (PNG, JPEG or SVG), relative to it: printed small in the top "
        "margin of every page, e.g. assets/logo.png.",
    )
    footer: Annotated[str, Field(min_length=1, max_length=MAX_FOOTER), AfterValidator(_one_line)] | None = Field(
        None, description="One line of small text in the bottom margin of every page: the clinic's name, its phone."
    )


LabelWords = Annotated[str, Field(max_length=MAX_TEXT)] | Annotated[list[Text], Field(min_length=1, max_length=6)]


STARTER_TEXT = {  # what `storygen init` writes, for the clinician to replace: never printed for families
    "clinic": "Your clinic or practice",
    "contact": "Your name, your role\nphone or email",
}


class Settings(Strict):
    """A library's storygen.yaml: who it belongs to and how it builds by default."""

    name: Title | None = Field(None, description="The library's name.")
    clinic: Title | None = Field(None, description="Clinic or practice, shown on family guides.")
    contact: Text | None = Field(None, description="How families reach the clinician, shown on family guides.")
    paper: Paper = "a4"
    language: Language | None = Field(
        None, max_length=35, description="The language of stories that do not give theirs, e.g. en-GB."
    )
    formats: list[OutputKind] = Field(
        default_factory=lambda: list(OUTPUT_KINDS), description="What `storygen build` makes by default."
    )
    cards_per_page: int = Field(6, ge=1, le=12)
    symbol_sets: list[AnySymbolSet] = Field(
        default_factory=lambda: list[str | OwnSymbolSet](symbols.BUILT_IN),
        min_length=1,
        max_length=MAX_SYMBOL_SETS,
        description="Symbol sets in order of preference, for a name more than one has: built-in "
        f"({', '.join(f'`{name}`' for name in symbols.BUILT_IN)}) and the clinic's own (a folder of "
        "pictures). A set's name and a colon before a name picks that set: `openmoji:toothbrush`.",
    )
    check: CheckOptions = Field(
        default_factory=CheckOptions, description="`storygen check` rules to leave out in this library."
    )
    branding: Branding | None = Field(
        None, description="The clinic's logo and footer line on every page of every PDF (none by default)."
    )
    labels: dict[Language, dict[Annotated[str, Field(max_length=MAX_TEXT)], LabelWords]] = Field(
        default_factory=dict,
        max_length=50,
        description="The library's own words for what storygen prints, by language and label: "
        '{es: {"Step {n} of {total}": "Paso {n} de {total}"}}; a language storygen does not ship '
        "may be added this way (`storygen labels` lists every label).",
    )

    def labels_for(self, language: str) -> dict[str, str | list[str]]:
        """The labels for a language tag: those given for its language (es), then for the tag itself (es-MX)."""
        base = language.split("-")[0].lower()
        by_tag = {tag.lower(): words for tag, words in self.labels.items()}
        return {**by_tag.get(base, {}), **by_tag.get(language.lower(), {})}

    def for_families(self) -> dict:
        """The settings as templates get them, the starter text of `clinic` and `contact` left out."""
        data = self.model_dump(mode="json")
        return {**data, **{key: None for key, text in STARTER_TEXT.items() if (data[key] or "").strip() == text}}

    @field_validator("formats", mode="before")
    @classmethod
    def _comma_list(cls, value: Any) -> Any:
        return [part.strip() for part in value.split(",") if part.strip()] if isinstance(value, str) else value

    @field_validator("symbol_sets")
    @classmethod
    def _one_name_each(cls, listed: list) -> list:
        seen = [s if isinstance(s, str) else s.name for s in listed]
        if twice := sorted({name for name in seen if seen.count(name) > 1}):
            raise PydanticCustomError(
                "set_twice",
                "the symbol set '{name}' is listed twice",
                {"name": twice[0], "hint": "give each set once, with its own name"},
            )
        return listed
