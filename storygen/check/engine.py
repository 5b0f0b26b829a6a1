"""Check: review stories against social-story, sensory-story and task-analysis guidance.

Like a linter: every finding has a code, a position, a reason and a fix. This is the engine:
what a review looks at (a story's sentences and pages), the rule registry, and running the
rules of every family (social.py, sensory.py, task.py, general.py register theirs when the
package is imported). Nothing here renders or imports WeasyPrint, so checking a library takes
well under a second. docs/rules.md explains every rule and the guidance it comes from.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import asdict, dataclass, field
from functools import cached_property
from pathlib import Path

from .. import PACKAGE
from ..errors import Problem, StoryError, did_you_mean
from ..pictures import symbols
from ..story.load import Loc, Source
from ..story.model import Page, Picture, Story
from ..story.open import open_story
from ..story.settings import Settings, find_library, find_stories, read_settings, symbol_sets
from .readability import split_sentences

SEVERITIES = ("error", "warning", "info")


@dataclass(frozen=True)
class Finding(Problem):
    """A problem found by a rule: with the rule's code and a hint on how to fix it."""

    code: str = ""
    hint: str = ""

    def as_dict(self) -> dict:
        return {**asdict(self), "path": str(self.path)}


@dataclass(frozen=True)
class Rule:
    code: str
    name: str
    severity: str
    kinds: tuple[str, ...]
    summary: str
    review: Callable[[Review], Iterator[tuple[Loc, str, str, str]]]
    languages: tuple[str, ...] = ("*",)  # the story languages it understands; * for any


RULES: dict[str, Rule] = {}
WORDING = ("en", "es")  # the languages whose wording rules know the words


def rule(code: str, name: str, severity: str, kinds: tuple[str, ...], summary: str, languages: tuple = ("*",)):
    """Register a rule; it yields (loc, needle, message, hint) for each finding."""

    def register(review):
        RULES[code] = Rule(code, name, severity, kinds, summary, review, languages)
        return review

    return register


# -- what a review looks at ------------------------------------------------------


@dataclass(frozen=True)
class Sentence:
    text: str
    loc: Loc  # where its text is written
    given: str | None  # a `type:` set in the story


@dataclass
class Review:
    """One story under review: its model, its source positions, its sentences."""

    story: Story
    source: Source
    sentences: list[Sentence] = field(default_factory=list)
    at: Loc = ()  # where its words are written: ("translations", "es") for a translation
    settings: Settings | None = None  # its library's, when known

    @cached_property
    def sets(self) -> tuple[symbols.SymbolSet, ...]:
        """The library's symbol sets, in its order (the built-in ones without its settings)."""
        return (
            symbol_sets(self.settings, find_library(self.source.path))
            if self.settings
            else symbols.entries(symbols.SETS)
        )

    @property
    def language(self) -> str:
        """The story's language without its region: 'es' for es-MX."""
        return self.story.language.split("-")[0].lower()

    def __post_init__(self):
        for loc, part in self.parts():
            kinds = part.type if isinstance(part.type, list) else None  # one per sentence, in order
            for i, text in enumerate(split_sentences(part.text)):
                given = (kinds[i] if i < len(kinds) else None) if kinds is not None else part.type
                self.sentences.append(Sentence(text, (*loc, "text"), given if isinstance(given, str) else None))
            if feel := getattr(part, "feel", None):  # a step's: what it may feel like
                self.sentences += [Sentence(t, (*loc, "feel"), None) for t in split_sentences(feel)]

    def parts(self) -> Iterator[tuple[Loc, Page]]:
        """The story's text-bearing pages in reading order (calm choices are labels, not sentences)."""
        story = self.story
        if story.intro:
            yield ("intro",), story.intro
        for i, step in enumerate(story.steps):
            yield ("steps", i), step
            for j, sub in enumerate(step.steps):
                yield ("steps", i, "steps", j), sub
        if story.conclusion:
            yield ("conclusion",), story.conclusion

    def pictured(self) -> Iterator[tuple[Loc, Picture]]:
        """Every part that may have a picture: the story itself, its pages and calm choices."""
        yield (), self.story
        yield from ((("calm", i), choice) for i, choice in enumerate(self.story.calm))
        yield from self.parts()

    def locate(self, loc: Loc, needle: str) -> tuple[int, int]:
        """The line and column of needle in the text written at loc (or of loc itself)."""
        return self.source.locate((*self.at, *loc), needle)


# -- running the rules ---------------------------------------------------------------------


def rules_document() -> Path:
    """docs/rules.md: inside the package when installed from a wheel, at the repo's top in a checkout."""
    packaged = PACKAGE / "docs" / "rules.md"
    return packaged if packaged.is_file() else PACKAGE.parent / "docs" / "rules.md"


def explain(code_or_name: str) -> str:
    """A rule's section of docs/rules.md, by its code (SOC006) or name (absolutes); KeyError
    with a suggestion when there is no such rule."""
    by_name = {rule_.name: code for code, rule_ in RULES.items()}
    code = code_or_name.upper() if code_or_name.upper() in RULES else by_name.get(code_or_name.lower(), "")
    if not code:
        raise KeyError(f"no rule '{code_or_name}'{did_you_mean(code_or_name, [*RULES, *by_name])}")
    text = rules_document().read_text(encoding="utf-8")
    start = text.index(f"\n## {code} ") + 1
    end = text.find("\n## ", start)
    return text[start : end if end != -1 else len(text)].strip()


