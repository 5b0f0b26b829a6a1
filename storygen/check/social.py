"""The rules of social stories (SOC): structure, the ratio of sentence kinds, person, wording."""

from __future__ import annotations

import re
from collections.abc import Iterator

from ..errors import Severity
from ..pages.formats import story_pages
from .engine import EVERY_KIND, WORDING, Hit, Review, Sentence, rule
from .readability import split_sentences
from .wording import ABSOLUTES, JUDGING_WORDS, NEGATIVE_COMMANDS

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


@rule("SOC001", "structure", Severity.WARNING, ("social",), "A title, an introduction, a body and a conclusion.")
def _structure(review: Review) -> Iterator[Hit]:
    """**Checks** that a social story has an introduction and a conclusion (the title and the
    steps are required anyway). **Why:** Gray's criteria ask for a title, an introduction
    that says what the story is about, a body, and a conclusion that reinforces it.
    **Triggers:** a story with `title:` and `steps:` only. **Fix:** add `intro:` ("Sometimes I
    go to the dentist.") and a reassuring `conclusion:` ("I did a great job!").
    """
    story = review.story
    if not story.intro:
        yield Hit(
            (),
            "the story has no introduction",
            "add `intro:` saying what the story is about, e.g. 'Sometimes I go to the dentist.'",
        )
    if not story.conclusion:
        yield Hit(
            (),
            "the story has no conclusion",
            "add `conclusion:` with a positive, reassuring ending, e.g. 'I did a great job!'",
        )


DESCRIBING_PER_COACHING = 2  # Gray's formula: at least twice as many describing sentences as coaching ones


@rule(
    "SOC002",
    "sentence-ratio",
    Severity.WARNING,
    ("social",),
    "At least twice as many describing sentences as coaching ones.",
    ("en",),  # the kinds are read from English wording
)
def _ratio(review: Review) -> Iterator[Hit]:
    """**Checks** the kinds of sentence: *coaching* ("I will try...", "I am learning to...",
    or "I can" with a response: "I can ask for help", "I can raise my hand"), *perspective*
    (what others think, feel, know or want: "The dentist knows how to keep teeth
    healthy."), *affirmative* ("That is okay.", "Feeling nervous is normal.") and
    *descriptive* (everything else, what the child can see or do there included: "I can see
    my therapist on the screen", "We can draw together"). A sentence's kind is read from its
    wording, or given on its step with `type:`. Against 50 sentences labelled by hand from
    Gray's guidance and examples (`tests/check/test_sentence_types.py`) the reading agrees on all
    50, and on 16 of 16 written afterwards and not tuned to; a page's `type:` settles any
    sentence it reads wrong.
    (descriptive + perspective + affirmative) / coaching must be at least 2; the finding
    reports the counts. **Why:** Gray's formula: a social story describes more than it
    directs. **Triggers:** "I will try to sit still. I can wait. I will try to be quiet. We
    go in." (1 describing, 3 coaching). **Fix:** describe what happens, who is there and what
    they think or feel; coach less. Set `type:` when the guess is wrong.
    """
    counts = {kind: 0 for kind in ("descriptive", "perspective", "affirmative", "coaching")}
    for sentence in review.sentences:
        counts[sentence_type(sentence)] += 1
    describing = counts["descriptive"] + counts["perspective"] + counts["affirmative"]
    if counts["coaching"] and describing < DESCRIBING_PER_COACHING * counts["coaching"]:
        tally = ", ".join(f"{n} {kind}" for kind, n in counts.items())
        yield Hit(
            (),
            f"the story coaches more than it describes: ({counts['descriptive']} + {counts['perspective']} + "
            f"{counts['affirmative']}) / {counts['coaching']} = {describing / counts['coaching']:.1f}, "
            f"below {DESCRIBING_PER_COACHING} ({tally})",
            "describe more (what happens, who is there, what others think or feel) and coach less; mark a sentence's `type:` when the guess is wrong",
        )


@rule("TRN001", "untranslated", Severity.WARNING, EVERY_KIND, "Every translation translates every text of the story.")
def _untranslated(review: Review) -> Iterator[Hit]:
    """**Checks** that each of a story's `translations:` translates every text the story has:
    its title, introduction, calm choices, steps and sub-steps (text, label, `feel:`, the
    ladder's `for:` and `practise:`), stimuli and their cautions, conclusion and mastery rule.
    **Why:** an untranslated text prints in the story's own language, in the middle of a
    family's translated story. **Fix:** translate it under the language, in the story's order:
    `es: {steps: [..., {text: ..., feel: ...}]}`. (A translation with a step too many or too
    few, or words for a part the story does not have, is an error: it cannot be built.)
    """
    from ..story.translate import differences

    for found in differences(review.story):
        if found.severity == Severity.WARNING:  # the errors stop the story loading
            yield Hit(found.loc, found.message, found.hint)


