"""Check: review stories against social-story, sensory-story and task-analysis guidance.

Like a linter: every finding has a code, a position, a reason and a fix. Nothing here
renders or imports WeasyPrint, so checking a library takes well under a second.
docs/rules.md explains every rule and the guidance it comes from.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import asdict, dataclass, field
from functools import lru_cache
from pathlib import Path

from .. import PACKAGE
from ..errors import Problem, StoryError, did_you_mean
from ..pages.formats import story_pages
from ..pictures import symbols
from ..story.load import (
    Loc,
    Source,
    describe,
    find_library,
    find_stories,
    long_word_message,
    long_words,
    read_settings,
)
from ..story.model import LONG_WORD, SENSES, Page, Picture, Settings, Story
from ..story.open import open_story

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

    @property
    def language(self) -> str:
        """The story's language without its region: 'es' for es-MX."""
        return self.story.language.split("-")[0].lower()

    def __post_init__(self):
        for loc, part in self.parts():
            kinds = part.type if isinstance(part.type, list) else None  # one per sentence, in order
            for i, text in enumerate(split_sentences(part.text)):
                given = (kinds[i] if i < len(kinds) else None) if kinds is not None else part.type
                self.sentences.append(Sentence(text, (*loc, "text"), given))
            if getattr(part, "feel", None):
                self.sentences += [Sentence(t, (*loc, "feel"), None) for t in split_sentences(part.feel)]

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


def split_sentences(text: str) -> list[str]:
    """A text's sentences: after . ! ? and a space, or after Chinese and Japanese 。！？."""
    return [s.strip() for s in re.split(r"(?<=[.!?])[\"')\]]*\s+|(?<=[。！？])", text.strip()) if s.strip()]


WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*")  # letters of any script: Latin, Hangul, Arabic, Cyrillic...
SPACELESS = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")  # Chinese, Japanese kana


def words(text: str) -> list[str]:
    return WORD.findall(text)