def resolve_disabled(names: Iterable[str]) -> tuple[set[str], list[str]]:
    """Rule codes for codes or names; and a message for each that is neither."""
    by_name = {r.name: code for code, r in RULES.items()}
    codes, unknown = set(), []
    for name in names:
        code = name.upper() if name.upper() in RULES else by_name.get(name.lower())
        if code:
            codes.add(code)
        else:
            unknown.append(f"unknown rule '{name}' in check: disable{did_you_mean(name, [*RULES, *by_name])}")
    return codes, unknown


def review_story(story: Story, source: Source, settings: Settings) -> list[Finding]:
    """Every finding of every rule that applies to the story and is not switched off."""
    disabled, unknown = resolve_disabled([*settings.check.disable, *story.check.disable])
    review, findings = Review(story, source, settings=settings), []
    findings += [
        Finding(
            source.path,
            *source.position(("check", "disable")),
            message,
            "warning",
            "CHK001",
            "use a code from `storygen check --list-rules`",
        )
        for message in unknown
    ]
    skipped = []
    for code, rule_ in RULES.items():
        if code in disabled or story.kind not in rule_.kinds:
            continue
        if "*" not in rule_.languages and review.language not in rule_.languages:
            skipped.append(code)
            continue
        for loc, needle, message, hint in rule_.review(review):
            findings.append(Finding(source.path, *review.locate(loc, needle), message, rule_.severity, code, hint))
    if skipped:  # said once: what could not be checked in this language
        findings.append(
            Finding(
                source.path,
                *source.position(("language",)),
                f"not checked in '{story.language}': {', '.join(skipped)} (they know English"
                f"{' and Spanish' if any(RULES[c].languages == WORDING for c in skipped) else ''} only)",
                "info",
                "CHK002",
                "the other rules checked this story",
            )
        )
    for language in story.translations:
        findings += review_translation(story, source, language, disabled)
    return sorted(findings, key=lambda f: (f.line, f.col, f.code))


OF_THE_WORDS = ("GEN003", "GEN004")  # rules about the words in any language; the others' findings are the story's


def review_translation(story: Story, source: Source, language: str, disabled: set[str]) -> list[Finding]:
    """The findings of the rules that read a story's words, on one of its translations: those
    that know its language (SOC003 `tú` in Spanish, the reading level) and those of any language."""
    from ..story.translate import translate

    review = Review(translate(story, language), source, at=("translations", language))
    findings = []
    for code, rule_ in RULES.items():
        reads = code in OF_THE_WORDS or ("*" not in rule_.languages and review.language in rule_.languages)
        if code in disabled or story.kind not in rule_.kinds or not reads:
            continue
        for loc, needle, message, hint in rule_.review(review):
            where = review.locate(loc, needle)
            findings.append(Finding(source.path, *where, f"{language}: {message}", rule_.severity, code, hint))
    return findings


def check_story(path: Path, settings: Settings | None = None) -> list[Finding]:
    """Validate and review one story file; problems that stop it being read are errors (ERR001)."""
    return review_file(path, settings)[1]


def review_file(path: Path, settings: Settings | None = None) -> tuple[Story | None, list[Finding]]:
    """The story in a file (None when it cannot be read) and its findings."""
    try:
        opened = open_story(path, settings)
    except StoryError as exc:
        return None, [_error(p) for p in exc.problems]
    return opened.story, review_story(opened.story, opened.source, opened.settings)


def check(paths: Iterable[Path]) -> Iterator[tuple[Path, list[Finding]]]:
    """(story file, its findings) for every story under paths; a library's bad settings count as a file."""
    libraries: dict[Path, Settings] = {}
    for found in find_stories(paths):
        if isinstance(found, Problem):
            yield found.path, [_error(found)]
            continue
        library = find_library(found)
        if library not in libraries:
            try:
                libraries[library] = read_settings(library)
            except StoryError as exc:
                libraries[library] = Settings()
                yield library / "storygen.yaml", [_error(p) for p in exc.problems]
            if private := _profiles_not_ignored(library):
                yield library / ".gitignore", [private]
        yield found, check_story(found, libraries[library])


def _profiles_not_ignored(library: Path) -> Finding | None:
    """A warning when a library keeps (or may keep) children's profiles that git would share."""
    from ..story.profiles import PROFILES, profiles_ignored

    ignore = library / ".gitignore"
    if profiles_ignored(library) or not (ignore.is_file() or (library / PROFILES).is_dir()):
        return None
    return Finding(
        ignore,
        1,
        1,
        f"git does not ignore {PROFILES}/, so children's profiles (names, photos) would be shared with the library",
        "warning",
        "PRV001",
        f"add a line `{PROFILES}/` to .gitignore (storygen init writes it) and no `!{PROFILES}` line after it; "
        f"if git already tracks a file there, `git rm -r --cached {PROFILES}` and commit",
    )


def _error(problem: Problem) -> Finding:
    message, _, hint = problem.message.partition("; ")
    return Finding(problem.path, problem.line, problem.col, message, "error", "ERR001", hint)