@rule("PRS001", "no-defaults", Severity.NOTE, EVERY_KIND, "A story with $name or $they says whom to tell it about.")
def _no_defaults(review: Review) -> Iterator[Hit]:
    """**Notes** (as information) a story that uses `$name`, `$they` or `$likes` without
    `defaults:`. **Why:** without a child's profile (the shared library's own build) the story
    is told about someone: storygen's neutral default (Alex, they) unless the story says whom.
    **Fix:** `defaults: {name: Sam, pronouns: they, likes: [toy]}`.
    """
    from ..story.model import Defaults
    from ..story.personalise import uses_placeholders

    if review.story.defaults is None and uses_placeholders(review.story):
        neutral = Defaults()
        yield Hit(
            (),
            f"the story uses $name or $they but has no `defaults:`; without a child's profile it is told about "
            f"'{neutral.name}' ({neutral.pronouns})",
            "add `defaults: {name: Sam, pronouns: they, likes: [toy]}` to choose whom the shared library's copy is about",
        )


@rule("SOC009", "sentence-kinds", Severity.WARNING, ("social",), "A list of sentence kinds gives one per sentence.")
def _sentence_kinds(review: Review) -> Iterator[Hit]:
    """**Checks** that a page whose `type:` is a list gives one kind per sentence. A page may
    hold several sentences, each its own kind, printed as one paragraph:
    `text: I sit in the big chair. Many children feel nervous. That is okay.` with
    `type: [descriptive, perspective, affirmative]`. **Why:** SOC002 counts each sentence by
    its kind; a list shorter or longer than the page's sentences would count some wrongly.
    **Triggers:** two kinds for three sentences. **Fix:** one kind per sentence, in order.
    """
    for loc, part in review.parts():
        sentences = len(split_sentences(part.text))
        if isinstance(part.type, list) and len(part.type) != sentences:
            yield Hit(
                (*loc, "type"),
                f"`type:` gives {len(part.type)} kinds for {sentences} sentence{'s' if sentences != 1 else ''}",
                "give one kind per sentence, in order, e.g. [descriptive, perspective, affirmative]",
            )


# The words of the wording rules, in every language of WORDING (engine.py). Each pattern is
# searched case-insensitively in a sentence; \b and \w know every letter (é, ü, ç, ß).
SECOND_PERSON = {
    "en": re.compile(r"\b(you|your|yours|yourself)\b", re.I),
    "es": re.compile(r"\b(tú|usted|ustedes|vosotros|vosotras|contigo)\b", re.I),
    # tu, toi, te, t', vous and their possessives; not "s'il vous plaît", "rendez-vous", "un ton doux"
    "fr": re.compile(
        r"(?<!s'il )(?<!s’il )(?<!rendez-)\b(tu|toi|te|vous|ta|tes|votre|vos|vôtres?)\b"
        r"|\bt['’](?=\w)|(?<!un )(?<!le )(?<!ce )(?<!du )\bton\b",
        re.I,
    ),
    # du and its forms; Sie, Ihnen, Ihr written with a capital inside a sentence (at its start, Sie is also she)
    "de": re.compile(
        r"\b(du|dich|dir|dein|deine[mnrs]?|euch|euer|eure[mnrs]?)\b"
        r"|(?:(?<=\w\s)|(?<=,\s))(?-i:Sie|Ihnen|Ihr|Ihre[mnrs]?)\b",
        re.I,
    ),
    "pt": re.compile(
        r"\b(você|vocês|tu|te|ti|contigo|teus?|tuas?|vós|vos|convosco|vossos?|vossas?)\b",
        re.I,
    ),
}
FIRST_PERSON = re.compile(r"\b(I|me|my|mine|myself|we|us|our)\b")
THIRD_PERSON_START = re.compile(r"^(He|She|His|Her)\b")


@rule(
    "SOC003",
    "second-person",
    Severity.WARNING,
    ("social",),
    "No 'you': a social story speaks as the child (I) or about them (he, she, a name).",
    WORDING,
)
def _second_person(review: Review) -> Iterator[Hit]:
    """**Checks** for "you", "your", "yours", "yourself" (Spanish tú, usted; French tu, toi,
    te, vous, ton, votre; German du, dich, dir, dein, euch, and Sie, Ihnen, Ihr inside a
    sentence; Portuguese você, tu, te, teu). **Why:** a social story is written in the first
    person (as the child: "I") or the third person (about the child: "Sam"); "you" sounds like
    an instruction. **Triggers:** "You sit in the big chair." **Fix:** "I sit in the big chair."
    """
    for sentence in review.sentences:
        if found := SECOND_PERSON[review.language].search(sentence.text):
            yield Hit(
                sentence.loc,
                f"'{found.group(0)}' speaks to the child in the second person",
                "write in the first person ('I can...') or the third person ('Sam can...')",
                needle=found.group(0),
            )