def word_count(text: str) -> int:
    """Words, in any script; Chinese and Japanese, written without spaces, count a word for
    every two characters (their words are one to two characters long)."""
    count = 0
    for word in words(text):
        spaceless = len(SPACELESS.findall(word))
        count += -(-spaceless // 2) + bool(len(word) - spaceless) if spaceless else 1
    return count


# -- social stories ----------------------------------------------------------------

# Coaching suggests a response: "I will try to...", "I am learning to...", or "I can" with a
# verb of doing something about the situation ("I can ask for help"). "I can see my therapist"
# and "We can draw together" describe what happens.
COACHING = re.compile(
    r"\b(?:I|we)\s+(?:will\s+try|will\s+work\s+on|may\s+try|might\s+try|can\s+try|could\s+try|am\s+learning|"
    r"are\s+learning|will\s+practi[cs]e)\b",
    re.I,
)
RESPONSE = re.compile(
    r"\b(?:I|we)\s+(?:can|could|may|might)\s+(?:also\s+)?(?:ask|say|tell|raise|put\s+up|use|take|choose|pick|"
    r"wait|stay|keep|hold|squeeze|breathe|count|stop|walk\s+away|go\s+to|move\s+away|cover|wear|let|show|"
    r"practi[cs]e|remember|think\s+about|try|calm|help|push|press|hug|sit|look\s+at|be\s+quiet)\b",
    re.I,
)
PEOPLE = (
    r"(?:he|she|they|people|someone|everyone|grown-ups|adults|mum|mom|dad|parents|friends|children|kids|"
    r"(?:the|my|a|some|many|most|other)\s+(?:\w+-)?\w+(?:er|ist|or|ian|ant|ent|ers|ists|ors|ians|s|dad|mum|mom|friend|"
    r"people|parents|children|kids|grown-ups))"
)
FEELINGS = r"(?:happy|sad|proud|glad|worried|scared|calm|excited|upset|angry|safe|pleased|nervous|curious|kind)"
PERSPECTIVE = re.compile(
    rf"\b{PEOPLE}\s+(?:may\s+|might\s+|usually\s+|often\s+|also\s+|sometimes\s+)?"
    rf"(?:think|thinks|know|knows|like|likes|love|loves|want|wants|believe|believes|understand|understands|"
    rf"enjoy|enjoys|hope|hopes|(?:feel|feels|are|is|get|gets)\s+(?:\w+\s+)?{FEELINGS})\b",
    re.I,
)
AFFIRMATIVE = re.compile(
    r"\b(?:is|are|it's|that's)\s+(?:very\s+)?(?:okay|ok|fine|alright|all\s+right|normal|safe|important|"
    r"a\s+good\s+(?:idea|thing))\b",
    re.I,
)


def sentence_type(sentence: Sentence) -> str:
    """The kind of a social-story sentence (Carol Gray): given as `type:`, or read from its wording."""
    if sentence.given:
        return sentence.given
    if COACHING.search(sentence.text) or RESPONSE.search(sentence.text):
        return "coaching"
    if PERSPECTIVE.search(sentence.text):
        return "perspective"
    if AFFIRMATIVE.search(sentence.text):
        return "affirmative"
    return "descriptive"


@rule("SOC001", "structure", "warning", ("social",), "A title, an introduction, a body and a conclusion.")
def _structure(review: Review):
    story = review.story
    if not story.intro:
        yield (
            (),
            "",
            "the story has no introduction",
            "add `intro:` saying what the story is about, e.g. 'Sometimes I go to the dentist.'",
        )
    if not story.conclusion:
        yield (
            (),
            "",
            "the story has no conclusion",
            "add `conclusion:` with a positive, reassuring ending, e.g. 'I did a great job!'",
        )


@rule(
    "SOC002",
    "sentence-ratio",
    "warning",
    ("social",),
    "At least twice as many describing sentences as coaching ones.",
    ("en",),  # the kinds are read from English wording
)
def _ratio(review: Review):
    counts = {kind: 0 for kind in ("descriptive", "perspective", "affirmative", "coaching")}
    for sentence in review.sentences:
        counts[sentence_type(sentence)] += 1
    describing = counts["descriptive"] + counts["perspective"] + counts["affirmative"]
    if counts["coaching"] and describing < 2 * counts["coaching"]:
        tally = ", ".join(f"{n} {kind}" for kind, n in counts.items())
        yield (
            (),
            "",
            (
                f"the story coaches more than it describes: ({counts['descriptive']} + {counts['perspective']} + "
                f"{counts['affirmative']}) / {counts['coaching']} = {describing / counts['coaching']:.1f}, below 2 ({tally})"
            ),
            "describe more (what happens, who is there, what others think or feel) and coach less; mark a sentence's `type:` when the guess is wrong",
        )


@rule(
    "TRN001",
    "untranslated",
    "warning",
    ("social", "sensory", "task"),
    "Every translation translates every text of the story.",
)
def _untranslated(review: Review):
    from ..story.translate import differences

    for loc, text, severity, _at_key in differences(review.story):
        if severity == "warning":  # the errors stop the story loading
            message, _, hint = text.partition("; ")
            yield loc, "", message, hint


@rule(
    "PRS001",
    "no-defaults",
    "info",
    ("social", "sensory", "task"),
    "A story with $name or $they says whom to tell it about.",
)
def _no_defaults(review: Review):
    from ..story.model import Defaults
    from ..story.personalise import uses_placeholders

    if review.story.defaults is None and uses_placeholders(review.story):
        neutral = Defaults()
        yield (
            (),
            "",
            f"the story uses $name or $they but has no `defaults:`; without a child's profile it is told about "
            f"'{neutral.name}' ({neutral.pronouns})",
            "add `defaults: {name: Sam, pronouns: they, likes: [toy]}` to choose whom the shared library's copy is about",
        )


@rule("SOC009", "sentence-kinds", "warning", ("social",), "A list of sentence kinds gives one per sentence.")
def _sentence_kinds(review: Review):
    for loc, part in review.parts():
        sentences = len(split_sentences(part.text))
        if isinstance(part.type, list) and len(part.type) != sentences:
            yield (
                (*loc, "type"),
                "",
                f"`type:` gives {len(part.type)} kinds for {sentences} sentence{'s' if sentences != 1 else ''}",
                "give one kind per sentence, in order, e.g. [descriptive, perspective, affirmative]",
            )


SECOND_PERSON = {
    "en": re.compile(r"\b(you|your|yours|yourself)\b", re.I),
    "es": re.compile(r"\b(tú|usted|ustedes|vosotros|vosotras|contigo)\b", re.I),
}
FIRST_PERSON = re.compile(r"\b(I|me|my|mine|myself|we|us|our)\b")
THIRD_PERSON_START = re.compile(r"^(He|She|His|Her)\b")


@rule(
    "SOC003",
    "second-person",
    "warning",
    ("social",),
    "No 'you': a social story speaks as the child (I) or about them (he, she, a name).",
    WORDING,
)
def _second_person(review: Review):
    for sentence in review.sentences:
        if found := SECOND_PERSON[review.language].search(sentence.text):
            yield (
                sentence.loc,
                found.group(0),
                f"'{found.group(0)}' speaks to the child in the second person",
                "write in the first person ('I can...') or the third person ('Sam can...')",
            )


@rule(
    "SOC004",
    "mixed-person",
    "warning",
    ("social",),
    "One point of view: first person or third person, not both.",
    ("en",),
)
def _mixed_person(review: Review):
    first = [s for s in review.sentences if FIRST_PERSON.search(s.text)]
    third = [s for s in review.sentences if THIRD_PERSON_START.search(s.text) and not FIRST_PERSON.search(s.text)]
    start = THIRD_PERSON_START.search(third[0].text) if third else None
    if first and start:
        yield (
            third[0].loc,
            start.group(0),
            f"the story mixes first person ({len(first)} sentences with I/me/my) and third person ({len(third)} starting with he/she)",
            "tell the whole story from one point of view; name other people ('The dentist...') instead of he/she",
        )


def _word_rule(patterns: dict[str, str], what: str, hint: Callable[[str], str]):
    """A rule finding words, by a pattern for each language it knows."""
    regexes = {language: re.compile(pattern, re.I) for language, pattern in patterns.items()}

    def review_words(review: Review):
        for sentence in review.sentences:
            for found in regexes[review.language].finditer(sentence.text):
                yield sentence.loc, found.group(0), f"'{found.group(0)}' {what}", hint(found.group(0).lower())

    return review_words


ABSOLUTE_SWAPS = {
    "always": "usually",
    "never": "usually not, or sometimes",
    "everyone": "many people",
    "everybody": "many people",
    "nobody": "not many people",
    "no one": "not many people",
    "every time": "most times",
    "all the time": "often",
    "siempre": "normalmente",
    "nunca": "casi nunca, o a veces",
    "jamás": "casi nunca",
    "todo el mundo": "mucha gente",
    "todos": "muchos",
    "nadie": "poca gente",
    "cada vez": "casi siempre",
    "todo el tiempo": "a menudo",
}

rule(
    "SOC005",
    "judgement-words",
    "warning",
    ("social",),
    "No judging words: should, must, ought, bad, naughty.",
    WORDING,
)(
    _word_rule(
        {
            "en": r"\b(should|must|ought|bad|naughty)\b",
            "es": r"\b(debes|debe|deberías|debería|tienes que|malos?|malas?|travies[oa]s?)\b",
        },
        "is a judging word",
        lambda w: "describe what happens or what people think and feel; a social story informs, it does not judge",
    )
)
rule(
    "SOC006",
    "absolutes",
    "warning",
    ("social",),
    "No absolutes: always, never, everyone; say usually, sometimes, many.",
    WORDING,
)(
    _word_rule(
        {
            "en": r"\b(always|never|everyone|everybody|nobody|no one|every time|all the time)\b",
            "es": r"\b(siempre|nunca|jamás|todo el mundo|todos|nadie|cada vez|todo el tiempo)\b",
        },
        "is an absolute that may not hold",
        lambda w: f"say '{ABSOLUTE_SWAPS[w]}' instead: a literal reader holds the story to its word",
    )
)
rule(
    "SOC007",
    "negative-commands",
    "warning",
    ("social",),
    "No negative commands: don't, do not, stop.",
    WORDING,
)(
    _word_rule(
        {
            "en": r"\b(don't|don’t|do not|stop)\b",
            "es": r"\b(no debes|no hagas|no toques|no grites|deja de|para de)\b",
        },
        "tells the child what not to do",
        lambda w: "say what to do instead, e.g. 'I can keep my hands in my lap'",
    )
)


@rule("SOC008", "length", "warning", ("social",), "At most 10 pages.")
def _length(review: Review):

    pages = len(story_pages(review.story)) - 1  # the cover is not a page of the story
    if pages > 10:
        yield (
            ("steps",),
            "",
            f"the story has {pages} pages (after the cover), more than 10",
            "keep one idea per page and split a long story into two shorter ones",
        )


# -- sensory stories -----------------------------------------------------------------


@rule("SEN001", "sentence-count", "warning", ("sensory",), "At most 10 sentences.")
def _sensory_length(review: Review):
    count = len([s for s in review.sentences if s.loc[-1] == "text"])
    if count > 10:
        yield (
            ("steps",),
            "",
            f"the story has {count} sentences, more than 10",
            "a sensory story holds attention best when short: keep one short sentence per page, 10 at most",
        )


@rule("SEN002", "one-stimulus", "warning", ("sensory",), "One sentence and exactly one stimulus on every page.")
def _one_stimulus(review: Review):
    for i, step in enumerate(review.story.steps):
        if not step.stimulus:
            yield (
                ("steps", i),
                "",
                f"step {i + 1} has no stimulus",
                "add `stimulus:` with the one thing to see, hear, touch, smell, taste or move with on this page",
            )
        if len(split_sentences(step.text)) > 1:
            yield (
                ("steps", i, "text"),
                "",
                f"step {i + 1} has {len(split_sentences(step.text))} sentences",
                "keep one short sentence per page, paired with its stimulus",
            )


@rule("SEN003", "stimulus-sense", "warning", ("sensory",), "Every stimulus names its sense.")
def _stimulus_sense(review: Review):
    for i, step in enumerate(review.story.steps):
        if step.stimulus and not step.stimulus.sense:
            yield (
                ("steps", i, "stimulus"),
                "",
                f"the stimulus of step {i + 1} does not name its sense",
                f"add `sense:` ({', '.join(SENSES[:-1])} or {SENSES[-1]}) under `stimulus:`",
            )


@rule("SEN004", "senses-reached", "info", ("sensory",), "How many senses the story reaches.")
def _senses(review: Review):
    senses = sorted({step.stimulus.sense for step in review.story.steps if step.stimulus and step.stimulus.sense})
    yield (
        ("steps",),
        "",
        f"the story reaches {len(senses)} of {len(SENSES)} senses" + (f": {', '.join(senses)}" if senses else ""),
        "reaching several senses keeps a sensory story engaging",
    )


# -- task analyses -------------------------------------------------------------------


LONG_TASK = 20  # steps: published task analyses run to 14 or more (tooth brushing); above 20, group them


@rule("TSK001", "step-count", "info", ("task",), "5 to 10 steps to start with; up to 20 is common.")
def _step_count(review: Review):
    steps = review.story.steps
    if not 5 <= len(steps) <= 10 and (len(steps) <= LONG_TASK or any(step.steps for step in steps)):
        yield (
            ("steps",),
            "",
            f"the task has {len(steps)} steps; a task analysis usually starts with 5 to 10",
            "fine if it suits the learner (many run to 14 or more); otherwise split big steps or join tiny ones",
        )


@rule("TSK005", "long-task", "warning", ("task",), f"Over {LONG_TASK} steps, grouped under main steps.")
def _long_task(review: Review):
    steps = review.story.steps
    if len(steps) > LONG_TASK and not any(step.steps for step in steps):
        yield (
            ("steps",),
            "",
            f"the task has {len(steps)} steps and no sub-steps",
            "group the steps into 5 to 10 main steps with sub-steps under them",
        )


@rule("TSK002", "prompt-codes", "warning", ("task",), "Prompt codes known, unique, and including I (independent).")
def _prompts(review: Review):
    prompts, known = review.story.prompt_codes, review.story.prompt_names
    for i, code in enumerate(prompts):
        if code in prompts[:i]:
            yield ("prompts", i), "", f"prompt code '{code}' is listed twice", "list each prompt code once"
        elif code not in known:
            yield (
                ("prompts", i),
                "",
                f"'{code}' is not a known prompt code{did_you_mean(code, known)}",
                "use I, G, V, M, PP, FP (independent, gestural, verbal, model, partial and full physical), "
                "or give each code its meaning: prompts: {I: independent, " + code + ": ...}",
            )
    if "I" not in prompts:
        yield (
            ("prompts",),
            "",
            "the prompt codes have no I (independent)",
            "add I: mastery is measured by independent steps",
        )


@rule("TSK003", "chaining", "warning", ("task",), "A chaining method is chosen.")
def _chaining(review: Review):
    if not review.story.chaining:
        yield (), "", "no chaining method is given", "add `chaining:` forward, backward or total"


@rule("TSK004", "mastery", "warning", ("task",), "A mastery rule is given.")
def _mastery(review: Review):
    if not review.story.mastery:
        yield (), "", "no mastery rule is given", "add `mastery:`, e.g. {sessions: 3, independent: 100%}"


@rule("TSK006", "testable-mastery", "info", ("task",), "The mastery rule is one storygen can test.")
def _testable_mastery(review: Review):
    if isinstance(review.story.mastery, str):
        yield (
            ("mastery",),
            "",
            "the mastery rule is in words, so `storygen progress` cannot tell when it is met",
            "write it as a rule, e.g. mastery: {sessions: 3, independent: 100%} or {sessions: 2, step: I}",
        )


# -- every story -----------------------------------------------------------------------


@rule("GEN001", "photo-alt", "warning", ("social", "sensory", "task"), "Every image has alt text.")
def _photo_alt(review: Review):
    for loc, part in review.pictured():
        if part.image and not part.alt:
            yield (
                (*loc, "image"),
                "",
                "this image has no alt text",
                "add `alt:` saying what the picture shows, for screen readers and anyone who cannot see it",
            )


PLACES = {(): "cover", ("intro",): "introduction", ("conclusion",): "conclusion"}  # the pages describe() leaves out


@rule(
    "PIC001",
    "picked-picture",
    "info",
    ("social", "sensory", "task"),
    "Each picture storygen chose for a page's words, to confirm.",
)
def _picked_picture(review: Review):
    written = review.source.keys
    for loc, part in review.pictured():
        if part.symbol and (*loc, "symbol") not in written and (*loc, "image") not in written:
            set_name = part.symbol.partition(":")[0]  # loading qualified it with its set
            name = symbols.short_name(part.symbol)
            where = describe(loc) or PLACES.get(loc, "")
            yield (
                loc or ("title",),  # a cover chosen for the title: at the title
                "",
                f"{where + ': ' if where else ''}picked '{name}' ({set_name})",
                "write symbol: to choose another, or symbol: none for no picture",
            )


@rule(
    "GEN002",
    "reading-level",
    "warning",
    ("social", "sensory", "task"),
    "The reading level suits the story's age range.",
    ("en", "es"),  # a formula made for each: Flesch-Kincaid, Fernández-Huerta
)
def _reading_level(review: Review):
    ages = re.findall(r"\d+", review.story.age or "")
    if not ages or not review.sentences:
        return
    oldest = int(ages[-1]) if len(ages) > 1 else int(ages[0]) + (4 if "+" in (review.story.age or "") else 0)
    limit = max(1, oldest - 5)  # a US school grade is about the age minus 5 or 6
    sentences, hint = [s.text for s in review.sentences], "use shorter sentences and shorter, everyday words"
    if review.language == "es":  # on the formula's own scale: 90 and over very easy, 80 easy, 70 fairly easy
        ease, least = (
            fernandez_huerta(sentences),
            90 if oldest <= 6 else 80 if oldest <= 9 else 70 if oldest <= 12 else 60,
        )
        if ease < least:
            message = f"the text's reading ease is {ease:.0f} (Fernández-Huerta); ages {review.story.age} need {least} or more"
            yield ("age",), "", message, hint
        return
    grade = flesch_kincaid_grade(sentences)
    if grade > limit:
        message = f"the text reads at grade {grade:.1f} (Flesch-Kincaid); ages {review.story.age} read up to about grade {limit}"
        yield ("age",), "", message, hint


@rule("GEN003", "step-length", "warning", ("social", "sensory", "task"), "A step has at most 20 words.")
def _step_length(review: Review):
    for loc, part in review.parts():
        if loc[0] == "steps" and word_count(part.text) > 20:
            yield (
                (*loc, "text"),
                "",
                f"this step has {word_count(part.text)} words, more than 20",
                "split it into two steps, or move detail into a sub-step",
            )


@rule("GEN004", "long-word", "warning", ("social", "sensory", "task"), f"No word longer than {LONG_WORD} characters.")
def _long_word(review: Review):
    for loc, word in long_words(review.story):
        yield loc, word, *long_word_message(word)


# -- reading level -----------------------------------------------------------------------


@lru_cache(maxsize=1)
def _hyphenator():
    import pyphen  # ships with WeasyPrint; unlike textstat it needs no download at run time

    return pyphen.Pyphen(lang="en_US")


def syllables(word: str) -> int:
    vowel_groups = len(re.findall(r"[aeiouy]+", word.lower())) - (word.lower().endswith("e") and len(word) > 2)
    return max(1, vowel_groups, len(_hyphenator().positions(word)) + 1)


@lru_cache(maxsize=4)
def _hyphenator_for(language: str):
    import pyphen

    return pyphen.Pyphen(lang=language)


def fernandez_huerta(sentences: list[str]) -> float:
    """Fernández-Huerta's reading ease for Spanish: 206.84 - 0.60 syllables and 1.02
    sentences per 100 words (90 and over: very easy; 60 to 70: normal)."""
    all_words = [w for s in sentences for w in words(s)]
    if not all_words:
        return 100.0
    per_word = sum(max(1, len(_hyphenator_for("es").positions(w)) + 1) for w in all_words) / len(all_words)
    return 206.84 - 60 * per_word - 102 * len(sentences) / len(all_words)


def flesch_kincaid_grade(sentences: list[str]) -> float:
    all_words = [w for s in sentences for w in words(s)]
    if not all_words:
        return 0.0
    per_sentence = len(all_words) / len(sentences)
    per_word = sum(map(syllables, all_words)) / len(all_words)
    return max(0.0, 0.39 * per_sentence + 11.8 * per_word - 15.59)


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
    review, findings = Review(story, source), []
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
    from ..story.load import PROFILES, profiles_ignored

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
