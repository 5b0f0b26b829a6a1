"""What a story's fields accept, shared by the story, a library's settings and a child's
profile: the kinds, senses and prompt codes a story names, the limits that keep it a few short
pages, and checked text, relative paths, language tags and percentages.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Annotated, Any, Literal, get_args

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, WithJsonSchema
from pydantic_core import PydanticCustomError

from ..i18n import N_

Kind = Literal["social", "sensory", "task"]
NO_PICTURE = "none"  # `symbol: none`: this page has no picture, and none is chosen for it
Chaining = Literal["forward", "backward", "total"]
Sense = Literal["sight", "sound", "touch", "smell", "taste", "movement", "body", "interoception"]
SENSES: tuple[str, ...] = get_args(Sense)
Paper = Literal["a4", "letter"]
OutputKind = Literal["story", "booklet", "strip", "cards", "datasheet", "kit", "tracker", "guide"]
"""What a library may ask `storygen build` to make (`formats:`, --format), in the order it is made:
the names are the story's vocabulary, and each is an entry of pages/formats.py's registry, which says
how it is made (a test holds the two together)."""
OUTPUT_KINDS: tuple[OutputKind, ...] = get_args(OutputKind)
SentenceType = Literal["descriptive", "perspective", "affirmative", "coaching"]

DEFAULT_PROMPTS = ["I", "G", "V", "M", "PP", "FP"]
PromptCode = Annotated[str, Field(pattern=r"^[A-Z]{1,4}$")]
PROMPT_NAMES = {  # the codes of ABA data sheets, short and long forms
    "I": N_("independent"),
    "IND": N_("independent"),
    "G": N_("gestural prompt"),
    "GP": N_("gestural prompt"),
    "V": N_("verbal prompt"),
    "VP": N_("verbal prompt"),
    "M": N_("model"),
    "MP": N_("model prompt"),
    "VS": N_("visual prompt"),
    "POS": N_("positional prompt"),
    "P": N_("physical prompt"),
    "PP": N_("partial physical prompt"),
    "FP": N_("full physical prompt"),
    "HOH": N_("hand over hand"),
    "NR": N_("no response"),
}
SENSE_WORDS = {  # what clinicians also write, for the sense it means
    "see": "sight",
    "vision": "sight",
    "visual": "sight",
    "look": "sight",
    "hear": "sound",
    "hearing": "sound",
    "auditory": "sound",
    "listen": "sound",
    "tactile": "touch",
    "feel": "touch",
    "olfactory": "smell",
    "gustatory": "taste",
    "vestibular": "movement",
    "proprioceptive": "body",
    "proprioception": "body",
    "interoceptive": "interoception",
    "inner": "interoception",
}

# Limits: a story is a few short pages for a child. They keep every output quick to make
# (a 5,000-step story once took a quarter of an hour) and a page readable; the README lists them.
MAX_STEPS = 100  # steps in a story
MAX_SUBSTEPS = 12  # sub-steps under one step
MAX_CHOICES = 8  # calm choices (the calm page lays out at most 8)
MAX_TEXT = 500  # characters in a text: a sentence or two
MAX_TITLE = 120  # characters in a title, and in other one-line names
MAX_TAGS = 20
MAX_PROMPTS = 12
MAX_SYMBOL = 80  # characters in a symbol name
MAX_SYMBOL_SETS = 6  # in a library's symbol_sets
LONG_WORD = 30  # characters: a longer word is broken across lines, with a warning

Text = Annotated[str, Field(min_length=1, max_length=MAX_TEXT)]
Title = Annotated[str, Field(min_length=1, max_length=MAX_TITLE)]


class Strict(BaseModel):
    """A model that forbids unknown keys (a misspelt key is an error, not ignored), strips
    whitespace and is not changed once read."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, frozen=True)


def written_relative(what: str, example: str) -> BeforeValidator:
    """A path field's check before it becomes a Path: written relative to the story (or the
    library, or the profile), never absolute, home, drive or URL (_relative_path)."""

    def check(value: Any) -> Any:
        if isinstance(value, str):
            _relative_path(value.strip(), what, example)
        return value

    return BeforeValidator(check)


ImagePath = Annotated[Path, written_relative("image", "photos/sink.jpg")]
AudioPath = Annotated[Path, written_relative("audio", "audio/step-1.mp3")]
ProfilePicturePath = Annotated[Path, written_relative("picture", "photos/barber.jpg")]
FolderPath = Annotated[Path, written_relative("folder", "assets/symbols")]


def language_code(value: str) -> str:
    """A BCP 47 language tag, as `<html lang>` and screen readers need it."""
    if not re.fullmatch(r"[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*", value):
        raise PydanticCustomError(
            "language", "language '{value}' should be a language code like en, en-GB or es", {"value": value}
        )
    return value


Language = Annotated[str, AfterValidator(language_code)]


def _relative_path(written: str, what: str = "image", example: str = "photos/sink.jpg") -> None:
    """A web address, a file: URL, an absolute, home (~) or Windows drive path is refused as
    written, before it becomes a Path (which would turn file:///etc/passwd into file:/etc/passwd)."""
    if re.match(r"[/\\~]|[A-Za-z]:|[A-Za-z][A-Za-z0-9+.-]*:/|(data|javascript|mailto|file):", written, re.IGNORECASE):
        where = {"image": "the story file", "audio": "the story file", "picture": "the profile's folder"}.get(
            what, "the library"
        )
        raise PydanticCustomError(
            f"{what}_path",
            "{what} '{path}' must be a path relative to {where}, like {example}",
            {"what": what, "path": written, "where": where, "example": example},
        )


def _percent(value: Any) -> Any:
    """'100%' or 100 -> 100 (a share of the steps)."""
    if isinstance(value, str) and re.fullmatch(r"\s*\d{1,3}\s*%\s*", value):
        return int(value.strip().rstrip("%"))
    if isinstance(value, str):
        raise PydanticCustomError(
            "percent", "'{value}' is not a percentage", {"value": value, "hint": "write it like 100% or 80%"}
        )
    return value


Percent = Annotated[
    int,
    BeforeValidator(_percent),
    Field(ge=1, le=100),
    WithJsonSchema(
        {
            "type": ["integer", "string"],
            "minimum": 1,
            "maximum": 100,
            "pattern": r"^\s*\d{1,3}\s*%\s*$",
            "examples": ["100%"],
        }
    ),
]
