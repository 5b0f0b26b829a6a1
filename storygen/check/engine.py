"""Check: review stories against social-story, sensory-story and task-analysis guidance.

Like a linter: every finding has a code, a position, a reason and a fix. This is the engine:
what a review looks at (a story's sentences and pages), the rule registry, and running the
rules of every family (social.py, sensory.py, task.py, general.py register theirs when the
package is imported). Nothing here renders or imports WeasyPrint, so checking a library takes
well under a second. Each rule's docstring explains it and the guidance it comes from
(`storygen check --explain`); docs/rules.md gathers them (`python tools/rules_doc.py`).
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple, get_args

from .. import languages
from ..errors import Problem, Severity, StoryError, did_you_mean, in_words
from ..pictures import symbols
from ..story.load import Loc, Source
from ..story.model import Kind, Page, Picture, Story
from ..story.open import Opened, open_story
from ..story.settings import Settings, find_library, find_stories, read_settings
from .readability import split_sentences


@dataclass(frozen=True)
class Finding(Problem):
    """A problem found by a rule: with the rule's code."""

    code: str = ""


@dataclass(frozen=True)
class Hit:
    """What a rule finds: where (loc, and the words there it is about, if any), what, the fix."""

    loc: Loc
    message: str
    hint: str | None = None
    needle: str = ""  # the words at loc the finding points at; loc itself when empty
    at_key: bool = False  # at loc's key rather than its value: a translation's `el:`


@dataclass(frozen=True)
class Rule:
    code: str
    name: str
    severity: Severity
    kinds: tuple[str, ...]
    summary: str
    review: Callable[[Review], Iterable[Hit]]
    languages: tuple[str, ...]  # the story languages it understands; * for any
    doc: str  # its section of docs/rules.md, after the heading: what it checks, why, the fix

    @property
    def heading(self) -> str:
        return f"{self.code} {self.name}"

    @property
    def stories(self) -> str:
        return "all" if set(self.kinds) == set(EVERY_KIND) else ", ".join(self.kinds)


RULES: dict[str, Rule] = {}
WORDING = ("en", "es", "fr", "de", "pt")  # the languages whose wording rules know the words (check/social.py)
EVERY_KIND: tuple[str, ...] = get_args(Kind)  # social, sensory, task


def rule(
    code: str,
    name: str,
    severity: Severity,
    kinds: tuple[str, ...],
    summary: str,
    languages: tuple[str, ...] = ("*",),
):
    """Register a rule: a function yielding a Hit for each finding, its docstring the rule's
    documentation (`storygen check --explain`, docs/rules.md)."""

    def register(review: Callable[[Review], Iterable[Hit]]):
        RULES[code] = Rule(code, name, severity, kinds, summary, review, languages, inspect.getdoc(review) or "")
        return review

    return register


@dataclass(frozen=True)
class EngineCode:
    """A finding the engine makes itself, not a rule: documented on the same page."""

    code: str
    name: str  # in the page's table
    heading: str
    severity: Severity
    doc: str
    stories: str = "all"


