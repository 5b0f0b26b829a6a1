"""What a story is: the validated model of a clinician's YAML file.

Every model forbids unknown keys. The model opens no file: an image must be written as a
path relative to the story file, and a symbol is a name; that the file is a usable picture
inside the library, and that a symbol set of the library has the name, is checked when
loading (open.validate), where the library is known.
"""

from __future__ import annotations

import re
from typing import Annotated, Any, Literal

from pydantic import (
    Discriminator,
    Field,
    Tag,
    ValidationInfo,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError

from ..pictures import symbols
from .fields import (
    DEFAULT_PROMPTS,
    MAX_CHOICES,
    MAX_PROMPTS,
    MAX_STEPS,
    MAX_SUBSTEPS,
    MAX_SYMBOL,
    MAX_TAGS,
    MAX_TEXT,
    NO_PICTURE,
    PROMPT_NAMES,
    SENSE_WORDS,
    AudioPath,
    Chaining,
    ImagePath,
    Kind,
    Language,
    Percent,
    ProfilePicturePath,
    PromptCode,
    Sense,
    SentenceType,
    Strict,
    Text,
    Title,
)


def _text_shorthand(cls, value: Any) -> Any:
    """A plain string where a mapping is expected means {'text': string}."""
    if isinstance(value, str):
        return {"text": value}
    if isinstance(value, dict) and len(value) == 1 and next(iter(value)) not in cls.model_fields:
        key, rest = next(iter(value.items()))
        raise PydanticCustomError(
            "colon_in_text",
            "this reads as `key: value` because of the ': ' in it",
            {"hint": f'put the whole sentence in quotes: "{key}: {rest}"'},
        )
    return value


class Picture(Strict):
    symbol: str | None = Field(
        None,
        max_length=MAX_SYMBOL,
        description="A picture by name, e.g. `toothbrush` (see `storygen symbols WORD`); "
        "`none` for no picture. Without symbol or image, storygen chooses a symbol for the words.",
    )
    image: ImagePath | None = Field(None, description="A JPEG, PNG, GIF, WebP or SVG file, relative to the story file.")
    alt: str | None = Field(None, max_length=MAX_TEXT, description="What the picture shows, for screen readers.")
    picture: Annotated[str, Field(min_length=1, max_length=40)] | None = Field(
        None,
        description="A picture from the child's profile, by the name the profile gives it (`picture: barber`); "
        "`symbol` or `image` is what shows without a profile, or when the profile has no such picture.",
    )

    @field_validator("symbol")
    @classmethod
    def _symbol_name(cls, name: str | None) -> str | None:
        return symbols.normalize(name) if name else name

    @model_validator(mode="after")
    def _one_picture(self):
        if self.symbol and self.symbol != NO_PICTURE and self.image:
            raise PydanticCustomError("two_pictures", "give either `symbol` or `image`, not both")
        return self


class Page(Picture):
    """A page of text with an optional picture: an introduction, a conclusion, a calm choice."""

    text: Text
    audio: AudioPath | None = Field(
        None,
        description="A recording of this page (a parent's or therapist's voice): an MP3, OGG, M4A or WAV file, "
        "relative to the story file; played on the web page, and while presenting with read-aloud on.",
    )
    type: SentenceType | list[SentenceType] | None = Field(
        None,
        description="Social stories: the kind of sentence (default: read from its wording); for a page of "
        "several sentences, a list of kinds, one per sentence in order: [descriptive, perspective, affirmative].",
    )

    @model_validator(mode="before")
    @classmethod
    def _shorthand(cls, value: Any) -> Any:
        return _text_shorthand(cls, value)


PronounWord = Annotated[str, Field(min_length=1, max_length=20, pattern=r"^[^\s$]+$")]


class PronounSet(Strict):
    """A person's own pronouns, for `pronouns:` beyond she, he and they."""

    they: PronounWord = Field(description="As in 'xe is here'.")
    them: PronounWord = Field(description="As in 'I see xem'.")
    their: PronounWord = Field(description="As in 'xyr coat'.")
    theirs: PronounWord = Field(description="As in 'the coat is xyrs'.")
    themself: PronounWord = Field(description="As in 'xe dresses xemself'.")
    plural: bool = Field(False, description="Verbs after them as after 'they' (they are), not 'she' (she is).")


PRONOUN_SETS = {
    "she": PronounSet(they="she", them="her", their="her", theirs="hers", themself="herself"),
    "he": PronounSet(they="he", them="him", their="his", theirs="his", themself="himself"),
    "they": PronounSet(they="they", them="them", their="their", theirs="theirs", themself="themself", plural=True),
}
Pronouns = Annotated[
    Annotated[Literal["she", "he", "they"], Tag("word")] | Annotated[PronounSet, Tag("own")],
    Discriminator(lambda value: "own" if isinstance(value, (dict, PronounSet)) else "word"),
]
MAX_LIKES = 10


class Defaults(Strict):
    """Who a personalised story is about when built without a child's profile (the shared library's build)."""

    name: Title = Field(
        "Alex", description="The name $name stands for."
    )  # Field: a bare default would change Title itself on pydantic 2.7
    pronouns: Pronouns = "they"
    # reads right after every placeholder and word before it: "$their $likes", "my $likes", "with $likes"
    likes: list[Title] = Field(default_factory=lambda: ["toys"], max_length=MAX_LIKES)


class Profile(Defaults):
    """A child's profile: profiles/<child>/profile.yaml, kept out of the shared library."""

    name: Title
    language: Language | None = Field(
        None, max_length=35, description="Build this child's stories in this language, where a story has it."
    )
    likes: list[Title] = Field(default_factory=list, max_length=MAX_LIKES, description="Favourite things: $likes.")
    pictures: dict[Annotated[str, Field(min_length=1, max_length=40)], ProfilePicturePath] = Field(
        default_factory=dict,
        max_length=50,
        description="Photos of the child's own world by what they show ({barber: photos/barber.jpg}); "
        "`cover` replaces every story's cover.",
    )


class CheckOptions(Strict):
    """Which `storygen check` rules to leave out, by code (e.g. SOC006) or name (e.g. absolutes)."""

    disable: list[Annotated[str, Field(max_length=40)]] = Field(default_factory=list, max_length=100)

    @field_validator("disable", mode="before")
    @classmethod
    def _one_rule(cls, value: Any) -> Any:
        return [value] if isinstance(value, str) else value


class Stimulus(Strict):
    """The thing to see, hear, touch, smell, taste or do on a page of a sensory story."""

    item: Text = Field(description="What to offer, e.g. 'a cool wet flannel'.")
    sense: Sense | None = Field(None, description="The sense it reaches.")
    caution: Text | None = Field(
        None, description="What to take care with, printed beside it on the kit: 'nut oil: check for allergies'."
    )

    @model_validator(mode="before")
    @classmethod
    def _shorthand(cls, value: Any) -> Any:
        return {"item": value} if isinstance(value, str) else value

    @field_validator("sense", mode="before")
    @classmethod
    def _sense_words(cls, value: Any) -> Any:
        if value is None:
            return value
        word = str(value).strip().lower()
        return SENSE_WORDS.get(word, word)


class Step(Page):
    """One step of the story: one page, one small thing to do or notice."""

    label: Annotated[str, Field(min_length=1, max_length=60)] | None = Field(
        None, description="A short label for cards, strips and charts (default: the step's text)."
    )

    feel: Text | None = Field(None, description="What it may feel like, e.g. 'The water is warm.'")
    practise: Title | None = Field(
        None, description="A graded ladder: until when this step is practised, e.g. 'until it feels easy'."
    )
    practise_for: Title | None = Field(
        None, alias="for", description="A graded ladder: how long this step is practised, e.g. 'one week'."
    )
    stimulus: Stimulus | None = Field(None, description="Sensory stories: the thing to offer on this page.")
    steps: list[Step] = Field(
        default_factory=list, max_length=MAX_SUBSTEPS, description="Sub-steps, shown under this step."
    )

    @field_validator("steps")
    @classmethod
    def _one_level(cls, steps: list[Step]) -> list[Step]:
        if any(sub.steps for sub in steps):
            raise PydanticCustomError(
                "nested_steps", "sub-steps cannot have sub-steps of their own", {"hint": "make it a step of its own"}
            )
        return steps


class PageWords(Strict):
    """A page's words in another language: its text and its picture's alt text."""

    text: Text | None = None
    alt: str | None = Field(None, max_length=MAX_TEXT)

    @model_validator(mode="before")
    @classmethod
    def _shorthand(cls, value: Any) -> Any:
        return _text_shorthand(cls, value)


class StimulusWords(Strict):
    item: Text | None = None
    caution: Text | None = None

    @model_validator(mode="before")
    @classmethod
    def _shorthand(cls, value: Any) -> Any:
        return {"item": value} if isinstance(value, str) else value


class StepWords(PageWords):
    """A step's words in another language."""

    label: Annotated[str, Field(min_length=1, max_length=60)] | None = None
    feel: Text | None = None
    practise: Title | None = None
    practise_for: Title | None = Field(None, alias="for")
    stimulus: StimulusWords | None = None
    steps: list[StepWords] = Field(default_factory=list, max_length=MAX_SUBSTEPS)


class MasteryRule(Strict):
    """A mastery rule storygen can test against recorded sessions (storygen progress)."""

    sessions: int = Field(ge=1, le=40, description="How many sessions in a row the rule must hold.")
    independent: Percent | None = Field(
        None, description="The share of the steps done independently (I) in each of those sessions, e.g. 100%."
    )
    step: PromptCode | None = Field(
        None,
        description="Every step at this prompt code, or a more independent one, in each of those sessions, e.g. I.",
    )

    @model_validator(mode="after")
    def _one_measure(self):
        if (self.independent is None) == (self.step is None):
            raise PydanticCustomError(
                "mastery_measure",
                "give the rule one measure: `independent: 100%` (of the steps) or `step: I` (every step at I)",
            )
        return self


class Translation(Strict):
    """The story in another language: its words only, step by step in the story's order; its
    pictures, structure and settings are the story's."""

    title: Title | None = None
    alt: str | None = Field(None, max_length=MAX_TEXT, description="The cover picture's alt text.")
    intro: PageWords | None = None
    calm: list[PageWords] = Field(default_factory=list, max_length=MAX_CHOICES)
    steps: list[StepWords] = Field(default_factory=list, max_length=MAX_STEPS)
    conclusion: PageWords | None = None
    mastery: Text | None = None
    prompts: Annotated[dict[PromptCode, Title], Field(max_length=MAX_PROMPTS)] | None = Field(
        None, description="The prompt codes' meanings in this language: {I: independiente}."
    )


MAX_TRANSLATIONS = 20


class Story(Picture):
    """A social story, sensory story or task analysis."""

    title: Title
    kind: Kind = "social"
    intro: Page | None = None
    calm: list[Page] = Field(
        default_factory=list, max_length=MAX_CHOICES, description="Ways to calm the body first, shown as choices."
    )
    calm_first: bool = Field(
        True,
        description="The calm page before the introduction (true, the default), or after it (false): "
        "'Sometimes I feel worried...', then the calm page headed 'Then I calm my body'.",
    )
    steps: list[Step] = Field(min_length=1, max_length=MAX_STEPS)
    conclusion: Page | None = None
    tags: list[Annotated[str, Field(min_length=1, max_length=40)]] = Field(default_factory=list, max_length=MAX_TAGS)
    age: str | None = Field(None, max_length=20, description="Age range of the readers, e.g. '4-8' or '6+'.")
    language: Language = Field("en", max_length=35, description="Language of the text, e.g. en, en-GB, fr.")
    author: Title | None = None
    license: Title | None = None
    chaining: Chaining | None = Field(None, description="Task stories: forward, backward or total task chaining.")
    prompts: Annotated[
        Annotated[list[PromptCode], Field(max_length=MAX_PROMPTS), Tag("codes")]
        | Annotated[dict[PromptCode, Title], Field(max_length=MAX_PROMPTS), Tag("meanings")],
        Discriminator(lambda value: "meanings" if isinstance(value, dict) else "codes"),
    ] = Field(
        default_factory=lambda: list(DEFAULT_PROMPTS),
        description="Task stories: the prompt codes of the data sheet, most to least independent: a list of "
        "known codes (I, G, V, M, PP, FP, VP, GP...), or codes with their meaning ({I: independent, VP: verbal prompt}).",
    )
    sessions: int = Field(10, ge=1, le=40, description="Task stories: sessions on the data sheet.")
    mastery: (
        Annotated[
            Annotated[MasteryRule, Tag("rule")] | Annotated[Text, Tag("words")],
            Discriminator(lambda value: "rule" if isinstance(value, dict | MasteryRule) else "words"),
        ]
        | None
    ) = Field(
        None,
        description="Task stories: when the skill is learnt. A rule storygen can test against recorded "
        "sessions, {sessions: 3, independent: 100%} or {sessions: 2, step: I}, or words for the data "
        "sheet, e.g. '3 sessions in a row, every step I'.",
    )
    cards_per_page: int | None = Field(
        None, ge=1, le=12, description="Cut-out cards on a page, 1 to 12 (default: the library's, else 6)."
    )
    check: CheckOptions = Field(
        default_factory=CheckOptions, description="`storygen check` rules to leave out for this story."
    )
    defaults: Defaults | None = Field(
        None,
        description="Who the story is about when built without a child's profile, for $name, $they, $likes: "
        "{name: Sam, pronouns: they, likes: [toy]}.",
    )
    translations: dict[Language, Translation] = Field(
        default_factory=dict,
        max_length=MAX_TRANSLATIONS,
        description="The story in other languages, by language code: the same steps in the same order, "
        "their words only (es: {title: ..., steps: [...]}). Each is built into build/<id>/<language>/.",
    )

    @model_validator(mode="before")
    @classmethod
    def _library_language(cls, data: Any, info: ValidationInfo) -> Any:
        language = (info.context or {}).get("language")
        if language and isinstance(data, dict) and "language" not in data:
            return {**data, "language": language}
        return data

    @property
    def ladder(self) -> bool:
        """A graded ladder: its steps say how long, or until when, each is practised."""
        return any(step.practise or step.practise_for for step in self.steps)

    @field_validator("tags", mode="before")
    @classmethod
    def _one_tag(cls, value: Any) -> Any:
        return [value] if isinstance(value, str) else value

    @property
    def prompt_codes(self) -> list[str]:
        return list(self.prompts)

    @property
    def prompt_names(self) -> dict[str, str]:
        """Every code's meaning: the story's own, else the known one."""
        return {**PROMPT_NAMES, **self.own_prompt_names}

    @property
    def own_prompt_names(self) -> dict[str, str]:
        """The meanings the story gives its codes, in its own words."""
        return dict(self.prompts) if isinstance(self.prompts, dict) else {}

    @field_validator("age")
    @classmethod
    def _age_range(cls, value: str | None) -> str | None:
        if value is not None and not re.fullmatch(r"\d{1,2}(\s*[-–]\s*\d{1,2}|\+)?", value):
            raise PydanticCustomError(
                "age", "age '{value}' should be an age or a range, like 5, 4-8 or 6+", {"value": value}
            )
        return value

    @model_validator(mode="after")
    def _task_fields_on_tasks(self):
        given = [name for name in ("chaining", "mastery") if getattr(self, name) is not None]
        if self.kind != "task" and given:
            raise PydanticCustomError(
                "task_only",
                "`{name}` is for task analyses",
                {"name": given[0], "hint": "add `kind: task` or remove it"},
            )
        rule = self.mastery
        if isinstance(rule, MasteryRule) and rule.step and rule.step not in self.prompt_codes:
            raise PydanticCustomError(
                "mastery_code",
                "the mastery rule's step code '{code}' is not one of the story's prompt codes ({codes})",
                {"code": rule.step, "codes": ", ".join(self.prompt_codes)},
            )
        return self

    def pictures(self) -> list[Picture]:
        """Every picture-bearing part, in reading order."""
        parts: list[Picture] = [self, *self.calm]
        parts += [p for p in (self.intro,) if p]
        for step in self.steps:
            parts += [step, *step.steps]
        parts += [p for p in (self.conclusion,) if p]
        return parts


UNION_TAGS = (
    "builtin",
    "own",
    "codes",
    "meanings",
    "word",
    "rule",
    "words",
)  # the branches of unions, named in error locations


# written as plain text, they mean {text: ...} or {item: ...}
SHORTHANDS = ("Page", "Step", "Stimulus", "PageWords", "StepWords", "StimulusWords")


def story_schema() -> dict:
    """The JSON Schema of a story file, for editors: the model's schema, plus the plain-text shorthands."""
    schema = Story.model_json_schema()

    text = ["string", "number", "boolean"]  # storygen reads `age: 6` or `- 3` as text too

    def allow_text(node):
        if isinstance(node, dict):
            if len(node.get("allOf", ())) == 1 and "$ref" in node["allOf"][0]:  # pydantic < 2.9 wraps a described $ref
                node = {**{k: v for k, v in node.items() if k != "allOf"}, "$ref": node["allOf"][0]["$ref"]}
            ref = node.get("$ref", "")
            if ref.rsplit("/", 1)[-1] in SHORTHANDS:
                return {"anyOf": [{"type": text}, node]}
            if node.get("type") == "string":
                node = {**node, "type": text}
            return {key: allow_text(value) for key, value in node.items()}
        if isinstance(node, list):
            return [allow_text(item) for item in node]
        return node

    schema = allow_text(schema)
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "storygen story"
    return schema
