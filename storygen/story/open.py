"""Open a story in its library: the one way every command reads a story.

A story file is read with positions (load.py), in the library it belongs to (the nearest folder
up with storygen.yaml), with that library's settings; validated against the model; its pictures
and recordings checked in the library and made real (a symbol its set's name, a page given none
its automatic picture); its translations and placeholders checked. build, check, record,
progress and the preview all open a story here, and go on from what `Opened` holds.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import Severity, StoryError
from ..pictures import audio, choice, images, symbols
from .fields import NO_PICTURE
from .load import Loc, Source, load_source, place_name, validate_as, with_place
from .model import Story
from .parts import pages
from .personalise import check_placeholders, child_for, fill
from .settings import Settings, find_library, read_settings, symbol_sets
from .translate import check_translations


@dataclass(frozen=True)
class Opened:
    """A story opened in its library: what every later stage needs."""

    source: Source
    library: Path
    settings: Settings
    story: Story  # validated, its pictures made real; in its own language, told about its defaults
    sets: tuple[symbols.SymbolSet, ...]  # the library's symbol sets, in its order

    @property
    def path(self) -> Path:
        return self.source.path


def open_story(path: Path, settings: Settings | None = None, library: Path | None = None) -> Opened:
    """The story at path, opened in its library (library: that folder, when already known;
    settings: the library's, when already read). StoryError lists every problem with its position."""
    source = load_source(path)
    library = Path(library or find_library(path))
    settings = settings or read_settings(library)
    story = validate(source, library, settings)
    return Opened(source, library, settings, story, symbol_sets(settings, library))


def read_story(path: Path, library: Path | None = None) -> Story:
    """Load and validate one story file; StoryError lists every problem with its position."""
    return open_story(path, library=library).story


def validate(source: Source, library: Path | None = None, settings: Settings | None = None) -> Story:
    """The Story in a loaded source (the library's settings giving what the story leaves out,
    its language and symbol sets), then its pictures checked against its library: the model
    opens no file."""
    library = Path(library or find_library(source.path))
    settings = settings or read_settings(library)
    story = validate_as(source, Story, {"language": settings.language})
    story = with_pictures(story, source, library, symbol_sets(settings, library))
    errors = [p for p in check_translations(story, source) if p.severity == Severity.ERROR] + check_placeholders(source)
    if errors:
        raise StoryError(sorted(errors, key=lambda p: (p.line, p.col)))
    return story


PICTURE_PARTS = ("intro", "calm", "steps", "conclusion")  # the fields of a story or a step that hold pictures


def with_pictures(story: Story, source: Source, library: Path, sets: tuple[symbols.SymbolSet, ...]) -> Story:
    """story with every picture made real: an image as its real path, a symbol as its set's
    qualified name, a page without either given the symbol that fits its words (choice.choose),
    and `symbol: none` as no picture. StoryError, at the picture, for an unknown symbol, or an
    image outside the library, missing, or not a picture storygen will use (images.story_picture)."""
    folder, problems, child = source.path.parent.resolve(), [], child_for(story)
    before: str | None = None  # the picture of the page before: an automatic one is not the same

    def real(part: Any, loc: Loc) -> Any:
        nonlocal before
        update: dict[str, Any] = {}
        try:
            update = _picture(part, loc, folder, library, sets, before, story.language, lambda text: fill(text, child))
        except images.PictureError as error:
            at = (*loc, "image" if part.image else "symbol")
            problems.append(source.problem(at, with_place(place_name(loc), error.what), hint=error.hint))
        if loc:  # the story's own picture is its cover, not a page: the picture before a page is a page's
            before = update.get("symbol", part.symbol)
        if getattr(part, "audio", None) is not None:
            try:
                update["audio"] = audio.story_recording(part.audio, folder, library)
            except images.PictureError as error:
                message = with_place(place_name(loc), f"recording '{part.audio}' {error.what}")
                problems.append(source.problem((*loc, "audio"), message, hint=error.hint))
        for name in PICTURE_PARTS:
            value = getattr(part, name, None)
            if isinstance(value, list):
                update[name] = [real(item, (*loc, name, i)) for i, item in enumerate(value)]
            elif value is not None:
                update[name] = real(value, (*loc, name))
        return part.model_copy(update=update) if update else part  # the model is frozen: a copy

    story = real(story, ())
    if problems:
        raise StoryError(sorted(problems, key=lambda p: (p.line, p.col)))
    return story


def _picture(
    part: Any,
    loc: Loc,
    folder: Path,
    library: Path,
    sets: tuple,
    before: str | None,
    language: str | None = None,
    words: Callable[[str], str] = str,
) -> dict[str, Any]:
    """The real picture of one part, as an update of its fields (none when it keeps what it has);
    PictureError for a symbol no set has, or a picture storygen will not use."""
    if part.symbol == NO_PICTURE:  # no symbol: an image, or no picture at all
        return {"symbol": None, **({"image": _image(part.image, folder, library)} if part.image else {})}
    if part.image is not None:
        return {"image": _image(part.image, folder, library)}
    if part.symbol:
        found = symbols.find(part.symbol, sets, language)
        if found is None:
            close = symbols.suggestions(part.symbol, order=sets)
            hint = (
                f"did you mean {', '.join(repr(c) for c in close)}?"
                if close
                else "try `storygen symbols WORD` to find one"
            )
            raise images.PictureError(f"there is no symbol named '{part.symbol}'", hint)
    else:
        found = choice.choose(picture_words(part, words), sets, before, language=language, **_reassuring(loc))
        if found is None:
            return {}
    if found.set not in symbols.BUILT_IN:  # an own set's file: checked as an image is
        _image(Path(found.file), folder, library)
    return {"symbol": found.qualified}


def picture_words(part: Any, words: Callable[[str], str] = str) -> list[str]:
    """The texts automatic choice reads: a page's label and text, or the story's title for its
    cover, each as words() tells it (about the story's default child)."""
    return [words(t) for t in (getattr(part, "label", None), getattr(part, "text", None) or part.title) if t]


def _reassuring(loc: Loc) -> dict[str, bool]:
    """The pages that reassure by where they are, as choice's options."""
    return {"conclusion": loc == ("conclusion",), "calm": loc[-2:-1] == ("calm",)}


def ranked_pictures(
    story: Story, sets: tuple[symbols.SymbolSet, ...], skip: Callable[[Loc, Any], bool] = lambda loc, part: False
) -> Iterator[tuple[Loc, Any, list]]:
    """(where, part, choice.ranked's candidates) for the cover and every page (parts.pages), the
    candidates as opening the story ranked them: by the same words, the page before's picture last;
    none for a part skip() leaves out (reading words costs: a story that names its pictures)."""
    child, before = child_for(story), None
    for loc, part in [((), story), *pages(story)]:
        texts = picture_words(part, lambda text: fill(text, child))
        kept = not skip(loc, part)
        yield (
            loc,
            part,
            choice.ranked(texts, sets, language=story.language, avoid=before, **_reassuring(loc)) if kept else [],
        )
        before = part.symbol if loc else None


def _image(image: Path, folder: Path, library: Path) -> Path:
    try:
        return images.story_picture(image, folder, library)
    except images.PictureError as error:
        raise error.after(f"image '{image.name if image.is_absolute() else image}' ") from None