UNREADABLE = EngineCode(
    "ERR001",
    "(story cannot be read)",
    "ERR001: the story cannot be read",
    Severity.ERROR,
    """\
**Checks** that the file is valid YAML and a valid story: known keys, right types, a
symbol that exists, an image inside the library. **Why:** a broken file builds nothing.
**Triggers:** `symbl: toothbrush`, `kind: socail`, `symbol: tothbrush`,
`image: ../../photo.jpg`. **Fix:** the message says what and where, with the closest
valid name when there is one.""",
)
PROFILES_SHARED = EngineCode(
    "PRV001",
    "(profiles not ignored)",
    "PRV001 profiles not ignored",
    Severity.WARNING,
    """\
**Checks** that git keeps `profiles/` out of the repo, when the library has a `.gitignore`
or a `profiles/` folder: in a git repository, git itself is asked (`git check-ignore`), so
a later `!profiles/` line or a profile file git already tracks counts as shared; elsewhere,
`.gitignore` is read for a `profiles/` line. **Why:** a profile holds a child's name,
pronouns and photos; a library is shared between clinics. **Fix:** add a line `profiles/`
to `.gitignore` (`storygen init` writes it), with no `!profiles` line after it; for files
git already tracks, `git rm -r --cached profiles` and commit.""",
)
NOT_CHECKED = EngineCode(
    "CHK002",
    "(not checked in this language)",
    "CHK002 not checked in this language",
    Severity.NOTE,
    """\
**Notes** (as information) the rules a story's language kept from running, once per story
at its `language:`, and once per translation at its key (`it:`), for the rules that read a
translation's words: `not checked in 'ko': SOC002, SOC003 ... (they know English, Spanish,
French, German and Portuguese only)`. **Why:** a story or translation with no finding is
not one whose words were read. **Fix:** none needed; read those words yourself.""",
)
UNKNOWN_RULE = EngineCode(
    "CHK001",
    "(unknown rule in `check: disable`)",
    "CHK001 unknown rule",
    Severity.WARNING,
    """\
**Checks** that every name under `check: disable` is a rule code or name, so a typo does
not silently leave a rule on.""",
)
# docs/rules.md documents them around the rules: what stops a review first, the rest after.
BEFORE_RULES, AFTER_RULES = (UNREADABLE,), (PROFILES_SHARED, NOT_CHECKED, UNKNOWN_RULE)


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
    sets: tuple[symbols.SymbolSet, ...] = field(default_factory=lambda: symbols.entries(symbols.SETS))  # the library's
    settings: Settings = field(default_factory=Settings)  # the library's: its paper and the outputs it makes
    library: Path | None = None  # where its pictures are read (None: the story's folder)

    @property
    def language(self) -> str:
        """The story's language without its region: 'es' for es-MX."""
        return languages.base(self.story.language)

    @property
    def translation(self) -> bool:
        """Whether its words are a translation's (else the story's own)."""
        return bool(self.at)

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


def section(documented: Rule | EngineCode) -> str:
    """A rule's section of docs/rules.md: its heading, what it checks, why, the fix."""
    return f"## {documented.heading}\n\n{documented.doc}"


def explain(code_or_name: str) -> str:
    """A rule's section of docs/rules.md, by its code (SOC006) or name (absolutes); KeyError
    with a suggestion when there is no such rule."""
    by_name = {rule_.name: code for code, rule_ in RULES.items()}
    code = code_or_name.upper() if code_or_name.upper() in RULES else by_name.get(code_or_name.lower(), "")
    if not code:
        raise KeyError(f"no rule '{code_or_name}'{did_you_mean(code_or_name, [*RULES, *by_name])}")
    return section(RULES[code])


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


class Checked(NamedTuple):
    """A story file checked: its story (None when it cannot be read) and the findings."""

    story: Story | None
    findings: list[Finding]


def check(paths: Iterable[Path]) -> Iterator[tuple[Path, list[Finding]]]:
    """(story file, its findings) for every story under paths; a library's bad settings count as a file."""
    libraries: dict[Path, Settings] = {}
    for found in find_stories(paths):
        if isinstance(found, Problem):
            yield found.path, [_unreadable(found)]
            continue
        library = find_library(found)
        if library not in libraries:
            try:
                libraries[library] = read_settings(library)
            except StoryError as exc:
                libraries[library] = Settings()
                yield library / "storygen.yaml", [_unreadable(p) for p in exc.problems]
            if private := _profiles_not_ignored(library):
                yield library / ".gitignore", [private]
        yield found, check_story(found, libraries[library]).findings


def check_story(path: Path, settings: Settings | None = None) -> Checked:
    """Open one story file and review it; problems that stop it being read are errors (ERR001)."""
    try:
        opened = open_story(path, settings)
    except StoryError as exc:
        return Checked(None, [_unreadable(p) for p in exc.problems])
    return Checked(opened.story, review(opened))


def review(opened: Opened) -> list[Finding]:
    """Every finding of every rule that applies to an open story and is not switched off."""
    story, source = opened.story, opened.source
    disabled, unknown = resolve_disabled([*opened.settings.check.disable, *story.check.disable])
    at_disable = source.position(("check", "disable"))
    hint = "use a code from `storygen check --list-rules`"
    findings = [_engine_finding(UNKNOWN_RULE, source.path, at_disable, message, hint) for message in unknown]
    findings += _run(
        Review(story, source, sets=opened.sets, settings=opened.settings, library=opened.library), disabled
    )
    for language in story.translations:
        findings += _review_translation(story, source, language, disabled)
    return sorted(findings, key=lambda f: (f.line, f.col, f.code))