@rule(
    "SOC004",
    "mixed-person",
    Severity.WARNING,
    ("social",),
    "One point of view: first person or third person, not both.",
    ("en",),
)
def _mixed_person(review: Review) -> Iterator[Hit]:
    """**Checks** that a story does not mix first-person sentences (I, me, my) with sentences
    that start with he or she and have no first-person word. **Why:** one consistent point of
    view keeps a literal reader sure who the story is about. **Triggers:** "I go to school.
    He hangs up his coat." **Fix:** keep one voice, and name other people ("The teacher
    smiles.") rather than "he"/"she".
    """
    first = [s for s in review.sentences if FIRST_PERSON.search(s.text)]
    third = [s for s in review.sentences if THIRD_PERSON_START.search(s.text) and not FIRST_PERSON.search(s.text)]
    start = THIRD_PERSON_START.search(third[0].text) if third else None
    if first and start:
        yield Hit(
            third[0].loc,
            f"the story mixes first person ({len(first)} sentences with I/me/my) and third person ({len(third)} starting with he/she)",
            "tell the whole story from one point of view; name other people ('The dentist...') instead of he/she",
            needle=start.group(0),
        )


@rule(
    "SOC005",
    "judgement-words",
    Severity.WARNING,
    ("social",),
    "No judging words: should, must, ought, bad, naughty.",
    WORDING,
)
def _judgement_words(review: Review) -> Iterator[Hit]:
    """**Checks** for should, must, ought, bad and naughty (Spanish debes, tienes que, malo,
    travieso; French dois, il faut, méchant, vilain, mauvais, pas sage; German muss, soll,
    böse, unartig, frech, schlecht; Portuguese deve, tem que, mau, malvado, menino levado).
    **Why:** a social story shares information in a patient, positive voice; judging words
    turn it into a reprimand. **Triggers:** "Hitting is bad." / "I must sit still." **Fix:**
    describe ("Sitting still helps the dentist work quickly.").
    """
    return JUDGING_WORDS(review)


@rule(
    "SOC006",
    "absolutes",
    Severity.WARNING,
    ("social",),
    "No absolutes: always, never, everyone; say usually, sometimes, many.",
    WORDING,
)
def _absolutes(review: Review) -> Iterator[Hit]:
    """**Checks** for always, never, everyone, everybody, nobody, no one, every time, all the
    time (Spanish siempre, nunca, todo el mundo, nadie; French toujours, jamais, tout le
    monde, personne; German immer, nie, alle, jeder, keiner, jedes Mal; Portuguese sempre,
    nunca, todo mundo, ninguém), the hint saying what to write instead in the language.
    **Why:** children who read literally hold a story to its word; when "the bus always comes
    at 8" is not true one day, the story breaks its promise. Gray recommends flexible words.
    **Triggers:** "The bus always comes at 8." **Fix:** usually, sometimes, many people.
    """
    return ABSOLUTES(review)


@rule(
    "SOC007",
    "negative-commands",
    Severity.WARNING,
    ("social",),
    "No negative commands: don't, do not, stop.",
    WORDING,
)
def _negative_commands(review: Review) -> Iterator[Hit]:
    """**Checks** for "don't", "do not" and "Stop" (not permission or choice: "I do not have
    to...", "if I do not want to", nor "we stop doing it"); in Spanish "no debes", "no toques", "deja
    de"; in French, German and Portuguese the commands ("Ne cours pas", "Arrête de", "Renn
    nicht!", "Nicht anfassen", "Hör auf", "Não corra", "Pare de") and, as "we do not run" in
    English, a verb said not to be done by I, we, you or they ("Nous ne courons pas", "Wir
    rennen nicht", "Nós não corremos"), but not with be, have or can ("Je ne suis pas seul",
    "Ich habe keine Angst", "Eu não tenho medo"). **Why:** telling a child what not to do
    leaves them without a plan, and is not the positive voice of a social story. **Triggers:**
    "Don't scream in the shop." **Fix:** say what to do instead: "I can use my quiet voice."
    """
    return NEGATIVE_COMMANDS(review)


MOST_PAGES = 10  # of a social story, after the cover


@rule("SOC008", "length", Severity.WARNING, ("social",), f"At most {MOST_PAGES} pages.")
def _length(review: Review) -> Iterator[Hit]:
    """**Checks** that a social story has at most 10 pages after the cover (calm page,
    introduction, steps and conclusion). **Why:** short stories are read more often and
    remembered better; one idea per page. **Triggers:** 12 steps with an introduction and a
    conclusion. **Fix:** cut to the essentials, or split into two stories.
    """
    pages = len(story_pages(review.story)) - 1  # the cover is not a page of the story
    if pages > MOST_PAGES:
        yield Hit(
            ("steps",),
            f"the story has {pages} pages (after the cover), more than {MOST_PAGES}",
            "keep one idea per page and split a long story into two shorter ones",
        )