def _run(review: Review, disabled: set[str]) -> list[Finding]:
    """The findings of the rules that apply to the story in its own language; one note (CHK002)
    naming those that cannot read the language."""
    findings, skipped = [], []
    for code, rule_ in RULES.items():
        if code in disabled or review.story.kind not in rule_.kinds:
            continue
        if "*" not in rule_.languages and review.language not in rule_.languages:
            skipped.append(code)
            continue
        findings += [_finding(rule_, review, hit) for hit in rule_.review(review)]
    return findings + _not_checked(review, skipped, "the other rules checked this story")


OF_THE_WORDS = ("GEN003", "GEN004", "GEN006")  # rules about the words in any language; the others' are the story's


def _review_translation(story: Story, source: Source, language: str, disabled: set[str]) -> list[Finding]:
    """The findings of the rules that read a story's words, on one of its translations: those
    that know its language (SOC003 `tú` in Spanish, the reading level) and those of any language;
    one note (CHK002) naming those that read words but not in its language."""
    from ..story.translate import translate

    review = Review(translate(story, language), source, at=("translations", language))
    findings, skipped = [], []
    for code, rule_ in RULES.items():
        if code in disabled or story.kind not in rule_.kinds:
            continue
        if "*" not in rule_.languages and review.language not in rule_.languages:
            skipped.append(code)
        elif code in OF_THE_WORDS or "*" not in rule_.languages:
            findings += [_finding(rule_, review, hit, f"{language}: ") for hit in rule_.review(review)]
    return findings + _not_checked(review, skipped, "the other rules checked this translation")


def _not_checked(review: Review, skipped: list[str], hint: str) -> list[Finding]:
    """The note (CHK002) naming the rules a story's or translation's language kept from running
    and the languages they know: at its `language:`, or at the translation's key."""
    if not skipped:
        return []
    from ..i18n import language_name  # here: only when a note is made

    known = dict.fromkeys(language for code in skipped for language in RULES[code].languages)
    they_know = in_words(language_name(language, "en") for language in known)
    message = f"not checked in '{review.story.language}': {', '.join(skipped)} (they know {they_know} only)"
    # at a translation's key (`it:`), or at the value of the story's `language:`
    where = review.source.position(review.at or ("language",), at_key=review.translation)
    return [_engine_finding(NOT_CHECKED, review.source.path, where, message, hint)]


def _finding(rule_: Rule, review: Review, hit: Hit, prefix: str = "") -> Finding:
    """The finding of a rule's hit: at its words in the story's file, with the rule's code."""
    if hit.at_key:
        line, col = review.source.position((*review.at, *hit.loc), at_key=True)
    else:
        line, col = review.locate(hit.loc, hit.needle)
    message = prefix + hit.message
    return Finding(review.source.path, line, col, message, rule_.severity, hit.hint, rule_.code)


def _engine_finding(
    made: EngineCode, path: Path, where: tuple[int, int], message: str, hint: str | None = None
) -> Finding:
    return Finding(path, *where, message, made.severity, hint, made.code)


def _profiles_not_ignored(library: Path) -> Finding | None:
    """A warning when a library keeps (or may keep) children's profiles that git would share."""
    from ..story.profiles import PROFILES, profiles_ignored

    ignore = library / ".gitignore"
    if profiles_ignored(library) or not (ignore.is_file() or (library / PROFILES).is_dir()):
        return None
    return _engine_finding(
        PROFILES_SHARED,
        ignore,
        (1, 1),
        f"git does not ignore {PROFILES}/, so children's profiles (names, photos) would be shared with the library",
        f"add a line `{PROFILES}/` to .gitignore (storygen init writes it) and no `!{PROFILES}` line after it; "
        f"if git already tracks a file there, `git rm -r --cached {PROFILES}` and commit",
    )


def _unreadable(problem: Problem) -> Finding:
    """ERR001 for a problem that stops a story being read: its message and its hint as loading gave them."""
    return _engine_finding(UNREADABLE, problem.path, (problem.line, problem.col), problem.message, problem.hint)
